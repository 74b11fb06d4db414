"""Rule ``deadline``: procedural clocks computed from the documents' dates, with a countdown.

- 337 response: 20 days after service of the complaint and notice of investigation (19 C.F.R. § 210.13(a)); the
  Commission serves both on institution, so without a recorded service date the institution date stands in.
- US temporary restraining order: expires 14 days after entry, extendable once by 14 (FRCP 65(b)(2)).
- Answer in a US district court: 21 days after service (FRCP 12(a)(1)(A)(i)); with only a filing date known the
  alert gives the earliest possible due date and says it is an estimate.
One alert when the deadline comes within the horizon, then a reminder at each configured number of days left.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .base import AlertDraft, DatedFact, DeadlineConfig, Finding, Item, RuleInput, match_filters, watch_hits

NAME = "deadline"
_DISTRICT = re.compile(r"^\d+:\d{2}-cv-\d+", re.I)


@dataclass(frozen=True)
class Deadline:
    kind: str  # response_337|tro_expiry|answer
    label: str
    due: dt.date
    start: DatedFact
    rule_text: str
    estimated: bool = False
    extended_to: dt.date | None = None


def is_337(item: Item) -> bool:
    return any(n.upper().startswith("337-") for n in item.case_numbers) or "section_337" in item.risk_types


def is_district(item: Item) -> bool:
    return bool(item.court) or any(_DISTRICT.match(n) for n in item.case_numbers)


def deadlines_of(item: Item, cfg: DeadlineConfig) -> list[Deadline]:
    out: list[Deadline] = []
    d = item.dates
    if is_337(item):
        start = d.get("served") or d.get("instituted")
        if start is not None:
            assumed = "served" not in d
            out.append(Deadline(
                "response_337", "Response to the 337 complaint and notice of investigation",
                start.on + dt.timedelta(days=cfg.response_337_days), start,
                f"{cfg.response_337_days} days after service of the complaint and notice of investigation "
                "(19 C.F.R. § 210.13(a))" + ("; service taken as the institution date" if assumed else "")))
    tro = d.get("tro_granted")
    if tro is not None:
        due = tro.on + dt.timedelta(days=cfg.tro_days)
        out.append(Deadline("tro_expiry", "Temporary restraining order expires", due, tro,
                            f"a TRO lasts {cfg.tro_days} days and may be extended once by {cfg.tro_days} "
                            "(FRCP 65(b)(2))", extended_to=due + dt.timedelta(days=cfg.tro_days)))
    if is_district(item) and not is_337(item):
        served = d.get("served")
        filed = d.get("complaint_filed")
        if served is not None:
            out.append(Deadline("answer", "Answer to the complaint due", served.on + dt.timedelta(days=cfg.answer_days),
                                served, f"{cfg.answer_days} days after service (FRCP 12(a)(1)(A)(i))"))
        elif filed is not None and cfg.estimate_answer_from_filing:
            out.append(Deadline("answer", "Answer to the complaint due (earliest; service not yet recorded)",
                                filed.on + dt.timedelta(days=cfg.answer_days), filed,
                                f"{cfg.answer_days} days after service (FRCP 12(a)(1)(A)(i)); service cannot "
                                "precede filing, so this is the earliest possible date", estimated=True))
    return out


def stage(days_left: int, reminders: tuple[int, ...]) -> str:
    for r in sorted(reminders):
        if days_left <= r:
            return f"T-{r}"
    return "notice"


def deadline(inp: RuleInput) -> list[Finding]:
    cfg = inp.config.deadline
    out: list[Finding] = []
    for item in inp.items:
        for dl in deadlines_of(item, cfg):
            left = (dl.due - inp.today).days
            if not 0 <= left <= cfg.horizon_days:
                continue
            st = stage(left, cfg.reminders)
            for sub in inp.subscriptions:
                if not sub.wants(NAME):
                    continue
                hits = watch_hits(sub, item)
                matched = match_filters(sub, item)
                at_risk = item.cn_side in ("defendant", "both") or any(p.role == "defendant" for _, p in hits)
                if not at_risk or (matched is None and not hits):
                    continue
                m = dict(matched or {})
                if hits:
                    m["watchlist"] = sorted({e for e, _ in hits})
                reasons = [f"{dl.label}: {dl.due.isoformat()} — {left} day(s) left",
                           f"rule: {dl.rule_text}",
                           f"start date {dl.start.on.isoformat()} from {dl.start.basis}"]
                if dl.extended_to:
                    reasons.append(f"if extended once: {dl.extended_to.isoformat()}")
                if dl.estimated:
                    reasons.append("estimate: the service date is not in the documents")
                out.append(AlertDraft(
                    rule=NAME, subscription_id=sub.id, key=f"{NAME}:{dl.kind}:{item.key}:{dl.due.isoformat()}:{st}",
                    item_key=item.key, title=f"{dl.label} {dl.due.isoformat()} ({left} days): {item.title}",
                    level="high" if left <= max(cfg.reminders, default=7) else "medium", score=max(item.score, 60),
                    matched=m, reasons=tuple(reasons), due_on=dl.due, evidence=item.evidence,
                    numbers={"deadline": dl.kind, "due_on": dl.due.isoformat(), "days_left": left, "stage": st,
                             "start_on": dl.start.on.isoformat(), "estimated": dl.estimated,
                             "extended_to": dl.extended_to.isoformat() if dl.extended_to else None}))
    return out
