"""The weekly warning report (《海外知识产权风险预警周报》, REPORTS.md §4.1): collect the week once, render it in
zh and en. Every query is bounded by an indexed date range, so the week's cost does not grow with the archive."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from ..db.models import CrawlRun, Document, Source, Tag
from . import charts, i18n
from .casefacts import CN, CaseFacts, CaseSummary, OutcomeView, case_facts_for
from .config import ReportConfig
from .outputs import Rendered, ReportFiles, Table, write_editions
from .periods import Week
from .provenance import Num, Provenance
from .render import environment

__all__ = ["Week", "WeeklyOptions", "build_weekly", "collect_weekly", "render_weekly", "write_weekly"]

TREND_WEEKS = 12
BASELINE_WEEKS = 8
MAX_CARDS = 8
HEADLINE_RISKS = ("patent_infringement", "trademark", "copyright", "trade_secret", "section_337", "customs",
                  "sep_frand", "validity", "policy")
COUNT_DIMENSIONS = ("risk_type", "cn_party", "severity", "industry", "jurisdiction")
CN_DEFENDANT = ("defendant", "both")
SCHEDULE_A_MARKERS = ("schedule a", "partnerships and unincorporated associations", "附表a", "附表 a")
TRO_REMEDIES = {"temporary_restraining_order", "asset_freeze", "preliminary_injunction"}


@dataclass(frozen=True)
class WeeklyOptions:
    """One cut of the weekly report: the week, optional regions (jurisdiction codes), sectors (industry codes)
    and a watchlist of party names (a subscription's cut)."""

    week: Week
    regions: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    watchlist: tuple[str, ...] = ()
    subscription: str | None = None

    @property
    def stem(self) -> str:
        parts = [f"weekly-{self.week.label}"]
        if self.subscription:
            parts.append(f"sub-{self.subscription}")
        parts += [*self.regions, *self.sectors]
        return "-".join(parts)

    def params(self) -> dict[str, Any]:
        return {"week": self.week.label, "regions": list(self.regions), "sectors": list(self.sectors),
                "watchlist": list(self.watchlist), "subscription": self.subscription, "tz": self.week.tz}


@dataclass
class Locality:
    province: str | None
    shanghai: bool
    pudong: bool


@dataclass
class Deadline:
    label: str  # English; translated in the template
    due: dt.date
    days_left: int
    basis: str  # English rule citation


@dataclass
class Item:
    doc_id: int
    title: str
    url: str
    source_id: str
    source: str
    doc_type: str
    published: dt.date | None
    first_seen: dt.datetime
    fetched: dt.datetime
    excerpt: str
    case_numbers: list[str]
    complainants: list[dict[str, Any]]
    respondents: list[dict[str, Any]]
    others: list[dict[str, Any]]
    tags: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    case: CaseSummary | None = None
    deadlines: list[Deadline] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)

    @property
    def cn_respondents(self) -> list[dict[str, Any]]:
        return [p for p in self.respondents if p.get("country") in CN]

    @property
    def severity(self) -> dict[str, Any]:
        sev = self.tags.get("severity")
        return sev if isinstance(sev, dict) else {}

    @property
    def score(self) -> int:
        return int(self.severity.get("score") or 0)

    @property
    def level(self) -> str:
        return str(self.severity.get("level") or "")

    @property
    def cn_side(self) -> str | None:
        cn = self.tags.get("cn_party") or {}
        side = cn.get("side") if isinstance(cn, dict) else None
        return str(side) if side else None

    def list_tag(self, key: str) -> list[str]:
        value = self.tags.get(key) or []
        return [str(v) for v in value] if isinstance(value, list) else []

    @property
    def forums(self) -> list[str]:
        forums = self.list_tag("forums")
        if not forums and self.case and self.case.forum:
            forums = [self.case.forum]
        return forums

    @property
    def ip_types(self) -> list[str]:
        raw = self.extra.get("ip_types") or []
        return [str(t) for t in raw] if isinstance(raw, list) else []

    @property
    def products(self) -> list[str]:
        raw = self.extra.get("products")
        if isinstance(raw, str):
            return [raw] if raw else []
        return [str(p) for p in raw] if isinstance(raw, list) else []

    @property
    def remedies(self) -> list[str]:
        raw = self.extra.get("remedies_requested") or []
        return [str(r) for r in raw] if isinstance(raw, list) else []

    def extra_date(self, key: str) -> dt.date | None:
        raw = self.extra.get(key)
        if not isinstance(raw, str):
            return None
        try:
            return dt.date.fromisoformat(raw[:10])
        except ValueError:
            return None

    @property
    def is_schedule_a(self) -> bool:
        text = f"{self.title}\n{self.excerpt}".casefold()
        return (any(m in text for m in SCHEDULE_A_MARKERS) or len(self.respondents) >= 10
                or bool(TRO_REMEDIES & set(self.remedies)))


@dataclass
class Row:
    """One line of a count table: this week, last week, the baseline average, and the trend arrow."""

    code: str
    this_week: Num
    last_week: Num
    average: Num

    @property
    def arrow(self) -> str:
        avg = float(self.average.value)
        now = float(self.this_week.value)
        if now > avg * 1.2 and now - avg >= 1:
            return "↑"
        if now < avg * 0.8 and avg - now >= 1:
            return "↓"
        return "→"


@dataclass
class SectorRow(Row):
    cn_instances: Num = field(default_factory=lambda: Num(0, ""))
    top_plaintiffs: list[str] = field(default_factory=list)


@dataclass
class Bullet:
    level: str  # high|medium|low
    item: Item | None
    text_key: str  # "item" or "counts"


@dataclass
class WeeklyData:
    """Everything the weekly report shows, language-neutral; rendered once per language."""

    options: WeeklyOptions
    now: dt.datetime
    config: ReportConfig
    prov: Provenance
    items: list[Item]
    backlog: list[Item]
    headline: list[Row]
    totals: Row
    cn_totals: Row
    high_totals: Row
    bullets: list[Bullet]
    cards: list[Item]
    tro: list[Item]
    sectors: list[SectorRow]
    jurisdictions: list[Row]
    forums: list[tuple[str, Num]]
    outcomes: list[OutcomeView]
    typical: OutcomeView | None
    policy: list[Item]
    provinces: list[tuple[str, Num, bool]]
    sources: list[dict[str, Any]]
    failed_runs: list[dict[str, Any]]
    tagger_versions: list[str]
    weeks: list[Week]
    series: dict[str, list[int]]  # dimension/label → counts per week (oldest first)
    cn_party_instances: Num
    items_qid: str

    @property
    def week(self) -> Week:
        return self.options.week

    @property
    def cutoff(self) -> dt.datetime:
        return min(self.now, self.week.bounds()[1])


# -- collection --------------------------------------------------------------------------------------------------
def _filters(opts: WeeklyOptions) -> list[Any]:
    """SQL conditions for the region/sector cut, through the tag table (indexed by document id)."""

    def has(dimension: str, labels: Sequence[str]) -> Any:
        t = aliased(Tag)  # aliased: the count query joins Tag itself, and must not correlate with it
        return exists().where(t.document_id == Document.id, t.dimension == dimension, t.label.in_(sorted(labels)))

    conds: list[Any] = [~has("relevant", ["false"])]
    if opts.regions:
        conds.append(has("jurisdiction", opts.regions))
    if opts.sectors:
        conds.append(has("industry", opts.sectors))
    return conds


def _matches(item: Item, opts: WeeklyOptions) -> bool:
    if item.tags and item.tags.get("relevant") is False:
        return False
    if opts.regions and not set(item.list_tag("jurisdictions")) & set(opts.regions):
        return False
    if opts.sectors and not set(item.list_tag("industries")) & set(opts.sectors):
        return False
    if opts.watchlist:
        names = " | ".join(str(p.get("name", "")) for p in item.complainants + item.respondents + item.others)
        if not any(w.casefold() in names.casefold() for w in opts.watchlist):
            return False
    return True


_ITEM_COLUMNS = (Document.id, Document.title, Document.canonical_url, Document.source_id, Document.doc_type,
                 Document.published_on, Document.first_seen_at, Document.fetched_at,
                 func.substr(Document.text, 1, 600).label("excerpt"), Document.case_numbers, Document.parties,
                 Document.extra, Document.analysis)


def _load_items(session: Session, prov: Provenance, opts: WeeklyOptions, names: Mapping[str, str]
                ) -> tuple[str, list[Item], list[Item]]:
    week = opts.week
    start, end = week.bounds()
    # Two range scans rather than one OR, so each uses its own index (published_on, first_seen_at).
    fresh_stmt = (select(*_ITEM_COLUMNS).where(Document.published_on >= week.monday,
                                               Document.published_on <= week.sunday, *_filters(opts))
                  .order_by(Document.published_on.desc(), Document.id))
    qid, fresh_rows = prov.run(session, "Items published this week", fresh_stmt)
    back_stmt = (select(*_ITEM_COLUMNS).where(Document.first_seen_at >= start, Document.first_seen_at < end,
                                              or_(Document.published_on.is_(None), Document.published_on < week.monday,
                                                  Document.published_on > week.sunday), *_filters(opts))
                 .order_by(Document.published_on.desc(), Document.id))
    _, back_rows = prov.run(session, "Items first collected this week but published earlier", back_stmt)

    def make(row: Any) -> Item:
        parties = [p for p in (row.parties or []) if isinstance(p, dict)]
        return Item(doc_id=row.id, title=row.title, url=row.canonical_url, source_id=row.source_id,
                    source=names.get(row.source_id, row.source_id), doc_type=row.doc_type,
                    published=row.published_on, first_seen=row.first_seen_at, fetched=row.fetched_at,
                    excerpt=(row.excerpt or "").strip(), case_numbers=list(row.case_numbers or []),
                    complainants=[p for p in parties if p.get("role") == "plaintiff"],
                    respondents=[p for p in parties if p.get("role") == "defendant"],
                    others=[p for p in parties if p.get("role") not in ("plaintiff", "defendant")],
                    tags=dict(row.analysis or {}), extra=dict(row.extra or {}))

    fresh = [i for i in map(make, fresh_rows) if _matches(i, opts)]
    backlog = [i for i in map(make, back_rows) if _matches(i, opts)]
    return qid, fresh, backlog


def _weekly_counts(session: Session, prov: Provenance, opts: WeeklyOptions, weeks: Sequence[Week]
                   ) -> tuple[str, str, dict[str, list[int]], dict[tuple[str, str], list[int]]]:
    """Documents per week, and documents per (dimension, label) per week, over ``weeks`` (oldest first)."""
    first, last = weeks[0].monday, weeks[-1].sunday
    index = {w.monday: i for i, w in enumerate(weeks)}

    def slot(day: dt.date) -> int:
        return index[day - dt.timedelta(days=day.weekday())]

    docs_stmt = (select(Document.published_on, func.count(Document.id))
                 .where(Document.published_on >= first, Document.published_on <= last, *_filters(opts))
                 .group_by(Document.published_on).order_by(Document.published_on))
    doc_qid, doc_rows = prov.run(session, "Relevant items per day, last 12 weeks", docs_stmt)
    totals = {"all": [0] * len(weeks)}
    for day, n in doc_rows:
        totals["all"][slot(day)] += int(n)
    tag_stmt = (select(Document.published_on, Tag.dimension, Tag.label, func.count(Document.id))
                .join(Tag, Tag.document_id == Document.id)
                .where(Document.published_on >= first, Document.published_on <= last,
                       Tag.dimension.in_(COUNT_DIMENSIONS), *_filters(opts))
                .group_by(Document.published_on, Tag.dimension, Tag.label)
                .order_by(Document.published_on, Tag.dimension, Tag.label))
    tag_qid, tag_rows = prov.run(session, "Relevant items per day and label, last 12 weeks", tag_stmt)
    by_label: dict[tuple[str, str], list[int]] = {}
    for day, dim, lab, n in tag_rows:
        by_label.setdefault((dim, lab), [0] * len(weeks))[slot(day)] += int(n)
    return doc_qid, tag_qid, totals, by_label


def _row(code: str, series: Sequence[int], qid: str) -> Row:
    base = series[-1 - BASELINE_WEEKS:-1]
    avg = round(sum(base) / len(base), 1) if base else 0.0
    return Row(code, Num(series[-1], qid), Num(series[-2] if len(series) > 1 else 0, qid), Num(avg, qid))


def locality(party: Mapping[str, Any], entities: Any = None) -> Locality:
    """Province of a Chinese party, and whether it sits in Shanghai / Pudong (city, region or the NLP flags)."""
    fields = " ".join(str(party.get(k) or "") for k in ("city", "region", "name", "address")).casefold()
    pudong = "pudong" in fields or "浦东" in fields
    shanghai = pudong or "shanghai" in fields or "上海" in fields
    if isinstance(entities, Mapping):
        # The NLP tagger's entity block may flag Shanghai/Pudong for a party it resolved (by name).
        for ent in entities.get("parties") or entities.get("companies") or []:
            if isinstance(ent, Mapping) and ent.get("name") == party.get("name"):
                pudong = pudong or bool(ent.get("pudong"))
                shanghai = shanghai or pudong or bool(ent.get("shanghai"))
    province = party.get("region") or (party.get("city") if shanghai else None)
    if shanghai:
        province = "Shanghai"
    return Locality(str(province) if province else None, shanghai, pudong)


def deadlines(item: Item, today: dt.date) -> list[Deadline]:
    """Procedural clocks that follow from the dates the sources state (estimates where service is unknown)."""
    out: list[Deadline] = []
    risks = set(item.list_tag("risk_types"))
    is_337 = "section_337" in risks or any(c.startswith("337-") for c in item.case_numbers)
    instituted = item.extra_date("institution_date") or (item.case.instituted_on if item.case else None)
    filed = item.extra_date("complaint_filed") or (item.case.filed_on if item.case else None)
    if is_337 and instituted:
        due = instituted + dt.timedelta(days=20)
        out.append(Deadline(i18n.N_("Response to the complaint and notice of investigation"), due,
                            (due - today).days, i18n.N_("19 CFR 210.13: 20 days after service; service date assumed "
                                                        "to be the institution date")))
        due = instituted + dt.timedelta(days=45)
        out.append(Deadline(i18n.N_("Target date set by the ALJ"), due, (due - today).days,
                            i18n.N_("19 CFR 210.51(a): within 45 days of institution")))
    elif is_337 and filed:
        due = filed + dt.timedelta(days=30)
        out.append(Deadline(i18n.N_("Commission vote on institution"), due, (due - today).days,
                            i18n.N_("19 CFR 210.10(a): normally within 30 days of the complaint")))
    elif filed and "US" in item.list_tag("jurisdictions"):
        due = filed + dt.timedelta(days=21)
        out.append(Deadline(i18n.N_("Answer due (if served on filing)"), due, (due - today).days,
                            i18n.N_("FRCP 12(a)(1)(A)(i): 21 days after service")))
    return out


ACTIONS: dict[str, str] = {
    "section_337": i18n.N_("Check whether the company has been served; retain US trade counsel and calendar the "
                           "20-day response; consider a joint defence with other respondents."),
    "patent_infringement": i18n.N_("Run a freedom-to-operate review of the accused products and collect prior art "
                                   "for a validity challenge."),
    "trademark": i18n.N_("Audit listings and marks in the market; prepare evidence of own use or prior rights."),
    "customs": i18n.N_("Check shipments in transit and customs recordations; prepare documents for release."),
    "sep_frand": i18n.N_("Review licence offers against FRAND terms and parallel proceedings in other forums."),
    "copyright": i18n.N_("Review the accused works or listings and the chain of title."),
    "trade_secret": i18n.N_("Preserve documents and review employee mobility and access records."),
    "validity": i18n.N_("Follow the validity proceeding; it can decide the infringement case."),
}
TRO_ACTION = i18n.N_("Schedule-A case: check store names and frozen accounts on the platforms; the TRO hearing "
                     "window is short, so contact counsel at once.")
DEFAULT_ACTION = i18n.N_("Contact the sub-centre for a first assessment.")


def actions(item: Item) -> list[str]:
    risks = item.list_tag("risk_types")
    out = [ACTIONS[r] for r in ("section_337", "patent_infringement", "trademark", "customs", "sep_frand",
                                "copyright", "trade_secret", "validity") if r in risks]
    if item.is_schedule_a:
        out.insert(0, TRO_ACTION)
    return out[:3] or [DEFAULT_ACTION]


def _is_red_flag(item: Item) -> bool:
    return item.level == "high" or (item.level == "medium" and item.cn_side in CN_DEFENDANT)


def collect_weekly(engine: Engine, opts: WeeklyOptions, *, now: dt.datetime, config: ReportConfig | None = None,
                   case_facts: CaseFacts | None = None) -> WeeklyData:
    """Run the week's queries once; the result renders in any language."""
    prov = Provenance()
    week = opts.week
    weeks = [week.shift(-i) for i in range(TREND_WEEKS - 1, -1, -1)]
    today = now.astimezone(ZoneInfo(week.tz)).date()
    with Session(engine) as session:
        facts = case_facts or case_facts_for(session)
        src_stmt = select(Source).order_by(Source.id)
        _, src_rows = prov.run(session, "Sources and their health", src_stmt)
        sources = [s for (s,) in src_rows]
        names = {s.id: s.name for s in sources}
        items_qid, fresh, backlog = _load_items(session, prov, opts, names)
        doc_qid, tag_qid, totals, by_label = _weekly_counts(session, prov, opts, weeks)
        linked = facts.for_documents(session, prov, [i.doc_id for i in fresh + backlog])
        outcomes = facts.outcomes(session, prov, week.monday, week.sunday + dt.timedelta(days=1))
        earlier = facts.outcomes(session, prov, weeks[0].monday, week.monday)
        start, end = week.bounds()
        run_stmt = (select(CrawlRun.source_id, CrawlRun.status, CrawlRun.started_at, CrawlRun.errors)
                    .where(CrawlRun.started_at >= start, CrawlRun.started_at < end,
                           CrawlRun.status.in_(("failed", "partial")))
                    .order_by(CrawlRun.source_id, CrawlRun.started_at))
        _, run_rows = prov.run(session, "Crawl runs this week that failed or were partial", run_stmt)
        ver_stmt = (select(Document.tag_model_version).where(
            Document.published_on >= week.monday, Document.published_on <= week.sunday,
            Document.tag_model_version.is_not(None)).group_by(Document.tag_model_version)
            .order_by(Document.tag_model_version))
        _, ver_rows = prov.run(session, "Tagger versions behind this week's items", ver_stmt)

    for item in fresh + backlog:
        item.case = linked.get(item.doc_id)
        item.deadlines = deadlines(item, today)
        item.actions = actions(item)

    def series(dim: str, lab: str) -> list[int]:
        return by_label.get((dim, lab), [0] * len(weeks))

    cn_series = [a + b for a, b in zip(series("cn_party", "defendant"), series("cn_party", "both"), strict=True)]
    headline = [_row(r, series("risk_type", r), tag_qid) for r in HEADLINE_RISKS]
    totals_row = _row("all", totals["all"], doc_qid)
    cn_row = _row("cn_defendant", cn_series, tag_qid)
    high_row = _row("high", series("severity", "high"), tag_qid)

    everything = fresh + backlog
    cards = sorted((i for i in everything if _is_red_flag(i)),
                   key=lambda i: (-i.score, -(i.published or dt.date.min).toordinal(), i.doc_id))[:MAX_CARDS]
    bullets = [Bullet(i.level or "low", i, "item") for i in cards[:3]]
    avg = float(cn_row.average.value)
    cn_now = int(cn_row.this_week.value)
    count_level = "high" if cn_now >= 3 and cn_now >= 2 * avg else "medium" if cn_now > avg else "low"
    bullets.append(Bullet(count_level, None, "counts"))

    sectors: list[SectorRow] = []
    for code in i18n.INDUSTRIES:
        s = series("industry", code)
        in_week = [i for i in fresh if code in i.list_tag("industries")]
        if not any(s) and not in_week:
            continue
        base = _row(code, s, tag_qid)
        plaintiffs = Counter(str(p.get("name")) for i in in_week for p in i.complainants if p.get("name"))
        sectors.append(SectorRow(code, base.this_week, base.last_week, base.average,
                                 Num(sum(len(i.cn_respondents) for i in in_week), items_qid),
                                 [n for n, _ in sorted(plaintiffs.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]))
    juris_codes = sorted({lab for (dim, lab), s in by_label.items() if dim == "jurisdiction" and any(s)})
    jurisdictions = sorted((_row(c, series("jurisdiction", c), tag_qid) for c in juris_codes),
                           key=lambda r: (-int(r.this_week.value), -float(r.average.value), r.code))
    forum_counts = Counter(f for i in fresh for f in i.forums)
    forums = [(f, Num(n, items_qid)) for f, n in sorted(forum_counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    provinces_count: Counter[str] = Counter()
    shanghai_labels: set[str] = set()
    for i in fresh:
        for p in i.cn_respondents:
            loc = locality(p, i.tags.get("entities"))
            key = loc.province or "unknown"
            provinces_count[key] += 1
            if loc.shanghai:
                shanghai_labels.add(key)
    provinces = [(k, Num(n, items_qid), k in shanghai_labels)
                 for k, n in sorted(provinces_count.items(), key=lambda kv: (-kv[1], kv[0]))]
    typical = next((o for o in reversed(outcomes + earlier) if o.cn_parties), None)
    week_counts = Counter(i.source_id for i in fresh)
    source_rows = [{"id": s.id, "name": s.name, "health": s.health, "reason": s.health_reason,
                    "last_run": s.last_run_at, "items": Num(week_counts.get(s.id, 0), items_qid), "enabled": s.enabled}
                   for s in sources]
    failed = [{"source_id": sid, "status": status, "started": started, "errors": len(errors or [])}
              for sid, status, started, errors in run_rows]
    return WeeklyData(
        options=opts, now=now, config=config or ReportConfig(), prov=prov, items=fresh, backlog=backlog,
        headline=headline, totals=totals_row, cn_totals=cn_row, high_totals=high_row, bullets=bullets, cards=cards,
        tro=[i for i in everything if i.is_schedule_a], sectors=sectors, jurisdictions=jurisdictions, forums=forums,
        outcomes=outcomes, typical=typical, policy=[i for i in everything if "policy" in i.list_tag("risk_types")],
        provinces=provinces, sources=source_rows, failed_runs=failed,
        tagger_versions=[v for (v,) in ver_rows], weeks=weeks,
        series={"all": totals["all"], "cn_defendant": cn_series,
                **{f"{d}/{lab}": s for (d, lab), s in sorted(by_label.items())}},
        cn_party_instances=Num(sum(len(i.cn_respondents) for i in fresh), items_qid), items_qid=items_qid)


# -- rendering ---------------------------------------------------------------------------------------------------
def _charts(d: WeeklyData, lang: str) -> dict[str, Any]:
    tr = i18n.translations(lang).gettext
    labels = [w.label for w in d.weeks]
    trend = charts.trend_line(labels, {tr("All items"): d.series["all"],
                                       tr("Items naming a Chinese defendant"): d.series["cn_defendant"]},
                              tr("12-week trend"))
    juris = [r.code for r in d.jurisdictions]
    top, rest = juris[:4], juris[4:]
    stacks = {i18n.label(i18n.JURISDICTIONS, c, lang): d.series[f"jurisdiction/{c}"] for c in top}
    if rest:
        stacks[tr("Other")] = [sum(col) for col in zip(*(d.series[f"jurisdiction/{c}"] for c in rest), strict=True)]
    forum = charts.stacked_bars(labels, stacks, tr("Items by jurisdiction, 12 weeks"))
    sector_rows = [r.code for r in d.sectors]
    heat = charts.heat_table([i18n.label(i18n.INDUSTRIES, c, lang) for c in sector_rows], labels,
                             [d.series.get(f"industry/{c}", [0] * len(labels)) for c in sector_rows],
                             tr("Sector heat table (items per week)"))
    prov_labels = [province_name(p, lang) for p, _, _ in d.provinces]
    highlight = {province_name(p, lang) for p, _, sh in d.provinces if sh}
    province = charts.highlight_bars(prov_labels, [int(n.value) for _, n, _ in d.provinces], highlight,
                                     tr("Chinese respondents by province (Shanghai in red)"))
    return {"trend": trend, "forum": forum, "heat": heat, "province": province}


PROVINCES_ZH: dict[str, str] = {
    "shanghai": "上海", "beijing": "北京", "tianjin": "天津", "chongqing": "重庆", "guangdong": "广东",
    "zhejiang": "浙江", "jiangsu": "江苏", "fujian": "福建", "shandong": "山东", "anhui": "安徽", "hubei": "湖北",
    "hunan": "湖南", "henan": "河南", "hebei": "河北", "sichuan": "四川", "shaanxi": "陕西", "shanxi": "山西",
    "liaoning": "辽宁", "jilin": "吉林", "heilongjiang": "黑龙江", "jiangxi": "江西", "guangxi": "广西",
    "yunnan": "云南", "guizhou": "贵州", "hainan": "海南", "gansu": "甘肃", "qinghai": "青海", "ningxia": "宁夏",
    "xinjiang": "新疆", "tibet": "西藏", "inner mongolia": "内蒙古", "hong kong": "香港", "macau": "澳门",
    "macao": "澳门", "unknown": "未知",
}


def province_name(name: str, lang: str) -> str:
    if lang == "zh":
        return PROVINCES_ZH.get(name.casefold().removesuffix(" province").strip(), name)
    return "Unknown" if name == "unknown" else name


def _tables(d: WeeklyData) -> list[Table]:
    def party_names(parties: Iterable[Mapping[str, Any]]) -> str:
        return "; ".join(str(p.get("name", "")) for p in parties)

    items = Table("items", ["section", "doc_id", "published", "first_seen_utc", "retrieved_utc", "source_id", "title",
                            "url", "case_numbers", "jurisdictions", "industries", "risk_types", "severity", "score",
                            "cn_side", "complainants", "respondents", "cn_respondents", "query"],
                  [[section, i.doc_id, i.published, i.first_seen.isoformat(), i.fetched.isoformat(), i.source_id,
                    i.title, i.url, "; ".join(i.case_numbers), "; ".join(i.list_tag("jurisdictions")),
                    "; ".join(i.list_tag("industries")), "; ".join(i.list_tag("risk_types")), i.level, i.score,
                    i.cn_side, party_names(i.complainants), party_names(i.respondents), len(i.cn_respondents),
                    d.items_qid]
                   for section, group in (("published", d.items), ("backlog", d.backlog)) for i in group])

    def count_rows(rows: Iterable[Row]) -> list[list[Any]]:
        return [[r.code, r.this_week, r.last_week, r.average, r.arrow, r.this_week.qid] for r in rows]

    cols = ["code", "this_week", "last_week", f"avg_{BASELINE_WEEKS}w", "trend", "query"]
    headline = Table("headline", cols, count_rows([d.totals, d.cn_totals, d.high_totals, *d.headline]))
    sectors = Table("sectors", [*cols[:-1], "cn_defendant_instances", "top_plaintiffs", "query"],
                    [[r.code, r.this_week, r.last_week, r.average, r.arrow, r.cn_instances,
                      "; ".join(r.top_plaintiffs), r.this_week.qid] for r in d.sectors])
    juris = Table("jurisdictions", cols, count_rows(d.jurisdictions))
    forums = Table("forums", ["forum", "items", "query"], [[f, n, n.qid] for f, n in d.forums])
    cards = Table("red_flags", ["doc_id", "case_numbers", "forums", "complaint_filed", "institution_date",
                                "complainants", "cn_respondents", "shanghai", "pudong", "remedies", "deadlines",
                                "url", "retrieved_utc"],
                  [[i.doc_id, "; ".join(i.case_numbers), "; ".join(i.forums), i.extra_date("complaint_filed"),
                    i.extra_date("institution_date"), party_names(i.complainants), party_names(i.cn_respondents),
                    sum(locality(p).shanghai for p in i.cn_respondents),
                    sum(locality(p).pudong for p in i.cn_respondents), "; ".join(i.remedies),
                    "; ".join(f"{x.label}: {x.due}" for x in i.deadlines), i.url, i.fetched.isoformat()]
                   for i in d.cards])
    tro = Table("ecommerce_tro", ["doc_id", "case_numbers", "forums", "plaintiffs", "defendants", "cn_defendants",
                                  "ip_types", "published", "url"],
                [[i.doc_id, "; ".join(i.case_numbers), "; ".join(i.forums), party_names(i.complainants),
                  len(i.respondents), len(i.cn_respondents), "; ".join(i.ip_types), i.published, i.url]
                 for i in d.tro])
    outcomes = Table("outcomes", ["case_key", "title", "forum", "event", "date", "cn_parties", "detail"],
                     [[o.case_key, o.title, o.forum, o.event.kind, o.event.occurred_on, "; ".join(o.cn_parties),
                       o.event.detail] for o in d.outcomes])
    provinces = Table("provinces", ["province", "cn_respondents", "shanghai", "query"],
                      [[p, n, int(sh), n.qid] for p, n, sh in d.provinces])
    trend = Table("trend_12w", ["series", *[w.label for w in d.weeks]],
                  [[name, *values] for name, values in d.series.items()])
    sources = Table("sources", ["source_id", "name", "health", "health_reason", "last_run_utc", "items_this_week"],
                    [[s["id"], s["name"], s["health"], s["reason"], s["last_run"].isoformat() if s["last_run"] else "",
                      s["items"]] for s in d.sources])
    return [items, headline, cards, tro, sectors, juris, forums, outcomes, provinces, trend, sources]


def build_weekly(data: WeeklyData, lang: str) -> Rendered:
    """Render collected data in one language (zh or en)."""
    env = environment(lang)
    html = env.get_template("weekly.html").render(
        d=data, charts=_charts(data, lang), province_name=province_name, locality=locality, baseline=BASELINE_WEEKS,
        org=data.config.org(lang), created=data.now, prov=data.prov)
    return Rendered(kind="weekly", period=data.week.label, stem=data.options.stem, lang=lang, html=html,
                    tables=_tables(data), provenance=data.prov, params=data.options.params(), created=data.now)


def write_weekly(engine: Engine, opts: WeeklyOptions, out_dir: Path, *, now: dt.datetime,
                 langs: Sequence[str] = ("zh",), formats: Sequence[str] = ("html",),
                 config: ReportConfig | None = None, record: bool = True) -> ReportFiles:
    """Collect once, write each language in each format (CSV once: it is language-neutral), archive the files."""
    data = collect_weekly(engine, opts, now=now, config=config)
    return write_editions(engine, lambda lang: build_weekly(data, lang), out_dir, langs=langs, formats=formats,
                          record=record)


def render_weekly(engine: Engine, week: Week, out_dir: Path, *, now: dt.datetime | None = None,
                  lang: str = "zh", formats: Sequence[str] = ("html",), regions: Sequence[str] = (),
                  sectors: Sequence[str] = ()) -> Path:
    """The demo's entry point (signature kept from the skeleton): write the report, return the first file
    (the HTML when asked for)."""
    moment = now or dt.datetime.now(ZoneInfo(week.tz))
    files = write_weekly(engine, WeeklyOptions(week, tuple(regions), tuple(sectors)), out_dir, now=moment,
                         langs=(lang,), formats=formats)
    return files.paths[0]
