"""The one item every spider yields: a normalised document (the parsers' DocDict as a dataclass)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

DOC_FIELDS = ("source_id", "url", "title", "text", "lang", "published", "doc_type", "case_numbers", "parties",
              "extra", "warnings")


@dataclass
class DocumentItem:
    source_id: str
    url: str
    title: str
    text: str
    lang: str | None
    published: str | None
    doc_type: str
    case_numbers: list[str] = field(default_factory=list)
    parties: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # set by the framework, not by parsers
    canonical_url: str | None = None
    fetched_url: str | None = None
    raw_sha256: str | None = None

    @classmethod
    def from_dict(cls, doc: dict[str, Any], *, fetched_url: str | None = None,
                  raw_sha256: str | None = None) -> DocumentItem:
        unknown = set(doc) - set(DOC_FIELDS)
        if unknown:
            raise ValueError(f"document has unknown keys {sorted(unknown)}")
        return cls(**{k: doc[k] for k in DOC_FIELDS if k in doc}, fetched_url=fetched_url, raw_sha256=raw_sha256)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
