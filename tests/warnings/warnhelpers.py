"""Helpers for the warning tests: documents written the way the crawlers and the tagger store them, with real
facts from USITC releases and CourtListener dockets; a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from sqlalchemy.orm import Session

from ipradar.db.models import Document, Source, Story

UTC = dt.UTC


def add_source(session: Session, source_id: str) -> None:
    if session.get(Source, source_id) is None:
        session.add(Source(id=source_id, kind="html", name=source_id, lang="en", base_url="https://example.invalid",
                           schedule="0 * * * *"))
        session.flush()


def add_doc(session: Session, *, source_id: str, url: str, title: str, published: dt.date, text: str = "",
            case_numbers: list[str] | None = None, parties: list[dict[str, Any]] | None = None,
            extra: dict[str, Any] | None = None, analysis: dict[str, Any] | None = None, story_id: int | None = None,
            doc_type: str = "news_release", tagger: str = "nlp-test-1") -> Document:
    add_source(session, source_id)
    parties = parties or []
    default_analysis: dict[str, Any] = {
        "relevant": True, "lang": "en", "jurisdictions": ["US"], "industries": [], "risk_types": [],
        "cn_party": {"involved": False, "side": None}, "parties": parties, "case_numbers": case_numbers or [],
        "forums": [], "severity": {"level": "medium", "score": 50, "reasons": ["test severity reason"]}}
    doc = Document(source_id=source_id, url=url, canonical_url=url,
                   content_hash=hashlib.sha256(f"{source_id}{url}".encode()).hexdigest(), title=title,
                   text=text or title, lang="en", doc_type=doc_type, published_on=published,
                   case_numbers=case_numbers or [], parties=parties, extra=extra or {},
                   analysis={**default_analysis, **(analysis or {})}, tagged_at=dt.datetime.now(UTC),
                   tag_model_version=tagger, story_id=story_id)
    session.add(doc)
    session.flush()
    return doc


def add_story(session: Session, title: str) -> int:
    story = Story(title=title)
    session.add(story)
    session.flush()
    return story.id


def aligners_337(session: Session, published: dt.date = dt.date(2025, 12, 19)) -> Document:
    """USITC release 25-130: 337-TA-1471, clear aligners (Align Technology v. Angelalign and others)."""
    parties = [
        {"name": "Align Technology, Inc.", "role": "plaintiff", "role_raw": "complainant", "city": "Tempe",
         "region": "AZ", "country": "US"},
        {"name": "Angelalign Technology Inc.", "role": "defendant", "role_raw": "respondent", "city": "Shanghai",
         "region": None, "country": "CN"},
        {"name": "Wuxi EA Medical Instruments Technologies Co., Ltd.", "role": "defendant", "role_raw": "respondent",
         "city": None, "region": "Jiangsu", "country": "CN"},
        {"name": "Shanghai EA Medical Instruments Co., Ltd.", "role": "defendant", "role_raw": "respondent",
         "city": "Shanghai", "region": None, "country": "CN"}]
    return add_doc(
        session, source_id="us_usitc_337", url="https://www.usitc.gov/press_room/news_release/2025/er1219_25-130.htm",
        title="USITC Institutes Section 337 Investigation of Certain Clear Aligners and Components Thereof",
        published=published, case_numbers=["337-TA-1471"], parties=parties,
        extra={"investigation_number": "337-TA-1471", "products": "clear aligners and components thereof",
               "complaint_filed": "2025-09-23", "institution_date": published.isoformat(),
               "remedies_requested": ["limited_exclusion_order", "cease_and_desist_order"], "ip_types": ["patent"]},
        analysis={"jurisdictions": ["US"], "industries": ["biomedicine"],
                  "risk_types": ["section_337", "patent_infringement"],
                  "cn_party": {"involved": True, "side": "defendant"}, "forums": ["USITC"],
                  "severity": {"level": "high", "score": 70, "reasons": [
                      "Section 337 investigation: exclusion from the US market is at stake",
                      "3 Chinese respondent(s) named"]}})


def aligners_edis(session: Session, published: dt.date = dt.date(2025, 12, 19)) -> Document:
    """The EDIS notice of investigation of the same case: another source, one dispute."""
    return add_doc(session, source_id="us_usitc_edis_rss", url="https://edis.usitc.gov/external/search/document/874310",
                   title="Notice of Investigation", published=published, case_numbers=["337-TA-1471"],
                   doc_type="edis_document", extra={"investigation_number": "337-TA-1471"},
                   analysis={"risk_types": ["section_337"], "severity": {"level": "medium", "score": 40,
                                                                         "reasons": ["Section 337"]}})


def ktm_schedule_a(session: Session, published: dt.date = dt.date(2025, 6, 17)) -> Document:
    """CourtListener docket 1:25-cv-06682 (N.D. Ill.): KTM AG v. the Schedule "A" sellers."""
    return add_doc(
        session, source_id="us_courtlistener_dockets", url="https://www.courtlistener.com/docket/70511948/",
        title='KTM AG v. The Partnerships and Unincorporated Associations Identified on Schedule "A"',
        published=published, case_numbers=["1:25-cv-06682"], doc_type="docket",
        parties=[{"name": "KTM AG", "role": "plaintiff", "role_raw": "Plaintiff", "city": None, "region": None,
                  "country": "AT"},
                 {"name": 'The Partnerships and Unincorporated Associations Identified on Schedule "A"',
                  "role": "defendant", "role_raw": "Defendant", "city": None, "region": None, "country": None}],
        extra={"court_id": "ilnd", "jurisdiction": "US-DCT:ilnd", "nature_of_suit_code": "840",
               "date_filed": published.isoformat(), "ip_types": ["trademark"]},
        analysis={"risk_types": ["trademark"], "industries": ["consumer_goods"],
                  "severity": {"level": "medium", "score": 45, "reasons": ["Schedule A suit"]}})


# -- a real SMTP server --------------------------------------------------------------------------------------------
@dataclass
class SmtpSink:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def smtp_server_impl() -> Iterator[SmtpSink]:
    """aiosmtpd on 127.0.0.1: every message it receives is parsed into ``sink.messages``."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink("127.0.0.1", free_port())
    lock = threading.Lock()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            msg = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(msg, EmailMessage)
            with lock:
                sink.messages.append(msg)
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
