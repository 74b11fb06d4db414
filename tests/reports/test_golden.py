"""Golden renders of the fixed dataset (tests/fixtures/reports): HTML of the weekly report in zh and en and of the
quarter's trends, and the CSV behind the weekly tables. Charts are compared apart (they depend on matplotlib's
version); SQL text in the provenance annex differs by database and is normalised out."""

import os
import re
from pathlib import Path

import pytest
from reporthelpers import GOLDEN, NOW, WEEK
from sqlalchemy import Engine

from ipradar.reports.periods import Period
from ipradar.reports.trends import build_trends, collect_trends
from ipradar.reports.weekly import WeeklyOptions, build_weekly, collect_weekly

SVG = re.compile(r"<svg\b.*?</svg>", re.S)
PRE = re.compile(r"<pre>.*?</pre>", re.S)


def normalise(html: str) -> str:
    return PRE.sub("<pre>…</pre>", SVG.sub("<svg>…</svg>", html))


def check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("IPRADAR_UPDATE_GOLDEN") or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        if not os.environ.get("IPRADAR_UPDATE_GOLDEN"):
            pytest.fail(f"golden file {path} was missing and has been written: review and commit it")
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs from the golden render (see README)"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_weekly_golden(report_engine: Engine, lang: str) -> None:
    data = collect_weekly(report_engine, WeeklyOptions(WEEK), now=NOW)
    rendered = build_weekly(data, lang)
    check(f"weekly-{WEEK.label}.{lang}.html", normalise(rendered.html))
    assert rendered.html.count("<svg") == 4  # trend, forum mix, sector heat table, province bar
    if lang == "zh":
        from ipradar.reports.outputs import csv_bytes

        for table in rendered.tables:
            check(f"weekly-{WEEK.label}.{table.name}.csv", csv_bytes(table).decode("utf-8-sig"))


def test_trends_golden(report_engine: Engine) -> None:
    data = collect_trends(report_engine, Period.parse("2026-Q4"), now=NOW)
    check("trends-2026-Q4.zh.html", normalise(build_trends(data, "zh").html))


def test_golden_files_are_all_used() -> None:
    expected = {f"weekly-{WEEK.label}.zh.html", f"weekly-{WEEK.label}.en.html", "trends-2026-Q4.zh.html"}
    names = {p.name for p in Path(GOLDEN).glob("*") if not p.name.endswith(".csv")}
    assert names <= expected, f"stale golden files: {sorted(names - expected)}"
