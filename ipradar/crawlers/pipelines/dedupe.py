"""Drop exact duplicates within one run (same canonical URL or same content); the store handles across runs."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from ..items import DocumentItem
from .normalise import content_hash


class Duplicate(DropItem):
    """Seen already in this run (not an error)."""


class DedupePipeline:
    def __init__(self) -> None:
        self.urls: set[str] = set()
        self.hashes: set[str] = set()

    def process_item(self, item: Any) -> Any:
        assert isinstance(item, DocumentItem)
        digest = content_hash(item.title, item.text)
        if item.canonical_url in self.urls or digest in self.hashes:
            raise Duplicate(f"{item.url}: duplicate within this run")
        self.urls.add(item.canonical_url or item.url)
        self.hashes.add(digest)
        return item
