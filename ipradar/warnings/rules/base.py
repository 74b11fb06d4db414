"""The rule interface: what every rule reads (items, subscriptions, configuration, today) and what it returns
(alert drafts that carry their own explanation, and escalation drafts for the audit trail). Pure data, no DB."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

LEVELS = ("low", "medium", "high")
CN_COUNTRIES = frozenset({"CN", "HK", "MO"})


@dataclass(frozen=True)
class PartyRef:
    name: str
    role: str  # plaintiff|defendant|other
    country: str | None
    key: str | None  # primary entity key (grouping); None when the name resolves to nothing
    keys: frozenset[str] = frozenset()  # every key the name is known under (resolvers, party aliases, name)


@dataclass(frozen=True)
class Evidence:
    document_id: int
    title: str
    url: str
    source_id: str
    published_on: dt.date | None

    def as_json(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "title": self.title, "url": self.url, "source_id": self.source_id,
                "published_on": self.published_on.isoformat() if self.published_on else None}


@dataclass(frozen=True)
class DatedFact:
    """A procedural date and where it came from (shown in the alert, since deadlines depend on it)."""

    on: dt.date
    basis: str  # e.g. "extra.institution_date of https://www.usitc.gov/..." or "published date of ..."


@dataclass(frozen=True)
class Item:
    """One dispute as the rules see it: the documents of one case number / story cluster taken together, so the
    same story from several sources is one item and raises one alert."""

    key: str  # no:337-TA-1471 | case:<case key> | story:<id> | doc:<id>
    title: str
    day: dt.date  # earliest publication among its documents
    last_day: dt.date  # latest publication
    is_new: bool  # holds a document the rules have not seen yet
    relevant: bool = True
    jurisdictions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    risk_types: tuple[str, ...] = ()
    forums: tuple[str, ...] = ()
    case_numbers: tuple[str, ...] = ()
    parties: tuple[PartyRef, ...] = ()
    cn_side: str | None = None  # defendant|plaintiff|both|None (tagger's cn_party, else the parties' countries)
    level: str = "low"
    score: int = 0
    reasons: tuple[str, ...] = ()
    text: str = ""  # titles and leads, for keyword filters
    court: str | None = None  # CourtListener court id (ilnd, txed …)
    schedule_a: bool = False
    remedies: tuple[str, ...] = ()
    damages_usd: float | None = None
    dates: Mapping[str, DatedFact] = field(default_factory=dict)  # complaint_filed|instituted|served|tro_granted
    evidence: tuple[Evidence, ...] = ()

    @property
    def cn_defendants(self) -> list[PartyRef]:
        return [p for p in self.parties if p.role == "defendant" and p.country in CN_COUNTRIES]

    @property
    def plaintiffs(self) -> list[PartyRef]:
        return [p for p in self.parties if p.role == "plaintiff"]


@dataclass(frozen=True)
class Filters:
    industries: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    risk_types: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    watchlist: tuple[str, ...] = ()
    min_severity: str = "low"
    cn_party: bool = False  # only disputes with a party from mainland China, Hong Kong or Macau

    @property
    def topical(self) -> bool:
        return bool(self.industries or self.jurisdictions or self.risk_types or self.keywords)

    def as_json(self) -> dict[str, Any]:
        return {"industries": list(self.industries), "jurisdictions": list(self.jurisdictions),
                "risk_types": list(self.risk_types), "keywords": list(self.keywords),
                "watchlist": list(self.watchlist), "min_severity": self.min_severity, "cn_party": self.cn_party}


@dataclass(frozen=True)
class SubscriptionView:
    """A subscription as rules see it; ``watch_keys`` maps resolved entity keys to the watchlist entry."""

    id: int
    name: str
    kind: str  # company|subcentre
    filters: Filters
    rules: frozenset[str]
    watch_keys: Mapping[str, str] = field(default_factory=dict)

    def wants(self, rule: str) -> bool:
        return rule in self.rules


@dataclass(frozen=True)
class SpikeConfig:
    weeks: int = 8  # rolling baseline length
    min_count: int = 3  # fewer items this week never make a spike
    alpha: float = 0.01  # Poisson upper-tail probability below which the count is a spike
    lambda_floor: float = 0.5  # baseline rate used when the baseline is (almost) empty
    cn_only: bool = True  # count disputes with a Chinese party only


@dataclass(frozen=True)
class DeadlineConfig:
    horizon_days: int = 30  # announce deadlines due within this many days
    reminders: tuple[int, ...] = (7, 2)  # remind again when this many days (or fewer) are left
    response_337_days: int = 20  # 19 C.F.R. § 210.13(a)
    tro_days: int = 14  # FRCP 65(b)(2), extendable once for a like period
    answer_days: int = 21  # FRCP 12(a)(1)(A)(i)
    estimate_answer_from_filing: bool = True  # no service date recorded: earliest due date = filing + 21 days


@dataclass(frozen=True)
class EscalationConfig:
    geo_requested: bool = True
    min_cn_respondents: int = 3
    strategic_industries: tuple[str, ...] = ("semiconductors", "ai_software", "biomedicine", "aviation")
    sep_frand: bool = True
    damages_usd: float = 10_000_000.0
    min_triggers: int = 1
    require_cn_party: bool = True

    def as_json(self) -> dict[str, Any]:
        return {"geo_requested": self.geo_requested, "min_cn_respondents": self.min_cn_respondents,
                "strategic_industries": list(self.strategic_industries), "sep_frand": self.sep_frand,
                "damages_usd": self.damages_usd, "min_triggers": self.min_triggers,
                "require_cn_party": self.require_cn_party}


@dataclass(frozen=True)
class WaveConfig:
    window_days: int = 90  # Schedule-A suits by one plaintiff within this window are one wave
    thresholds: tuple[int, ...] = (1, 3, 10, 30)  # announce the wave when its suit count reaches each of these


@dataclass(frozen=True)
class RuleConfig:
    max_age_days: int = 60  # an item first published longer ago is not a *new* dispute (backlog, late crawl)
    spike: SpikeConfig = SpikeConfig()
    deadline: DeadlineConfig = DeadlineConfig()
    escalation: EscalationConfig = EscalationConfig()
    wave: WaveConfig = WaveConfig()

    @property
    def window_days(self) -> int:
        """How far back items must be loaded for every rule to see what it needs."""
        return max(7 * (self.spike.weeks + 1), self.wave.window_days, self.deadline.horizon_days + 60,
                   self.max_age_days)


@dataclass(frozen=True)
class RuleInput:
    today: dt.date
    items: Sequence[Item]  # every item in the window; ``is_new`` marks those with unseen documents
    subscriptions: Sequence[SubscriptionView]
    config: RuleConfig = RuleConfig()

    @property
    def new_items(self) -> list[Item]:
        return [i for i in self.items if i.is_new]


@dataclass(frozen=True)
class AlertDraft:
    """An alert before it is stored: everything needed to explain it travels with it."""

    rule: str
    subscription_id: int
    key: str  # unique per subscription: reruns of the rule produce the same key and nothing new
    item_key: str
    title: str
    level: str
    score: int
    matched: Mapping[str, Any]  # the subscription's filters that matched, with the values that matched them
    reasons: tuple[str, ...]  # human-readable: why this fired (severity reasons included)
    numbers: Mapping[str, Any] = field(default_factory=dict)  # counts, baselines, countdowns
    evidence: tuple[Evidence, ...] = ()
    due_on: dt.date | None = None
    escalation_key: str | None = None


@dataclass(frozen=True)
class EscalationDraft:
    key: str
    item_key: str
    title: str
    triggers: tuple[Mapping[str, Any], ...]
    config: Mapping[str, Any]
    evidence: tuple[Evidence, ...]
    rule_version: str


Finding = AlertDraft | EscalationDraft
RuleFn = Callable[[RuleInput], list[Finding]]


@dataclass(frozen=True)
class Rule:
    name: str
    fn: RuleFn
    description: str
    default_for: frozenset[str]  # subscription kinds that get this rule when they list no rules


def level_at_least(level: str, minimum: str) -> bool:
    return LEVELS.index(level if level in LEVELS else "low") >= LEVELS.index(minimum if minimum in LEVELS else "low")


def keyword_hits(text: str, keywords: Sequence[str]) -> list[str]:
    """Keywords found in the text: case-insensitive, whole words for Latin keywords, substrings for Chinese."""
    import re

    def norm(s: str) -> str:
        # quotes and runs of spaces do not count: 'Schedule "A"' is "Schedule A"
        return " ".join(re.sub(r"[\"'“”‘’「」]", "", s.casefold()).split())

    low = norm(text)
    hits = []
    for kw in keywords:
        k = norm(kw)
        if not k:
            continue
        if re.search(r"[\u3400-\u9fff]", k):
            found = k in low
        else:
            # whole words with an optional plural: "chip" finds "chips", not "microchip" or "Chiping"
            found = re.search(rf"(?<!\w){re.escape(k)}(?:s|es)?(?!\w)", low) is not None
        if found:
            hits.append(kw)
    return hits


def match_filters(sub: SubscriptionView, item: Item) -> dict[str, Any] | None:
    """The filters of ``sub`` that ``item`` satisfies, or None. Dimensions combine with AND, values within one
    dimension with OR; industries and keywords together are one "topic" dimension (a tagged industry OR a keyword
    in the text), so a keyword still finds items the tagger left without an industry."""
    f = sub.filters
    if not item.relevant:
        return None
    if not f.topical and sub.kind != "subcentre":
        return None  # a company's pure watchlist subscription is served by the watchlist rule only
    matched: dict[str, Any] = {}
    if f.jurisdictions:
        hit = [j for j in item.jurisdictions if j in f.jurisdictions]
        if not hit:
            return None
        matched["jurisdictions"] = hit
    if f.risk_types:
        hit = [r for r in item.risk_types if r in f.risk_types]
        if not hit:
            return None
        matched["risk_types"] = hit
    if f.industries or f.keywords:
        ind = [i for i in item.industries if i in f.industries]
        kws = keyword_hits(item.text, f.keywords)
        if not ind and not kws:
            return None
        if ind:
            matched["industries"] = ind
        if kws:
            matched["keywords"] = kws
    if not level_at_least(item.level, f.min_severity):
        return None
    if f.min_severity != "low":
        matched["min_severity"] = f"{item.level} ≥ {f.min_severity}"
    if f.cn_party:
        if item.cn_side is None:
            return None
        matched["cn_party"] = item.cn_side
    return matched


def watch_hits(sub: SubscriptionView, item: Item) -> list[tuple[str, PartyRef]]:
    """(watchlist entry, party) for every party of the item whose entity the subscription watches."""
    out = []
    for p in item.parties:
        hit = next((k for k in sorted(p.keys | ({p.key} if p.key else set())) if k in sub.watch_keys), None)
        if hit is not None:
            out.append((sub.watch_keys[hit], p))
    return out
