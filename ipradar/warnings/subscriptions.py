"""Subscriptions as data: validation (taxonomy codes, channels, frequency), TOML import, add/list/remove, and the
view the rules read (with the watchlist resolved to entity keys)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models.warnings import Subscription
from ..nlp.resources import INDUSTRIES, RISK_TYPES
from .entities import EntityKeys
from .rules import RULE_NAMES, default_rules
from .rules.base import LEVELS, Filters, SubscriptionView

CHANNELS = ("email", "atom", "webhook")
FREQUENCIES = ("instant", "daily", "weekly")
KINDS = ("company", "subcentre")
LANGS = ("zh", "en")
_JURISDICTION = re.compile(r"^(?:[A-Z]{2}|UPC)$")  # ISO alpha-2 plus EU, EP, WO (two letters) and UPC
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
TOP_KEYS = {"name", "subscriber", "contact", "email", "webhook_url", "lang", "kind", "frequency", "channels", "rules",
            "enabled", "filters"}
FILTER_KEYS = {"industries", "jurisdictions", "risk_types", "keywords", "watchlist", "min_severity", "cn_party"}


class SubscriptionError(ValueError):
    """A subscription is malformed; the message names the subscription and the field."""


@dataclass(frozen=True)
class SubscriptionSpec:
    name: str
    subscriber: str
    filters: Filters = field(default_factory=Filters)
    channels: tuple[str, ...] = ("email",)
    frequency: str = "daily"  # digests are the default: a flood of single mails is what users complain about
    lang: str = "zh"
    kind: str = "company"
    contact: str | None = None
    email: str | None = None
    webhook_url: str | None = None
    rules: tuple[str, ...] = ()
    enabled: bool = True
    extra: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "subscriber": self.subscriber, "contact": self.contact, "email": self.email,
                "webhook_url": self.webhook_url, "lang": self.lang, "kind": self.kind, "frequency": self.frequency,
                "channels": list(self.channels), "rules": list(self.rules), "enabled": self.enabled,
                "filters": self.filters.as_json()}


def _strs(where: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SubscriptionError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return tuple(dict.fromkeys(v.strip() for v in value))


def _choice(where: str, value: Any, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise SubscriptionError(f"{where}: {value!r} is not one of {', '.join(allowed)}")
    return str(value)


def parse_filters(where: str, raw: Mapping[str, Any]) -> Filters:
    unknown = set(raw) - FILTER_KEYS
    if unknown:
        raise SubscriptionError(f"{where}.filters: unknown field(s) {', '.join(sorted(unknown))}")
    industries = _strs(f"{where}.filters.industries", raw.get("industries", []))
    for i in industries:
        _choice(f"{where}.filters.industries", i, INDUSTRIES)
    risks = _strs(f"{where}.filters.risk_types", raw.get("risk_types", []))
    for r in risks:
        _choice(f"{where}.filters.risk_types", r, RISK_TYPES)
    juris = tuple(j.upper() for j in _strs(f"{where}.filters.jurisdictions", raw.get("jurisdictions", [])))
    for j in juris:
        if not _JURISDICTION.match(j):
            raise SubscriptionError(f"{where}.filters.jurisdictions: {j!r} is not an ISO alpha-2 code, EU, EP, WO or UPC")
    cn = raw.get("cn_party", False)
    if not isinstance(cn, bool):
        raise SubscriptionError(f"{where}.filters.cn_party: expected true or false")
    return Filters(industries=industries, jurisdictions=juris, risk_types=risks,
                   keywords=_strs(f"{where}.filters.keywords", raw.get("keywords", [])),
                   watchlist=_strs(f"{where}.filters.watchlist", raw.get("watchlist", [])),
                   min_severity=_choice(f"{where}.filters.min_severity", raw.get("min_severity", "low"), LEVELS),
                   cn_party=cn)


def parse_subscription(raw: Mapping[str, Any], where: str = "subscription") -> SubscriptionSpec:
    """Validate one subscription given as a mapping (a TOML table or CLI options)."""
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise SubscriptionError(f"{where}.name: {name!r} must be 1–100 letters, digits, '.', '_' or '-'")
    where = f"{where} '{name}'"
    unknown = set(raw) - TOP_KEYS
    if unknown:
        raise SubscriptionError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    subscriber = raw.get("subscriber")
    if not isinstance(subscriber, str) or not subscriber.strip():
        raise SubscriptionError(f"{where}.subscriber: required (the company or unit subscribing)")
    filters_raw = raw.get("filters", {})
    if not isinstance(filters_raw, Mapping):
        raise SubscriptionError(f"{where}.filters: expected a table")
    filters = parse_filters(where, filters_raw)
    channels = _strs(f"{where}.channels", raw.get("channels", ["email"]))
    for c in channels:
        _choice(f"{where}.channels", c, CHANNELS)
    rules = _strs(f"{where}.rules", raw.get("rules", [])) if raw.get("rules") else ()
    for r in rules:
        _choice(f"{where}.rules", r, RULE_NAMES)
    email = raw.get("email")
    if "email" in channels and not (isinstance(email, str) and _EMAIL.match(email)):
        raise SubscriptionError(f"{where}.email: the email channel needs an address, got {email!r}")
    webhook = raw.get("webhook_url")
    if "webhook" in channels and not (isinstance(webhook, str) and webhook.startswith(("http://", "https://"))):
        raise SubscriptionError(f"{where}.webhook_url: the webhook channel needs an http(s) URL, got {webhook!r}")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SubscriptionError(f"{where}.enabled: expected true or false")
    kind = _choice(f"{where}.kind", raw.get("kind", "company"), KINDS)
    if kind == "company" and not filters.topical and not filters.watchlist:
        raise SubscriptionError(f"{where}.filters: a company subscription needs at least one filter or a watchlist")
    contact = raw.get("contact")
    return SubscriptionSpec(
        name=name, subscriber=subscriber.strip(), filters=filters, channels=channels,
        frequency=_choice(f"{where}.frequency", raw.get("frequency", "daily"), FREQUENCIES),
        lang=_choice(f"{where}.lang", raw.get("lang", "zh"), LANGS), kind=kind,
        contact=str(contact) if contact else None, email=str(email) if email else None,
        webhook_url=str(webhook) if webhook else None, rules=rules, enabled=enabled)


def load_toml(path: Path) -> list[SubscriptionSpec]:
    """Read ``[[subscription]]`` tables from a TOML file; errors name the file and the field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SubscriptionError(f"{path}: {exc}") from exc
    unknown = set(data) - {"subscription"}
    if unknown:
        raise SubscriptionError(f"{path}: unknown top-level key(s) {', '.join(sorted(unknown))}; "
                                "write [[subscription]] tables")
    tables = data.get("subscription", [])
    if not isinstance(tables, list) or not tables:
        raise SubscriptionError(f"{path}: no [[subscription]] tables")
    specs = [parse_subscription(t, f"{path.name}: subscription #{n}") for n, t in enumerate(tables, 1)]
    names = [s.name for s in specs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SubscriptionError(f"{path}: duplicate subscription name(s) {', '.join(dupes)}")
    return specs


def _apply(row: Subscription, spec: SubscriptionSpec) -> None:
    row.subscriber, row.contact, row.email, row.webhook_url = spec.subscriber, spec.contact, spec.email, spec.webhook_url
    row.lang, row.kind, row.frequency, row.enabled = spec.lang, spec.kind, spec.frequency, spec.enabled
    row.filters, row.channels, row.rules = spec.filters.as_json(), list(spec.channels), list(spec.rules)


def upsert(session: Session, spec: SubscriptionSpec, *, replace: bool = True) -> tuple[Subscription, bool]:
    """Insert or (with ``replace``) update by name; returns (row, created)."""
    row = session.scalar(select(Subscription).where(Subscription.name == spec.name))
    if row is not None and not replace:
        raise SubscriptionError(f"subscription {spec.name!r} exists; remove it first or import with --replace")
    created = row is None
    if row is None:
        row = Subscription(name=spec.name)
        session.add(row)
    _apply(row, spec)
    session.flush()
    return row, created


def remove(session: Session, name: str) -> bool:
    row = session.scalar(select(Subscription).where(Subscription.name == name))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def spec_of(row: Subscription) -> SubscriptionSpec:
    return parse_subscription({"name": row.name, "subscriber": row.subscriber, "contact": row.contact,
                               "email": row.email, "webhook_url": row.webhook_url, "lang": row.lang,
                               "kind": row.kind, "frequency": row.frequency, "channels": list(row.channels),
                               "rules": list(row.rules), "enabled": row.enabled, "filters": dict(row.filters)},
                              "stored subscription")


def view_of(row: Subscription, entities: EntityKeys) -> SubscriptionView:
    spec = spec_of(row)
    watch: dict[str, str] = {}
    for entry in spec.filters.watchlist:
        for key in sorted(entities.keys(entry)):
            watch.setdefault(key, entry)
    rules = frozenset(spec.rules) if spec.rules else default_rules(spec.kind)
    return SubscriptionView(id=row.id, name=row.name, kind=spec.kind, filters=spec.filters, rules=rules,
                            watch_keys=watch)
