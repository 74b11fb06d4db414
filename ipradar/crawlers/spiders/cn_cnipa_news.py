"""国家知识产权局 (cnipa.gov.cn): 知识产权工作, 政策文件 and 政策解读 columns through the Hanweb data proxy.

Verified: the ``dataproxy.jsp`` route and its ``recordset/record`` XML. Inferred: the record markup inside CDATA and
the article page layout (Hanweb content markers, ``#zoom`` fallback). The column for overseas-dispute guidance is
still unknown (SOURCES.md §15).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from ..parsers import cn_cnipa_news as parser
from .base import SourceSpider

PROXY = "https://www.cnipa.gov.cn/module/web/jpage/dataproxy.jsp"
COLUMNS = ("53", "74", "66")


class CnCnipaNewsSpider(SourceSpider):
    name = "cn_cnipa_news"
    title = "国家知识产权局 — 工作动态 / 政策文件 / 政策解读"
    kind = "html"
    lang = "zh"
    base_url = "https://www.cnipa.gov.cn"
    schedule = "30 23 * * *"
    licence = "Chinese government site; reuse terms unverified: keep for analysis, cite the source"
    expected_items: ClassVar[tuple[int, int]] = (1, 300)
    delay = 2.0
    max_pages = 3

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for column in COLUMNS:
            query = {"page": "1", "webid": "1", "path": "https://www.cnipa.gov.cn/", "columnid": column,
                     "unitid": "669", "webname": "国家知识产权局"}
            yield self.request(f"{PROXY}?{urlencode(query)}", self.parse_proxy, cb_kwargs={"page": 1})

    def parse_proxy(self, response: Response, page: int) -> Iterator[Any]:
        def steps() -> Iterator[Any]:
            for entry in parser.parse_dataproxy(response.body, self.real_url(response)):
                for warning in entry["warnings"]:
                    self.report_warning(entry["url"], warning)
                yield self.request(entry["url"], self.parse_article, cb_kwargs={"entry": dict(entry)})
            nxt = parser.next_group_url(response.body, self.real_url(response))
            if nxt and page < self.max_pages:
                yield self.request(nxt, self.parse_proxy, cb_kwargs={"page": page + 1})

        yield from self.guarded(response, steps)

    def parse_article(self, response: Response, entry: dict[str, Any]) -> Iterator[Any]:
        yield from self.guarded(response, lambda: [self.item(
            dict(parser.parse_article(response.body, self.real_url(response), entry)), response)])
