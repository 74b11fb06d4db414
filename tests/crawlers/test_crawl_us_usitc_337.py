"""End to end over the bundled USITC snapshot: the real spider against a local mirror, stored idempotently; a
malformed page costs one clear error and nothing else; a failing start page fails the run loudly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipradar.crawlers.mirror import Mirror, snapshot_dir
from ipradar.crawlers.runner import crawl_subprocess
from ipradar.db import make_engine
from ipradar.db.models import CrawlRun, Document, Fetch, RawPayload, Source
from ipradar.settings import Settings

SOURCE = "us_usitc_337"


def _crawl(settings: Settings, directory: Path) -> tuple[int, str]:
    with Mirror(directory) as server:
        proc = crawl_subprocess(SOURCE, db_url=settings.db_url, archive_dir=settings.archive_dir,
                                base_url=server.base_url, timeout=120)
    return proc.returncode, proc.stdout + proc.stderr


def _counts(settings: Settings) -> tuple[int, list[CrawlRun]]:
    engine = make_engine(settings.db_url)
    with Session(engine) as session:
        docs = session.scalar(select(func.count(Document.id))) or 0
        runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
    engine.dispose()
    return docs, runs


def test_crawl_of_the_mirror_stores_releases_once(settings: Settings) -> None:
    code, output = _crawl(settings, snapshot_dir(SOURCE))
    assert code == 0, output
    docs, runs = _counts(settings)
    assert docs >= 20
    assert runs[-1].status == "ok" and runs[-1].items_new == docs and not runs[-1].errors
    engine = make_engine(settings.db_url)
    with Session(engine) as session:
        sample = session.scalars(select(Document).order_by(Document.id)).all()
        assert all(d.canonical_url.startswith("https://www.usitc.gov/") for d in sample)  # real URLs, not 127.0.0.1
        assert all(d.case_numbers and d.case_numbers[0].startswith("337-TA-") for d in sample)
        assert all(any(p["role"] == "defendant" for p in d.parties) for d in sample)
        assert any(p.get("country") == "CN" for d in sample for p in d.parties)
        # every stored document traces back to an archived payload and a logged fetch
        assert all(d.raw_sha256 for d in sample)
        archived = session.scalars(select(RawPayload)).all()
        assert all((settings.archive_dir / r.path).is_file() for r in archived)
        assert session.scalar(select(func.count(Fetch.id))) or docs < 0
        source = session.get(Source, SOURCE)
        # real releases carry real quirks (a malformed header, a missing release number): warnings, not errors
        assert source is not None and source.health in ("ok", "warning") and source.last_items == docs
        assert "error" not in (source.health_reason or "")
    engine.dispose()

    code, output = _crawl(settings, snapshot_dir(SOURCE))  # a rerun adds nothing
    assert code == 0, output
    again, runs = _counts(settings)
    assert again == docs
    assert runs[-1].items_new == 0 and runs[-1].items_duplicate == docs


def _broken_copy(tmp_path: Path) -> tuple[Path, list[str]]:
    """The snapshot with three release pages broken in the three ways pages break."""
    target = tmp_path / "mirror"
    shutil.copytree(snapshot_dir(SOURCE), target)
    routes = json.loads((target / "routes.json").read_text(encoding="utf-8"))
    releases = [r for r in routes["routes"] if "/press_room/news_release/" in r["path"]]
    broken = releases[:3]
    first = (target / broken[0]["file"]).read_text(encoding="utf-8")
    (target / broken[0]["file"]).write_text(first[: len(first) // 3], encoding="utf-8")  # truncated
    second = (target / broken[1]["file"]).read_text(encoding="utf-8")
    cut = second.find("respondent")
    (target / broken[1]["file"]).write_text(second[:cut] + "</div></body></html>", encoding="utf-8")
    third = (target / broken[2]["file"]).read_text(encoding="utf-8")
    import re

    third = re.sub(r"(January|February|March|April|May|June|July|August|September|October|November|December)"
                   r" (\d{1,2}), (\d{4})", r"\2 Smarch \3", third, count=1)
    (target / broken[2]["file"]).write_text(third, encoding="utf-8")
    return target, [r["path"] for r in broken]


def test_malformed_pages_cost_one_error_each_and_the_crawl_goes_on(settings: Settings, tmp_path: Path) -> None:
    good_docs = len([r for r in json.loads((snapshot_dir(SOURCE) / "routes.json").read_text())["routes"]
                     if "/press_room/news_release/" in r["path"]])
    mirror, broken = _broken_copy(tmp_path)
    code, output = _crawl(settings, mirror)
    assert code == 0, output  # a partial run is not a failed run
    docs, runs = _counts(settings)
    run = runs[-1]
    assert run.status == "partial"
    assert len(run.errors) == 3, run.errors
    for path in broken:
        assert sum(path in e for e in run.errors) == 1, (path, run.errors)
    assert docs >= good_docs - 3 - 6  # non-337 releases in the listing are skipped, all other pages stored
    assert all(path in output for path in broken)  # and each error was logged


def test_a_5xx_start_page_fails_the_run_with_one_clear_error(settings: Settings, tmp_path: Path) -> None:
    target = tmp_path / "down"
    target.mkdir()
    (target / "routes.json").write_text(json.dumps({"routes": [
        {"path": "/robots.txt", "body": "User-agent: *\nAllow: /\n", "content_type": "text/plain"},
        {"path": "/news_releases", "status": 503, "body": "maintenance"}]}), encoding="utf-8")
    code, output = _crawl(settings, target)
    assert code == 1, output
    docs, runs = _counts(settings)
    assert docs == 0
    assert runs[-1].status == "failed" and len(runs[-1].errors) == 1 and "HTTP 503" in runs[-1].errors[0]
    engine = make_engine(settings.db_url)
    with Session(engine) as session:
        source = session.get(Source, SOURCE)
        assert source is not None and source.health == "failing"
    engine.dispose()
