"""The crawl run's bookkeeping in the database: source row, run row, fetch log, errors, warnings and health.

One ``RunRecorder`` exists per crawler (a Scrapy extension); middlewares, pipelines and spiders reach it through
``crawler.ipradar_recorder``. It opens its database connection when the spider opens and closes it at the end.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..db.models import CrawlRun, Fetch, RawPayload, Source, SourceCursor, utcnow
from ..db.session import make_engine, require_schema
from .archive import RawArchive

if TYPE_CHECKING:
    from .spiders.base import SourceSpider

log = logging.getLogger(__name__)

MAX_LOGGED = 200  # errors/warnings kept per run; the count is always exact


class RunRecorder:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db_url: str = crawler.settings.get("IPRADAR_DB_URL")
        self.archive = RawArchive(crawler.settings.get("IPRADAR_ARCHIVE_DIR"))
        self.engine: Engine | None = None
        self.session: Session | None = None
        self.run: CrawlRun | None = None
        self.error_count = 0
        self.warning_count = 0
        self.staged_cursors: dict[str, str] = {}
        self.not_modified = False  # a conditional GET answered 304: zero items is then expected
        self.incremental = False  # the run started from a stored cursor (only changes since the last run)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.item_error, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        recorder = cls(crawler)
        crawler.ipradar_recorder = recorder  # type: ignore[attr-defined]
        return recorder

    # -- lifecycle -------------------------------------------------------------------------------------------
    def spider_opened(self, spider: Spider) -> None:
        self.engine = make_engine(self.db_url)
        require_schema(self.engine)
        self.session = Session(self.engine, expire_on_commit=False)
        src: SourceSpider = spider  # type: ignore[assignment]
        upsert_source(self.session, src.metadata())
        # we hold the source's lock, so a run still marked "running" was killed: say so instead of leaving it open
        for stale in self.session.scalars(select(CrawlRun).where(CrawlRun.source_id == src.name,
                                                                 CrawlRun.status == "running")):
            stale.status = "interrupted"
            stale.errors = [*(stale.errors or []), "process ended before the run finished (killed or crashed)"]
        self.run = CrawlRun(source_id=src.name, base_url=src.mirror_base)
        self.session.add(self.run)
        self.session.commit()
        spider.logger.info("crawl run %s of %s started%s", self.run.id, src.name,
                           f" against {src.mirror_base}" if src.mirror_base else "")

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.session is None or self.run is None:
            return
        src: SourceSpider = spider  # type: ignore[assignment]
        run = self.run
        run.finished_at = utcnow()
        if reason != "finished":
            self._append(run, "errors", f"crawl ended early: {reason}")
            self.error_count += 1
        if self.error_count and (reason != "finished" or run.items_seen == 0):
            run.status = "failed"
        elif self.error_count:
            run.status = "partial"
        else:
            run.status = "ok"
        if run.status == "ok":
            # incremental cursors move forward only after a clean run: nothing skipped is ever lost
            for key, value in self.staged_cursors.items():
                self.cursor_set(key, value)
        source = self.session.get(Source, src.name)
        assert source is not None
        source.last_run_at = run.finished_at
        source.last_items = run.items_seen
        source.health, source.health_reason = judge_health(src.expected_items, run, self.error_count,
                                                           self.warning_count, not_modified=self.not_modified,
                                                           incremental=self.incremental)
        self.session.commit()
        log.info("crawl run %s of %s: %s — %d items (%d new, %d updated, %d duplicate), %d errors, %d warnings; "
                 "health %s%s", run.id, src.name, run.status, run.items_seen, run.items_new, run.items_updated,
                 run.items_duplicate, self.error_count, self.warning_count, source.health,
                 f" ({source.health_reason})" if source.health_reason else "")
        self.session.close()
        if self.engine is not None:
            self.engine.dispose()

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Spider) -> None:
        from .pipelines.validate import InvalidItem

        if isinstance(exception, InvalidItem):
            self.error(str(exception))

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Any) -> None:
        """A pipeline bug on one item: reported as an error of this run (Scrapy only logs it)."""
        url = getattr(item, "url", "?")
        self.error(f"{url}: storing failed: {failure.getErrorMessage()}")

    # -- recording -------------------------------------------------------------------------------------------
    def _append(self, run: CrawlRun, attr: str, message: str) -> None:
        current = list(getattr(run, attr) or [])
        if len(current) < MAX_LOGGED:
            current.append(message)
            setattr(run, attr, current)

    def error(self, message: str) -> None:
        self.error_count += 1
        if self.run is not None and self.session is not None:
            self._append(self.run, "errors", message)
            self.session.commit()

    def warning(self, message: str) -> None:
        self.warning_count += 1
        if self.run is not None and self.session is not None:
            self._append(self.run, "warnings", message)
            self.session.commit()

    def fetched(self, url: str, method: str, status: int, body: bytes | None, content_type: str | None) -> str | None:
        """Archive a body (2xx only) and log the fetch; returns the body's sha256."""
        assert self.session is not None and self.run is not None
        sha: str | None = None
        if body is not None and 200 <= status < 300:
            sha, rel, _new = self.archive.put(body)
            if self.session.get(RawPayload, sha) is None:
                self.session.add(RawPayload(sha256=sha, size=len(body), path=rel, content_type=content_type))
                self.session.flush()  # the fetch row below refers to it
        self.session.add(Fetch(crawl_run_id=self.run.id, source_id=self.run.source_id, url=url, method=method,
                               status=status, sha256=sha))
        self.run.pages += 1
        self.session.commit()
        return sha

    def cursor_get(self, key: str) -> str | None:
        assert self.session is not None and self.run is not None
        row = self.session.get(SourceCursor, (self.run.source_id, key))
        return row.value if row is not None else None

    def cursor_stage(self, key: str, value: str) -> None:
        """Remember a new cursor value; it is written when the run ends cleanly."""
        self.staged_cursors[key] = value

    def cursor_set(self, key: str, value: str) -> None:
        assert self.session is not None and self.run is not None
        row = self.session.get(SourceCursor, (self.run.source_id, key))
        if row is None:
            self.session.add(SourceCursor(source_id=self.run.source_id, key=key, value=value))
        else:
            row.value = value

    def count(self, field: str) -> None:
        assert self.run is not None
        setattr(self.run, field, getattr(self.run, field) + 1)


def upsert_source(session: Session, meta: dict[str, Any]) -> Source:
    """Insert or refresh a source row from spider metadata (health and run fields are left alone)."""
    source = session.get(Source, meta["id"])
    if source is None:
        source = Source(id=meta["id"], kind=meta["kind"], name=meta["name"], lang=meta["lang"],
                        base_url=meta["base_url"], schedule=meta["schedule"], meta=meta)
        session.add(source)
    else:
        keep = {k: v for k, v in (source.meta or {}).items() if k == "definition"}  # a user-added feed's definition
        source.kind, source.name, source.lang = meta["kind"], meta["name"], meta["lang"]
        source.base_url, source.schedule, source.meta = meta["base_url"], meta["schedule"], {**meta, **keep}
    session.flush()
    return source


def judge_health(expected: tuple[int, int], run: CrawlRun, errors: int, warnings: int, *,
                 not_modified: bool = False, incremental: bool = False) -> tuple[str, str | None]:
    """Strict interpretation of a run: errors, or an item count outside the source's expectations, is news."""
    low, high = expected
    if run.status == "failed":
        first = (run.errors or ["unknown error"])[0]
        return "failing", f"last run failed: {first}"
    if not_modified and not errors:
        return "ok", "not modified since the last run"
    if run.items_seen == 0 and low > 0:
        if incremental:  # one quiet increment is not yet silence; it still shows
            return "warning", f"no new items since the last run (expected at least {low})"
        return "failing", f"no items (expected at least {low})"
    reasons = []
    if run.items_seen < low:
        reasons.append(f"only {run.items_seen} items (expected ≥{low})")
    if run.items_seen > high:
        reasons.append(f"{run.items_seen} items (expected ≤{high})")
    if errors:
        reasons.append(f"{errors} page errors")
    if warnings:
        reasons.append(f"{warnings} format warnings")
    return ("warning", "; ".join(reasons)) if reasons else ("ok", None)


def last_runs(session: Session) -> dict[str, CrawlRun]:
    """The newest run of each source."""
    runs: dict[str, CrawlRun] = {}
    for run in session.scalars(select(CrawlRun).order_by(CrawlRun.id)):
        runs[run.source_id] = run
    return runs
