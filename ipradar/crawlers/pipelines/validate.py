"""Reject items that break the document contract, with a message naming the field and the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from scrapy.exceptions import DropItem

from ..items import DocumentItem

ROLES = {"plaintiff", "defendant", "other"}
LANGS = {"en", "zh", None}


class InvalidItem(DropItem):
    """An item that breaks the contract (reported as an error, unlike a duplicate)."""


def problems(item: DocumentItem) -> list[str]:
    out = []
    if not item.source_id:
        out.append("source_id empty")
    if not item.url.startswith(("http://", "https://")):
        out.append(f"url {item.url!r} is not absolute")
    if not (item.title or "").strip() and not (item.text or "").strip():
        out.append("neither title nor text")
    if not item.doc_type:
        out.append("doc_type empty")
    if item.lang not in LANGS:
        out.append(f"lang {item.lang!r} not one of en/zh")
    if item.published is not None:
        try:
            parse_published(item.published)
        except ValueError:
            out.append(f"published {item.published!r} is not YYYY-MM-DD or ISO 8601")
    if not all(isinstance(c, str) and c for c in item.case_numbers):
        out.append("case_numbers must be non-empty strings")
    for i, party in enumerate(item.parties):
        if not isinstance(party, dict) or not party.get("name"):
            out.append(f"party {i} has no name")
        elif party.get("role") not in ROLES:
            out.append(f"party {i} role {party.get('role')!r} not one of {sorted(ROLES)}")
    return out


def parse_published(value: str) -> tuple[dt.date, dt.datetime | None]:
    """``YYYY-MM-DD`` → (date, None); an ISO datetime with offset → (its local date, aware datetime)."""
    if len(value) == 10:
        return dt.date.fromisoformat(value), None
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("datetime without offset")
    return moment.date(), moment


class ValidatePipeline:
    def process_item(self, item: Any) -> Any:
        if not isinstance(item, DocumentItem):
            raise InvalidItem(f"unexpected item type {type(item).__name__}")
        found = problems(item)
        if found:
            raise InvalidItem(f"{item.url}: invalid document: {'; '.join(found)}")
        return item
