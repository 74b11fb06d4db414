"""中国保护知识产权网 (ipr.mofcom.gov.cn): international case tracking (案件追踪) and country environment (国别环境).

Verified by a third-party scraper (2019–2021): the ``listN`` POST endpoint and its JSON rows, the article page's JS
variables and ``section.artCon`` body. Inferred: the paging keys and the column ids; re-check on the first live run.
Some article pages are GBK while the server says UTF-8: the parser decodes the raw bytes itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response

from ..parsers import cn_mofcom_ipr as parser
from .base import SourceSpider

LIST_URL = "http://ipr.mofcom.gov.cn/ipr/front/www/listN"
COLUMNS = ("ajzz", "gbhj")  # 国际新闻 › 案件追踪 ; 国际新闻 › 国别环境


class CnMofcomIprSpider(SourceSpider):
    name = "cn_mofcom_ipr"
    title = "中国保护知识产权网 — 案件追踪 / 国别环境"
    kind = "html"
    lang = "zh"
    base_url = "http://ipr.mofcom.gov.cn"
    schedule = "0 23 * * *"
    licence = "Chinese government site; reuse terms unverified: keep for analysis, cite the source"
    expected_items: ClassVar[tuple[int, int]] = (1, 200)
    delay = 2.0
    max_pages = 3

    def list_request(self, cid: str, page: int) -> scrapy.Request:
        return self.request(LIST_URL, self.parse_list, method="POST",
                            body=f"pageNumber={page}&cid={cid}".encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
                                     "X-Requested-With": "XMLHttpRequest",
                                     "Referer": f"http://ipr.mofcom.gov.cn/list/{cid}/1/cateinfo.html"},
                            cb_kwargs={"cid": cid, "page": page})

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for cid in COLUMNS:
            yield self.list_request(cid, 1)

    def parse_list(self, response: Response, cid: str, page: int) -> Iterator[Any]:
        def steps() -> Iterator[Any]:
            for entry in parser.parse_list(response.body, self.real_url(response)):
                for warning in entry["warnings"]:
                    self.report_warning(entry["url"], warning)
                yield self.request(entry["url"], self.parse_article, cb_kwargs={"entry": dict(entry)})
            nxt = parser.next_page_number(response.body)
            if nxt and page < self.max_pages:
                yield self.list_request(cid, nxt)

        yield from self.guarded(response, steps)

    def parse_article(self, response: Response, entry: dict[str, Any]) -> Iterator[Any]:
        # raw bytes, not response.text: Scrapy would trust the (wrong) UTF-8 header of GBK pages
        yield from self.guarded(response, lambda: [self.item(
            dict(parser.parse_article(response.body, self.real_url(response), entry)), response)])
