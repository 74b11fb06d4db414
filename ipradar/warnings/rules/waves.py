"""Rule ``wave``: "Schedule A" mass-defendant suits (one brand against hundreds of anonymous online sellers,
mostly in N.D. Ill.) grouped into one plaintiff's wave; announced when it starts and again as it grows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .base import AlertDraft, Finding, Item, RuleInput, match_filters

NAME = "wave"


def _plaintiff(item: Item) -> tuple[str, str] | None:
    if not item.plaintiffs:
        return None
    p = item.plaintiffs[0]
    return (p.key or p.name.casefold()), p.name


def wave(inp: RuleInput) -> list[Finding]:
    cfg = inp.config.wave
    since = inp.today - dt.timedelta(days=cfg.window_days)
    by_plaintiff: dict[str, list[Item]] = defaultdict(list)
    names: dict[str, str] = {}
    for item in inp.items:
        if not item.schedule_a or not since <= item.day <= inp.today:
            continue
        pl = _plaintiff(item)
        if pl is None:
            continue
        by_plaintiff[pl[0]].append(item)
        names[pl[0]] = pl[1]
    out: list[Finding] = []
    for key, items in sorted(by_plaintiff.items()):
        if not any(i.is_new for i in items):
            continue  # nothing new in this wave since the last run
        items.sort(key=lambda i: (i.day, i.key))
        n = len(items)
        reached = [t for t in cfg.thresholds if n >= t]
        if not reached:
            continue
        step = reached[-1]
        courts = sorted({i.court for i in items if i.court})
        start = items[0].day
        numbers = {"suits": n, "threshold": step, "first_filed": start.isoformat(),
                   "last_filed": items[-1].day.isoformat(), "window_days": cfg.window_days, "courts": courts}
        reason = (f"{names[key]} filed {n} Schedule-A suit(s) against anonymous online sellers between "
                  f"{start.isoformat()} and {items[-1].day.isoformat()}" + (f" in {', '.join(courts)}" if courts else ""))
        evidence = tuple(e for i in reversed(items) for e in i.evidence[:1])
        for sub in inp.subscriptions:
            if not sub.wants(NAME):
                continue
            hits = [m for m in (match_filters(sub, i) for i in items) if m is not None]
            watched = key in sub.watch_keys
            if not hits and not watched:
                continue
            matched = dict(hits[0]) if hits else {}
            if watched:
                matched["watchlist"] = sub.watch_keys[key]
            out.append(AlertDraft(
                rule=NAME, subscription_id=sub.id, key=f"{NAME}:{key}:{start.isoformat()}:{step}",
                item_key=f"wave:{key}", title=f"Schedule-A wave by {names[key]}: {n} suit(s)",
                level="high" if n >= 3 else "medium", score=min(100, 50 + 5 * n), matched=matched,
                reasons=(reason, "Schedule-A defendants are sellers listed under seal; a TRO and asset freeze "
                                 "usually follow within days"), numbers=numbers, evidence=evidence))
    return out
