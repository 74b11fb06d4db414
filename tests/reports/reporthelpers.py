"""The fixed report dataset (tests/fixtures/reports/dataset.json) loaded into a test database."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ipradar.db import make_engine
from ipradar.db.models import CrawlRun, Document, Source
from ipradar.db.models.cases import Case, CaseDocument, CaseEvent, CaseParty, Party
from ipradar.reports.periods import Week
from ipradar.tagging import tags_from_analysis

DATASET = Path(__file__).parents[1] / "fixtures" / "reports" / "dataset.json"
GOLDEN = DATASET.parent / "golden"
DATA: dict[str, Any] = json.loads(DATASET.read_text(encoding="utf-8"))
WEEK = Week.parse(DATA["week"])
NOW = dt.datetime.fromisoformat(DATA["now"])
BACKGROUND_J = ["US", "DE", "UPC", "US", "GB", "JP", "US"]
BACKGROUND_I = ["consumer_electronics", "telecom", "semiconductors", "new_energy_auto", "consumer_goods",
                "biomedicine"]
BACKGROUND_R = ["patent_infringement", "trademark", "section_337", "sep_frand", "copyright", "validity"]


def _ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def add_document(session: Session, doc: dict[str, Any], version: str = "fixture-1") -> Document:
    row = Document(source_id=doc["source_id"], url=doc["url"], canonical_url=doc["url"],
                   content_hash=hashlib.sha256(doc["url"].encode()).hexdigest(), title=doc["title"],
                   text=doc["text"], lang=doc["lang"], doc_type=doc["doc_type"],
                   published_on=dt.date.fromisoformat(doc["published"]) if doc.get("published") else None,
                   first_seen_at=_ts(doc["first_seen"]), last_seen_at=_ts(doc["first_seen"]),
                   fetched_at=_ts(doc["fetched"]), case_numbers=doc["case_numbers"], parties=doc["parties"],
                   extra=doc["extra"], analysis=doc.get("analysis"),
                   tagged_at=_ts(doc["fetched"]) if doc.get("analysis") else None,
                   tag_model_version=version if doc.get("analysis") else None)
    session.add(row)
    session.flush()
    if doc.get("analysis"):
        session.add_all(tags_from_analysis(row.id, {"id": str(row.id), **doc["analysis"]}, version))
    return row


def background(week: Week, weeks: int = 11) -> list[dict[str, Any]]:
    """Deterministic items for the weeks before the fixture week, so counts and charts have a history."""
    out = []
    for back in range(weeks, 0, -1):
        w = week.shift(-back)
        for k in range(back % 4 + 2):
            n = back * 10 + k
            side = "defendant" if k % 2 == 0 else None
            out.append({
                "source_id": "news_ipwatchdog", "doc_type": "news", "lang": "en",
                "url": f"https://ipwatchdog.com/background/{w.label}/{k}", "title": f"Background item {k} of {w.label}",
                "text": "Background item for counts.", "published": (w.monday + dt.timedelta(days=k % 7)).isoformat(),
                "first_seen": f"{w.monday + dt.timedelta(days=k % 7)}T12:00:00+00:00",
                "fetched": f"{w.monday + dt.timedelta(days=k % 7)}T12:00:00+00:00", "case_numbers": [], "parties": [],
                "extra": {},
                "analysis": {"relevant": True, "lang": "en", "jurisdictions": [BACKGROUND_J[n % len(BACKGROUND_J)]],
                             "industries": [BACKGROUND_I[n % len(BACKGROUND_I)]],
                             "risk_types": [BACKGROUND_R[n % len(BACKGROUND_R)]],
                             "cn_party": {"involved": side is not None, "side": side}, "parties": [],
                             "case_numbers": [], "forums": [],
                             "severity": {"level": "medium" if side else "low", "score": 50 if side else 25,
                                          "reasons": []}}})
    return out


def load_dataset(url: str, *, with_cases: bool = True) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        for s in DATA["sources"]:
            session.add(Source(id=s["id"], kind=s["kind"], name=s["name"], lang=s["lang"], base_url=s["base_url"],
                               schedule="0 * * * *", health=s["health"], health_reason=s.get("health_reason"),
                               last_run_at=_ts(s["last_run_at"]), created_at=_ts("2026-01-01T00:00:00+00:00")))
        session.flush()
        for r in DATA["crawl_runs"]:
            session.add(CrawlRun(source_id=r["source_id"], status=r["status"], started_at=_ts(r["started_at"]),
                                 finished_at=_ts(r["started_at"]), errors=r["errors"]))
        by_key = {d["key"]: add_document(session, d) for d in DATA["documents"]}
        for d in background(WEEK):
            add_document(session, d)
        if with_cases:
            for c in DATA["cases"]:
                case = Case(key=c["key"], origin="number", forum=c["forum"], jurisdiction=c["jurisdiction"],
                            title=c["title"], status=c["status"],
                            filed_on=dt.date.fromisoformat(c["filed_on"]) if c.get("filed_on") else None,
                            instituted_on=dt.date.fromisoformat(c["instituted_on"]) if c.get("instituted_on") else None,
                            last_activity_on=dt.date.fromisoformat(c["last_activity_on"]))
                session.add(case)
                session.flush()
                for key in c["documents"]:
                    session.add(CaseDocument(case_id=case.id, document_id=by_key[key].id, method="case_number",
                                             confidence=1.0))
                for ev in c["events"]:
                    session.add(CaseEvent(case_id=case.id, kind=ev["kind"], occurred_on=dt.date.fromisoformat(ev["on"]),
                                          date_basis="stated", document_id=by_key[ev["doc"]].id,
                                          detail=ev.get("detail")))
                for name, role, country in c["parties"]:
                    party = session.query(Party).filter_by(key=name).one_or_none()
                    if party is None:
                        party = Party(key=name, name=name, country=country)
                        session.add(party)
                        session.flush()
                    session.add(CaseParty(case_id=case.id, party_id=party.id, name=name, role=role, side=role,
                                          country=country))
        session.commit()
    engine.dispose()


@pytest.fixture
def report_db(initialised_db: str) -> str:
    load_dataset(initialised_db)
    return initialised_db


@pytest.fixture
def report_engine(report_db: str) -> Engine:
    engine = make_engine(report_db)
    yield engine  # type: ignore[misc]
    engine.dispose()
