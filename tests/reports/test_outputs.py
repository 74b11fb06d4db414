"""PDF, CSV, archive and determinism: the PDF carries the Chinese headings as text, crawled markup stays inert in
HTML and PDF, the same data gives the same bytes, and a missing CJK font is a clear error."""

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from reporthelpers import NOW, WEEK, add_document
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ipradar.db import make_engine
from ipradar.db.models import Source
from ipradar.db.models.reports import Report
from ipradar.reports.outputs import parse_formats, write
from ipradar.reports.pdf import ReportError
from ipradar.reports.weekly import WeeklyOptions, build_weekly, collect_weekly, write_weekly

PAYLOAD = '<script>alert("owned")</script><img src=x onerror=alert(2)>'


def pdf_text(path: Path) -> str:
    """Text as a reader's tools see it: poppler's pdftotext (CI installs poppler-utils), else pypdf."""
    tool = shutil.which("pdftotext")
    if tool:
        return subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def pdf_formats(url: str) -> tuple[str, ...]:
    """PDF rendering costs ~15 s a report (CJK font subsetting) and does not touch the database, so PDFs are made
    on the SQLite run only; every query-dependent check still runs on both databases."""
    return ("html", "pdf", "csv") if url.startswith("sqlite") else ("html", "csv")


def test_pdf_has_the_chinese_headings_and_csv_and_archive_rows(report_db: str, report_engine: Engine,
                                                               tmp_path: Path) -> None:
    formats = pdf_formats(report_db)
    files = write_weekly(report_engine, WeeklyOptions(WEEK), tmp_path, now=NOW, langs=("zh", "en"), formats=formats)
    names = sorted(p.name for p in files.paths)
    assert "weekly-2026-W47.items.csv" in names and "weekly-2026-W47.provenance.json" in names
    with Session(report_engine) as session:
        rows = session.scalars(select(Report).order_by(Report.id)).all()
    assert {r.fmt for r in rows} == {"html", "csv", "json"} | ({"pdf"} if "pdf" in formats else set())
    if "pdf" in formats:
        assert "weekly-2026-W47.zh.pdf" in names and "weekly-2026-W47.en.pdf" in names
        text = pdf_text(tmp_path / "weekly-2026-W47.zh.pdf").replace(" ", "")
        for heading in ("海外知识产权风险预警周报", "本周要点", "重点预警", "行业预警", "法规政策动态", "典型案例",
                        "方法与覆盖范围", "有限排除令", "浦东"):
            assert heading in text, heading
        assert "OverseasIPRiskWarningWeekly" in pdf_text(tmp_path / "weekly-2026-W47.en.pdf").replace(" ", "")
        again = write_weekly(report_engine, WeeklyOptions(WEEK), tmp_path / "again", now=NOW, langs=("zh",),
                             formats=("pdf",), record=False)
        assert again.paths[0].read_bytes() == (tmp_path / "weekly-2026-W47.zh.pdf").read_bytes()  # same bytes
    assert all(r.kind == "weekly" and r.period == "2026-W47" and len(r.sha256) == 64 for r in rows)
    assert rows[0].params["week"] == "2026-W47" and rows[0].created_at == NOW


def test_same_data_same_bytes(report_engine: Engine, tmp_path: Path) -> None:
    a = write_weekly(report_engine, WeeklyOptions(WEEK), tmp_path / "a", now=NOW, formats=("html", "csv"),
                     record=False)
    b = write_weekly(report_engine, WeeklyOptions(WEEK), tmp_path / "b", now=NOW, formats=("html", "csv"),
                     record=False)
    assert [p.name for p in a.paths] == [p.name for p in b.paths]
    for pa, pb in zip(a.paths, b.paths, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_crawled_markup_stays_inert_in_html_and_pdf(initialised_db: str, tmp_path: Path) -> None:
    engine = make_engine(initialised_db)
    with Session(engine) as session:
        session.add(Source(id="news_x", kind="feed", name="News <b>X</b>", lang="en", base_url="https://x",
                           schedule="0 * * * *"))
        session.flush()
        add_document(session, {
            "source_id": "news_x", "doc_type": "news", "lang": "en", "url": "https://x/1?a=1&b=<2>",
            "title": f"{PAYLOAD} Certain LED lamps", "text": f"excerpt {PAYLOAD}", "published": "2026-11-18",
            "first_seen": "2026-11-18T10:00:00+00:00", "fetched": "2026-11-18T10:00:00+00:00",
            "case_numbers": ["337-TA-9999"], "extra": {"products": PAYLOAD, "remedies_requested": [PAYLOAD]},
            "parties": [{"name": PAYLOAD, "role": "defendant", "city": "Shanghai", "region": PAYLOAD,
                         "country": "CN"}],
            "analysis": {"relevant": True, "jurisdictions": ["US"], "industries": [], "risk_types": ["policy"],
                         "cn_party": {"involved": True, "side": "defendant"}, "parties": [], "case_numbers": [],
                         "forums": [PAYLOAD], "severity": {"level": "high", "score": 90, "reasons": [PAYLOAD]}}})
        session.commit()
    formats = ("html", "pdf") if initialised_db.startswith("sqlite") else ("html",)
    files = write_weekly(engine, WeeklyOptions(WEEK), tmp_path, now=NOW, langs=("en",), formats=formats)
    engine.dispose()
    html = files.paths[0].read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in html
    assert html.count("<script") == 0
    if len(files.paths) < 2:
        return
    text = pdf_text(files.paths[1])
    assert '<script>alert("owned")</script>' in text.replace("\n", "")  # shown as text, not run or dropped


def test_missing_cjk_font_is_a_clear_error(report_engine: Engine, tmp_path: Path) -> None:
    rendered = build_weekly(collect_weekly(report_engine, WeeklyOptions(WEEK), now=NOW), "zh")
    with pytest.raises(ReportError, match="no CJK font is installed.*fonts-noto-cjk"):
        write(rendered, tmp_path / "out", ["html", "pdf"], fonts=lambda: [])
    assert not list((tmp_path / "out").glob("*"))  # checked before anything is written


def test_region_and_sector_cuts(report_engine: Engine) -> None:
    upc = collect_weekly(report_engine, WeeklyOptions(WEEK, regions=("UPC",)), now=NOW)
    assert [i.title for i in upc.items] == [
        "Mannheim Local Division decides Panasonic v OPPO and sets a FRAND rate (UPC_CFI_210/2023)"]
    assert [i.title for i in upc.backlog] == ["Dyson v Dreame: hair-dryer patent dispute reaches the UPC"]
    goods = collect_weekly(report_engine, WeeklyOptions(WEEK, sectors=("consumer_goods",)), now=NOW)
    assert len(goods.items) == 1 and goods.items[0].is_schedule_a
    assert int(goods.totals.this_week.value) == 1
    watch = collect_weekly(report_engine, WeeklyOptions(WEEK, watchlist=("BOE",)), now=NOW)
    assert [i.case_numbers for i in watch.items] == [["337-TA-1351"]]


def test_week_counts_deadlines_and_flags(report_engine: Engine) -> None:
    d = collect_weekly(report_engine, WeeklyOptions(WEEK), now=NOW)
    assert int(d.totals.this_week.value) == 6  # 7 documents in the week, one not relevant (anti-dumping)
    assert int(d.cn_party_instances.value) == 3 + 1 + 1 + 8
    card = next(i for i in d.cards if "337-TA-1351" in i.case_numbers)
    assert [(x.due, x.days_left) for x in card.deadlines] == [(dt.date(2026, 12, 8), 15), (dt.date(2027, 1, 2), 40)]
    assert card.case is not None and card.case.key == "usitc_337:337-TA-1351"
    sched = next(i for i in d.tro)
    assert ("Shanghai", True) in [(p, sh) for p, _, sh in d.provinces]
    from ipradar.reports.weekly import locality

    assert locality(sched.cn_respondents[0]).pudong
    assert [o.case_key for o in d.outcomes] == ["upc:UPC_CFI_210/2023"]
    assert [r["source_id"] for r in d.failed_runs] == ["cn_mofcom_ipr", "cn_mofcom_ipr"]


def test_format_parsing() -> None:
    assert parse_formats("html, pdf,csv") == ("html", "pdf", "csv")
    with pytest.raises(ValueError, match="docx"):
        parse_formats("html,docx")
