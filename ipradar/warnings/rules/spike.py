"""Rule ``spike``: this week's count of disputes per jurisdiction, jurisdiction × industry and plaintiff against
the rolling baseline of the 8 weeks before (Poisson upper tail, with a minimum count); the alert reports the
numbers it used."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable

from .base import AlertDraft, Finding, Item, RuleInput, SpikeConfig, SubscriptionView

NAME = "spike"


def poisson_sf(k: int, lam: float) -> float:
    """P(X ≥ k) for X ~ Poisson(lam)."""
    if k <= 0:
        return 1.0
    term = math.exp(-lam)
    below = term
    for i in range(1, k):
        term *= lam / i
        below += term
    return max(0.0, 1.0 - below)


def week_index(today: dt.date, day: dt.date) -> int:
    """0 for the 7 days ending today, 1 for the 7 days before, …; negative for future dates."""
    return (today - day).days // 7 if day <= today else -1


def groups(item: Item, cfg: SpikeConfig) -> Iterable[tuple[str, str]]:
    if cfg.cn_only and item.cn_side not in ("defendant", "both"):
        return
    for j in item.jurisdictions:
        yield "jurisdiction", j
        for ind in item.industries:
            yield "jurisdiction_industry", f"{j}/{ind}"
    for p in item.plaintiffs:
        if p.key:
            yield "plaintiff", p.key


def _interested(sub: SubscriptionView, dim: str, value: str) -> dict[str, str] | None:
    f = sub.filters
    if dim == "plaintiff":
        if value in sub.watch_keys:
            return {"watchlist": sub.watch_keys[value]}
        return {"plaintiff": value} if sub.kind == "subcentre" else None
    j, _, ind = value.partition("/")
    if not f.jurisdictions and not f.industries and sub.kind != "subcentre":
        return None
    if f.jurisdictions and j not in f.jurisdictions:
        return None
    if ind and f.industries and ind not in f.industries:
        return None
    if dim == "jurisdiction" and f.industries and sub.kind != "subcentre":
        return None  # an industry subscriber wants its industry's spikes, not the whole country's
    matched = {"jurisdiction": j}
    if ind:
        matched["industry"] = ind
    return matched


def spike(inp: RuleInput) -> list[Finding]:
    cfg = inp.config.spike
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * (cfg.weeks + 1))
    current: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in inp.items:
        w = week_index(inp.today, item.day)
        if not 0 <= w <= cfg.weeks:
            continue
        for g in set(groups(item, cfg)):
            counts[g][w] += 1
            if w == 0:
                current[g].append(item)
    start = inp.today - dt.timedelta(days=6)
    iso = inp.today.isocalendar()
    out: list[Finding] = []
    for (dim, value), weekly in sorted(counts.items()):
        k = weekly[0]
        if k < cfg.min_count:
            continue
        baseline = weekly[1:]  # newest first
        mean = sum(baseline) / len(baseline)
        sd = math.sqrt(sum((b - mean) ** 2 for b in baseline) / len(baseline))
        lam = max(mean, cfg.lambda_floor)
        p = poisson_sf(k, lam)
        if p >= cfg.alpha:
            continue
        z = (k - mean) / sd if sd > 0 else None
        numbers = {"this_week": k, "period": f"{start.isoformat()}..{inp.today.isoformat()}",
                   "baseline_weeks": list(reversed(baseline)), "baseline_mean": round(mean, 2),
                   "baseline_sd": round(sd, 2), "z": round(z, 2) if z is not None else None,
                   "poisson_lambda": round(lam, 2), "poisson_p": float(f"{p:.3g}"), "alpha": cfg.alpha,
                   "min_count": cfg.min_count, "test": "poisson upper tail"}
        label = {"jurisdiction": "jurisdiction", "jurisdiction_industry": "jurisdiction × industry",
                 "plaintiff": "plaintiff"}[dim]
        reason = (f"{k} disputes{' with a Chinese party' if cfg.cn_only else ''} for {label} {value} in the 7 days "
                  f"to {inp.today.isoformat()}, against a {cfg.weeks}-week mean of {mean:.2f} "
                  f"(Poisson P(X≥{k} | λ={lam:.2f}) = {p:.2g} < {cfg.alpha})")
        items = sorted(current[(dim, value)], key=lambda i: (i.day, i.key), reverse=True)
        evidence = tuple(e for i in items for e in i.evidence[:1])
        level = "high" if p < cfg.alpha / 10 else "medium"
        for sub in inp.subscriptions:
            if not sub.wants(NAME):
                continue
            matched = _interested(sub, dim, value)
            if matched is None:
                continue
            out.append(AlertDraft(
                rule=NAME, subscription_id=sub.id, key=f"{NAME}:{dim}:{value}:{iso.year}-W{iso.week:02d}",
                item_key=f"spike:{dim}:{value}", title=f"Spike: {k} disputes for {label} {value} this week",
                level=level, score=min(100, 40 + 10 * k), matched=matched, reasons=(reason,), numbers=numbers,
                evidence=evidence))
    return out
