"""Warning settings from ``ipradar.toml`` ([alerts], [alerts.spike|deadline|escalation|wave], [smtp], [channels])
and the environment (IPRADAR_SMTP_*; the SMTP password and webhook secret only from there). Unknown keys are
errors, so a typo never silently falls back to a default."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..settings import Settings, SettingsError
from .rules.base import DeadlineConfig, EscalationConfig, RuleConfig, SpikeConfig, WaveConfig

EMAIL_MODES = ("smtp", "file", "off")


@dataclass(frozen=True)
class SmtpConfig:
    host: str = "127.0.0.1"
    port: int = 25
    user: str | None = None
    password: str | None = None  # IPRADAR_SMTP_PASSWORD only
    sender: str = "IP Radar <alerts@ipradar.invalid>"
    starttls: bool = False
    ssl: bool = False
    timeout: float = 15.0


@dataclass(frozen=True)
class DeliveryConfig:
    email: str = "smtp"  # smtp | file (one .eml per message into mail_dir) | off
    mail_dir: Path = Path("mail")
    feeds_dir: Path = Path("feeds")
    feed_base_url: str = "https://ipradar.invalid/feeds/"
    feed_entries: int = 100
    webhook_timeout: float = 10.0
    webhook_secret: str | None = None  # IPRADAR_WEBHOOK_SECRET only
    digest_cap: int = 10  # stories listed in one digest before "and N more"
    max_attempts: int = 5
    retry_base_seconds: float = 300.0  # doubled per failed attempt, capped
    retry_max_seconds: float = 6 * 3600.0
    lease_seconds: float = 600.0  # a batch claimed longer ago than this by a worker that died is sent again
    smtp: SmtpConfig = SmtpConfig()


@dataclass(frozen=True)
class WarningsConfig:
    rules: RuleConfig
    delivery: DeliveryConfig


def _build(cls: type[Any], table: Mapping[str, Any], where: str, skip: tuple[str, ...] = ()) -> Any:
    known = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, raw in table.items():
        if key in skip:
            continue
        if key not in known or key in ("password", "webhook_secret", "smtp"):
            hint = " (a secret: set it in the environment)" if key in ("password", "webhook_secret") else ""
            raise SettingsError(f"[{where}]: unknown setting {key!r}{hint}")
        default = getattr(cls(), key)
        try:
            if isinstance(default, bool):
                if not isinstance(raw, bool):
                    raise TypeError
                values[key] = raw
            elif isinstance(default, int):
                values[key] = int(raw)
            elif isinstance(default, float):
                values[key] = float(raw)
            elif isinstance(default, tuple):
                if not isinstance(raw, list):
                    raise TypeError
                values[key] = tuple(raw)
            elif isinstance(default, Path):
                values[key] = Path(str(raw))
            else:
                values[key] = None if raw is None else str(raw)
        except (TypeError, ValueError) as exc:
            raise SettingsError(f"[{where}] {key} = {raw!r}: expected {type(default).__name__}") from exc
    return cls(**values)


def _bool_env(name: str, raw: str) -> bool:
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off", ""):
        return False
    raise SettingsError(f"{name}={raw!r}: expected true or false")


def load_config(settings: Settings, env: Mapping[str, str] | None = None) -> WarningsConfig:
    """Build the warning configuration; ``env`` (default: none) supplies IPRADAR_SMTP_HOST/PORT/USER/SENDER/STARTTLS."""
    env = env or {}
    alerts = dict(settings.section("alerts"))
    subs = {name: alerts.pop(name, {}) for name in ("spike", "deadline", "escalation", "wave")}
    delivery_keys = {f.name for f in dataclasses.fields(DeliveryConfig)}
    rule_top = {k: v for k, v in alerts.items() if k not in delivery_keys}
    delivery_top = {k: v for k, v in alerts.items() if k in delivery_keys}
    rules = RuleConfig(
        max_age_days=int(_build(_MaxAge, rule_top, "alerts").max_age_days),
        spike=_build(SpikeConfig, subs["spike"], "alerts.spike"),
        deadline=_build(DeadlineConfig, subs["deadline"], "alerts.deadline"),
        escalation=_build(EscalationConfig, subs["escalation"], "alerts.escalation"),
        wave=_build(WaveConfig, subs["wave"], "alerts.wave"))
    channels = dict(settings.section("channels"))
    overlap = set(channels) & set(delivery_top)
    if overlap:
        raise SettingsError(f"{sorted(overlap)} set in both [alerts] and [channels]")
    delivery: DeliveryConfig = _build(DeliveryConfig, {**delivery_top, **channels}, "channels")
    if delivery.email not in EMAIL_MODES:
        raise SettingsError(f"[channels] email = {delivery.email!r}: expected one of {', '.join(EMAIL_MODES)}")
    smtp: SmtpConfig = _build(SmtpConfig, settings.section("smtp"), "smtp")
    overrides: dict[str, Any] = {}
    for field in ("host", "user", "sender"):
        if env.get(f"IPRADAR_SMTP_{field.upper()}"):
            overrides[field] = env[f"IPRADAR_SMTP_{field.upper()}"]
    if env.get("IPRADAR_SMTP_PORT"):
        try:
            overrides["port"] = int(env["IPRADAR_SMTP_PORT"])
        except ValueError as exc:
            raise SettingsError(f"IPRADAR_SMTP_PORT={env['IPRADAR_SMTP_PORT']!r} is not a number") from exc
    for flag in ("starttls", "ssl"):
        if f"IPRADAR_SMTP_{flag.upper()}" in env:
            overrides[flag] = _bool_env(f"IPRADAR_SMTP_{flag.upper()}", env[f"IPRADAR_SMTP_{flag.upper()}"])
    smtp = dataclasses.replace(smtp, password=settings.smtp_password, **overrides)
    home = settings.home

    def absolute(p: Path) -> Path:
        return p if p.is_absolute() else (home / p).resolve()

    delivery = dataclasses.replace(delivery, mail_dir=absolute(delivery.mail_dir),
                                   feeds_dir=absolute(delivery.feeds_dir), webhook_secret=settings.webhook_secret,
                                   smtp=smtp)
    return WarningsConfig(rules=rules, delivery=delivery)


@dataclass(frozen=True)
class _MaxAge:
    max_age_days: int = RuleConfig().max_age_days
