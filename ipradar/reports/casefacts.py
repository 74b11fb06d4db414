"""What the reports need from the case records (ipradar.cases), behind one small interface.

Reports work from documents alone; when documents are linked to cases, cards gain the case's status and dated
events, and the outcomes section lists the week's closures and decisions. ``DbCaseFacts`` reads the case tables;
``NoCaseFacts`` stands in on databases without them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from ..db.models.cases import Case, CaseDocument, CaseEvent, CaseParty
from .i18n import N_
from .provenance import Provenance

CN = frozenset({"CN", "HK", "MO"})

# Event kinds that close a case or decide something in it; anything else is procedural.
OUTCOME_KINDS: dict[str, str] = {
    "final_determination": N_("Final determination"),
    "initial_determination": N_("Initial determination"),
    "exclusion_order": N_("Exclusion order issued"),
    "general_exclusion_order": N_("General exclusion order issued"),
    "limited_exclusion_order": N_("Limited exclusion order issued"),
    "cease_and_desist_order": N_("Cease and desist order issued"),
    "final_written_decision": N_("Final written decision"),
    "judgment": N_("Judgment"),
    "default_judgment": N_("Default judgment"),
    "verdict": N_("Verdict"),
    "decision": N_("Decision"),
    "settlement": N_("Settlement"),
    "settled": N_("Settlement"),
    "consent_order": N_("Consent order"),
    "withdrawn": N_("Withdrawn"),
    "dismissed": N_("Dismissed"),
    "terminated": N_("Terminated"),
}
EVENT_KINDS: dict[str, str] = {
    "complaint_filed": N_("Complaint filed"),
    "filed": N_("Filed"),
    "instituted": N_("Instituted"),
    "institution": N_("Instituted"),
    **OUTCOME_KINDS,
}


@dataclass
class EventView:
    kind: str
    label: str  # English; translated in the template
    occurred_on: dt.date
    detail: str | None


@dataclass
class CaseSummary:
    id: int
    key: str
    forum: str | None
    status: str
    filed_on: dt.date | None
    instituted_on: dt.date | None
    terminated_on: dt.date | None
    events: list[EventView] = field(default_factory=list)


@dataclass
class OutcomeView:
    case_id: int
    case_key: str
    title: str
    forum: str | None
    jurisdiction: str | None
    event: EventView
    cn_parties: list[str]


class CaseFacts(Protocol):
    def for_documents(self, session: Session, prov: Provenance, doc_ids: Sequence[int]) -> dict[int, CaseSummary]:
        """The case each document is linked to (the most confident link), with its events."""
        ...

    def outcomes(self, session: Session, prov: Provenance, start: dt.date, end: dt.date) -> list[OutcomeView]:
        """Decisions and closures dated in [start, end)."""
        ...


class NoCaseFacts:
    def for_documents(self, session: Session, prov: Provenance, doc_ids: Sequence[int]) -> dict[int, CaseSummary]:
        return {}

    def outcomes(self, session: Session, prov: Provenance, start: dt.date, end: dt.date) -> list[OutcomeView]:
        return []


def event_view(ev: CaseEvent) -> EventView:
    return EventView(ev.kind, EVENT_KINDS.get(ev.kind, ev.kind), ev.occurred_on, ev.detail)


class DbCaseFacts:
    """Reads ipradar.cases' tables; every query is bounded by document ids or by an indexed date."""

    def for_documents(self, session: Session, prov: Provenance, doc_ids: Sequence[int]) -> dict[int, CaseSummary]:
        if not doc_ids:
            return {}
        stmt = (select(CaseDocument.document_id, Case).join(Case, Case.id == CaseDocument.case_id)
                .where(CaseDocument.document_id.in_(sorted(doc_ids)), Case.merged_into_id.is_(None))
                .order_by(CaseDocument.document_id, CaseDocument.confidence.desc(), Case.id))
        _, rows = prov.run(session, "Cases linked to this week's items", stmt)
        out: dict[int, CaseSummary] = {}
        for doc_id, case in rows:
            if doc_id not in out:
                out[doc_id] = CaseSummary(case.id, case.key, case.forum, case.status, case.filed_on,
                                          case.instituted_on, case.terminated_on)
        case_ids = sorted({c.id for c in out.values()})
        if case_ids:
            ev_stmt = (select(CaseEvent).where(CaseEvent.case_id.in_(case_ids))
                       .order_by(CaseEvent.case_id, CaseEvent.occurred_on, CaseEvent.kind, CaseEvent.id))
            _, ev_rows = prov.run(session, "Dated events of the linked cases", ev_stmt)
            by_case: dict[int, list[EventView]] = {}
            for (ev,) in ev_rows:
                by_case.setdefault(ev.case_id, []).append(event_view(ev))
            for summary in out.values():
                summary.events = by_case.get(summary.id, [])
        return out

    def outcomes(self, session: Session, prov: Provenance, start: dt.date, end: dt.date) -> list[OutcomeView]:
        # Two steps so each uses an index: cases active since ``start`` (dispute.last_activity_on, which is at
        # least the date of any event), then their events by case id. case_event has no index on occurred_on.
        active = select(Case.id).where(Case.last_activity_on >= start, Case.merged_into_id.is_(None))
        _, active_rows = prov.run(session, "Cases active since the start of the period", active)
        ids = sorted(i for (i,) in active_rows)
        if not ids:
            return []
        stmt = (select(CaseEvent, Case).join(Case, Case.id == CaseEvent.case_id)
                .where(CaseEvent.case_id.in_(ids), CaseEvent.occurred_on >= start, CaseEvent.occurred_on < end,
                       CaseEvent.kind.in_(sorted(OUTCOME_KINDS)))
                .order_by(CaseEvent.occurred_on, Case.key, CaseEvent.kind, CaseEvent.id))
        _, rows = prov.run(session, "Decisions and closures dated in the period", stmt)
        case_ids = sorted({case.id for _, case in rows})
        cn: dict[int, list[str]] = {}
        if case_ids:
            p_stmt = (select(CaseParty.case_id, CaseParty.name).where(
                CaseParty.case_id.in_(case_ids), CaseParty.country.in_(sorted(CN)))
                .order_by(CaseParty.case_id, CaseParty.name))
            _, p_rows = prov.run(session, "Chinese parties of those cases", p_stmt)
            for case_id, name in p_rows:
                cn.setdefault(case_id, []).append(name)
        return [OutcomeView(case.id, case.key, case.title or case.key, case.forum, case.jurisdiction, event_view(ev),
                            cn.get(case.id, [])) for ev, case in rows]


def case_facts_for(session: Session) -> CaseFacts:
    tables = set(inspect(session.get_bind()).get_table_names())
    return DbCaseFacts() if {"dispute", "case_document", "case_event"} <= tables else NoCaseFacts()
