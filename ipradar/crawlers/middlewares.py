"""Downloader middlewares: base-URL rewriting (mirrors, tests, offline snapshots) and raw-payload archiving."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message

REAL_URL = "ipradar_real_url"


def rebase(url: str, base: str) -> str:
    """Replace scheme and host of ``url`` with those of ``base``."""
    parts, b = urlsplit(url), urlsplit(base)
    return urlunsplit((b.scheme, b.netloc, parts.path, parts.query, parts.fragment))


class BaseUrlMiddleware:
    """With ``--base-url``, every request the source makes goes to that scheme+host instead.

    The real URL rides along in ``request.meta`` so documents keep their real-world canonical URL.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BaseUrlMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> Request | None:
        base = getattr(self.crawler.spider, "mirror_base", None)  # per spider: one process may crawl several
        if not base:
            return None
        target = urlsplit(base)
        parts = urlsplit(request.url)
        if (parts.scheme, parts.netloc) == (target.scheme, target.netloc):
            return None
        meta = dict(request.meta)
        meta.setdefault(REAL_URL, request.url)
        return request.replace(url=rebase(request.url, base), meta=meta)


class ArchiveMiddleware:
    """Archive every 2xx body (gzip, content-addressed) and log the fetch before any parsing happens."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        recorder: Any = getattr(self.crawler, "ipradar_recorder", None)
        if recorder is None or request.url.endswith("/robots.txt"):
            return response
        ctype = response.headers.get(b"Content-Type")
        sha = recorder.fetched(request.meta.get(REAL_URL, request.url), request.method, response.status,
                               response.body, ctype.decode("latin-1") if ctype else None)
        if sha:
            request.meta["raw_sha256"] = sha
        return response


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Parse a Retry-After header: delta seconds or an HTTP date; None when absent or unreadable."""
    import email.utils
    import time

    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, plus waiting: Retry-After is honoured on 429/503, other retries back off exponentially.

    The wait does not block the reactor; other requests go on meanwhile.
    """

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.backoff_base: float = settings.getfloat("IPRADAR_BACKOFF_BASE", 2.0)
        self.backoff_max: float = settings.getfloat("IPRADAR_BACKOFF_MAX", 60.0)
        self.retry_after_max: float = settings.getfloat("IPRADAR_RETRY_AFTER_MAX", 300.0)

    def delay_for(self, request: Request, response: Response | None) -> float:
        retries = int(request.meta.get("retry_times", 0))
        if response is not None and response.status in (429, 503):
            header = retry_after_seconds(response.headers.get(b"Retry-After"))
            if header is not None:
                return float(min(header, self.retry_after_max))
        return float(min(self.backoff_max, self.backoff_base * (2**retries)))

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        delay = self.delay_for(request, response)
        if delay > 0:
            # imported here: importing the reactor at module level would install the wrong one before Scrapy's
            from twisted.internet import reactor, task

            await maybe_deferred_to_future(task.deferLater(reactor, delay, lambda: None))
        return retry


class ConditionalGetMiddleware:
    """Conditional GET for requests marked ``meta["conditional"]``: send the ETag / Last-Modified we stored last
    time; a 304 then reaches the callback as "not modified" instead of a re-download."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        return cls(crawler)

    def _recorder(self) -> Any:
        return getattr(self.crawler, "ipradar_recorder", None)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        recorder = self._recorder()
        if not request.meta.get("conditional") or recorder is None:
            return None
        key = request.meta.get(REAL_URL, request.url)
        etag = recorder.cursor_get(f"etag:{key}")
        modified = recorder.cursor_get(f"last-modified:{key}")
        if etag:
            request.headers.setdefault(b"If-None-Match", etag.encode("latin-1"))
        if modified:
            request.headers.setdefault(b"If-Modified-Since", modified.encode("latin-1"))
        return None

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        recorder = self._recorder()
        if not request.meta.get("conditional") or recorder is None or response.status != 200:
            return response
        key = request.meta.get(REAL_URL, request.url)
        for header, name in ((b"ETag", "etag"), (b"Last-Modified", "last-modified")):
            value = response.headers.get(header)
            if value:
                # kept only once the run ends well, so a crash never skips content we have not stored
                recorder.cursor_stage(f"{name}:{key}", value.decode("latin-1"))
        return response
