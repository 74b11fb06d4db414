"""The scheduler only launches processes, on each source's own schedule; --once runs what is due."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from ipradar import scheduler
from ipradar.crawlers.registry import all_spiders
from ipradar.db import make_engine

UTC = dt.UTC


@pytest.mark.parametrize(("cron", "last", "now", "due"), [
    ("0 22 * * *", None, dt.datetime(2026, 11, 25, 12, 0, tzinfo=UTC), True),  # never ran
    ("0 22 * * *", dt.datetime(2026, 11, 24, 22, 1, tzinfo=UTC), dt.datetime(2026, 11, 25, 12, 0, tzinfo=UTC), False),
    ("0 22 * * *", dt.datetime(2026, 11, 24, 22, 1, tzinfo=UTC), dt.datetime(2026, 11, 25, 22, 0, tzinfo=UTC), True),
    ("0 */6 * * *", dt.datetime(2026, 11, 25, 6, 30, tzinfo=UTC), dt.datetime(2026, 11, 25, 11, 59, tzinfo=UTC), False),
    ("0 */6 * * *", dt.datetime(2026, 11, 25, 6, 30, tzinfo=UTC), dt.datetime(2026, 11, 25, 12, 0, tzinfo=UTC), True),
])
def test_is_due(cron: str, last: dt.datetime | None, now: dt.datetime, due: bool) -> None:
    assert scheduler.is_due(cron, last, now) is due


def test_every_source_schedule_is_a_valid_cron() -> None:
    for job in scheduler.jobs():
        assert scheduler.trigger(job.cron) is not None
    assert {j.source_id for j in scheduler.jobs()} == set(all_spiders())


def test_run_due_once_launches_one_crawl_process_per_due_source_then_tags(initialised_db: str,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    launched: list[list[str]] = []
    monkeypatch.setattr(scheduler, "run_command", lambda args, config, db_url=None: launched.append(args) or 0)
    engine = make_engine(initialised_db)
    ran = scheduler.run_due_once(engine, None, initialised_db)
    engine.dispose()
    assert ran == sorted(all_spiders())  # nothing has run yet: everything is due
    assert launched[:-1] == [["crawl", sid] for sid in ran] and launched[-1] == ["tag"]


def test_jobs_persist_in_the_project_database_with_no_overlap(initialised_db: str) -> None:
    store = SQLAlchemyJobStore(url=initialised_db)
    sched = BackgroundScheduler(jobstores={"default": store}, timezone=UTC,
                                job_defaults={"coalesce": True, "max_instances": 1,
                                              "misfire_grace_time": scheduler.MISFIRE_GRACE})
    sched.start(paused=True)
    try:
        for job in scheduler.jobs():
            sched.add_job(scheduler.crawl_job, scheduler.trigger(job.cron), args=[job.source_id, None, None],
                          id=f"crawl:{job.source_id}", replace_existing=True)
        stored: list[Any] = sched.get_jobs()
        assert len(stored) == len(all_spiders())
        assert all(j.max_instances == 1 and j.coalesce for j in stored)
    finally:
        sched.shutdown(wait=False)
    again = SQLAlchemyJobStore(url=initialised_db)  # a restarted scheduler finds its jobs again
    again.start(None, "default")  # type: ignore[arg-type]
    assert len(again.get_all_jobs()) == len(all_spiders())
    again.shutdown()


def test_scheduler_table_is_not_mistaken_for_a_missing_migration(initialised_db: str, tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from ipradar.db.migrations_filter import include_object
    from ipradar.db.models import Base

    store = SQLAlchemyJobStore(url=initialised_db)
    store.start(None, "default")  # type: ignore[arg-type]  # creates apscheduler_jobs
    store.shutdown()
    engine = make_engine(initialised_db)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(ctx, Base.metadata) == []
    engine.dispose()
