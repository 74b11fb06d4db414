"""The country legal-environment report (《XX国知识产权法律环境报告》, REPORTS.md §4.2): reviewed framework facts
from ipradar/data/legal_env/<code>.json, each with its sources, plus live statistics from the archive for the
last three calendar years (filings by type and year, forums, plaintiffs, outcomes for Chinese parties)."""

from __future__ import annotations

import datetime as dt
import json
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
from .pdf import ReportError
from .provenance import Num, Provenance
from .render import environment

LEGAL_ENV = Path(__file__).resolve().parents[1] / "data" / "legal_env"
YEARS = 3
TOP = 10


def countries() -> list[str]:
    return sorted(p.stem for p in LEGAL_ENV.glob("*.json") if p.stem != "schema")


def load_facts(code: str, directory: Path = LEGAL_ENV) -> dict[str, Any]:
    """The reviewed facts for ``code``, validated against the shipped schema."""
    path = directory / f"{code.upper()}.json"
    if not path.is_file():
        available = ", ".join(sorted(p.stem for p in directory.glob("*.json") if p.stem != "schema"))
        raise ReportError(f"no legal-environment facts for {code!r}; available: {available}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    schema_path = directory / "schema.json"
    if schema_path.is_file():
        import jsonschema

        try:
            jsonschema.validate(data, json.loads(schema_path.read_text(encoding="utf-8")))
        except jsonschema.ValidationError as exc:
            raise ReportError(f"{path}: {exc.message} at {'/'.join(map(str, exc.absolute_path))}") from exc
    return data


@dataclass
class LegalEnvData:
    code: str
    facts: dict[str, Any]
    now: dt.datetime
    config: ReportConfig
    prov: Provenance
    years: list[int]
    by_type: list[tuple[str, list[Num]]]  # risk type → count per year
    totals: list[Num]
    cn_totals: list[Num]
    forums: list[tuple[str, Num]]
    plaintiffs: list[tuple[str, Num]]
    outcomes: list[OutcomeView]


def _jurisdiction(code: str) -> Any:
    t = aliased(Tag)
    return exists().where(t.document_id == Document.id, t.dimension == "jurisdiction", t.label == code)


def collect_legal_env(engine: Engine, code: str, *, now: dt.datetime, config: ReportConfig | None = None,
                      facts: dict[str, Any] | None = None) -> LegalEnvData:
    code = code.upper()
    data = facts or load_facts(code)
    prov = Provenance()
    prov.note("Reviewed framework facts", f"ipradar/data/legal_env/{code}.json, reviewed {data['reviewed']} by "
                                          f"{data['reviewer']}")
    years = list(range(now.year - YEARS + 1, now.year + 1))
    start, end = dt.date(years[0], 1, 1), dt.date(years[-1] + 1, 1, 1)
    irrelevant = aliased(Tag)
    relevant = ~exists().where(irrelevant.document_id == Document.id, irrelevant.dimension == "relevant",
                               irrelevant.label == "false")
    cn = aliased(Tag)
    with Session(engine) as session:
        year_col = func.extract("year", Document.published_on)
        stmt = (select(year_col, Tag.dimension, Tag.label, func.count(Document.id))
                .join(Tag, Tag.document_id == Document.id)
                .where(Document.published_on >= start, Document.published_on < end, _jurisdiction(code), relevant,
                       Tag.dimension.in_(("risk_type", "cn_party")))
                .group_by(year_col, Tag.dimension, Tag.label).order_by(year_col, Tag.dimension, Tag.label))
        q_types, rows = prov.run(session, "Items per year and label in the jurisdiction", stmt)
        tot_stmt = (select(year_col, func.count(Document.id))
                    .where(Document.published_on >= start, Document.published_on < end, _jurisdiction(code), relevant)
                    .group_by(year_col).order_by(year_col))
        q_tot, tot_rows = prov.run(session, "Relevant items per year in the jurisdiction", tot_stmt)
        cn_stmt = (select(Document.id, Document.parties, Document.analysis)
                   .where(Document.published_on >= start, Document.published_on < end, _jurisdiction(code), relevant,
                          exists().where(cn.document_id == Document.id, cn.dimension == "cn_party",
                                         cn.label.in_(("defendant", "both"))))
                   .order_by(Document.id))
        q_cn, cn_rows = prov.run(session, "Items with a Chinese defendant in the jurisdiction", cn_stmt)
        outcomes = [o for o in case_facts_for(session).outcomes(session, prov, start, end)
                    if o.jurisdiction == code and o.cn_parties]
    per: dict[tuple[str, str], list[int]] = {}
    for year, dim, lab, n in rows:
        per.setdefault((dim, lab), [0] * len(years))[years.index(int(year))] += int(n)
    totals = [0] * len(years)
    for year, n in tot_rows:
        totals[years.index(int(year))] += int(n)
    cn_per_year = [sum(v[i] for (d, _), v in per.items() if d == "cn_party" and _ in ("defendant", "both"))
                   for i in range(len(years))]
    forums: Counter[str] = Counter()
    plaintiffs: Counter[str] = Counter()
    for _, parties, analysis in cn_rows:
        for f in (analysis or {}).get("forums") or []:
            forums[str(f)] += 1
        for p in parties or []:
            if isinstance(p, dict) and p.get("role") == "plaintiff" and p.get("country") not in CN and p.get("name"):
                plaintiffs[str(p["name"])] += 1

    def top(c: Counter[str]) -> list[tuple[str, Num]]:
        return [(k, Num(v, q_cn)) for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]]

    by_type = [(r, [Num(v, q_types) for v in per[("risk_type", r)]]) for r in i18n.RISK_TYPES
               if ("risk_type", r) in per]
    return LegalEnvData(code=code, facts=data, now=now, config=config or ReportConfig(), prov=prov, years=years,
                        by_type=by_type, totals=[Num(v, q_tot) for v in totals],
                        cn_totals=[Num(v, q_types) for v in cn_per_year], forums=top(forums),
                        plaintiffs=top(plaintiffs), outcomes=outcomes[-5:])


def _tables(d: LegalEnvData) -> list[Table]:
    years = [str(y) for y in d.years]
    facts = Table("facts", ["section", "item", "topic", "zh", "en", "sources"],
                  [[s["id"], it["id"], it.get("topic", ""), it["zh"], it["en"],
                    " ; ".join(f"{src['title']} <{src['url']}>" for src in it["sources"])]
                   for s in d.facts["sections"] for it in s["items"]])
    return [facts,
            Table("filings_by_type", ["risk_type", *years, "query"],
                  [[r, *vals, vals[0].qid] for r, vals in d.by_type]
                  + [["all", *d.totals, d.totals[0].qid], ["cn_defendant", *d.cn_totals, d.cn_totals[0].qid]]),
            Table("forums", ["forum", "items", "query"], [[f, n, n.qid] for f, n in d.forums]),
            Table("plaintiffs", ["plaintiff", "items", "query"], [[f, n, n.qid] for f, n in d.plaintiffs]),
            Table("outcomes", ["case_key", "title", "forum", "event", "date", "cn_parties"],
                  [[o.case_key, o.title, o.forum, o.event.kind, o.event.occurred_on, "; ".join(o.cn_parties)]
                   for o in d.outcomes])]


def build_legal_env(d: LegalEnvData, lang: str) -> Rendered:
    tr = i18n.translations(lang).gettext
    chart = charts.stacked_bars([str(y) for y in d.years],
                                {i18n.label(i18n.RISK_TYPES, r, lang): [int(v.value) for v in vals]
                                 for r, vals in d.by_type}, tr("Items by risk type and year"))
    html = environment(lang).get_template("legal_env.html").render(
        d=d, chart=chart, org=d.config.org(lang), created=d.now, prov=d.prov)
    return Rendered(kind="legal_env", period=d.code, stem=f"legal-env-{d.code}", lang=lang, html=html,
                    tables=_tables(d), provenance=d.prov, params={"country": d.code, "reviewed": d.facts["reviewed"]},
                    created=d.now)


def write_legal_env(engine: Engine, code: str, out_dir: Path, *, now: dt.datetime, langs: Sequence[str] = ("zh",),
                    formats: Sequence[str] = ("html",), config: ReportConfig | None = None,
                    record: bool = True) -> ReportFiles:
    data = collect_legal_env(engine, code, now=now, config=config)
    return write_editions(engine, lambda lang: build_legal_env(data, lang), out_dir, langs=langs, formats=formats,
                          record=record)
