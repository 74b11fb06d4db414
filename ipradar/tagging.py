"""The tagging stage: read stored documents, run the tagger over them in batches, write tags and the analysis.

Idempotent: a document's tags are replaced as a whole, and only documents not yet tagged (or all with ``--all``)
are read. Memory stays bounded because documents are streamed in id order, one batch at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from .db.models import Document, Tag, utcnow


class TaggerLike(Protocol):
    version: str

    def classify(self, records: Iterable[Mapping[str, Any]], batch_size: int = 64) -> Iterator[dict[str, Any]]: ...


@dataclass
class TagStats:
    tagged: int = 0
    failed: int = 0


def document_record(doc: Document) -> dict[str, Any]:
    """A stored document in the classify input shape, plus the crawler's structured fields."""
    return {"id": str(doc.id), "title": doc.title, "text": doc.text, "lang": doc.lang, "url": doc.canonical_url,
            "published": doc.published_on.isoformat() if doc.published_on else None, "doc_type": doc.doc_type,
            "source_id": doc.source_id, "parties": doc.parties or [], "case_numbers": doc.case_numbers or [],
            "extra": doc.extra or {}}


def tags_from_analysis(document_id: int, out: Mapping[str, Any], version: str) -> list[Tag]:
    """Flatten one classify output into tag rows (one per dimension × label)."""
    scores: Mapping[str, Mapping[str, float]] = out.get("scores") or {}

    def score(dim: str, label: str) -> float:
        return float(scores.get(dim, {}).get(label, 1.0))

    rows = [Tag(document_id=document_id, dimension="relevant", label=str(bool(out["relevant"])).lower(),
                score=score("relevant", "relevant"), model_version=version)]
    for dim, key in (("jurisdiction", "jurisdictions"), ("industry", "industries"), ("risk_type", "risk_types")):
        rows += [Tag(document_id=document_id, dimension=dim, label=label, score=score(dim, label),
                     model_version=version) for label in out.get(key, [])]
    cn = out.get("cn_party") or {}
    if cn.get("involved"):
        rows.append(Tag(document_id=document_id, dimension="cn_party", label=cn.get("side") or "unknown",
                        score=score("cn_party", "involved"), model_version=version))
    sev = out.get("severity")
    if sev:
        rows.append(Tag(document_id=document_id, dimension="severity", label=sev["level"],
                        score=float(sev["score"]), model_version=version, detail={"reasons": sev["reasons"]}))
    return rows


def tag_documents(engine: Engine, tagger: TaggerLike, *, retag_all: bool = False, batch_size: int = 256,
                  on_progress: Callable[[int, int], None] | None = None) -> TagStats:
    """Tag stored documents; ``on_progress(done, total)`` is called after every batch."""
    stats = TagStats()
    with Session(engine, expire_on_commit=False) as session:
        pending = select(Document.id).order_by(Document.id)
        if not retag_all:
            pending = pending.where(Document.tagged_at.is_(None))
        total = session.scalar(select(func.count()).select_from(pending.subquery())) or 0
        last_id = 0
        while True:
            batch = list(session.scalars(select(Document).where(Document.id.in_(
                pending.where(Document.id > last_id).limit(batch_size).scalar_subquery())).order_by(Document.id)))
            if not batch:
                break
            last_id = batch[-1].id
            by_id = {str(d.id): d for d in batch}
            now = utcnow()
            for out in tagger.classify([document_record(d) for d in batch], batch_size=64):
                doc = by_id[out["id"]]
                session.execute(delete(Tag).where(Tag.document_id == doc.id))
                session.add_all(tags_from_analysis(doc.id, out, tagger.version))
                session.execute(update(Document).where(Document.id == doc.id).values(
                    tagged_at=now, tag_model_version=tagger.version, analysis=dict(out)))
                stats.tagged += 1
            session.commit()
            session.expunge_all()
            if on_progress:
                on_progress(stats.tagged, total)
    return stats
