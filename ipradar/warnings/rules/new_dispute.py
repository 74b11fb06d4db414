"""Rule ``new_dispute``: a dispute first reported recently that matches a subscription's filters."""

from __future__ import annotations

import datetime as dt

from .base import AlertDraft, Finding, RuleInput, match_filters

NAME = "new_dispute"


def new_dispute(inp: RuleInput) -> list[Finding]:
    out: list[Finding] = []
    oldest = inp.today - dt.timedelta(days=inp.config.max_age_days)
    for item in inp.new_items:
        if item.day < oldest:
            continue  # first reported long ago: an old dispute crawled late is not news
        for sub in inp.subscriptions:
            if not sub.wants(NAME):
                continue
            matched = match_filters(sub, item)
            if matched is None:
                continue
            sources = sorted({e.source_id for e in item.evidence})
            reasons = (f"new dispute first reported {item.day.isoformat()}, matching the filters of '{sub.name}'",
                       *item.reasons)
            out.append(AlertDraft(rule=NAME, subscription_id=sub.id, key=f"{NAME}:{item.key}", item_key=item.key,
                                  title=item.title, level=item.level, score=item.score, matched=matched,
                                  reasons=reasons, evidence=item.evidence,
                                  numbers={"documents": len(item.evidence), "sources": len(sources),
                                           "case_numbers": list(item.case_numbers)}))
    return out
