"""Warning tables: subscriptions (data, not code), alerts that explain themselves, escalations with their audit
trail, and the delivery outbox (one row per alert × channel, claimed in batches, retried with backoff)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Subscription(Base):
    """Who wants what, how and how often. ``kind`` "subcentre" rows also receive escalations."""

    __tablename__ = "subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    subscriber: Mapped[str] = mapped_column(String(300))
    contact: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320))
    webhook_url: Mapped[str | None] = mapped_column(String(1000))
    lang: Mapped[str] = mapped_column(String(8), default="zh")
    kind: Mapped[str] = mapped_column(String(16), default="company")  # company|subcentre
    frequency: Mapped[str] = mapped_column(String(16), default="daily")  # instant|daily|weekly
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    channels: Mapped[list[Any]] = mapped_column(JSON, default=list)  # email|atom|webhook
    rules: Mapped[list[Any]] = mapped_column(JSON, default=list)  # empty: the default rules of its kind
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Escalation(Base):
    """A major dispute routed to the sub-centre: which thresholds it crossed, under which configuration, on what
    evidence; acknowledgement fields close the loop."""

    __tablename__ = "escalation"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    item_key: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(Text)
    triggers: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{criterion, value, threshold, detail}]
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # thresholds in force when it fired
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    rule_version: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|acknowledged|closed
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    acknowledged_at: Mapped[dt.datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Alert(Base):
    """One explained alert for one subscription; ``key`` makes rule reruns idempotent."""

    __tablename__ = "alert"
    __table_args__ = (UniqueConstraint("subscription_id", "key"), Index("ix_alert_created_at", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(300))
    item_key: Mapped[str] = mapped_column(String(120))  # case:/story:/doc: key; digests group by it
    title: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(8))  # high|medium|low
    score: Mapped[int] = mapped_column(Integer, default=0)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # matched filters, reasons, numbers
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{title, url, source_id, published_on}]
    due_on: Mapped[dt.date | None]
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalation.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Delivery(Base):
    """The outbox: one alert on one channel. Written with the alert; a worker claims pending rows into a batch
    (one message), sends it, then marks the rows sent; a failed batch is retried under the same ``batch_key``."""

    __tablename__ = "delivery"
    __table_args__ = (UniqueConstraint("alert_id", "channel"),
                      Index("ix_delivery_status_subscription_id", "status", "subscription_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"), index=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))  # email|atom|webhook
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sending|retry|sent|failed
    batch_key: Mapped[str | None] = mapped_column(String(64), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[dt.datetime | None]
    next_attempt_at: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DeliveryAttempt(Base):
    """Every send attempt of every batch, successful or not: the delivery audit log."""

    __tablename__ = "delivery_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_key: Mapped[str] = mapped_column(String(64), index=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    attempt: Mapped[int] = mapped_column(Integer)
    alerts: Mapped[int] = mapped_column(Integer)
    ok: Mapped[bool]
    error: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    attempted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AlertEvaluation(Base):
    """Documents the rules have seen; written in the same transaction as the alerts they caused."""

    __tablename__ = "alert_evaluation"

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    evaluated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
