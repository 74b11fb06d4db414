"""Rule ``escalation``: a major dispute (重大纠纷) — general exclusion order requested, at least N Chinese
respondents, a strategic industry, SEP/FRAND, damages above a limit — is routed to the sub-centre. The escalation
record keeps which thresholds fired, with their values and the configuration in force: the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .base import AlertDraft, EscalationConfig, EscalationDraft, Finding, Item, RuleInput

NAME = "escalation"
VERSION = "escalation-1"


def triggers(item: Item, cfg: EscalationConfig) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if cfg.geo_requested and "general_exclusion_order" in item.remedies:
        out.append({"criterion": "geo_requested", "value": True, "threshold": True,
                    "detail": "a general exclusion order is requested: it would bar the products of every "
                              "manufacturer, named or not"})
    cn = sorted({p.key or p.name for p in item.cn_defendants})
    if cfg.min_cn_respondents and len(cn) >= cfg.min_cn_respondents:
        out.append({"criterion": "cn_respondents", "value": len(cn), "threshold": cfg.min_cn_respondents,
                    "detail": f"{len(cn)} Chinese respondents/defendants: " + ", ".join(
                        p.name for p in item.cn_defendants[:6])})
    strategic = [i for i in item.industries if i in cfg.strategic_industries]
    if strategic:
        out.append({"criterion": "strategic_industry", "value": strategic,
                    "threshold": list(cfg.strategic_industries), "detail": "strategic industry: " + ", ".join(strategic)})
    if cfg.sep_frand and "sep_frand" in item.risk_types:
        out.append({"criterion": "sep_frand", "value": True, "threshold": True,
                    "detail": "standard-essential patents / FRAND"})
    if item.damages_usd is not None and item.damages_usd >= cfg.damages_usd:
        out.append({"criterion": "damages", "value": item.damages_usd, "threshold": cfg.damages_usd,
                    "detail": f"damages of USD {item.damages_usd:,.0f} at stake (limit {cfg.damages_usd:,.0f})"})
    return out


def escalation(inp: RuleInput) -> list[Finding]:
    cfg = inp.config.escalation
    oldest = inp.today - dt.timedelta(days=inp.config.max_age_days)
    out: list[Finding] = []
    for item in inp.new_items:
        if item.day < oldest or not item.relevant:
            continue
        if cfg.require_cn_party and item.cn_side not in ("defendant", "both"):
            continue
        fired = triggers(item, cfg)
        if len(fired) < max(1, cfg.min_triggers):
            continue
        key = f"{NAME}:{item.key}"
        out.append(EscalationDraft(key=key, item_key=item.key, title=item.title, triggers=tuple(fired),
                                   config=cfg.as_json(), evidence=item.evidence, rule_version=VERSION))
        reasons = tuple(f"escalation threshold crossed — {t['detail']}" for t in fired) + item.reasons
        for sub in inp.subscriptions:
            if sub.kind != "subcentre" or not sub.wants(NAME):
                continue
            out.append(AlertDraft(rule=NAME, subscription_id=sub.id, key=key, item_key=item.key,
                                  title=item.title, level="high", score=max(item.score, 80),
                                  matched={"thresholds": [t["criterion"] for t in fired]}, reasons=reasons,
                                  numbers={"triggers": len(fired), "min_triggers": cfg.min_triggers,
                                           "cn_defendants": len(item.cn_defendants)},
                                  evidence=item.evidence, escalation_key=key))
    return out
