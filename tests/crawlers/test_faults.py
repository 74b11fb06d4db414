"""Fault tests against a local server: 500s, 429 + Retry-After, timeouts, a 20 MB body, a redirect loop, truncated
JSON; then kill -9 in the middle of a crawl. The crawl always completes, every fault costs one clear error for its
page only, and a rerun against a healthy server ends with exactly the full set of documents, none twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipradar.crawlers.middlewares import retry_after_seconds
from ipradar.crawlers.mirror import Mirror, Route, load_routes, snapshot_dir
from ipradar.db import make_engine
from ipradar.db.models import CrawlRun, Document
from ipradar.settings import Settings

SOURCE = "us_usitc_337"
FAST = {"IPRADAR_RETRY_BACKOFF_BASE": "0.05", "IPRADAR_DOWNLOAD_TIMEOUT": "2", "IPRADAR_RETRY_TIMES": "1"}


def _env(settings: Settings) -> dict[str, str]:
    return {**os.environ, **FAST, "IPRADAR_ARCHIVE_DIR": str(settings.archive_dir)}


def _crawl(settings: Settings, source: str, base: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ipradar", "crawl", source, "--base-url", base, "--db",
                           settings.db_url], capture_output=True, text=True, timeout=180, env=_env(settings),
                          check=False)


def _docs(settings: Settings) -> list[tuple[str, str]]:
    engine = make_engine(settings.db_url)
    with Session(engine) as session:
        rows = session.execute(select(Document.canonical_url, Document.content_hash).where(
            Document.source_id == SOURCE)).all()
    engine.dispose()
    return sorted((str(a), str(b)) for a, b in rows)


def _last_run(settings: Settings, source: str = SOURCE) -> CrawlRun:
    engine = make_engine(settings.db_url)
    with Session(engine) as session:
        run = session.scalars(select(CrawlRun).where(CrawlRun.source_id == source).order_by(
            CrawlRun.id.desc())).first()
    engine.dispose()
    assert run is not None
    return run


def _release_routes(routes: list[Route]) -> list[Route]:
    return [r for r in routes if "/press_room/news_release/" in r.path]


def test_retry_after_header_forms() -> None:
    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


def test_faults_cost_one_page_each_and_a_rerun_completes_the_set(settings: Settings, tmp_path: Path) -> None:
    directory = snapshot_dir(SOURCE)
    healthy = load_routes(directory)
    with Mirror(directory, routes=healthy) as good:
        assert _crawl(settings, SOURCE, good.base_url).returncode == 0
    full = _docs(settings)
    assert len(full) >= 20

    # start again on an empty source, this time through a server with one fault per page kind
    engine = make_engine(settings.db_url)
    with Session(engine) as session:
        session.query(Document).filter(Document.source_id == SOURCE).delete()
        session.commit()
    engine.dispose()
    routes = load_routes(directory)
    pages = _release_routes(routes)
    broken = {
        "500": pages[0], "timeout": pages[1], "huge": pages[2], "loop": pages[3],
    }
    broken["500"].fail_first, broken["500"].fail_status = 99, 500
    broken["timeout"].delay = 3.0  # longer than the 2 s download timeout, on every try
    (tmp_path / "huge.html").write_bytes(b"<html><body>" + b"x" * (20 * 1024 * 1024) + b"</body></html>")
    huge_route = Route(method="GET", path=broken["huge"].path, file=str(tmp_path / "huge.html"))
    routes[routes.index(broken["huge"])] = huge_route
    loop = broken["loop"]
    loop.body, loop.file, loop.status, loop.headers = "", None, 302, {"Location": loop.path}
    retry_after = pages[4]
    retry_after.fail_first, retry_after.fail_status, retry_after.fail_headers = 1, 429, {"Retry-After": "1"}
    started = time.monotonic()
    with Mirror(directory, routes=routes) as faulty:
        proc = _crawl(settings, SOURCE, faulty.base_url)
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr[-3000:]  # page errors make a partial run, not a failed one
    run = _last_run(settings)
    assert run.status == "partial"
    errors = run.errors
    assert len(errors) == 4, "\n".join(errors)
    for kind, route in (("500", broken["500"]), ("timeout", broken["timeout"]), ("huge", huge_route),
                        ("loop", loop)):
        assert sum(route.path in e for e in errors) == 1, (kind, errors)
    assert any("HTTP 500" in e for e in errors)
    assert len(_docs(settings)) == len(full) - 4  # the 429 page was retried after Retry-After and stored
    assert retry_after.hits == 2 and elapsed >= 1.0

    with Mirror(directory, routes=healthy) as good:  # the server recovers; the rerun fills the gaps
        assert _crawl(settings, SOURCE, good.base_url).returncode == 0
    assert _docs(settings) == full


def test_truncated_json_is_one_page_error(settings: Settings, tmp_path: Path) -> None:
    source = "us_courtlistener_dockets"
    directory = snapshot_dir(source)
    routes = load_routes(directory)
    api_pages = [r for r in routes if r.path.startswith("/api/") and r.file and r.file.endswith(".json")]
    victim = api_pages[0]
    assert victim.file is not None
    body = (directory / victim.file).read_text(encoding="utf-8")
    victim.file, victim.body = None, body[: len(body) // 2]
    with Mirror(directory, routes=routes) as server:
        proc = _crawl(settings, source, server.base_url)
    run = _last_run(settings, source)
    assert run.status in ("partial", "failed"), proc.stderr[-2000:]
    assert len(run.errors) == 1 and "JSON" in run.errors[0], run.errors
    assert run.items_seen > 0


def test_kill_9_mid_crawl_then_rerun_gives_the_same_final_set(settings: Settings) -> None:
    directory = snapshot_dir(SOURCE)
    with Mirror(directory) as good:
        assert _crawl(settings, SOURCE, good.base_url).returncode == 0
    reference = _docs(settings)
    engine = make_engine(settings.db_url)
    with Session(engine) as session:
        session.query(Document).filter(Document.source_id == SOURCE).delete()
        session.commit()

    slow = load_routes(directory)
    for route in _release_routes(slow):
        route.delay = 0.5
    with Mirror(directory, routes=slow) as server:
        child = subprocess.Popen([sys.executable, "-m", "ipradar", "crawl", SOURCE, "--base-url", server.base_url,
                                  "--db", settings.db_url], env=_env(settings), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        stored = 0
        while time.monotonic() < deadline:
            with Session(engine) as session:
                stored = session.scalar(select(func.count(Document.id)).where(Document.source_id == SOURCE)) or 0
            if stored >= 3:
                break
            time.sleep(0.1)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    engine.dispose()
    assert 3 <= stored < len(reference), "the kill should land mid-crawl"
    assert child.returncode == -signal.SIGKILL

    with Mirror(directory) as good:
        proc = _crawl(settings, SOURCE, good.base_url)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert _docs(settings) == reference
    engine = make_engine(settings.db_url)
    with Session(engine) as session:
        statuses = [r.status for r in session.scalars(select(CrawlRun).where(CrawlRun.source_id == SOURCE).order_by(
            CrawlRun.id))]
    engine.dispose()
    assert statuses[-2:] == ["interrupted", "ok"]


@pytest.mark.parametrize("status", [401, 403])
def test_rejected_credential_marks_the_source_unhealthy(settings: Settings, tmp_path: Path, status: int) -> None:
    source = "us_courtlistener_dockets"
    (tmp_path / "routes.json").write_text(json.dumps({"routes": [
        {"path": "/robots.txt", "body": "User-agent: *\nAllow: /\n", "content_type": "text/plain"},
        {"path": "/api/rest/v4/search/", "status": status, "body": '{"detail": "Invalid token."}',
         "content_type": "application/json"},
        {"path": "/api/rest/v4/dockets/", "status": status, "body": '{"detail": "Invalid token."}',
         "content_type": "application/json"}]}), encoding="utf-8")
    with Mirror(tmp_path) as server:
        proc = _crawl(settings, source, server.base_url)
    assert proc.returncode == 1
    assert "IPRADAR_COURTLISTENER_TOKEN is not set" in proc.stderr
    run = _last_run(settings, source)
    assert run.status == "failed" and all(f"HTTP {status}" in e and "missing" in e for e in run.errors)
