"""Settings, read once: environment ``IPRADAR_*`` over an optional ``ipradar.toml`` over defaults.

The resulting :class:`Settings` is immutable and passed explicitly to whatever needs it; nothing here mutates
global state at import time.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

CONFIG_FILE = "ipradar.toml"

# Secrets are read from the environment only (DESIGN.md §7b); a config file that holds one is refused.
SECRET_FIELDS = ("courtlistener_token", "uspto_api_key", "edis_token", "govinfo_api_key", "smtp_password",
                 "webhook_secret")


class SettingsError(ValueError):
    """A configuration value is missing, malformed or in the wrong place."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable. Paths are absolute once loaded."""

    db_url: str
    home: Path  # directory that relative paths are resolved against (the config file's folder or the cwd)
    archive_dir: Path
    output_dir: Path
    user_agent: str = "ipradar/0.1 (+https://ipradar.invalid; overseas IP risk monitoring; contact ipradar@ipradar.invalid)"
    contact_email: str = "ipradar@ipradar.invalid"
    log_level: str = "INFO"
    timezone: str = "Asia/Shanghai"
    # crawl politeness defaults (per-source metadata may lower them further)
    download_delay: float = 1.0
    concurrency_per_domain: int = 2
    download_timeout: int = 60
    max_response_bytes: int = 16 * 1024 * 1024
    retry_times: int = 3
    retry_backoff_base: float = 2.0  # seconds; doubled on every retry of a 5xx/timeout, capped by retry_backoff_max
    retry_backoff_max: float = 60.0
    retry_after_max: float = 300.0  # longest Retry-After we honour before giving the page up for this run
    # secrets (environment only)
    courtlistener_token: str | None = None
    uspto_api_key: str | None = None
    edis_token: str | None = None
    govinfo_api_key: str | None = None
    smtp_password: str | None = None
    webhook_secret: str | None = None
    # further sections of ipradar.toml (e.g. [smtp], [channels]) for the subsystems that own them
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def section(self, name: str) -> Mapping[str, Any]:
        """Return one ``[name]`` table of the config file (empty when absent)."""
        return self.sections.get(name, {})

    def with_db(self, db_url: str | None) -> Settings:
        """Copy with another database URL (the CLI's ``--db`` option)."""
        return self if not db_url else replace(self, db_url=normalise_db_url(db_url, self.home))


def normalise_db_url(url: str, home: Path) -> str:
    """Make a relative SQLite path absolute against ``home``; pass other URLs through."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        rel = url[len("sqlite:///"):]
        if rel and rel != ":memory:" and not Path(rel).is_absolute():
            return f"sqlite:///{(home / rel).resolve()}"
    if url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; the bare scheme would pick psycopg2, which is not installed.
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _coerce(name: str, raw: Any, kind: Any) -> Any:
    text = str(kind)
    try:
        if "int" in text and "str" not in text:
            return int(raw)
        if "float" in text:
            return float(raw)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name!r}: {raw!r} is not a number") from exc
    return str(raw) if raw is not None else None


def load_settings(
    config_path: Path | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Read defaults, then ``ipradar.toml`` (explicit path, ``IPRADAR_CONFIG`` or ./ipradar.toml), then env."""
    env = os.environ if env is None else env
    cwd = (cwd or Path.cwd()).resolve()
    if config_path is None and env.get("IPRADAR_CONFIG"):
        config_path = Path(env["IPRADAR_CONFIG"])
    if config_path is None and (cwd / CONFIG_FILE).is_file():
        config_path = cwd / CONFIG_FILE
    data: dict[str, Any] = {}
    home = cwd
    if config_path is not None:
        config_path = config_path if config_path.is_absolute() else cwd / config_path
        if not config_path.is_file():
            raise SettingsError(f"config file {config_path} does not exist")
        try:
            data = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{config_path}: {exc}") from exc
        home = config_path.parent.resolve()
    sections = {k: v for k, v in data.items() if isinstance(v, dict)}
    top = {k: v for k, v in data.items() if not isinstance(v, dict)}
    known = {f.name: f for f in fields(Settings)}
    for key in top:
        if key not in known or key in ("home", "sections"):
            raise SettingsError(f"{config_path}: unknown setting {key!r}")
        if key in SECRET_FIELDS:
            raise SettingsError(f"{config_path}: {key!r} is a secret; set IPRADAR_{key.upper()} in the environment")
    values: dict[str, Any] = {}
    for name, f in known.items():
        if name in ("home", "sections"):
            continue
        env_key = f"IPRADAR_{name.upper()}"
        if env_key in env:
            values[name] = _coerce(name, env[env_key], f.type)
        elif name in top:
            values[name] = _coerce(name, top[name], f.type)
    db_url = values.pop("db_url", None) or "sqlite:///ipradar.db"
    archive = Path(values.pop("archive_dir", None) or "archive")
    output = Path(values.pop("output_dir", None) or "reports")
    return Settings(
        db_url=normalise_db_url(db_url, home),
        home=home,
        archive_dir=archive if archive.is_absolute() else (home / archive).resolve(),
        output_dir=output if output.is_absolute() else (home / output).resolve(),
        sections=sections,
        **values,
    )
