"""The outbox worker: claims pending deliveries into batches (one message per subscription × channel; digests wait
for their period), sends each batch, then marks it. Claim and mark are separate commits around the send:

- a failed send leaves the batch for a retry with exponential backoff, under the same batch key, until
  ``max_attempts``; then the rows are marked failed and reported;
- a worker killed between send and mark leaves the batch "sending"; once its lease expires the next run sends it
  again with the same key (Message-ID, Idempotency-Key, Atom entry ids), so the receiver can drop the duplicate;
- rows already marked sent are never selected again: a rerun sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select, update
from sqlalchemy.orm import Session

from ..db.models.warnings import Alert, Delivery, DeliveryAttempt, Subscription
from .channels import Batch, Channel, DeliveryError
from .config import DeliveryConfig
from .render import AlertView, SubscriberInfo

log = logging.getLogger(__name__)

PERIODS = {"instant": dt.timedelta(0), "daily": dt.timedelta(days=1), "weekly": dt.timedelta(days=7)}
SLACK = dt.timedelta(minutes=30)  # a daily cron that starts a little early still sends that day's digest


@dataclass
class Failure:
    subscription: str
    channel: str
    batch_key: str
    attempts: int
    error: str
    final: bool  # True: max attempts reached or not retryable; the rows are marked failed


@dataclass
class DeliveryStats:
    messages: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # channel → messages sent
    alerts_delivered: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # channel → alert rows
    waiting_digest: int = 0  # pending rows whose digest is not due yet
    held: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # channel switched off → rows kept
    failures: list[Failure] = field(default_factory=list)

    @property
    def retrying(self) -> list[Failure]:
        return [f for f in self.failures if not f.final]

    @property
    def failed(self) -> list[Failure]:
        return [f for f in self.failures if f.final]


def backoff(cfg: DeliveryConfig, attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(cfg.retry_max_seconds, cfg.retry_base_seconds * 2 ** max(0, attempts - 1)))


def _view(a: Alert) -> AlertView:
    return AlertView(id=a.id, key=a.key, rule=a.rule, item_key=a.item_key, title=a.title, level=a.level,
                     score=a.score, created_at=a.created_at, due_on=a.due_on, explanation=a.explanation or {},
                     evidence=a.evidence or [])


def _info(s: Subscription) -> SubscriberInfo:
    return SubscriberInfo(id=s.id, name=s.name, subscriber=s.subscriber, lang=s.lang, frequency=s.frequency,
                          email=s.email, webhook_url=s.webhook_url)


def _rowcount(result: Any) -> int:
    return int(result.rowcount)


def _claim(session: Session, cfg: DeliveryConfig, now: dt.datetime, channels: Mapping[str, Channel],
           stats: DeliveryStats) -> list[tuple[int, str, str]]:
    """Batches to send now: (subscription id, channel, batch key). New batches are claimed (committed)."""
    work: list[tuple[int, str, str]] = []
    lease = now - dt.timedelta(seconds=cfg.lease_seconds)
    # 1. batches already claimed: due retries, and batches of a worker that died mid-send (lease expired)
    due = or_(and_(Delivery.status == "retry", Delivery.next_attempt_at <= now),
              and_(Delivery.status == "sending", Delivery.claimed_at <= lease))
    for sid, channel, key in list(session.execute(
            select(Delivery.subscription_id, Delivery.channel, Delivery.batch_key).where(due).distinct())):
        if channel not in channels or not key:
            continue
        # re-claim with the same condition: of two concurrent runs only one gets the rows
        got = _rowcount(session.execute(update(Delivery).where(Delivery.batch_key == key, due)
                              .values(status="sending", claimed_at=now)
                              .execution_options(synchronize_session=False)))
        session.commit()
        if got:
            work.append((sid, channel, key))
    # 2. new batches from pending rows, when the subscription's digest is due (Atom is a pull feed: always due)
    subs = {s.id: s for s in session.scalars(select(Subscription))}
    pending: dict[tuple[int, str], list[int]] = defaultdict(list)
    for did, sid, channel in session.execute(select(Delivery.id, Delivery.subscription_id, Delivery.channel)
                                             .where(Delivery.status == "pending").order_by(Delivery.id)):
        pending[(sid, channel)].append(did)
    for (sid, channel), ids in sorted(pending.items()):
        if channel not in channels:
            stats.held[channel] += len(ids)
            continue
        sub = subs[sid]
        if channel != "atom" and sub.frequency != "instant":
            # the period runs from the first attempt of the previous digest (retries do not move it)
            last = session.scalar(select(func.max(DeliveryAttempt.attempted_at)).where(
                DeliveryAttempt.subscription_id == sid, DeliveryAttempt.channel == channel,
                DeliveryAttempt.attempt == 1))
            if last is not None and now - last < PERIODS[sub.frequency] - SLACK:
                stats.waiting_digest += len(ids)
                continue
        key = uuid.uuid4().hex
        claimed = _rowcount(session.execute(
            update(Delivery).where(Delivery.id.in_(ids), Delivery.status == "pending")
            .values(status="sending", batch_key=key, claimed_at=now).execution_options(synchronize_session=False)))
        session.commit()
        if claimed:  # 0: a concurrent worker claimed them first
            work.append((sid, channel, key))
    return work


def _send_one(session: Session, cfg: DeliveryConfig, now: dt.datetime, channel: Channel, sid: int, key: str,
              stats: DeliveryStats) -> None:
    sub = session.get(Subscription, sid)
    rows = list(session.scalars(select(Delivery).where(Delivery.batch_key == key)))
    if sub is None or not rows:
        return
    alerts = list(session.scalars(select(Alert).where(Alert.id.in_([r.alert_id for r in rows])).order_by(Alert.id)))
    history: list[AlertView] = []
    if channel.name == "atom":
        history = [_view(a) for a in session.scalars(
            select(Alert).join(Delivery, Delivery.alert_id == Alert.id)
            .where(Delivery.subscription_id == sid, Delivery.channel == "atom", Delivery.status == "sent")
            .order_by(Alert.created_at.desc(), Alert.id.desc()).limit(cfg.feed_entries))]
    attempt = max(r.attempts for r in rows) + 1
    try:
        detail = channel.send(Batch(batch_key=key, sub=_info(sub), alerts=[_view(a) for a in alerts], now=now,
                                    history=history))
    except DeliveryError as exc:
        final = not exc.retryable or attempt >= cfg.max_attempts
        values: dict[str, object] = {"attempts": attempt, "last_error": str(exc)[:2000],
                                     "status": "failed" if final else "retry",
                                     "next_attempt_at": None if final else now + backoff(cfg, attempt)}
        session.execute(update(Delivery).where(Delivery.batch_key == key).values(**values)
                        .execution_options(synchronize_session=False))
        session.add(DeliveryAttempt(batch_key=key, subscription_id=sid, channel=channel.name, attempt=attempt,
                                    alerts=len(rows), ok=False, error=str(exc)[:2000], detail={}, attempted_at=now))
        session.commit()
        stats.failures.append(Failure(sub.name, channel.name, key, attempt, str(exc), final))
        (log.error if final else log.warning)("%s delivery of %d alert(s) to %s failed (attempt %d%s): %s",
                                              channel.name, len(rows), sub.name, attempt,
                                              ", giving up" if final else ", will retry", exc)
        return
    session.execute(update(Delivery).where(Delivery.batch_key == key).values(
        status="sent", sent_at=now, attempts=attempt, last_error=None, next_attempt_at=None)
        .execution_options(synchronize_session=False))
    session.add(DeliveryAttempt(batch_key=key, subscription_id=sid, channel=channel.name, attempt=attempt,
                                alerts=len(rows), ok=True, error=None, detail=detail, attempted_at=now))
    session.commit()
    stats.messages[channel.name] += 1
    stats.alerts_delivered[channel.name] += len(rows)


def deliver(engine: Engine, cfg: DeliveryConfig, channels: Mapping[str, Channel], now: dt.datetime) -> DeliveryStats:
    stats = DeliveryStats()
    with Session(engine, expire_on_commit=False) as session:
        work = _claim(session, cfg, now, channels, stats)
        for sid, channel, key in work:
            _send_one(session, cfg, now, channels[channel], sid, key, stats)
    return stats
