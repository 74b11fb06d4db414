"""Run crawls. In-process (one Twisted reactor per process) for ``ipradar crawl``; as subprocesses for the demo and
the scheduler, because Scrapy's reactor cannot restart within one process and a failing source stays isolated."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from ..db import make_engine
from ..settings import Settings
from .locks import AlreadyRunning, source_lock
from .registry import get_spider
from .settings import scrapy_settings
from .spiders.base import SourceSpider

log = logging.getLogger(__name__)


def crawl_in_process(settings: Settings, source_ids: Sequence[str], *, base_url: str | None = None,
                     since: str | None = None, mirrors: dict[str, str] | None = None) -> None:
    """Crawl the given sources in this process (blocks until done; call once per process).

    Sources already being crawled by another process are skipped with an error in the log; the others run.
    """
    engine = make_engine(settings.db_url)
    try:
        classes = [get_spider(sid, engine) for sid in source_ids]
    finally:
        engine.dispose()
    with ExitStack() as stack:
        spiders = []
        for cls in classes:
            try:
                stack.enter_context(source_lock(settings.archive_dir / ".locks", cls.name))
            except AlreadyRunning as exc:
                log.error("%s", exc)
                continue
            spiders.append(cls)
        if spiders:
            _run(settings, spiders, base_url=base_url, since=since, mirrors=mirrors or {})


def _run(settings: Settings, spiders: list[type[SourceSpider]], *, base_url: str | None, since: str | None,
         mirrors: dict[str, str]) -> None:
    process = CrawlerProcess(scrapy_settings(settings, base_url=base_url, mirrors=mirrors))
    for spider in spiders:
        credential = getattr(settings, spider.credential_env.removeprefix("IPRADAR_").lower(), None) if (
            spider.credential_env) else None
        process.crawl(spider, mirror_base=mirrors.get(spider.name, base_url), since=since, credential=credential)
    process.start()


def crawl_subprocess(source_ids: str | Sequence[str], *, db_url: str, archive_dir: Path | None = None,
                     base_url: str | None = None, timeout: float = 600,
                     extra_args: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
    """``python -m ipradar crawl SOURCE...`` as a child process; output is captured for the caller to show."""
    ids = [source_ids] if isinstance(source_ids, str) else list(source_ids)
    cmd = [sys.executable, "-m", "ipradar", "crawl", *ids, "--db", db_url, *extra_args]
    env = dict(os.environ)
    if archive_dir is not None:
        env["IPRADAR_ARCHIVE_DIR"] = str(archive_dir)
    if base_url:
        cmd += ["--base-url", base_url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, env=env)
