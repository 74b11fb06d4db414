"""Case linking at scale on PostgreSQL: a day's 5k new documents and `cases list` filters, small vs large archive.

The archive is generated inside PostgreSQL (generate_series), in a throw-away database on the server named by
IPRADAR_TEST_PG_URL (or IPRADAR_BENCH_PG_URL). Sizes: IPRADAR_BENCH_CASES (default 10k and 1M), 5 documents per
case. The point to check: the cost of a day must not grow with the archive.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from ipradar.cases.forums import US_COURT_IDS
from ipradar.cases.linking import link_documents
from ipradar.cases.query import CaseFilter, list_cases
from ipradar.db import init_db, make_engine
from ipradar.db.models import Document, utcnow

RESULTS = Path(__file__).parent / "results" / "cases.json"
COURTS = sorted(US_COURT_IDS)[:20]
DOCS_PER_CASE = 5
USITC_SLICE = 9000  # cases 1..9000 are 337 investigations (337-TA-n); the rest district-court dockets
DAY_DOCS = 5000


def _docket(g: int) -> tuple[str, str]:
    """Court and docket number of synthetic case g (unique per court)."""
    court = COURTS[g % 20]
    year, seq = 10 + (g // 20) % 16, g // 320
    return f"US-DIST:{court}", f"{year:02d}-cv-{seq:05d}"


GENERATE = """
INSERT INTO source (id, kind, name, lang, base_url, schedule, enabled, meta, health, created_at)
VALUES ('bench', 'archive', 'bench', 'en', '', '', false, '{}', 'unknown', now());
INSERT INTO party (id, key, name, country, created_at)
SELECT g, 'zq' || g || 'x', 'Zq' || g || 'x Corp', CASE WHEN g % 3 = 0 THEN 'CN' ELSE 'US' END, now()
FROM generate_series(1::bigint, :parties) g;
INSERT INTO dispute (id, key, origin, forum, jurisdiction, title, ip_types, industries, status, filed_on,
                     first_activity_on, last_activity_on, created_at, updated_at)
SELECT g,
       CASE WHEN g <= :usitc THEN 'usitc_337:337-TA-' || g
            ELSE 'us_district:US-DIST:' || (ARRAY[:courts])[g % 20 + 1] || ':' || lpad(((10 + (g / 20) % 16))::text, 2, '0')
                 || '-cv-' || lpad((g / 320)::text, 5, '0') END,
       'number',
       CASE WHEN g <= :usitc THEN 'USITC' ELSE 'US-DIST:' || (ARRAY[:courts])[g % 20 + 1] END, 'US',
       'Zq' || (1 + (g * 7919) % :parties) || 'x v. Zq' || (1 + (g * 104729) % :parties) || 'x',
       '["patent"]', '[]', (ARRAY['filed','active','settled','terminated','final_determination'])[g % 5 + 1],
       DATE '2012-01-01' + (g % 5000)::int, DATE '2012-01-01' + (g % 5000)::int, DATE '2012-01-01' + (g % 5000)::int + 300,
       now(), now()
FROM generate_series(1::bigint, :cases) g;
INSERT INTO case_number (id, case_id, kind, court, number, created_at)
SELECT g, g, CASE WHEN g <= :usitc THEN 'usitc_337' ELSE 'us_district' END,
       CASE WHEN g <= :usitc THEN '' ELSE 'US-DIST:' || (ARRAY[:courts])[g % 20 + 1] END,
       CASE WHEN g <= :usitc THEN '337-TA-' || g
            ELSE lpad(((10 + (g / 20) % 16))::text, 2, '0') || '-cv-' || lpad((g / 320)::text, 5, '0') END, now()
FROM generate_series(1::bigint, :cases) g;
INSERT INTO case_party (case_id, party_id, name, role, side, country)
SELECT g, 1 + (g * 7919) % :parties, 'Zq' || (1 + (g * 7919) % :parties) || 'x Corp', 'plaintiff', 'plaintiff', 'US'
FROM generate_series(1::bigint, :cases) g;
INSERT INTO case_party (case_id, party_id, name, role, side, country)
SELECT g, 1 + (g * 104729) % :parties, 'Zq' || (1 + (g * 104729) % :parties) || 'x Corp', 'defendant', 'defendant',
       CASE WHEN (1 + (g * 104729) % :parties) % 3 = 0 THEN 'CN' ELSE 'US' END
FROM generate_series(1::bigint, :cases) g WHERE (1 + (g * 104729) % :parties) <> (1 + (g * 7919) % :parties);
INSERT INTO document (id, source_id, url, canonical_url, content_hash, title, text, lang, doc_type, published_on,
                      first_seen_at, last_seen_at, fetched_at, case_numbers, parties, extra, warnings, tagged_at,
                      tag_model_version, analysis)
SELECT d, 'bench', 'https://bench.invalid/d/' || d, 'https://bench.invalid/d/' || d, md5(d::text) || md5((-d)::text),
       'Synthetic report ' || d, 'Synthetic archive document ' || d || ' about case ' || ((d - 1) / 5 + 1) || '.',
       CASE WHEN d % 3 = 0 THEN 'zh' ELSE 'en' END, 'news',
       DATE '2012-01-01' + ((((d - 1) / 5 + 1) % 5000) + (d % 5) * 60)::int,
       now() - interval '30 days', now() - interval '30 days', now() - interval '30 days', '[]', '[]', '{}', '[]',
       now() - interval '30 days', 'bench-1', '{"relevant": true}'
FROM generate_series(1::bigint, :docs) d;
INSERT INTO case_document (case_id, document_id, method, evidence, confidence, linked_at)
SELECT (d - 1) / 5 + 1, d, 'case_number', '{}', 0.99, now() - interval '30 days' FROM generate_series(1::bigint, :docs) d;
INSERT INTO case_link_state (document_id, linked_at, linker_version, outcome)
SELECT d, now() - interval '29 days', 'cases-1', 'linked' FROM generate_series(1::bigint, :docs) d;
INSERT INTO case_event (case_id, kind, occurred_on, date_basis, document_id, detail, created_at)
SELECT g, 'complaint_filed', DATE '2012-01-01' + (g % 5000)::int, 'stated', (g - 1) * 5 + 1, 'bench', now()
FROM generate_series(1::bigint, :cases) g;
SELECT setval(pg_get_serial_sequence('party', 'id'), :parties + 1);
SELECT setval(pg_get_serial_sequence('dispute', 'id'), :cases + 1);
SELECT setval(pg_get_serial_sequence('case_number', 'id'), :cases + 1);
SELECT setval(pg_get_serial_sequence('document', 'id'), :docs + 1);
"""


def generate(engine: Engine, cases: int) -> float:
    started = time.perf_counter()
    params = {"cases": cases, "parties": max(cases // 2, 10), "docs": cases * DOCS_PER_CASE,
              "usitc": min(USITC_SLICE, cases // 10)}
    courts = ", ".join(f"'{c}'" for c in COURTS)  # constants of this module, not user data
    with engine.begin() as conn:
        for stmt in GENERATE.replace(":courts", courts).split(";\n"):
            if stmt.strip():
                conn.execute(text(stmt), params)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


def day_documents(cases: int, seed: int = 7) -> list[Document]:
    """5k tagged documents of one day: 40% on known cases (docket + parties), 20% new cases, 30% news naming the
    parties and forum of a known case (no number), 10% items about no case."""
    rng = random.Random(seed)
    parties = max(cases // 2, 10)
    usitc = min(USITC_SLICE, cases // 10)
    now, day = utcnow(), dt.date(2026, 11, 20)
    docs = []
    for i in range(DAY_DOCS):
        kind = rng.random()
        g = rng.randint(usitc + 1, cases)
        pla, dfd = 1 + (g * 7919) % parties, 1 + (g * 104729) % parties
        forum, number = _docket(g)
        analysis: dict[str, Any] = {"relevant": True, "jurisdictions": ["US"], "forums": [forum]}
        case_numbers: list[str] = []
        extra: dict[str, Any] = {"court_id": forum.split(":")[1]}
        structured: list[dict[str, Any]] = [{"name": f"Zq{pla}x Corp", "role": "plaintiff", "country": "US"},
                                            {"name": f"Zq{dfd}x Corp", "role": "defendant", "country": "CN"}]
        source, doc_type = "bench_dockets", "docket"
        if kind < 0.4:
            case_numbers = [number]
        elif kind < 0.6:
            case_numbers = [f"26-cv-{90000 + i:05d}"]
            structured = [{"name": f"Zq{parties + 1 + i}x Corp", "role": "plaintiff", "country": "US"},
                          {"name": f"Zq{pla}x Corp", "role": "defendant", "country": "CN"}]
        elif kind < 0.9:
            source, doc_type, extra = "bench_news", "news", {}
            analysis["parties"], structured = structured, []
        else:
            source, doc_type, extra, structured = "bench_news", "news", {}, []
            analysis = {"relevant": True, "jurisdictions": [], "forums": [], "parties": []}
        docs.append(Document(source_id=source, url=f"https://bench.invalid/day/{i}",
                             canonical_url=f"https://bench.invalid/day/{i}", content_hash=f"{i:064d}",
                             title=f"Day item {i}", text=f"Report {i} on case {g}.", lang="en", doc_type=doc_type,
                             published_on=day, first_seen_at=now, last_seen_at=now, fetched_at=now,
                             case_numbers=case_numbers, parties=structured, extra=extra, warnings=[],
                             tagged_at=now, tag_model_version="bench-1", analysis=analysis))
    return docs


def _timed(fn: Any, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times) * 1000, 1)


def run(admin_url: str, cases: int) -> dict[str, Any]:
    name = f"ipradar_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        init_db(url)
        engine = make_engine(url)
        gen_s = generate(engine, cases)
        with Session(engine) as session:
            for sid in ("bench_dockets", "bench_news"):
                session.execute(text("INSERT INTO source (id, kind, name, lang, base_url, schedule, enabled, meta, "
                                     "health, created_at) VALUES (:i, 'archive', :i, 'en', '', '', false, '{}', "
                                     "'unknown', now())"), {"i": sid})
            session.add_all(day_documents(cases))
            session.commit()
        t0 = time.perf_counter()
        stats = link_documents(engine, only_new=True)
        link_s = time.perf_counter() - t0
        rerun = link_documents(engine, only_new=True)
        with Session(engine) as session:
            queries = {
                "forum+status": CaseFilter(forum="US-DIST:txed", status="active"),
                "jurisdiction+cn+active_since": CaseFilter(jurisdiction="US", cn_party=True,
                                                           active_since=dt.date(2025, 1, 1)),
                "party": CaseFilter(party="Zq12345x Corp"),
                "number": CaseFilter(number="337-TA-1234"),
                "usitc+changed_since": CaseFilter(forum="USITC", changed_since=utcnow() - dt.timedelta(days=1)),
            }
            list_ms = {k: _timed(lambda f=f: list_cases(session, f)) for k, f in queries.items()}
        engine.dispose()
        return {"cases": cases, "documents": cases * DOCS_PER_CASE, "generate_s": round(gen_s, 1),
                "day_documents": DAY_DOCS, "link_day_s": round(link_s, 2),
                "link_day_docs_per_s": round(DAY_DOCS / link_s, 1), "linked": stats.linked,
                "cases_created": stats.cases_created, "links": stats.links, "rerun_documents": rerun.documents,
                "cases_list_ms": list_ms}
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    url = os.environ.get("IPRADAR_BENCH_PG_URL") or os.environ.get("IPRADAR_TEST_PG_URL")
    if not url:
        print("set IPRADAR_TEST_PG_URL (or IPRADAR_BENCH_PG_URL) to a PostgreSQL server", file=sys.stderr)
        return 2
    sizes = [int(s) for s in os.environ.get("IPRADAR_BENCH_CASES", "10000,1000000").split(",")]
    runs = []
    for size in sizes:
        print(f"archive of {size} cases …", flush=True)
        runs.append(run(url, size))
        print(json.dumps(runs[-1], indent=2), flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": runs, "machine": f"{platform.machine()}, {os.cpu_count()} cpus, "
                                                            f"Python {platform.python_version()}"},
                                  indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
