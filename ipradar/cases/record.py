"""The case record: per-field provenance rows, and the headline columns recomputed from fields and events."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Document, utcnow
from ..db.models.cases import Case, CaseDocument, CaseEvent, CaseField, CaseParty
from .events import TERMINAL, derive_status

# Official sources outrank news for a headline value; within a rank the earliest value wins (it was first).
OFFICIAL_PREFIXES = ("us_usitc", "us_federalregister", "us_uspto", "us_ptab", "eu_upc", "us_courtlistener",
                     "us_pacer", "cn_court", "de_court")


def value_key(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def record_fields(session: Session, case_id: int, document_id: int, source_id: str, retrieved_at: dt.datetime,
                  values: dict[str, Any]) -> int:
    """Store each value with its source; a value seen again from the same document only moves ``last_seen_at``."""
    now, added = utcnow(), 0
    for name, value in values.items():
        vk = value_key(value)
        row = session.scalar(select(CaseField).where(CaseField.case_id == case_id, CaseField.field == name,
                                                     CaseField.value_key == vk, CaseField.document_id == document_id))
        if row is None:
            session.add(CaseField(case_id=case_id, field=name, value=value, value_key=vk, document_id=document_id,
                                  source_id=source_id, retrieved_at=retrieved_at, first_seen_at=now,
                                  last_seen_at=now))
            added += 1
        else:
            row.last_seen_at = now
    return added


def _rank(source_id: str) -> int:
    return 0 if source_id.startswith(OFFICIAL_PREFIXES) else 1


def recompute(session: Session, case_ids: Iterable[int]) -> None:
    """Headline columns of these cases from their fields, events, parties and documents (bulk queries)."""
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), 500):
        _recompute_chunk(session, ids[start:start + 500])


def _recompute_chunk(session: Session, ids: list[int]) -> None:
    session.flush()
    fields: dict[int, list[CaseField]] = defaultdict(list)
    for f in session.scalars(select(CaseField).where(CaseField.case_id.in_(ids))):
        fields[f.case_id].append(f)
    events: dict[int, list[tuple[str, dt.date, str]]] = defaultdict(list)
    for ce in session.execute(select(CaseEvent.case_id, CaseEvent.kind, CaseEvent.occurred_on, CaseEvent.date_basis)
                              .where(CaseEvent.case_id.in_(ids))):
        events[ce.case_id].append((ce.kind, ce.occurred_on, ce.date_basis))
    parties: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for cp in session.execute(select(CaseParty.case_id, CaseParty.name, CaseParty.role)
                              .where(CaseParty.case_id.in_(ids)).order_by(CaseParty.id)):
        parties[cp.case_id].append((cp.name, cp.role))
    days: dict[int, list[dt.date]] = defaultdict(list)
    for cd in session.execute(select(CaseDocument.case_id, Document.published_on, Document.first_seen_at)
                              .join(Document, Document.id == CaseDocument.document_id)
                              .where(CaseDocument.case_id.in_(ids))):
        days[cd.case_id].append(cd.published_on or cd.first_seen_at.date())
    now = utcnow()
    for case in session.scalars(select(Case).where(Case.id.in_(ids))):
        if case.merged_into_id is not None:
            continue
        by_field: dict[str, list[CaseField]] = defaultdict(list)
        for f in fields[case.id]:
            by_field[f.field].append(f)
        for rows in by_field.values():
            rows.sort(key=lambda r: (_rank(r.source_id), r.first_seen_at, r.id or 0))
        title = by_field["title"][0].value if by_field.get("title") else None
        if not title:
            pla = [n for n, r in parties[case.id] if r == "plaintiff"]
            dfd = [n for n, r in parties[case.id] if r == "defendant"]
            if pla and dfd:
                title = f"{pla[0]} v. {dfd[0]}" + (" et al." if len(dfd) > 1 else "")
            elif len(parties[case.id]) >= 2:
                title = " / ".join(n for n, _ in parties[case.id][:3])  # roles unknown: no "v."
        ip_types = sorted({str(v) for f in by_field.get("ip_types", []) for v in f.value})
        industries = sorted({str(v) for f in by_field.get("industries", []) for v in f.value})
        evs = events[case.id]
        status = derive_status((k, d) for k, d, _ in evs) if evs else "unknown"

        def first(kinds: set[str], evs: list[tuple[str, dt.date, str]] = evs) -> dt.date | None:
            # A date the source states beats a date inferred from when a report was published.
            stated = [d for k, d, b in evs if k in kinds and b == "stated"]
            inferred = [d for k, d, b in evs if k in kinds]
            return min(stated) if stated else min(inferred) if inferred else None

        all_days = [d for _, d, _ in evs] + days[case.id]
        values = {"title": title, "ip_types": ip_types, "industries": industries, "status": status,
                  "filed_on": first({"complaint_filed"}), "instituted_on": first({"instituted"}),
                  "terminated_on": first(set(TERMINAL)) if status in TERMINAL.values() else None,
                  "first_activity_on": min(all_days) if all_days else None,
                  "last_activity_on": max(all_days) if all_days else None}
        changed = {k: v for k, v in values.items() if getattr(case, k) != v}
        if changed:
            for k, v in changed.items():
                setattr(case, k, v)
            case.updated_at = now
