"""USITC IDS dump parser: fixtures vs reviewed expected JSON, the day-to-day diff, both key styles, bad payloads."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ipradar.crawlers.errors import ParseError
from ipradar.crawlers.mirror import load_routes
from ipradar.crawlers.parsers import us_usitc_ids as ids

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "us_usitc_ids"
SNAPSHOT = Path(ids.__file__).resolve().parents[2] / "data" / "snapshots" / "us_usitc_ids"
CASES = sorted(p for p in FIXTURES.glob("*.json") if not p.name.endswith(".expected.json"))


def _check_expected(case: Path, actual: Any) -> None:
    expected = case.with_name(case.name.split(".")[0] + ".expected.json")
    rendered = json.dumps(actual, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if not expected.exists():
        expected.write_text(rendered, encoding="utf-8")
        pytest.fail(f"{expected.name} was missing and has been written from the parser: review and commit it")
    assert json.loads(rendered) == json.loads(expected.read_text(encoding="utf-8"))


def _parse(path: Path) -> tuple[dict[str, Any], list[ids.InvestigationRow]]:
    return ids.parse_dump(path.read_bytes(), ids.DUMP_URL)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_fixture(case: Path) -> None:
    error = case.with_suffix(".error.txt")
    if error.exists():
        with pytest.raises(ParseError, match=re.escape(error.read_text(encoding="utf-8").strip())):
            _parse(case)
        return
    meta, rows = _parse(case)
    _check_expected(case, {"meta": meta, "documents": ids.rows_to_documents(rows, meta["snapshot_date"])})


def test_mirror_snapshot_is_served_and_parses() -> None:
    routes = load_routes(SNAPSHOT)
    dump = next(r for r in routes if r.path == "/investigations.json")
    assert dump.file is not None
    meta, rows = ids.parse_dump((SNAPSHOT / dump.file).read_bytes(), ids.DUMP_URL)
    docs = ids.rows_to_documents(rows, meta["snapshot_date"])
    assert meta["snapshot_date"] == "2026-11-24" and meta["warnings"] == []
    assert meta["ignored"] == 6  # the AD/CVD and factfinding records
    assert len({d["case_numbers"][0] for d in docs}) >= 25
    assert all(d["case_numbers"][0].startswith("337-TA-") for d in docs)
    assert all(any(p["role"] == "plaintiff" for p in d["parties"]) for d in docs)
    assert all(d["warnings"] == [] for d in docs)
    by_key = {(d["case_numbers"][0], d["extra"]["phase"]): d for d in docs}
    aligner = by_key[("337-TA-1471", "Violation")]
    assert aligner["case_numbers"] == ["337-TA-1471", "337-3850"]
    assert {p["country"] for p in aligner["parties"] if p["role"] == "defendant"} == {"CN", "US"}
    assert ("337-TA-1159", "Rescission") in by_key and ("337-TA-1191", "Modification") in by_key


def test_diff_between_daily_snapshots() -> None:
    _, old = _parse(FIXTURES / "investigations_2026-11-23.json")
    _, new = ids.parse_dump((SNAPSHOT / "investigations_2026-11-24.json").read_bytes(), ids.DUMP_URL)
    diff = ids.diff_snapshots(old, new)
    assert [(r["number"], r["phase"]) for r in diff["new"]] == [
        ("337-TA-1159", "Rescission"), ("337-TA-1458", "Violation"), ("337-TA-1471", "Violation")]
    assert [(r["number"], r["phase"]) for r in diff["removed"]] == [
        ("337-3837", "Pre-institution"), ("337-3850", "Pre-institution")]
    [(before, after, fields)] = diff["changed"]
    assert after["number"] == "337-TA-1276" and fields == ["determination_date", "end_date", "status"]
    assert (before["status"], after["status"]) == ("Active", "Complete")
    assert ids.diff_snapshots(new, new) == {"new": [], "changed": [], "removed": []}


def test_both_key_styles_give_the_same_row() -> None:
    title_case = {"Investigation Number": "337-TA-1191", "Investigation Phase": {"Name": "Modification"},
                  "Investigation Type": {"Name": "Unfair Imports"}, "Investigation Status": {"Name": "Active"},
                  "Full Title": "Certain Audio Players and Controllers, Components Thereof, and Products Containing the Same",
                  "Start Date": "08-08-2022", "Countries": ["United States"]}
    legacy = {"official_investigation_number": "337-TA-1191", "phase_title": "Modification",
              "investigation_type_name": "Section 337", "investigation_status_name": "Active",
              "investigation_title": title_case["Full Title"], "countries": [{"country_id": 1, "country_name": "United States"}],
              "investigation_diary": [{"diary_type_name": "Institution", "diary_date": {"date": "2022-08-08 00:00:00.000000"}}]}
    rows = [ids.parse_dump(json.dumps({"count": 1, "date": "11-24-2026", "data": [rec]}), ids.DUMP_URL)[1][0]
            for rec in (title_case, legacy)]
    fields = ("number", "phase", "title", "status", "start_date", "countries", "docket")
    title_row, legacy_row = ({k: dict(r)[k] for k in fields} for r in rows)
    assert title_row == legacy_row
    assert rows[0]["start_date"] == "2022-08-08"


def test_month_first_dates_and_pre_institution_dockets() -> None:
    record = {"Investigation Number": "337-3850", "Investigation Type": {"Name": "Unfair Imports"},
              "Investigation Status": {"Name": "Pre-institution"}, "Full Title": "Certain Clear Aligners",
              "Initiating Document Received Date": "09-03-2025"}
    meta, [row] = ids.parse_dump(json.dumps({"date": "10-01-2025", "data": [record]}), ids.DUMP_URL)
    assert row["complaint_date"] == "2025-09-03"  # 3 September, not 9 March
    assert (row["phase"], row["docket"]) == ("Pre-institution", "337-3850")
    [doc] = ids.rows_to_documents([row], meta["snapshot_date"])
    assert doc["case_numbers"] == ["337-3850"] and doc["extra"]["investigation_number"] is None


@pytest.mark.parametrize(("name", "code"), [("China", "CN"), ("Hong Kong SAR", "HK"), ("Taiwan", "TW"),
                                            ("Republic of Korea", "KR"), ("the United Kingdom", "GB"),
                                            ("Cayman Islands", "KY"), ("Ruritania", None), (None, None)])
def test_country_code(name: str | None, code: str | None) -> None:
    assert ids.country_code(name) == code
