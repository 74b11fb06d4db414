"""Core tables: sources, crawl runs, raw payloads, documents and their tags (DESIGN.md §3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow


class Source(Base):
    """One crawlable source; metadata mirrors the spider's attributes, health is written after each run."""

    __tablename__ = "source"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(8))
    base_url: Mapped[str] = mapped_column(String(500))
    schedule: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(default=True)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    health: Mapped[str] = mapped_column(String(16), default="unknown")  # unknown|ok|warning|failing
    health_reason: Mapped[str | None] = mapped_column(Text)
    last_run_at: Mapped[dt.datetime | None]
    last_items: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CrawlRun(Base):
    """One run of one source: counts, errors and warnings, so a silent source is visible."""

    __tablename__ = "crawl_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")  # running|ok|partial|failed
    base_url: Mapped[str | None] = mapped_column(String(500))
    pages: Mapped[int] = mapped_column(default=0)
    items_seen: Mapped[int] = mapped_column(default=0)
    items_new: Mapped[int] = mapped_column(default=0)
    items_updated: Mapped[int] = mapped_column(default=0)
    items_duplicate: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)


class RawPayload(Base):
    """A fetched body, stored gzip-compressed and content-addressed under the archive directory."""

    __tablename__ = "raw_payload"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    path: Mapped[str] = mapped_column(String(200))  # relative to Settings.archive_dir
    content_type: Mapped[str | None] = mapped_column(String(200))
    first_fetched_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Fetch(Base):
    """What was fetched when, from where, with what answer: the audit trail behind every document."""

    __tablename__ = "fetch"

    id: Mapped[int] = mapped_column(primary_key=True)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"), index=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"))
    url: Mapped[str] = mapped_column(String(2000))
    method: Mapped[str] = mapped_column(String(8), default="GET")
    status: Mapped[int]
    fetched_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sha256: Mapped[str | None] = mapped_column(ForeignKey("raw_payload.sha256"))


class SourceCursor(Base):
    """Per-source incremental state (last date_modified, ETag of a feed, last snapshot id, …)."""

    __tablename__ = "source_cursor"

    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Document(Base):
    """One item as collected. Unique per source by canonical URL and by content hash, so reruns never duplicate."""

    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint("source_id", "canonical_url"),
        UniqueConstraint("source_id", "content_hash"),
        Index("ix_document_published_on", "published_on"),
        Index("ix_document_first_seen_at", "first_seen_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"))
    url: Mapped[str] = mapped_column(String(2000))
    canonical_url: Mapped[str] = mapped_column(String(700))
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(8))
    doc_type: Mapped[str] = mapped_column(String(40))
    published_on: Mapped[dt.date | None]
    published_at: Mapped[dt.datetime | None]
    first_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    fetched_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    raw_sha256: Mapped[str | None] = mapped_column(ForeignKey("raw_payload.sha256"))
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    case_numbers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    parties: Mapped[list[Any]] = mapped_column(JSON, default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    tagged_at: Mapped[dt.datetime | None]
    tag_model_version: Mapped[str | None] = mapped_column(String(64))
    analysis: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # full tagger output (classify contract shape)
    story_id: Mapped[int | None] = mapped_column(ForeignKey("story.id"), index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)  # near-duplicate signature (uint32 × 64)

    source: Mapped[Source] = relationship()
    tags: Mapped[list[Tag]] = relationship(back_populates="document", cascade="all, delete-orphan")


class Tag(Base):
    """One label of one dimension on one document, with its score and the model that gave it."""

    __tablename__ = "tag"
    __table_args__ = (
        UniqueConstraint("document_id", "dimension", "label"),
        Index("ix_tag_dimension_label", "dimension", "label"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    dimension: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float, default=1.0)
    model_version: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    document: Mapped[Document] = relationship(back_populates="tags")
