"""Every report the demo shows, in one call: weekly (zh+en; HTML, PDF, CSV), the US legal-environment report and
the current quarter's trends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from .legal_env import write_legal_env
from .outputs import FORMATS
from .periods import Period, Week
from .trends import write_trends
from .weekly import WeeklyOptions, write_weekly


def write_demo_reports(engine: Engine, out_dir: Path, *, now: dt.datetime, tz: str = "Asia/Shanghai",
                       country: str = "US") -> list[Path]:
    """Write the demo's reports into ``out_dir``; returns the paths (weekly zh HTML first)."""
    day = now.date()
    # the last complete year: the bundled snapshots are an archive of past disputes, not this quarter's news
    last_year = Period.parse(str(day.year - 1))
    paths = write_weekly(engine, WeeklyOptions(Week.containing(day, tz)), out_dir, now=now, langs=("zh", "en"),
                         formats=FORMATS).paths
    # PDFs of the weekly report only: each PDF costs seconds of CJK font work, and `ipradar report legal-env|trends
    # --format pdf` makes the others on demand
    paths += write_legal_env(engine, country, out_dir, now=now, langs=("zh", "en"), formats=("html", "csv")).paths
    paths += write_trends(engine, last_year, out_dir, now=now, langs=("zh", "en"), formats=("html", "csv")).paths
    return paths
