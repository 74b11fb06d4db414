"""Federal Register API: the USITC's Section 337 notices (receipt of complaint, institution with respondents'
addresses, determinations, exclusion orders, terminations), newest first, with each notice's plain-text body.

Verified: the single-document keys. Inferred: the list wrapper ``{count, total_pages, next_page_url, results}``.
Incremental by walking newest-first and stopping at the newest publication date of the last clean run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from ..parsers import us_federalregister_337 as parser
from .base import SourceSpider

API = "https://www.federalregister.gov/api/v1/documents.json"
QUERY = {"conditions[agencies][]": "international-trade-commission", "conditions[term]": "337-TA",
         "order": "newest", "per_page": "20"}


class UsFederalregister337Spider(SourceSpider):
    name = "us_federalregister_337"
    title = "Federal Register — USITC Section 337 notices"
    kind = "json_api"
    lang = "en"
    base_url = "https://www.federalregister.gov"
    schedule = "15 22 * * *"
    licence = "US federal government work, public domain"
    expected_items: ClassVar[tuple[int, int]] = (0, 200)
    delay = 1.0
    max_pages = 5

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.cursor = self.recorder.cursor_get("publication_date") if self.recorder is not None else None
        self.cursor = self.cursor or self.since
        if self.cursor and self.recorder is not None:
            self.recorder.incremental = True
        self.newest: str | None = None
        yield self.request(f"{API}?{urlencode(QUERY)}", self.parse_list, cb_kwargs={"page": 1})

    def parse_list(self, response: Response, page: int) -> Iterator[Any]:
        def steps() -> Iterator[Any]:
            entries, next_url = parser.parse_list(response.body, self.real_url(response))
            reached_cursor = False
            for entry in entries:
                published = str(entry["publication_date"])
                if self.cursor and published < self.cursor:
                    reached_cursor = True
                    continue
                if self.newest is None or published > self.newest:
                    self.newest = published
                    if self.recorder is not None:
                        self.recorder.cursor_stage("publication_date", published)
                if entry["skip_reason"]:
                    self.logger.debug("skipping %s: %s", entry["document_number"], entry["skip_reason"])
                    continue
                yield self.request(entry["raw_text_url"], self.parse_text, cb_kwargs={"entry": entry})
            if next_url and page < self.max_pages and not reached_cursor:
                yield self.request(next_url, self.parse_list, cb_kwargs={"page": page + 1})

        yield from self.guarded(response, steps)

    def parse_text(self, response: Response, entry: dict[str, Any]) -> Iterator[Any]:
        yield from self.guarded(response, lambda: [self.item(dict(parser.parse_notice(entry, response.text)),
                                                             response)])
