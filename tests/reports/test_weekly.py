"""The weekly report lists the week's items with parties and countries, escapes crawled text, and copes with an
empty week (the demo's entry point ``render_weekly`` keeps its signature)."""

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from ipradar.db import make_engine
from ipradar.db.models import Document, Source
from ipradar.reports.weekly import Week, render_weekly

WEEK = Week.parse("2026-W47")
NOW = dt.datetime(2026, 11, 16, 1, 0, tzinfo=dt.UTC)  # Monday 09:00 in Shanghai, inside W47


def _store(url: str, title: str, published: dt.date, parties: list[dict[str, str]]) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        if session.get(Source, "us_usitc_337") is None:
            session.add(Source(id="us_usitc_337", kind="html", name="USITC releases", lang="en",
                               base_url="https://www.usitc.gov", schedule="0 22 * * *"))
        session.add(Document(source_id="us_usitc_337", url="https://www.usitc.gov/x", canonical_url=f"https://x/{title}",
                             content_hash=title.ljust(64, "0")[:64], title=title, text="body", lang="en",
                             doc_type="news_release", published_on=published, first_seen_at=NOW,
                             case_numbers=["337-TA-1462"], parties=parties))
        session.commit()
    engine.dispose()


def test_lists_items_with_parties_and_escapes_titles(initialised_db: str, tmp_path: Path) -> None:
    _store(initialised_db, "<script>alert(1)</script> Certain LCD Devices", dt.date(2026, 11, 20), [
        {"name": "Samsung Display Co., Ltd.", "role": "plaintiff", "city": "Asan", "country": "KR"},
        {"name": "HKC Corporation Limited", "role": "defendant", "city": "Shenzhen", "region": "Guangdong",
         "country": "CN"},
    ])
    engine = make_engine(initialised_db)
    html = render_weekly(engine, WEEK, tmp_path, now=NOW).read_text(encoding="utf-8")
    engine.dispose()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Certain LCD Devices" in html
    assert "337-TA-1462" in html
    assert "海外知识产权风险预警周报" in html


def test_older_items_first_seen_this_week_are_listed_apart_with_parties(initialised_db: str, tmp_path: Path) -> None:
    _store(initialised_db, "Certain Height-Adjustable Desk Platforms", dt.date(2017, 5, 1), [
        {"name": "Varidesk LLC", "role": "plaintiff", "city": "Coppell", "region": "TX", "country": "US"},
        {"name": "Zhejiang Loctek Smart Drive Technology Co., Ltd.", "role": "defendant", "city": "Ningbo",
         "country": "CN"},
    ])
    engine = make_engine(initialised_db)
    html = render_weekly(engine, WEEK, tmp_path, now=NOW, lang="en").read_text(encoding="utf-8")
    engine.dispose()
    annex = html[html.index("Annex: collected this week, published earlier"):]
    assert "Certain Height-Adjustable Desk" in annex
    assert "Varidesk LLC (US)" in annex and "Zhejiang Loctek Smart Drive Technology Co., Ltd. (CN)" in annex
    assert "Certain Height-Adjustable Desk" not in html[: html.index("Annex: collected")]  # not counted in the week


def test_empty_week_renders_a_no_items_report(initialised_db: str, tmp_path: Path) -> None:
    engine = make_engine(initialised_db)
    en = render_weekly(engine, WEEK, tmp_path, now=NOW, lang="en").read_text(encoding="utf-8")
    zh = render_weekly(engine, WEEK, tmp_path, now=NOW, lang="zh").read_text(encoding="utf-8")
    engine.dispose()
    assert "No new items were published this week" in en
    assert "No item this week reached the red-flag threshold" in en
    assert "本周在此范围内没有新发布的条目" in zh
    assert "本周没有裁决或结案记录" in zh
