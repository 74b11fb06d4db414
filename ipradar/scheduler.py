"""``ipradar schedule``: APScheduler 3 launches one ``python -m ipradar crawl <id>`` process per due source.

The schedule is each source's metadata; jobs live in the project database (SQLAlchemyJobStore) so a restarted
scheduler keeps its state. Runs of one source never overlap (``max_instances=1`` in the scheduler, plus the per-source
lock the crawl command itself takes); a missed run is made up once (coalesce) within the grace period.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from .crawlers.registry import all_spiders
from .db.models import Source

log = logging.getLogger(__name__)

MISFIRE_GRACE = 3600  # seconds: a run missed by less than this still happens (once)
PIPELINE_CRON = "15 * * * *"  # tag + link what the crawls brought in, every hour


@dataclass(frozen=True)
class Job:
    source_id: str
    cron: str


def jobs() -> list[Job]:
    return [Job(sid, cls.schedule) for sid, cls in sorted(all_spiders().items())]


def trigger(cron: str) -> CronTrigger:
    return CronTrigger.from_crontab(cron, timezone=dt.UTC)


def is_due(cron: str, last_run: dt.datetime | None, now: dt.datetime) -> bool:
    """Due when a fire time of ``cron`` has passed since the last run (or it never ran)."""
    if last_run is None:
        return True
    nxt = trigger(cron).get_next_fire_time(None, last_run)
    return nxt is not None and nxt <= now


def run_command(args: list[str], config: str | None, db_url: str | None = None) -> int:
    """Run ``python -m ipradar ARGS`` in a child process; its output goes to our log."""
    cmd = [sys.executable, "-m", "ipradar", *(["--config", config] if config else []), *args,
           *(["--db", db_url] if db_url else [])]
    log.info("starting: %s", " ".join(args))
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    level = logging.INFO if proc.returncode == 0 else logging.ERROR
    log.log(level, "%s finished with exit code %s%s", " ".join(args), proc.returncode,
            "" if proc.returncode == 0 else f": {proc.stderr.strip()[-800:]}")
    return proc.returncode


def crawl_job(source_id: str, config: str | None, db_url: str | None = None) -> None:
    """Scheduler entry point (module-level so the SQLAlchemy job store can reference it)."""
    run_command(["crawl", source_id], config, db_url)


def pipeline_job(config: str | None, db_url: str | None = None) -> None:
    run_command(["tag"], config, db_url)


def run_due_once(engine: Engine, config: str | None, db_url: str | None = None,
                 now: dt.datetime | None = None) -> list[str]:
    """``--once``: crawl every source that is due, then tag; returns the source ids that ran."""
    now = now or dt.datetime.now(dt.UTC)
    with Session(engine) as session:
        last = {s.id: s.last_run_at for s in session.query(Source)}
    due = [job.source_id for job in jobs() if is_due(job.cron, last.get(job.source_id), now)]
    for sid in due:
        crawl_job(sid, config, db_url)
    if due:
        pipeline_job(config, db_url)
    return due


def run_forever(db_url: str, config: Path | None) -> None:
    scheduler = BlockingScheduler(jobstores={"default": SQLAlchemyJobStore(url=db_url)}, timezone=dt.UTC,
                                  job_defaults={"coalesce": True, "max_instances": 1,
                                                "misfire_grace_time": MISFIRE_GRACE})
    cfg = str(config) if config else None
    for job in jobs():
        scheduler.add_job(crawl_job, trigger(job.cron), args=[job.source_id, cfg, db_url], id=f"crawl:{job.source_id}",
                          name=f"crawl {job.source_id}", replace_existing=True)
    scheduler.add_job(pipeline_job, trigger(PIPELINE_CRON), args=[cfg, db_url], id="pipeline", name="tag and link",
                      replace_existing=True)
    log.info("scheduler started with %d source jobs; Ctrl-C to stop", len(jobs()))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("scheduler stopped")
