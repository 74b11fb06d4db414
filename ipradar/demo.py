"""``ipradar demo``: the whole pipeline offline — bundled snapshots served on 127.0.0.1 to the real spiders,
then tagging and the weekly report, all inside one work directory with its own ``ipradar.toml``."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from .crawlers.mirror import SNAPSHOTS, Mirror
from .crawlers.registry import all_spiders
from .crawlers.runner import crawl_subprocess
from .db import init_db, make_engine
from .logs import stderr
from .reports.weekly import Week, render_weekly
from .settings import Settings, load_settings
from .tagging import RuleTagger, tag_documents

log = logging.getLogger(__name__)

PARALLEL_CRAWLS = 3

DEMO_CONFIG = """\
# IP Radar demo work directory: `ipradar ...` started here acts on this database and these folders.
db_url = "sqlite:///ipradar.db"
archive_dir = "archive"
output_dir = "reports"
"""


class DemoError(RuntimeError):
    pass


@dataclass
class DemoResult:
    workdir: Path
    report: Path
    crawled: dict[str, str] = field(default_factory=dict)


def demo_sources() -> list[str]:
    """Every registered source that ships an offline snapshot."""
    return [sid for sid in sorted(all_spiders()) if (SNAPSHOTS / sid / "routes.json").is_file()]


def run_demo(workdir: Path) -> DemoResult:
    started = time.monotonic()
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "ipradar.toml"
    if not config.exists():
        config.write_text(DEMO_CONFIG, encoding="utf-8")
    settings: Settings = load_settings(config, env={})
    stderr.print(f"[bold]IP Radar demo[/] in {workdir}")
    init_db(settings.db_url)
    result = DemoResult(workdir=workdir, report=workdir)
    sources = demo_sources()
    if not sources:
        raise DemoError("no source ships an offline snapshot; the package data is incomplete")
    def crawl_one(sid: str) -> tuple[str, subprocess.CompletedProcess[str]]:
        with Mirror(SNAPSHOTS / sid) as server:
            return sid, crawl_subprocess(sid, db_url=settings.db_url, base_url=server.base_url,
                                         archive_dir=settings.archive_dir)

    # one process per crawl, as the scheduler runs them; a few at a time, since most of a crawl's time is start-up
    with ThreadPoolExecutor(max_workers=PARALLEL_CRAWLS) as pool:
        for sid, proc in pool.map(crawl_one, sources):
            status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}"
            result.crawled[sid] = status
            stderr.print(f"  crawled {sid} from its snapshot: {status}")
            if proc.returncode != 0:
                stderr.print(proc.stderr[-3000:], markup=False, highlight=False)
    failed = [sid for sid, status in result.crawled.items() if status != "ok"]
    if failed:
        raise DemoError(f"demo crawl failed for {', '.join(failed)} (output above)")
    engine = make_engine(settings.db_url)
    try:
        stats = tag_documents(engine, RuleTagger())
        stderr.print(f"  tagged {stats.tagged} new documents")
        today = dt.datetime.now(ZoneInfo(settings.timezone)).date()
        result.report = render_weekly(engine, Week.containing(today, settings.timezone), settings.output_dir)
    finally:
        engine.dispose()
    stderr.print(f"  done in {time.monotonic() - started:.1f} s")
    return result
