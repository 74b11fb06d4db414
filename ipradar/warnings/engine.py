"""Rule evaluation: items × subscriptions through every registered rule; the alerts, their pending deliveries (the
outbox), escalations and the "documents seen" marks are written in the caller's one transaction, so either all of
them exist or none does. Alert keys make a rerun add nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from ..db.models import utcnow
from ..db.models.warnings import Alert, AlertEvaluation, Delivery, Escalation, Subscription
from .entities import EntityKeys
from .items import load_items
from .rules import RULES
from .rules.base import AlertDraft, EscalationDraft, Finding, RuleConfig, RuleInput, SubscriptionView
from .subscriptions import view_of


@dataclass
class EvaluationStats:
    documents_evaluated: int = 0
    items: int = 0
    new_items: int = 0
    alerts: Counter[str] = field(default_factory=Counter)  # rule → alerts created
    escalations: int = 0
    already_alerted: int = 0
    created: list[tuple[str, str, str, str]] = field(default_factory=list)  # (subscription, rule, level, title)


def run_rules(inp: RuleInput) -> list[Finding]:
    """Every rule of the registry over one input (pure)."""
    out: list[Finding] = []
    for rule in RULES:
        out += rule.fn(inp)
    return out


def explanation(draft: AlertDraft, sub: SubscriptionView) -> dict[str, Any]:
    rule = next(r for r in RULES if r.name == draft.rule)
    return {"rule": draft.rule, "rule_description": rule.description, "subscription": sub.name,
            "matched": dict(draft.matched), "reasons": list(draft.reasons), "numbers": dict(draft.numbers),
            "severity": {"level": draft.level, "score": draft.score}}


def evaluate(session: Session, today: dt.date, config: RuleConfig, *, now: dt.datetime | None = None,
             subscriptions: Sequence[Subscription] | None = None) -> EvaluationStats:
    """Evaluate the rules and stage alerts, deliveries, escalations and evaluation marks in ``session``
    (the caller commits, or rolls back for a dry run)."""
    now = now or utcnow()
    stats = EvaluationStats()
    entities = EntityKeys(session)
    rows = list(subscriptions) if subscriptions is not None else list(
        session.scalars(select(Subscription).where(Subscription.enabled.is_(True)).order_by(Subscription.id)))
    views = {r.id: view_of(r, entities) for r in rows}
    channels = {r.id: list(r.channels) for r in rows}
    loaded = load_items(session, today, config.window_days, entities)
    stats.items, stats.documents_evaluated = len(loaded.items), len(loaded.new_document_ids)
    stats.new_items = sum(1 for i in loaded.items if i.is_new)
    findings = run_rules(RuleInput(today=today, items=loaded.items, subscriptions=list(views.values()),
                                   config=config))
    escalations = {f.key: f for f in findings if isinstance(f, EscalationDraft)}
    drafts: dict[tuple[int, str], AlertDraft] = {}
    for f in findings:
        if isinstance(f, AlertDraft):
            drafts.setdefault((f.subscription_id, f.key), f)
    escalation_ids = _store_escalations(session, list(escalations.values()), now, stats)
    existing = _existing(session, list(drafts))
    for (sid, key), d in drafts.items():
        if (sid, key) in existing:
            stats.already_alerted += 1
            continue
        alert = Alert(subscription_id=sid, rule=d.rule, key=key, item_key=d.item_key, title=d.title[:2000],
                      level=d.level, score=d.score, explanation=explanation(d, views[sid]),
                      evidence=[e.as_json() for e in d.evidence], due_on=d.due_on,
                      escalation_id=escalation_ids.get(d.escalation_key) if d.escalation_key else None,
                      created_at=now)
        session.add(alert)
        session.flush()
        for channel in channels[sid]:
            session.add(Delivery(alert_id=alert.id, subscription_id=sid, channel=channel, status="pending",
                                 created_at=now))
        stats.alerts[d.rule] += 1
        stats.created.append((views[sid].name, d.rule, d.level, d.title))
    done = set(session.scalars(select(AlertEvaluation.document_id).where(
        AlertEvaluation.document_id.in_(loaded.new_document_ids)))) if loaded.new_document_ids else set()
    session.add_all(AlertEvaluation(document_id=i, evaluated_at=now) for i in loaded.new_document_ids if i not in done)
    session.flush()
    return stats


def _store_escalations(session: Session, drafts: list[EscalationDraft], now: dt.datetime,
                       stats: EvaluationStats) -> dict[str, int]:
    ids: dict[str, int] = {}
    if not drafts:
        return ids
    for key, eid in session.execute(select(Escalation.key, Escalation.id).where(
            Escalation.key.in_([d.key for d in drafts]))):
        ids[key] = eid
    for d in drafts:
        if d.key in ids:
            continue
        row = Escalation(key=d.key, item_key=d.item_key, title=d.title[:2000], triggers=[dict(t) for t in d.triggers],
                         config=dict(d.config), evidence=[e.as_json() for e in d.evidence],
                         rule_version=d.rule_version, created_at=now)
        session.add(row)
        session.flush()
        ids[d.key] = row.id
        stats.escalations += 1
    return ids


def _existing(session: Session, keys: list[tuple[int, str]]) -> set[tuple[int, str]]:
    found: set[tuple[int, str]] = set()
    for start in range(0, len(keys), 400):
        chunk = keys[start:start + 400]
        found |= {(sid, key) for sid, key in session.execute(
            select(Alert.subscription_id, Alert.key).where(tuple_(Alert.subscription_id, Alert.key).in_(chunk)))}
    return found
