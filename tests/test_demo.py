"""`ipradar demo` runs the whole pipeline offline into one work dir; a second run adds no rows and sends nothing."""

import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipradar.db import make_engine
from ipradar.db.models import Document, Tag


def _demo(workdir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ipradar", "demo", "--workdir", str(workdir)],
                          capture_output=True, text=True, timeout=600, check=False)


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
    assert docs >= 200 and tagged == docs and tags > docs

    # the weekly report lists the 337 releases with complainants, respondents and their countries
    html = report.read_text(encoding="utf-8")
    assert "海外知识产权风险预警周报" in html
    releases = set(re.findall(r"USITC Institutes Section 337 Investigation of[^<]*", html))
    assert len(releases) >= 20
    assert "Zhejiang Loctek Smart Drive Technology Co., Ltd. (CN)" in html and "Varidesk LLC (US)" in html
    outputs = {p.name for p in (workdir / "reports").iterdir()}
    for name in ("weekly-{w}.zh.html", "weekly-{w}.en.html", "weekly-{w}.zh.pdf", "weekly-{w}.en.pdf",
                 "weekly-{w}.items.csv", "legal-env-US.zh.html", "legal-env-US.en.html"):
        week = report.name.split(".")[0].removeprefix("weekly-")
        assert name.format(w=week) in outputs, name
    assert any(n.startswith("trends-") and n.endswith(".zh.html") for n in outputs)
    # alerts for the sample subscriptions through all three channels
    assert list((workdir / "mail").glob("*.eml")) and list((workdir / "feeds").glob("*.atom"))
    assert list((workdir / "webhooks").iterdir())
    mails = sorted((workdir / "mail").glob("*.eml"))

    second = _demo(workdir)
    assert second.returncode == 0, second.stderr[-4000:]
    assert _rows(workdir) == (docs, tagged, tags)
    assert sorted((workdir / "mail").glob("*.eml")) == mails  # nothing sent twice
    assert "alerts: 0 new, 0 messages delivered" in second.stderr
