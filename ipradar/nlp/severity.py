"""Explainable severity: a 0-100 score built from named factors, a level, and one human-readable reason per factor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# The plan's strategic industries (集成电路, 人工智能, 生物医药, 民用航空) weigh more for the sub-centre's warnings.
STRATEGIC = {"semiconductors": "集成电路/semiconductors", "ai_software": "人工智能/AI and software",
             "biomedicine": "生物医药/biomedicine", "aviation": "民用航空/aviation"}
HIGH, MEDIUM = 60, 35


@dataclass
class Severity:
    score: int
    level: str
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level, "score": self.score, "reasons": list(self.reasons)}


def level_for(score: int) -> str:
    return "high" if score >= HIGH else "medium" if score >= MEDIUM else "low"


def assess(*, relevant: bool, risk_types: Sequence[str], industries: Sequence[str], cn_involved: bool,
           cn_side: str | None, cn_defendants: int, remedies: Sequence[str], money_usd: Sequence[float],
           deadline_days: Sequence[int], jurisdictions: Sequence[str]) -> Severity:
    """Add up the factors; each one that fires leaves its reason. Irrelevant items are always low."""
    if not relevant:
        return Severity(0, "low", ["not an IP dispute, risk or policy item"])
    score = 15
    reasons: list[str] = []

    def add(points: int, reason: str) -> None:
        nonlocal score
        score += points
        reasons.append(f"{reason} (+{points})")

    if cn_involved and cn_side in ("defendant", "both"):
        add(20, "a Chinese party is on the defending side")
    elif cn_involved:
        add(8, "a Chinese party is involved (as right holder)")
    if cn_defendants >= 2:
        add(min(15, 4 * cn_defendants), f"{cn_defendants} Chinese respondents/defendants named")
    if "section_337" in risk_types:
        add(12, "US Section 337 investigation: exclusion from the US market is at stake")
    if "GEO" in remedies:
        add(15, "general exclusion order requested (bars all infringing imports, named or not)")
    elif "LEO" in remedies or "EXCLUSION_ORDER" in remedies:
        add(6, "exclusion order sought")
    if {"INJUNCTION", "PRELIMINARY_INJUNCTION", "TRO"} & set(remedies):
        add(8, "injunction / TRO sought or granted (sales ban, frozen accounts)")
    if "sep_frand" in risk_types:
        add(8, "standard-essential patents / FRAND: portfolio-wide licensing exposure")
    if "trade_secret" in risk_types:
        add(8, "trade-secret case: criminal exposure and injunctions possible")
    strategic = [STRATEGIC[i] for i in industries if i in STRATEGIC]
    if strategic:
        add(8, "strategic industry of the plan: " + ", ".join(strategic))
    if money_usd:
        top = max(money_usd)
        if top >= 100e6:
            add(15, f"damages/amount about US${top / 1e6:,.0f} million")
        elif top >= 10e6:
            add(10, f"damages/amount about US${top / 1e6:,.1f} million")
        elif top >= 1e6:
            add(5, f"damages/amount about US${top / 1e6:,.1f} million")
    if deadline_days and min(deadline_days) <= 30:
        add(10, f"short response deadline ({min(deadline_days)} days)")
    if len(jurisdictions) >= 3:
        add(5, f"parallel proceedings in {len(jurisdictions)} jurisdictions")
    if "policy" in risk_types and not cn_involved:
        reasons.append("policy change: affects the environment rather than a named party")
    score = max(0, min(100, score))
    return Severity(score, level_for(score), reasons)


def from_output(out: Mapping[str, Any], entities: Mapping[str, Any]) -> Severity:
    """Severity of a classify output dict plus its entities (used by the Tagger and by tests)."""
    cn = out.get("cn_party") or {}
    cn_def = sum(1 for p in out.get("parties", []) if p.get("country") in ("CN", "HK", "MO")
                 and p.get("role") == "defendant")
    return assess(relevant=bool(out.get("relevant")), risk_types=out.get("risk_types", []),
                  industries=out.get("industries", []), cn_involved=bool(cn.get("involved")),
                  cn_side=cn.get("side"), cn_defendants=cn_def, remedies=entities.get("remedies", []),
                  money_usd=[m["usd"] for m in entities.get("money", [])],
                  deadline_days=entities.get("deadline_days", []), jurisdictions=out.get("jurisdictions", []))
