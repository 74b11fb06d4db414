"""Rule ``watchlist``: a watched company is named as a party, on either side (matched through resolved entity
keys, so "华为", "Huawei Technologies Co., Ltd." and "Huawei Device USA" all hit a watch on Huawei)."""

from __future__ import annotations

import datetime as dt

from .base import AlertDraft, Finding, RuleInput, level_at_least, watch_hits

NAME = "watchlist"
SIDE = {"plaintiff": "asserting the right (plaintiff side)", "defendant": "the right is asserted against it "
        "(defendant side)", "other": "named as a party"}


def watchlist(inp: RuleInput) -> list[Finding]:
    out: list[Finding] = []
    oldest = inp.today - dt.timedelta(days=inp.config.max_age_days)
    for item in inp.new_items:
        if item.last_day < oldest or not item.relevant:
            continue
        for sub in inp.subscriptions:
            if not sub.wants(NAME) or not sub.watch_keys:
                continue
            hits = watch_hits(sub, item)
            if not hits or not level_at_least(item.level, sub.filters.min_severity):
                continue
            matched = {"watchlist": sorted({entry for entry, _ in hits}),
                       "parties": [{"name": p.name, "role": p.role, "country": p.country, "entity": p.key}
                                   for _, p in hits]}
            reasons = tuple(f"watched company '{entry}' is named as {p.name} — {SIDE.get(p.role, p.role)}"
                            for entry, p in hits) + item.reasons
            # a watched company as defendant is a risk to act on; as plaintiff, information
            level = item.level if any(p.role == "defendant" for _, p in hits) else "low"
            level = "medium" if level == "low" and any(p.role == "defendant" for _, p in hits) else level
            out.append(AlertDraft(rule=NAME, subscription_id=sub.id, key=f"{NAME}:{item.key}", item_key=item.key,
                                  title=item.title, level=level, score=item.score, matched=matched, reasons=reasons,
                                  numbers={"documents": len(item.evidence), "parties_matched": len(hits)},
                                  evidence=item.evidence))
    return out
