"""The case-trend archive (``report trends --period 2026|2026-Q3|2026-10``): the national survey's cuts — case type,
month, forum, industry, province of the Chinese parties, defendant instances (家次), outcomes — against the
previous period of the same length."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, exists, func, select
from sqlalchemy.orm import Session, aliased

from ..db.models import Document, Tag
from . import charts, i18n
from .casefacts import CN, OutcomeView, case_facts_for
from .config import ReportConfig
from .outputs import Rendered, ReportFiles, Table, write_editions
from .periods import Period
from .provenance import Num, Provenance
from .render import environment
from .weekly import locality, province_name

DIMENSIONS = ("risk_type", "industry", "jurisdiction", "cn_party")


@dataclass
class Compare:
    code: str
    current: Num
    previous: Num

    @property
    def change(self) -> str:
        cur, prev = float(self.current.value), float(self.previous.value)
        if prev == 0:
            return "—" if cur == 0 else "new"
        return f"{(cur - prev) / prev * 100:+.0f}%"


@dataclass
class TrendsData:
    period: Period
    previous: Period
    now: dt.datetime
    config: ReportConfig
    prov: Provenance
    totals: list[Compare]
    by_month: list[tuple[str, Num, Num]]  # month label, current, same month of the previous period
    by_type: list[Compare]
    by_industry: list[Compare]
    by_jurisdiction: list[Compare]
    by_forum: list[Compare]
    by_province: list[Compare]
    shanghai: set[str]
    outcomes: list[Compare]
    outcome_rows: list[OutcomeView]


def _not_irrelevant() -> Any:
    t = aliased(Tag)
    return ~exists().where(t.document_id == Document.id, t.dimension == "relevant", t.label == "false")


def _counts(session: Session, prov: Provenance, period: Period) -> tuple[str, str, Counter[str], Counter[tuple[str, str]]]:
    """Relevant items per month, and per (dimension, label), in the period (indexed published_on range)."""
    stmt = (select(Document.published_on, func.count(Document.id))
            .where(Document.published_on >= period.start, Document.published_on < period.end, _not_irrelevant())
            .group_by(Document.published_on).order_by(Document.published_on))
    qid_docs, rows = prov.run(session, "Relevant items per day in the period", stmt)
    months: Counter[str] = Counter()
    for day, n in rows:
        months[f"{day.year}-{day.month:02d}"] += int(n)
    tag_stmt = (select(Tag.dimension, Tag.label, func.count(Document.id)).join(Tag, Tag.document_id == Document.id)
                .where(Document.published_on >= period.start, Document.published_on < period.end,
                       Tag.dimension.in_(DIMENSIONS), _not_irrelevant())
                .group_by(Tag.dimension, Tag.label).order_by(Tag.dimension, Tag.label))
    qid_tags, tag_rows = prov.run(session, "Relevant items per label in the period", tag_stmt)
    return qid_docs, qid_tags, months, Counter({(d, lab): int(n) for d, lab, n in tag_rows})


def _cn_rows(session: Session, prov: Provenance, period: Period) -> tuple[str, Counter[str], Counter[str], set[str],
                                                                             int, int]:
    """Forums, provinces, defendant instances (家次) and distinct cases among items naming a Chinese party."""
    t = aliased(Tag)
    stmt = (select(Document.id, Document.case_numbers, Document.parties, Document.analysis)
            .where(Document.published_on >= period.start, Document.published_on < period.end,
                   exists().where(t.document_id == Document.id, t.dimension == "cn_party"), _not_irrelevant())
            .order_by(Document.id))
    qid, rows = prov.run(session, "Items naming a Chinese party in the period", stmt)
    forums: Counter[str] = Counter()
    provinces: Counter[str] = Counter()
    shanghai: set[str] = set()
    instances = 0
    cases: set[str] = set()
    for doc_id, numbers, parties, analysis in rows:
        analysis = analysis or {}
        for f in analysis.get("forums") or []:
            forums[str(f)] += 1
        cases.add(str(numbers[0]) if numbers else f"doc:{doc_id}")
        for p in parties or []:
            if isinstance(p, dict) and p.get("country") in CN and p.get("role") == "defendant":
                instances += 1
                loc = locality(p, analysis.get("entities"))
                key = loc.province or "unknown"
                provinces[key] += 1
                if loc.shanghai:
                    shanghai.add(key)
    return qid, forums, provinces, shanghai, instances, len(cases)


def _compare(codes: Sequence[str], cur: Counter[Any], prev: Counter[Any], qcur: str, qprev: str,
             key: Any = None) -> list[Compare]:
    out = []
    for code in codes:
        k = key(code) if key else code
        if cur.get(k) or prev.get(k):
            out.append(Compare(code, Num(cur.get(k, 0), qcur), Num(prev.get(k, 0), qprev)))
    return sorted(out, key=lambda c: (-int(c.current.value), -int(c.previous.value), c.code))


def collect_trends(engine: Engine, period: Period, *, now: dt.datetime,
                   config: ReportConfig | None = None) -> TrendsData:
    prov = Provenance()
    previous = period.previous()
    with Session(engine) as session:
        facts = case_facts_for(session)
        d_cur, t_cur, m_cur, l_cur = _counts(session, prov, period)
        d_prev, t_prev, m_prev, l_prev = _counts(session, prov, previous)
        c_cur, f_cur, p_cur, sh_cur, i_cur, n_cur = _cn_rows(session, prov, period)
        c_prev, f_prev, p_prev, _, i_prev, n_prev = _cn_rows(session, prov, previous)
        mark = len(prov.records)
        o_cur = facts.outcomes(session, prov, period.start, period.end)
        mark_prev = len(prov.records)
        o_prev = facts.outcomes(session, prov, previous.start, previous.end)
    # The first query each outcomes() call ran is the one that found the events.
    o_qcur = prov.records[mark].id if len(prov.records) > mark else ""
    o_qprev = prov.records[mark_prev].id if len(prov.records) > mark_prev else ""
    cn_cur = sum(v for (d, _), v in l_cur.items() if d == "cn_party")
    cn_prev = sum(v for (d, _), v in l_prev.items() if d == "cn_party")
    totals = [
        Compare("items", Num(sum(m_cur.values()), d_cur), Num(sum(m_prev.values()), d_prev)),
        Compare("cn_items", Num(cn_cur, t_cur), Num(cn_prev, t_prev)),
        Compare("cn_cases", Num(n_cur, c_cur), Num(n_prev, c_prev)),
        Compare("instances", Num(i_cur, c_cur), Num(i_prev, c_prev)),
        Compare("outcomes", Num(len(o_cur), o_qcur), Num(len(o_prev), o_qprev)),
    ]
    prev_months = previous.months()
    by_month = []
    for i, month in enumerate(period.months()):
        label = f"{month.year}-{month.month:02d}"
        pm = prev_months[i] if i < len(prev_months) else None
        by_month.append((label, Num(m_cur.get(label, 0), d_cur),
                         Num(m_prev.get(f"{pm.year}-{pm.month:02d}", 0) if pm else 0, d_prev)))
    juris = sorted({lab for (d, lab) in list(l_cur) + list(l_prev) if d == "jurisdiction"})
    kinds_cur = Counter(o.event.label for o in o_cur)
    kinds_prev = Counter(o.event.label for o in o_prev)
    return TrendsData(
        period=period, previous=previous, now=now, config=config or ReportConfig(), prov=prov, totals=totals,
        by_month=by_month,
        by_type=_compare(list(i18n.RISK_TYPES), l_cur, l_prev, t_cur, t_prev, key=lambda c: ("risk_type", c)),
        by_industry=_compare(list(i18n.INDUSTRIES), l_cur, l_prev, t_cur, t_prev, key=lambda c: ("industry", c)),
        by_jurisdiction=_compare(juris, l_cur, l_prev, t_cur, t_prev, key=lambda c: ("jurisdiction", c)),
        by_forum=_compare(sorted(set(f_cur) | set(f_prev)), f_cur, f_prev, c_cur, c_prev),
        by_province=_compare(sorted(set(p_cur) | set(p_prev)), p_cur, p_prev, c_cur, c_prev), shanghai=sh_cur,
        outcomes=_compare(sorted(set(kinds_cur) | set(kinds_prev)), kinds_cur, kinds_prev, o_qcur, o_qprev),
        outcome_rows=o_cur)


def _tables(d: TrendsData) -> list[Table]:
    def rows(items: list[Compare]) -> list[list[Any]]:
        return [[c.code, c.current, c.previous, c.change, c.current.qid] for c in items]

    cols = ["code", d.period.label, d.previous.label, "change", "query"]
    return [Table("totals", cols, rows(d.totals)),
            Table("by_month", ["month", "items", "previous_period_same_month", "query"],
                  [[m, c, p, c.qid] for m, c, p in d.by_month]),
            Table("by_case_type", cols, rows(d.by_type)), Table("by_industry", cols, rows(d.by_industry)),
            Table("by_jurisdiction", cols, rows(d.by_jurisdiction)), Table("by_forum", cols, rows(d.by_forum)),
            Table("by_province", cols, rows(d.by_province)), Table("outcomes", cols, rows(d.outcomes))]


def build_trends(d: TrendsData, lang: str) -> Rendered:
    tr = i18n.translations(lang).gettext
    month_chart = charts.stacked_bars([m for m, _, _ in d.by_month],
                                      {d.period.label: [int(c.value) for _, c, _ in d.by_month]},
                                      tr("Relevant items per month"))
    province_chart = charts.highlight_bars(
        [province_name(c.code, lang) for c in d.by_province], [int(c.current.value) for c in d.by_province],
        {province_name(p, lang) for p in d.shanghai}, tr("Chinese defendants by province (Shanghai in red)"))
    html = environment(lang).get_template("trends.html").render(
        d=d, charts={"month": month_chart, "province": province_chart}, province_name=province_name,
        org=d.config.org(lang), created=d.now, prov=d.prov)
    return Rendered(kind="trends", period=d.period.label, stem=f"trends-{d.period.label}", lang=lang, html=html,
                    tables=_tables(d), provenance=d.prov, params={"period": d.period.label}, created=d.now)


def write_trends(engine: Engine, period: Period, out_dir: Path, *, now: dt.datetime, langs: Sequence[str] = ("zh",),
                 formats: Sequence[str] = ("html",), config: ReportConfig | None = None,
                 record: bool = True) -> ReportFiles:
    data = collect_trends(engine, period, now=now, config=config)
    return write_editions(engine, lambda lang: build_trends(data, lang), out_dir, langs=langs, formats=formats,
                          record=record)
