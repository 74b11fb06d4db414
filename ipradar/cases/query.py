"""Reading cases: filtered lists, one case in full (timeline, parties, sources, provenance), changes since a date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from ..db.models import Document
from ..db.models.cases import Case, CaseDocument, CaseEvent, CaseField, CaseNumber, CaseParty, Party, PartyAlias
from .events import derive_status
from .numbers import extract
from .parties import FallbackResolver, normalise_name
from .related import related_cases

CN_COUNTRIES = ("CN", "HK", "MO")


@dataclass
class CaseFilter:
    forum: str | None = None
    jurisdiction: str | None = None
    status: str | None = None
    party: str | None = None
    number: str | None = None
    cn_party: bool = False
    active_since: dt.date | None = None  # last activity on or after
    changed_since: dt.datetime | None = None  # case record updated on or after
    limit: int = 50
    offset: int = 0


def _date(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def list_query(f: CaseFilter) -> Select[Any]:
    q = select(Case).where(Case.merged_into_id.is_(None))
    if f.forum:
        q = q.where(or_(Case.forum == f.forum, Case.forum.like(f"{f.forum}:%")))
    if f.jurisdiction:
        q = q.where(Case.jurisdiction == f.jurisdiction.upper())
    if f.status:
        q = q.where(Case.status == f.status)
    if f.active_since:
        q = q.where(Case.last_activity_on >= f.active_since)
    if f.changed_since:
        q = q.where(Case.updated_at >= f.changed_since)
    if f.number:
        nos = extract(f.number)
        cond = (CaseNumber.kind == nos[0].kind) & (CaseNumber.number == nos[0].number) if nos else \
            CaseNumber.number == f.number.strip()
        q = q.where(Case.id.in_(select(CaseNumber.case_id).where(cond)))
    if f.party:
        res = FallbackResolver().resolve(f.party)
        norm = normalise_name(f.party)
        pids = select(Party.id).where(or_(Party.key == (res.key if res else norm), Party.id.in_(
            select(PartyAlias.party_id).where(PartyAlias.alias_norm == norm))))
        q = q.where(Case.id.in_(select(CaseParty.case_id).where(CaseParty.party_id.in_(pids))))
    if f.cn_party:
        q = q.where(exists().where(CaseParty.case_id == Case.id, CaseParty.country.in_(CN_COUNTRIES)))
    return q.order_by(Case.last_activity_on.desc().nulls_last(), Case.id.desc()).limit(f.limit).offset(f.offset)


def list_cases(session: Session, f: CaseFilter) -> list[dict[str, Any]]:
    cases: list[Case] = list(session.scalars(list_query(f)))
    ids = [c.id for c in cases]
    numbers: dict[int, list[str]] = defaultdict(list)
    docs: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if ids:
        for cid, _kind, court, number in session.execute(
                select(CaseNumber.case_id, CaseNumber.kind, CaseNumber.court, CaseNumber.number)
                .where(CaseNumber.case_id.in_(ids)).order_by(CaseNumber.id)):
            numbers[cid].append(f"{number} ({court})" if court else number)
        for cid, did, url, source in session.execute(
                select(CaseDocument.case_id, Document.id, Document.canonical_url, Document.source_id)
                .join(Document, Document.id == CaseDocument.document_id)
                .where(CaseDocument.case_id.in_(ids)).order_by(Document.published_on, Document.id)):
            docs[cid].append({"id": did, "url": url, "source_id": source})
    return [{"id": c.id, "key": c.key, "case_numbers": numbers[c.id], "forum": c.forum,
             "jurisdiction": c.jurisdiction, "status": c.status, "title": c.title, "filed_on": _date(c.filed_on),
             "last_activity_on": _date(c.last_activity_on), "documents": docs[c.id]} for c in cases]


def case_detail(session: Session, case_id: int, *, since: dt.date | None = None) -> dict[str, Any] | None:
    case = session.get(Case, case_id)
    if case is None:
        return None
    numbers = [{"kind": n.kind, "number": n.number, "court": n.court or None} for n in session.scalars(
        select(CaseNumber).where(CaseNumber.case_id == case_id).order_by(CaseNumber.id))]
    parties = [{"name": cp.name, "role": cp.role, "role_raw": cp.role_raw, "side": cp.side, "country": cp.country,
                "entity": key, "source_document": cp.document_id} for cp, key in session.execute(
        select(CaseParty, Party.key).join(Party, Party.id == CaseParty.party_id)
        .where(CaseParty.case_id == case_id).order_by(CaseParty.role.desc(), CaseParty.id))]
    documents = [{"id": d.id, "url": d.canonical_url, "source_id": d.source_id, "title": d.title, "lang": d.lang,
                  "published": _date(d.published_on), "method": cd.method, "confidence": cd.confidence,
                  "evidence": cd.evidence, "linked_at": cd.linked_at.isoformat()} for cd, d in session.execute(
        select(CaseDocument, Document).join(Document, Document.id == CaseDocument.document_id)
        .where(CaseDocument.case_id == case_id).order_by(Document.published_on, Document.id))]
    timeline = [{"date": e.occurred_on.isoformat(), "event": e.kind, "date_basis": e.date_basis,
                 "document": e.document_id, "detail": e.detail} for e in session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.occurred_on, CaseEvent.id))]
    fields: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in session.scalars(select(CaseField).where(CaseField.case_id == case_id).order_by(CaseField.id)):
        fields[f.field].append({"value": f.value, "document": f.document_id, "source_id": f.source_id,
                                "retrieved_at": f.retrieved_at.isoformat(),
                                "first_seen_at": f.first_seen_at.isoformat(),
                                "last_seen_at": f.last_seen_at.isoformat()})
    related = [{"campaign": c.key, "kind": c.kind, "title": c.title, "cases": others}
               for c, others in related_cases(session, case_id)]
    out: dict[str, Any] = {
        "id": case.id, "key": case.key, "title": case.title, "forum": case.forum, "jurisdiction": case.jurisdiction,
        "status": case.status, "ip_types": case.ip_types, "industries": case.industries,
        "filed_on": _date(case.filed_on), "instituted_on": _date(case.instituted_on),
        "terminated_on": _date(case.terminated_on), "first_activity_on": _date(case.first_activity_on),
        "last_activity_on": _date(case.last_activity_on), "merged_into": case.merged_into_id,
        "case_numbers": numbers, "parties": parties, "timeline": timeline, "documents": documents,
        "fields": dict(fields), "related": related}
    if since is not None:
        out["changes"] = changes_since(session, case_id, since)
    return out


def changes_since(session: Session, case_id: int, since: dt.date) -> dict[str, Any]:
    """What is new about a case since ``since``: events, documents, field values, and the status move.

    "New" means it happened on or after ``since`` or we first saw the reporting document then; both survive a full
    relink (which rewrites every link row, but never a document's ``first_seen_at``).
    """
    moment = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
    events = list(session.execute(select(CaseEvent.kind, CaseEvent.occurred_on, Document.first_seen_at,
                                         CaseEvent.document_id).join(Document, Document.id == CaseEvent.document_id)
                                  .where(CaseEvent.case_id == case_id)))
    before = derive_status((k, d) for k, d, _, _ in events if d < since)  # the dispute's status on that day
    now = derive_status((k, d) for k, d, _, _ in events)
    new_events = sorted(({"date": d.isoformat(), "event": k, "document": doc} for k, d, seen, doc in events
                         if d >= since or seen >= moment), key=lambda e: str(e["date"]))
    new_docs = [{"id": did, "url": url, "published": _date(pub), "first_seen_at": seen.isoformat()}
                for did, url, pub, seen in session.execute(
        select(Document.id, Document.canonical_url, Document.published_on, Document.first_seen_at)
        .join(CaseDocument, CaseDocument.document_id == Document.id)
        .where(CaseDocument.case_id == case_id, or_(Document.first_seen_at >= moment,
                                                     Document.published_on >= since)).order_by(Document.id))]
    old_values = {(f, vk) for f, vk in session.execute(
        select(CaseField.field, CaseField.value_key).join(Document, Document.id == CaseField.document_id)
        .where(CaseField.case_id == case_id, Document.first_seen_at < moment))}
    new_values = [{"field": f.field, "value": f.value, "document": f.document_id}
                  for f in session.scalars(select(CaseField).join(Document, Document.id == CaseField.document_id)
                                           .where(CaseField.case_id == case_id, Document.first_seen_at >= moment)
                                           .order_by(CaseField.id))
                  if (f.field, f.value_key) not in old_values]
    return {"since": since.isoformat(), "status_before": before, "status_now": now, "events": new_events,
            "documents": new_docs, "field_values": new_values}


def count_cases(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Case).where(Case.merged_into_id.is_(None))) or 0
