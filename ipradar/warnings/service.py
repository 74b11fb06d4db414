"""``run_alerts``: one pass of the warning pipeline — evaluate the rules (alerts and outbox rows committed with the
"documents seen" marks in one transaction), then let the outbox worker deliver what is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ..db.models import utcnow
from ..settings import Settings
from .channels import Channel, channels_for
from .config import WarningsConfig, load_config
from .engine import EvaluationStats, evaluate
from .outbox import DeliveryStats, deliver


@dataclass
class AlertRunStats:
    now: dt.datetime
    today: dt.date
    dry_run: bool
    evaluation: EvaluationStats
    delivery: DeliveryStats | None

    @property
    def alerts_created(self) -> int:
        return sum(self.evaluation.alerts.values())

    @property
    def messages_sent(self) -> int:
        return sum(self.delivery.messages.values()) if self.delivery else 0

    def lines(self) -> list[str]:
        ev = self.evaluation
        out = [f"{'[dry run] ' if self.dry_run else ''}{ev.documents_evaluated} new documents, {ev.items} items in "
               f"the window ({ev.new_items} with news) on {self.today.isoformat()}",
               f"alerts {'that would be ' if self.dry_run else ''}created: {self.alerts_created}"
               + (" (" + ", ".join(f"{r} {n}" for r, n in sorted(ev.alerts.items())) + ")" if ev.alerts else "")
               + f"; escalations: {ev.escalations}; already alerted before: {ev.already_alerted}"]
        if self.dry_run:
            out += [f"  {sub} · {rule} · {level} · {title[:100]}" for sub, rule, level, title in ev.created]
        d = self.delivery
        if d is not None:
            sent = ", ".join(f"{c} {n} message(s)/{d.alerts_delivered[c]} alert(s)" for c, n in sorted(d.messages.items()))
            out.append(f"delivered: {sent or 'nothing'}; waiting for their digest: {d.waiting_digest}"
                       + (f"; held (channel off): {dict(d.held)}" if d.held else ""))
            out += [f"  retry later: {f.subscription} {f.channel} (attempt {f.attempts}): {f.error}" for f in d.retrying]
            out += [f"  FAILED for good: {f.subscription} {f.channel} after {f.attempts} attempt(s): {f.error}"
                    for f in d.failed]
        return out


def run_alerts(engine: Engine, settings: Settings, now: dt.datetime | None = None, *, dry_run: bool = False,
               env: Mapping[str, str] | None = None, config: WarningsConfig | None = None,
               channels: Mapping[str, Channel] | None = None) -> AlertRunStats:
    """Evaluate and deliver. ``now`` defaults to the clock; "today" is taken in the settings' timezone."""
    now = now or utcnow()
    cfg = config or load_config(settings, env)
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    with Session(engine, expire_on_commit=False) as session:
        try:
            stats = evaluate(session, today, cfg.rules, now=now)
            if dry_run:
                session.rollback()
            else:
                session.commit()
        except BaseException:
            session.rollback()
            raise
    delivery = None if dry_run else deliver(engine, cfg.delivery, channels or channels_for(cfg.delivery), now)
    return AlertRunStats(now=now, today=today, dry_run=dry_run, evaluation=stats, delivery=delivery)
