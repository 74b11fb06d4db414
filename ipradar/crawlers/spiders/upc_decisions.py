"""Unified Patent Court — decisions and orders listing (every field is in the listing row; detail pages sit behind
a bot challenge, the PDFs do not).

Verified: the Drupal Views table and its six columns, zero-based ``?page=N`` paging, and the quirk that ``?page=0``
renders an empty template — page one is requested without the parameter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response

from ..parsers import upc_decisions as parser
from .base import SourceSpider


class UpcDecisionsSpider(SourceSpider):
    name = "upc_decisions"
    title = "Unified Patent Court — decisions and orders"
    kind = "html"
    lang = "en"
    base_url = "https://www.unifiedpatentcourt.org"
    schedule = "0 21 * * *"
    licence = "public court records; no open licence stated"
    expected_items: ClassVar[tuple[int, int]] = (5, 200)
    delay = 1.0  # the site asks for about one request a second
    max_pages = 3

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.request(self.url("/en/decisions-and-orders"), self.parse_listing, cb_kwargs={"page": 1})

    def parse_listing(self, response: Response, page: int) -> Iterator[Any]:
        def steps() -> Iterator[Any]:
            docs, next_url = parser.parse_listing(response.text, self.real_url(response))
            for doc in docs:
                yield self.item(dict(doc), response)
            if next_url and page < self.max_pages:
                yield self.request(next_url, self.parse_listing, cb_kwargs={"page": page + 1})

        yield from self.guarded(response, steps)
