"""``ipradar demo``: the whole pipeline offline — bundled snapshots served on 127.0.0.1 to the real spiders,
then tagging and the weekly report, all inside one work directory with its own ``ipradar.toml``."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from .cases.linking import link_documents
from .crawlers.mirror import SNAPSHOTS, Mirror
from .crawlers.registry import all_spiders
from .crawlers.runner import crawl_subprocess
from .db import init_db, make_engine
from .logs import stderr
from .nlp.api import Tagger
from .reports.bundle import write_demo_reports
from .settings import Settings, load_settings
from .tagging import tag_documents
from .warnings.demo import run_demo_alerts, setup_demo

log = logging.getLogger(__name__)

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
    alerts: int = 0
    reports: list[Path] = field(default_factory=list)


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
    # all snapshots in one crawl process (each spider against its own local mirror): start-up is paid once
    with ExitStack() as stack:
        servers = {sid: stack.enter_context(Mirror(SNAPSHOTS / sid)) for sid in sources}
        mirror_map = workdir / ".demo-mirrors.json"
        mirror_map.write_text(json.dumps({sid: m.base_url for sid, m in servers.items()}), encoding="utf-8")
        proc = crawl_subprocess(sources, db_url=settings.db_url, archive_dir=settings.archive_dir,
                                extra_args=["--mirror-map", str(mirror_map)])
        mirror_map.unlink()
    outcome = {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in proc.stderr.splitlines()
               if ":" in line and line.split(":", 1)[0] in sources}
    for sid in sources:
        result.crawled[sid] = outcome.get(sid, "no result")
        stderr.print(f"  crawled {sid} from its snapshot: {result.crawled[sid]}", highlight=False)
    if proc.returncode != 0:
        stderr.print(proc.stderr[-3000:], markup=False, highlight=False)
        raise DemoError(f"demo crawl failed (exit {proc.returncode}; output above)")
    engine = make_engine(settings.db_url)
    try:
        stats = tag_documents(engine, Tagger.load())
        links = link_documents(engine)
        stderr.print(f"  tagged {stats.tagged} new documents; linked {links.linked} to cases "
                     f"({links.cases_created} new cases, {links.unlinked} unlinked)")
        # two sample subscriptions (+ the sub-centre's escalation desk); mail as .eml, Atom files, a local webhook
        setup_demo(engine, workdir)
        settings = load_settings(config, env={})
        alerts = run_demo_alerts(engine, settings, workdir)
        result.alerts = alerts.alerts_created
        stderr.print(f"  alerts: {alerts.alerts_created} new, {alerts.messages_sent} messages delivered "
                     f"(mail in {workdir / 'mail'}, feeds in {workdir / 'feeds'})")
        now = dt.datetime.now(ZoneInfo(settings.timezone))
        paths = write_demo_reports(engine, settings.output_dir, now=now, tz=settings.timezone)
        result.report = paths[0]
        result.reports = paths
        stderr.print(f"  reports: {len(paths)} files in {settings.output_dir} (weekly zh/en, US legal environment, "
                     "trends; HTML, PDF, CSV)")
    finally:
        engine.dispose()
    stderr.print(f"  done in {time.monotonic() - started:.1f} s")
    return result
