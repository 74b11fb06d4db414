"""Base spiders for the shapes that repeat. A concrete spider is mostly attributes plus calls to its pure parser.

Metadata every source declares (read by ``ipradar sources list`` and the scheduler):
``name`` (source id), ``title``, ``kind``, ``lang``, ``base_url`` (real scheme+host), ``schedule`` (cron, UTC),
``licence``, ``expected_items`` (min, max per run) and ``credential_env`` when the source takes a token.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response

from ..errors import ParseError
from ..items import DocumentItem
from ..middlewares import REAL_URL

log = logging.getLogger(__name__)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class SourceSpider(scrapy.Spider):
    """Common ground: metadata, real vs fetched URLs, error reporting that never loses the rest of the crawl."""

    # -- metadata (override) ----------------------------------------------------------------------------------
    title: ClassVar[str] = ""
    kind: ClassVar[str] = "html"
    lang: ClassVar[str] = "en"
    base_url: ClassVar[str] = ""
    schedule: ClassVar[str] = "0 22 * * *"  # 06:00 Asia/Shanghai
    licence: ClassVar[str] = ""
    expected_items: ClassVar[tuple[int, int]] = (1, 1000)
    credential_env: ClassVar[str | None] = None
    delay: ClassVar[float] = 1.0  # seconds between requests to the real site (AutoThrottle may go slower)
    concurrency: ClassVar[int] = 2
    verified: ClassVar[str] = ""  # which parts of the format were verified from real payloads, which inferred

    def __init__(self, *args: Any, mirror_base: str | None = None, since: str | None = None,
                 credential: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mirror_base = mirror_base
        self.since = since
        # the secret arrives as a spider argument, never through Scrapy settings (which Scrapy logs)
        self.credential = credential
        if self.credential_env and not credential:
            self.logger.warning("%s is not set: %s sends unauthenticated requests (expect 401/403 or low limits)",
                                self.credential_env, self.name)

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        settings.set("DOWNLOAD_DELAY", cls.delay, priority="spider")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", cls.concurrency, priority="spider")
        base = (settings.get("IPRADAR_MIRRORS") or {}).get(cls.name) or settings.get("IPRADAR_BASE_URL")
        if base and urlsplit(base).hostname in LOOPBACK:
            # our own local mirror: politeness delays protect real servers, not this one
            settings.set("DOWNLOAD_DELAY", 0, priority="spider")
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 8, priority="spider")

    @classmethod
    def metadata(cls) -> dict[str, Any]:
        return {"id": cls.name, "name": cls.title or cls.name, "kind": cls.kind, "lang": cls.lang,
                "base_url": cls.base_url, "schedule": cls.schedule, "licence": cls.licence,
                "expected_items": list(cls.expected_items), "credential_env": cls.credential_env}

    # -- helpers ----------------------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        """An absolute real-world URL for a path on the source's host."""
        return urljoin(self.base_url + "/", path.lstrip("/")) if not path.startswith("http") else path

    @staticmethod
    def real_url(response: Response) -> str:
        """The real-world URL of a response, even when it was fetched from a mirror."""
        return str(response.meta.get(REAL_URL, response.url))

    @classmethod
    def page_label(cls, request: scrapy.Request) -> str:
        """How a page is named in errors: its real URL, plus the form for POSTs (one URL, many pages)."""
        url = str(request.meta.get(REAL_URL, request.url))
        if request.method == "POST" and request.body:
            return f"{url} (POST {request.body.decode('utf-8', 'replace')[:120]})"
        return url

    @property
    def recorder(self) -> Any:
        return getattr(self.crawler, "ipradar_recorder", None)

    def request(self, url: str, callback: Callable[..., Any], **kwargs: Any) -> scrapy.Request:
        """A request whose network failures (timeouts, refused connections, …) are reported, not lost.

        ``dont_filter``: Scrapy's duplicate filter would silently drop a redirect back to a URL already seen (a
        redirect loop), losing the page without a word; with it off, the loop ends at REDIRECT_MAX_TIMES with an
        error we report. Our spiders request each URL once, and the pipelines drop duplicate items anyway.
        """
        kwargs.setdefault("dont_filter", True)
        return scrapy.Request(url, callback=callback, errback=self.on_failure, **kwargs)

    def on_failure(self, failure: Any) -> None:
        request = getattr(failure, "request", None)
        url = self.page_label(request) if request is not None else "?"
        self.report_error(url, f"fetch failed: {failure.getErrorMessage()}")

    def report_error(self, url: str, message: str) -> None:
        """One clear logged error for one page; the crawl goes on."""
        self.logger.error("%s: %s", url, message)
        if self.recorder is not None:
            self.recorder.error(f"{url}: {message}")

    def report_warning(self, url: str, message: str) -> None:
        self.logger.warning("%s: %s", url, message)
        if self.recorder is not None:
            self.recorder.warning(f"{url}: {message}")

    def item(self, doc: dict[str, Any], response: Response) -> DocumentItem:
        for warning in doc.get("warnings") or []:
            self.report_warning(doc.get("url") or self.real_url(response), warning)
        return DocumentItem.from_dict(doc, fetched_url=response.url, raw_sha256=response.meta.get("raw_sha256"))

    def guarded(self, response: Response, parse: Callable[[], Iterable[Any]]) -> Iterator[Any]:
        """Run a parse step; a ParseError (or any bug on this page) becomes one logged error for this page."""
        page = self.page_label(response.request) if response.request is not None else self.real_url(response)
        if response.status in (401, 403) and self.credential_env:
            state = "rejected" if self.credential else "missing"
            self.report_error(page, f"HTTP {response.status}: credential {self.credential_env} {state}")
            return
        if response.status >= 400:
            self.report_error(page, f"HTTP {response.status}")
            return
        try:
            yield from parse()
        except ParseError as exc:
            self.report_error(page, str(exc))
        except Exception as exc:  # a bug on one page must not stop the crawl; it is still reported loudly
            self.logger.exception("unexpected error parsing %s", page)
            self.report_error(page, f"unexpected {type(exc).__name__}: {exc}")


class ListingDetailSpider(SourceSpider):
    """HTML listing pages that link to detail pages.

    Subclasses set ``listing_path`` and implement ``parse_listing_page`` (→ entries with ``url``) and
    ``parse_detail_page`` (→ a DocDict); ``follow_entry`` filters entries; ``next_page`` finds the next listing.
    """

    listing_path: ClassVar[str] = "/"
    max_pages: ClassVar[int] = 3

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.request(self.url(self.listing_path), self.parse_listing, cb_kwargs={"page": 1})

    def parse_listing(self, response: Response, page: int) -> Iterator[Any]:
        def steps() -> Iterator[Any]:
            real = self.real_url(response)
            entries = self.parse_listing_page(response.text, real)
            for entry in entries:
                if self.follow_entry(entry):
                    yield self.request(entry["url"], self.parse_detail, cb_kwargs={"entry": entry})
            nxt = self.next_page(response.text, real)
            if nxt and page < self.max_pages:
                yield self.request(nxt, self.parse_listing, cb_kwargs={"page": page + 1})

        yield from self.guarded(response, steps)

    def parse_detail(self, response: Response, entry: dict[str, Any]) -> Iterator[Any]:
        yield from self.guarded(response, lambda: [self.item(self.parse_detail_page(response.text,
                                                                                   self.real_url(response), entry),
                                                             response)])

    # -- to implement -----------------------------------------------------------------------------------------
    def parse_listing_page(self, body: str, url: str) -> list[dict[str, Any]]:
        raise NotImplementedError

    def parse_detail_page(self, body: str, url: str, entry: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def follow_entry(self, entry: dict[str, Any]) -> bool:
        return True

    def next_page(self, body: str, url: str) -> str | None:
        return None


class FeedSpider(SourceSpider):
    """An RSS/Atom feed, fetched with conditional GET. News feeds are data (``ipradar/data/feeds.toml``)."""

    kind = "feed"
    feed_url: ClassVar[str] = ""
    paywalled: ClassVar[bool] = False
    schedule = "0 */6 * * *"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.request(self.feed_url, self.parse_feed, meta={"conditional": True})

    def parse_feed(self, response: Response) -> Iterator[Any]:
        if response.status == 304:
            self.logger.info("%s: not modified since the last run", self.real_url(response))
            if self.recorder is not None:
                self.recorder.not_modified = True
            return
        yield from self.guarded(response, lambda: [self.item(doc, response) for doc in self.parse_feed_body(
            response.body, self.real_url(response))])

    def parse_feed_body(self, body: bytes, url: str) -> list[dict[str, Any]]:
        from ..parsers.feed import parse_feed

        return [dict(doc) for doc in parse_feed(body, url, self.name, self.lang, paywalled=self.paywalled)]


class JsonApiSpider(SourceSpider):
    """A JSON API walked page by page (cursor or offset), with an incremental cursor kept in the database.

    Subclasses implement ``first_urls`` (using ``self.cursor_value``, the value stored after the last clean run)
    and ``parse_page`` (→ documents, next page URL, new cursor value).
    """

    kind = "json_api"
    cursor_key: ClassVar[str] = "cursor"
    max_pages: ClassVar[int] = 20
    method: ClassVar[str] = "GET"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        stored = self.recorder.cursor_get(self.cursor_key) if self.recorder is not None else None
        self.cursor_value: str | None = stored or self.since
        if stored and self.recorder is not None:
            self.recorder.incremental = True
        self._best_cursor: str | None = None
        for url in self.first_urls(self.cursor_value):
            yield self.api_request(url, page=1)

    def api_request(self, url: str, page: int) -> scrapy.Request:
        headers = self.auth_headers()
        return self.request(url, self.parse_api, cb_kwargs={"page": page}, headers=headers, method=self.method,
                            body=self.request_body(url))

    def auth_headers(self) -> dict[str, str]:
        return {"Accept": "application/json"}

    def request_body(self, url: str) -> bytes | None:
        return None

    def parse_api(self, response: Response, page: int) -> Iterator[Any]:
        def steps() -> Iterator[Any]:
            docs, next_url, cursor = self.parse_page(response.text, self.real_url(response))
            for doc in docs:
                yield self.item(doc, response)
            if cursor and (self._best_cursor is None or cursor > self._best_cursor):
                self._best_cursor = cursor
                if self.recorder is not None:
                    self.recorder.cursor_stage(self.cursor_key, cursor)
            if next_url and page < self.max_pages:
                yield self.api_request(next_url, page + 1)

        yield from self.guarded(response, steps)

    def first_urls(self, cursor: str | None) -> list[str]:
        raise NotImplementedError

    def parse_page(self, body: str, url: str) -> tuple[list[dict[str, Any]], str | None, str | None]:
        raise NotImplementedError
