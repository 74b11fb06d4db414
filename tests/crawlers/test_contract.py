"""One contract over every source: the real spider crawls its bundled snapshot through the local mirror and stores
what the reviewed ``tests/fixtures/<source>/crawl.expected.json`` says; a 5xx start page yields no items and one
clear error per start request; `scrapy list` agrees with the registry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipradar.crawlers.mirror import SNAPSHOTS, Mirror, Route, load_routes
from ipradar.crawlers.registry import all_spiders
from ipradar.db import make_engine
from ipradar.db.models import CrawlRun, Document
from ipradar.settings import Settings

FIXTURES = Path(__file__).parent.parent / "fixtures"
SOURCES = sorted(all_spiders())


def _crawl(settings: Settings, source: str, base: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IPRADAR_ARCHIVE_DIR": str(settings.archive_dir), "IPRADAR_RETRY_TIMES": "1",
           "IPRADAR_RETRY_BACKOFF_BASE": "0.05"}
    return subprocess.run([sys.executable, "-m", "ipradar", "crawl", source, "--base-url", base, "--db",
                           settings.db_url], capture_output=True, text=True, timeout=180, env=env, check=False)


def _summary(settings: Settings, source: str) -> list[dict[str, object]]:
    engine = make_engine(settings.db_url)
    with Session(engine) as session:
        docs = session.scalars(select(Document).where(Document.source_id == source).order_by(
            Document.canonical_url)).all()
        out = [{"url": d.canonical_url, "title": d.title, "lang": d.lang, "doc_type": d.doc_type,
                "published": d.published_on.isoformat() if d.published_on else None,
                "case_numbers": d.case_numbers,
                "parties": [[p["name"], p["role"], p.get("country")] for p in d.parties]} for d in docs]
    engine.dispose()
    return out


def test_every_source_ships_a_snapshot() -> None:
    assert len(SOURCES) >= 12
    missing = [s for s in SOURCES if not (SNAPSHOTS / s / "routes.json").is_file()]
    assert not missing, f"sources without an offline snapshot: {missing}"
    assert sum(1 for cls in all_spiders().values() if cls.lang == "zh") >= 2


@pytest.mark.parametrize("source", SOURCES)
def test_spider_over_its_snapshot_matches_the_reviewed_expectation(settings: Settings, source: str) -> None:
    with Mirror(SNAPSHOTS / source) as server:
        proc = _crawl(settings, source, server.base_url)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = _summary(settings, source)
    assert got, f"{source} stored nothing from its snapshot"
    expected_file = FIXTURES / source / "crawl.expected.json"
    if not expected_file.exists():
        expected_file.parent.mkdir(parents=True, exist_ok=True)
        expected_file.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.fail(f"{expected_file} written: review and commit it")
    assert got == json.loads(expected_file.read_text(encoding="utf-8"))


@pytest.mark.parametrize("source", SOURCES)
def test_a_5xx_start_yields_no_items_and_one_error_per_start_request(settings: Settings, tmp_path: Path,
                                                                     source: str) -> None:
    routes = [Route(method="GET", path="/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")]
    for route in load_routes(SNAPSHOTS / source):
        if route.path != "/robots.txt":
            routes.append(Route(method=route.method, path=route.path, query=route.query, form=route.form,
                                status=503, body="Service Unavailable", content_type="text/plain"))
    with Mirror(SNAPSHOTS / source, routes=routes) as server:
        proc = _crawl(settings, source, server.base_url)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert _summary(settings, source) == []
    engine = make_engine(settings.db_url)
    with Session(engine) as session:
        run = session.scalars(select(CrawlRun).where(CrawlRun.source_id == source)).one()
    engine.dispose()
    assert run.status == "failed" and run.items_seen == 0
    assert run.errors and all("HTTP 503" in e for e in run.errors), run.errors
    starts = {e.rsplit(": HTTP", 1)[0] for e in run.errors}
    assert len(starts) == len(run.errors), "one error per failing start request, not one per retry"
    error_lines = [line for line in proc.stderr.splitlines() if " ERROR " in line and "503" in line]
    assert len(error_lines) == len(run.errors), error_lines


def test_scrapy_list_agrees_with_the_registry(tmp_path: Path) -> None:
    root = Path(__file__).parent.parent.parent
    proc = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "IPRADAR_DB_URL": f"sqlite:///{tmp_path}/none.db"}, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == SOURCES
