"""USPTO Open Data Portal — PTAB trials (IPR/PGR/CBM/DER): proceedings and decisions, newest changes first.

Verified from real recordings: the search endpoints, ``count`` and the data-bag keys, X-API-KEY auth. Inferred:
most status/outcome values. Incremental by walking results sorted by last modification, newest first, until the
cursor (the newest modification seen by the last clean run) is reached — no range-filter syntax to get wrong.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import parse_qs, urlencode, urlsplit

from ..parsers import us_uspto_ptab as parser
from .base import JsonApiSpider

API = "https://api.uspto.gov/api/v1/patent/trials"
PAGE = {"proceedings": 12, "decisions": 25}
SORT = {"proceedings": "trialMetaData.trialLastModifiedDate desc", "decisions": "decisionData.decisionIssueDate desc"}


class UsUsptoPtabSpider(JsonApiSpider):
    name = "us_uspto_ptab"
    title = "USPTO ODP — PTAB trial proceedings and decisions"
    lang = "en"
    base_url = "https://api.uspto.gov"
    schedule = "0 23 * * *"
    licence = "US federal government data, public domain"
    expected_items: ClassVar[tuple[int, int]] = (1, 1500)
    credential_env = "IPRADAR_USPTO_API_KEY"
    delay = 1.2  # about 60 requests a minute per key

    cursor_key = "trial_last_modified"
    max_pages = 25

    def first_urls(self, cursor: str | None) -> list[str]:
        return [self.page_url(kind, 0) for kind in PAGE]

    @staticmethod
    def page_url(kind: str, offset: int) -> str:
        query = {"sort": SORT[kind], "offset": str(offset), "limit": str(PAGE[kind])}
        return f"{API}/{kind}/search?{urlencode(query)}"

    def auth_headers(self) -> dict[str, str]:
        headers = super().auth_headers()
        if self.credential:
            headers["X-API-KEY"] = self.credential
        return headers

    def parse_page(self, body: str, url: str) -> tuple[list[dict[str, Any]], str | None, str | None]:
        offset = int(parse_qs(urlsplit(url).query).get("offset", ["0"])[0])
        if "/decisions/" in url:
            docs: list[dict[str, Any]] = [dict(d) for d in parser.parse_decisions(body, url)]
            more = len(docs) == PAGE["decisions"]
            kind = "decisions"
        else:
            found, total = parser.parse_proceedings(body, url)
            docs = [dict(d) for d in found]
            more = offset + PAGE["proceedings"] < total
            kind = "proceedings"
        stamps = [str((d["extra"] or {}).get("last_modified") or "") for d in docs]
        newest = max((s for s in stamps if s), default=None) if kind == "proceedings" else None
        if self.cursor_value and kind == "proceedings":
            fresh = [d for d, s in zip(docs, stamps, strict=True) if s >= self.cursor_value]
            more = more and len(fresh) == len(docs)  # an older record on this page: the rest was seen before
            docs = fresh
        return docs, self.page_url(kind, offset + PAGE[kind]) if more else None, newest
