"""`ipradar demo` runs crawl → tag → report offline, and a second run into the same work dir adds no rows."""

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipradar.db import make_engine
from ipradar.db.models import Document, Tag


def _demo(workdir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ipradar", "demo", "--workdir", str(workdir)],
                          capture_output=True, text=True, timeout=300, check=False)


def _rows(workdir: Path) -> tuple[int, int, int]:
    engine = make_engine(f"sqlite:///{workdir / 'ipradar.db'}")
    with Session(engine) as session:
        docs = session.scalar(select(func.count(Document.id))) or 0
        tagged = session.scalar(select(func.count(Document.id)).where(Document.tagged_at.is_not(None))) or 0
        tags = session.scalar(select(func.count(Tag.id))) or 0
    engine.dispose()
    return docs, tagged, tags


def test_demo_end_to_end_and_idempotent(tmp_path: Path) -> None:
    workdir = tmp_path / "demo"
    first = _demo(workdir)
    assert first.returncode == 0, first.stderr[-4000:]
    report = Path(first.stdout.strip().split("weekly report: ")[-1].strip())
    assert report.is_file() and report.parent == workdir / "reports"
    assert (workdir / "ipradar.toml").is_file()
    docs, tagged, tags = _rows(workdir)
    assert docs >= 20 and tagged == docs and tags > docs
    html = report.read_text(encoding="utf-8")
    assert html.count('class="card') >= 20
    assert "337-TA-" in html and "Respondents" in html and "Complainants" in html
    assert '<span class="badge cn">CN</span>' in html

    second = _demo(workdir)
    assert second.returncode == 0, second.stderr[-4000:]
    assert _rows(workdir) == (docs, tagged, tags)
