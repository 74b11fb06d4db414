"""Case tables: one record per dispute, its numbers, parties, documents, dated events and per-field provenance.

A dispute is what an analyst follows (337-TA-1443, Nokia v OPPO at the Mannheim Regional Court); documents are
linked to it with evidence and a confidence. Analyst decisions (merge, unlink) live in their own table keyed by
stable natural keys, so a full rerun of the linker can rebuild every automatic link and then replay them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Party(Base):
    """A resolved legal entity (company, person, state body); ``key`` is the resolver's entity key."""

    __tablename__ = "party"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PartyAlias(Base):
    """A name as sources write it, and the decision that tied it to a party (method, score, who, when)."""

    __tablename__ = "party_alias"
    __table_args__ = (UniqueConstraint("party_id", "alias_norm"), Index("ix_party_alias_alias_norm", "alias_norm"))

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(500))
    alias_norm: Mapped[str] = mapped_column(String(500))
    lang: Mapped[str | None] = mapped_column(String(8))
    method: Mapped[str] = mapped_column(String(32))  # exact|normalised|alias|fuzzy|seed|analyst
    score: Mapped[float] = mapped_column(Float, default=1.0)
    decided_by: Mapped[str] = mapped_column(String(100))  # "resolver:<version>" or "analyst:<name>"
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Campaign(Base):
    """Cases that belong together: parallel proceedings between the same parties, or one plaintiff's wave."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # parallel|wave
    title: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# "case" is a reserved word in SQL (CASE WHEN …); every raw query and every other tool would have to quote it,
# so the table is called "dispute" while the Python class keeps the analysts' word.
class Case(Base):
    """One dispute in one forum. Its headline columns are the preferred values of its ``case_field`` rows."""

    __tablename__ = "dispute"
    __table_args__ = (
        Index("ix_dispute_forum_status", "forum", "status"),
        Index("ix_dispute_jurisdiction", "jurisdiction"),
        Index("ix_dispute_last_activity_on", "last_activity_on"),
        Index("ix_dispute_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)  # stable natural key, e.g. "usitc_337:337-TA-1443"
    origin: Mapped[str] = mapped_column(String(16))  # number|parties|analyst
    forum: Mapped[str | None] = mapped_column(String(64))
    jurisdiction: Mapped[str | None] = mapped_column(String(8))
    title: Mapped[str | None] = mapped_column(Text)
    ip_types: Mapped[list[Any]] = mapped_column(JSON, default=list)
    industries: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(32), default="unknown")
    filed_on: Mapped[dt.date | None]
    instituted_on: Mapped[dt.date | None]
    terminated_on: Mapped[dt.date | None]
    first_activity_on: Mapped[dt.date | None]
    last_activity_on: Mapped[dt.date | None]
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("dispute.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseNumber(Base):
    """A normalised case number; unique per kind (and court, for district dockets that repeat across courts)."""

    __tablename__ = "case_number"
    __table_args__ = (UniqueConstraint("kind", "court", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # usitc_337|usitc_docket|ptab|upc|us_district|...
    court: Mapped[str] = mapped_column(String(64), default="")  # "" where the number is unique on its own
    number: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseParty(Base):
    """A party in a case, with its role as the source words it, side, country and resolved entity."""

    __tablename__ = "case_party"
    __table_args__ = (UniqueConstraint("case_id", "party_id", "role"), Index("ix_case_party_party_id", "party_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(500))  # as first seen
    role: Mapped[str] = mapped_column(String(16))  # plaintiff|defendant|other
    role_raw: Mapped[str | None] = mapped_column(String(100))
    side: Mapped[str | None] = mapped_column(String(16))  # plaintiff|defendant: which side the right is asserted by
    country: Mapped[str | None] = mapped_column(String(2))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))


class CaseDocument(Base):
    """Link between a case and a document, with the evidence that made it and a confidence in [0, 1]."""

    __tablename__ = "case_document"
    __table_args__ = (UniqueConstraint("case_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(32))  # case_number|parties_forum|story|analyst
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    confidence: Mapped[float] = mapped_column(Float)
    linked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseEvent(Base):
    """A dated lifecycle event (complaint filed, instituted, final determination, settlement …) and its source."""

    __tablename__ = "case_event"
    __table_args__ = (UniqueConstraint("case_id", "kind", "occurred_on", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    occurred_on: Mapped[dt.date]
    date_basis: Mapped[str] = mapped_column(String(16))  # stated (the source gives the date) | published
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseField(Base):
    """One value of one case field as one document gave it; conflicting values from other sources are kept."""

    __tablename__ = "case_field"
    __table_args__ = (UniqueConstraint("case_id", "field", "value_key", "document_id"),
                      Index("ix_case_field_first_seen_at", "first_seen_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    value: Mapped[Any] = mapped_column(JSON)
    value_key: Mapped[str] = mapped_column(String(64))  # sha256 of the canonical JSON value
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(String(64))
    retrieved_at: Mapped[dt.datetime]
    first_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CampaignCase(Base):
    """Membership of a case in a campaign, with the evidence (shared parties, patents)."""

    __tablename__ = "campaign_case"
    __table_args__ = (UniqueConstraint("campaign_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute.id", ondelete="CASCADE"), index=True)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CaseDecision(Base):
    """An analyst's merge or unlink, keyed by stable keys (case keys, source + canonical URL) to survive reruns."""

    __tablename__ = "case_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(16))  # merge|unlink
    case_key: Mapped[str] = mapped_column(String(300))  # merge: the case kept; unlink: the case left
    other_case_key: Mapped[str | None] = mapped_column(String(300))  # merge: the case absorbed
    source_id: Mapped[str | None] = mapped_column(String(64))  # unlink: the document, by its stable identity
    canonical_url: Mapped[str | None] = mapped_column(String(700))
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)


class CaseLinkState(Base):
    """Which documents the linker has seen, and when: ``only_new`` linking reads documents tagged since."""

    __tablename__ = "case_link_state"

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    linked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    linker_version: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))  # linked|unlinked|skipped
