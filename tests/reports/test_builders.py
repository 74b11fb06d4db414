"""Legal-environment and trends builders, periods, and the catalogs (every template string has a Chinese entry)."""

import datetime as dt
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from reporthelpers import NOW, WEEK, background
from sqlalchemy import Engine

from ipradar.reports import i18n
from ipradar.reports.legal_env import build_legal_env, collect_legal_env, countries, load_facts
from ipradar.reports.pdf import ReportError
from ipradar.reports.periods import Period, Week
from ipradar.reports.trends import build_trends, collect_trends


def test_legal_env_has_every_required_country_and_renders_facts_with_sources(report_engine: Engine) -> None:
    assert {"US", "DE", "GB", "JP", "KR", "IN", "UPC"} <= set(countries())
    d = collect_legal_env(report_engine, "US", now=NOW)
    us_background = sum(1 for b in background(WEEK) if b["analysis"]["jurisdictions"] == ["US"])
    # 2024, 2025, 2026: the USITC, Schedule-A and USPTO items (anti-dumping is not relevant) + background
    assert [int(n.value) for n in d.totals] == [0, 0, 3 + us_background]
    assert ("Samsung Display Co., Ltd.", 1) in [(n, int(v.value)) for n, v in d.plaintiffs]
    html = build_legal_env(d, "zh").html
    first = d.facts["sections"][0]["items"][0]
    assert first["zh"].split("。")[0] in html and first["sources"][0]["url"] in html
    assert "美国知识产权法律环境报告" in html and d.facts["reviewed"] in html
    upc = collect_legal_env(report_engine, "UPC", now=NOW)
    assert [o.case_key for o in upc.outcomes] == ["upc:UPC_CFI_210/2023"]


def test_legal_env_unknown_country_and_invalid_file(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="available"):
        load_facts("FR")
    (tmp_path / "schema.json").write_text((i18n.GLOSSARY.parent / "legal_env" / "schema.json").read_text())
    (tmp_path / "US.json").write_text('{"code": "US"}')
    with pytest.raises(ReportError, match="required"):
        load_facts("US", tmp_path)


def test_trends_compare_with_previous_period(report_engine: Engine) -> None:
    d = collect_trends(report_engine, Period.parse("2026-Q4"), now=NOW)
    totals = {c.code: (int(c.current.value), int(c.previous.value)) for c in d.totals}
    cn_background = sum(1 for b in background(WEEK) if b["analysis"]["cn_party"]["side"]
                        and b["published"] >= "2026-10-01")
    assert totals["cn_cases"][0] == 5 + cn_background and totals["outcomes"] == (1, 0)
    assert totals["instances"][0] == 3 + 1 + 1 + 8 + 1  # the week's Chinese defendants plus Dyson v Dreame
    assert ("Shanghai", 1) in [(c.code, int(c.current.value)) for c in d.by_province]
    assert "Shanghai" in d.shanghai
    assert "上海" in build_trends(d, "zh").html


def test_periods() -> None:
    assert Period.parse("2026-Q3").start == dt.date(2026, 7, 1) and Period.parse("2026-Q3").end == dt.date(2026, 10, 1)
    assert Period.parse("2026-Q1").previous().label == "2025-Q4"
    assert Period.parse("2026-01").previous().label == "2025-12"
    assert Period.parse("2026").previous().label == "2025"
    assert len(Period.parse("2026").months()) == 12
    for bad in ("2026-Q5", "2026-13", "26", "2026-W01"):
        with pytest.raises(ValueError):
            Period.parse(bad)
    assert Week.parse("2026-W01").shift(-1).label == "2025-W52"
    start, end = Week.parse("2026-W47").bounds()
    assert start.isoformat() == "2026-11-16T00:00:00+08:00" and (end - start).days == 7


def test_every_template_and_code_string_has_a_chinese_translation() -> None:
    root = Path(i18n.__file__).parent
    method_map = [("**.py", "python"), ("**/templates/*.html", "jinja2")]
    options = {"**/templates/*.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True",
                                       "lstrip_blocks": "True"}}
    ids = {msg[2] if isinstance(msg[2], str) else msg[2][0]
           for msg in extract_from_dir(str(root), method_map, options, keywords={"_": None, "N_": None, "tr": None,
                                                                                  "run": (2,), "note": (1,)})}
    zh = i18n.translations("zh")
    untranslated = sorted(m for m in ids if m and zh.gettext(m) == m)
    assert untranslated == [], f"add these to locale/zh/LC_MESSAGES/messages.po: {untranslated}"


def test_glossary_terms_are_used_for_remedies_and_taxonomy() -> None:
    assert i18n.label(i18n.REMEDIES, "general_exclusion_order", "zh") == "普遍排除令"
    assert i18n.label(i18n.REMEDIES, "general_exclusion_order", "en").startswith("General exclusion order")
    assert i18n.label(i18n.INDUSTRIES, "new_energy_auto", "zh") == "新能源与汽车"
    assert i18n.label(i18n.JURISDICTIONS, "UPC", "en") == "Unified Patent Court"
    assert i18n.label(i18n.RISK_TYPES, "not_a_code", "zh") == "not_a_code"
