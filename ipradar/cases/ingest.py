"""``ipradar ingest FILE.jsonl``: bulk-load documents (an existing archive, a partner's export) idempotently.

Two line formats are recognised per line: the crawler's DocDict (has ``source_id`` and ``doc_type``) and the
``classify`` input (``id``, ``title``/``text``, ``lang``, ``url``, ``published``) plus an optional ``source``.
Documents are keyed like crawled ones — (source, canonical URL), then (source, content hash) — so a second load of
the same file adds nothing, and a changed text is stored and queued for tagging again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..crawlers.pipelines.normalise import canonical_url, clean_text, content_hash
from ..db.models import Document, Source, utcnow

DEFAULT_SOURCE = "ingest"
LANGS = {"en", "zh", "de", "fr", "ja", "ko", "es", "it", "nl", "pt", "ru"}
_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,63}$")
# Archives carry partial dates ("2023", "2018-09"); they are stored as the period's first day and the raw value
# is kept in extra["published_raw"], so nobody mistakes the day for a stated one.
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$")


class LineError(ValueError):
    """One input line cannot be loaded; the message names the field."""


@dataclass
class IngestStats:
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Record:
    source_id: str
    url: str | None
    ext_id: str | None
    title: str
    text: str
    lang: str | None
    published: str | None
    doc_type: str
    case_numbers: list[str]
    parties: list[dict[str, Any]]
    extra: dict[str, Any]
    fmt: str
    warnings: list[str] = field(default_factory=list)


def classify_line(obj: Any) -> Record:
    """Recognise the format of one decoded line and check it; raises :class:`LineError`."""
    if not isinstance(obj, Mapping):
        raise LineError("a line must be a JSON object")
    fmt = "docdict" if "source_id" in obj and "doc_type" in obj else "classify"
    source = obj.get("source_id") if fmt == "docdict" else obj.get("source", DEFAULT_SOURCE)
    if not isinstance(source, str) or not _SOURCE_ID.match(source):
        raise LineError(f"field 'source': {source!r} is not a source id (lower-case letters, digits, _ . -)")
    ext_id = obj.get("id")
    if fmt == "classify" and (not isinstance(ext_id, str | int) or not str(ext_id).strip()):
        raise LineError("field 'id' is required (a non-empty string)")
    title, text = obj.get("title") or "", obj.get("text") or ""
    if not isinstance(title, str) or not isinstance(text, str):
        raise LineError("fields 'title' and 'text' must be strings")
    if not title.strip() and not text.strip():
        raise LineError("one of 'title' or 'text' is required")
    lang = obj.get("lang")
    if lang is not None and (not isinstance(lang, str) or lang not in LANGS):
        raise LineError(f"field 'lang': {lang!r} is not one of {', '.join(sorted(LANGS))} or null")
    warnings: list[str] = []
    published = obj.get("published")
    if published is not None and not isinstance(published, str):
        raise LineError(f"field 'published': {published!r} is not a string")
    if published is not None and not _DATE.match(published):
        # Real archives hold "2024/2025" or "spring 2023": keep the year when one leads, say so, go on.
        year = re.match(r"^(19|20)\d{2}\b", published)
        warnings.append(f"field 'published': {published!r} is not a date; "
                        + (f"kept the year {year.group(0)}" if year else "stored without a date"))
        published = year.group(0) if year else None
    url = obj.get("url")
    if url is not None and not isinstance(url, str):
        raise LineError(f"field 'url': {url!r} is not a string")
    if url is not None and not re.match(r"^https?://", url):
        warnings.append(f"field 'url': {url[:60]!r} is not an http(s) URL; the document is keyed by its id")
        url = None
    meta: Mapping[str, Any] = obj["meta"] if isinstance(obj.get("meta"), Mapping) else {}
    doc_type = obj.get("doc_type") or meta.get("doc_type") or "news"
    if not isinstance(doc_type, str):
        raise LineError("field 'doc_type' must be a string")
    case_numbers, parties, extra = obj.get("case_numbers") or [], obj.get("parties") or [], obj.get("extra") or {}
    if not isinstance(case_numbers, list) or not all(isinstance(c, str) for c in case_numbers):
        raise LineError("field 'case_numbers' must be a list of strings")
    if not isinstance(parties, list) or not all(isinstance(p, Mapping) and isinstance(p.get("name"), str)
                                                for p in parties):
        raise LineError("field 'parties' must be a list of objects with a 'name'")
    if not isinstance(extra, Mapping):
        raise LineError("field 'extra' must be an object")
    return Record(source_id=source, url=url, ext_id=str(ext_id) if ext_id is not None else None, title=title,
                  text=text, lang=lang, published=published, doc_type=doc_type[:40], case_numbers=case_numbers,
                  parties=[dict(p) for p in parties], extra=dict(extra), fmt=fmt, warnings=warnings)


def _published(value: str | None) -> tuple[dt.date | None, dt.datetime | None]:
    if not value:
        return None, None
    if len(value) == 4:
        return dt.date(int(value), 1, 1), None
    if len(value) == 7:
        return dt.date(int(value[:4]), int(value[5:7]), 1), None
    if len(value) == 10:
        return dt.date.fromisoformat(value), None
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.date(), moment


def _ensure_source(session: Session, source_id: str, lang: str | None, known: set[str]) -> None:
    if source_id in known:
        return
    if session.get(Source, source_id) is None:
        session.add(Source(id=source_id, kind="archive", name=f"ingested: {source_id}", lang=lang or "en",
                           base_url="", schedule="", enabled=False, meta={"origin": "ipradar ingest"}))
        session.flush()
    known.add(source_id)


def ingest_lines(engine: Engine, lines: Iterable[str], *, name: str = "<input>") -> IngestStats:
    """Load JSON lines; bad lines are reported in ``stats.errors`` (file:line: message) and skipped."""
    stats = IngestStats()
    known: set[str] = set()
    with Session(engine) as session:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            stats.read += 1
            try:
                rec = classify_line(json.loads(line))
                stats.warnings += [f"{name}:{number}: {w}" for w in rec.warnings]
                _store(session, rec, known, stats)
            except json.JSONDecodeError as exc:
                stats.errors.append(f"{name}:{number}: not JSON ({exc.msg} at column {exc.colno})")
            except (LineError, ValueError) as exc:
                stats.errors.append(f"{name}:{number}: {exc}")
            if stats.read % 500 == 0:
                session.commit()
        session.commit()
    return stats


def ingest_file(engine: Engine, path: Path) -> IngestStats:
    with path.open(encoding="utf-8") as fh:
        return ingest_lines(engine, fh, name=str(path))


def _store(session: Session, rec: Record, known: set[str], stats: IngestStats) -> None:
    title, text = clean_text(rec.title), clean_text(rec.text)
    url = rec.url or f"https://ingest.invalid/{rec.source_id}/{rec.ext_id}"
    canonical = canonical_url(url)
    digest = content_hash(title, text)
    published_on, published_at = _published(rec.published)
    extra = dict(rec.extra)
    if rec.ext_id is not None:
        extra.setdefault("ingest_id", rec.ext_id)
    if (rec.published and len(rec.published) < 10) or rec.warnings:
        extra.setdefault("published_raw", rec.published)
    _ensure_source(session, rec.source_id, rec.lang, known)
    now = utcnow()
    existing = session.scalar(select(Document).where(Document.source_id == rec.source_id,
                                                     Document.canonical_url == canonical))
    if existing is not None:
        existing.last_seen_at = now
        if existing.content_hash == digest:
            stats.unchanged += 1
            return
        existing.title, existing.text, existing.lang, existing.doc_type = title, text, rec.lang, rec.doc_type
        existing.content_hash, existing.fetched_at = digest, now
        existing.published_on, existing.published_at = published_on, published_at
        existing.case_numbers, existing.parties, existing.extra = rec.case_numbers, rec.parties, extra
        existing.tagged_at = None  # changed content is tagged (and linked) again
        stats.updated += 1
        return
    if session.scalar(select(Document.id).where(Document.source_id == rec.source_id,
                                                Document.content_hash == digest)) is not None:
        stats.unchanged += 1
        return
    session.add(Document(source_id=rec.source_id, url=url, canonical_url=canonical, content_hash=digest,
                         title=title, text=text, lang=rec.lang, doc_type=rec.doc_type, published_on=published_on,
                         published_at=published_at, first_seen_at=now, last_seen_at=now, fetched_at=now,
                         case_numbers=rec.case_numbers, parties=rec.parties, extra=extra, warnings=[]))
    session.flush()
    stats.new += 1
