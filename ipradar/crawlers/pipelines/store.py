"""Store documents idempotently: keyed by (source, canonical URL), then by (source, content hash).

Each item is committed on its own, so a crash (even kill -9) loses at most the item in flight, and the raw body of
that page is already in the archive.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...db.models import Document, utcnow
from ..items import DocumentItem
from ..stories import StoryIndex, assign_story
from .dedupe import Duplicate
from .normalise import content_hash
from .validate import parse_published

UPDATABLE = ("title", "text", "lang", "doc_type", "case_numbers", "parties", "extra", "warnings")


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stories: StoryIndex | None = None

    def _story(self, session: Any, doc: Document) -> None:
        """Near-duplicates across sources join one story (the document itself is always kept)."""
        if self.stories is None:
            self.stories = StoryIndex.load(session)
        assign_story(session, self.stories, doc)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        assert isinstance(item, DocumentItem)
        recorder = self.crawler.ipradar_recorder  # type: ignore[attr-defined]
        session, run = recorder.session, recorder.run
        recorder.count("items_seen")
        digest = content_hash(item.title, item.text)
        canonical = item.canonical_url or item.url
        published_on, published_at = parse_published(item.published) if item.published else (None, None)
        now = utcnow()
        existing = session.scalar(select(Document).where(Document.source_id == item.source_id,
                                                         Document.canonical_url == canonical))
        if existing is not None:
            existing.last_seen_at = now
            if existing.content_hash == digest:
                recorder.count("items_duplicate")
                session.commit()
                raise Duplicate(f"{item.url}: unchanged since {existing.fetched_at:%Y-%m-%d}")
            for name in UPDATABLE:
                setattr(existing, name, getattr(item, name))
            existing.content_hash, existing.fetched_at, existing.raw_sha256 = digest, now, item.raw_sha256
            existing.published_on, existing.published_at = published_on, published_at
            existing.tagged_at = None  # changed content is tagged again
            existing.crawl_run_id = run.id
            self._story(session, existing)
            recorder.count("items_updated")
            session.commit()
            return item
        if session.scalar(select(Document.id).where(Document.source_id == item.source_id,
                                                    Document.content_hash == digest)) is not None:
            recorder.count("items_duplicate")
            session.commit()
            raise Duplicate(f"{item.url}: same content already stored under another URL")
        doc = Document(source_id=item.source_id, url=item.url, canonical_url=canonical,
                       content_hash=digest, published_on=published_on, published_at=published_at,
                       first_seen_at=now, last_seen_at=now, fetched_at=now, raw_sha256=item.raw_sha256,
                       crawl_run_id=run.id, **{name: getattr(item, name) for name in UPDATABLE})
        session.add(doc)
        try:
            session.commit()
        except IntegrityError as exc:  # a concurrent writer got there first: still no duplicate
            session.rollback()
            recorder.count("items_duplicate")
            session.commit()
            raise Duplicate(f"{item.url}: stored concurrently") from exc
        self._story(session, doc)
        recorder.count("items_new")
        session.commit()
        return item
