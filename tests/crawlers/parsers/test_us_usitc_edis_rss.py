"""EDIS complaints RSS parser: fixtures vs reviewed expected JSON, docket vs investigation numbers, party roles."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ipradar.crawlers.errors import ParseError
from ipradar.crawlers.mirror import load_routes
from ipradar.crawlers.parsers import us_usitc_edis_rss as edis

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "us_usitc_edis_rss"
SNAPSHOT = Path(edis.__file__).resolve().parents[2] / "data" / "snapshots" / "us_usitc_edis_rss"
FEED_URL = "https://edis.usitc.gov/external/rss/render.rss?criteria=CRITERIONAOIDEL:8:13:CRITERIONANOTIFY:true"
CASES = sorted(FIXTURES.glob("*.xml"))


def _check_expected(case: Path, actual: Any) -> None:
    expected = case.with_name(case.name.split(".")[0] + ".expected.json")
    rendered = json.dumps(actual, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if not expected.exists():
        expected.write_text(rendered, encoding="utf-8")
        pytest.fail(f"{expected.name} was missing and has been written from the parser: review and commit it")
    assert json.loads(rendered) == json.loads(expected.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_fixture(case: Path) -> None:
    error = case.with_suffix(".error.txt")
    if error.exists():
        with pytest.raises(ParseError, match=re.escape(error.read_text(encoding="utf-8").strip())):
            edis.parse_feed(case.read_bytes(), FEED_URL)
        return
    _check_expected(case, edis.parse_feed(case.read_bytes(), FEED_URL))


def test_mirror_snapshot() -> None:
    [feed] = [r for r in load_routes(SNAPSHOT) if r.path == "/external/rss/render.rss"]
    assert feed.file is not None and feed.query == {"criteria": "CRITERIONAOIDEL:8:13:CRITERIONANOTIFY:true"}
    docs = edis.parse_feed((SNAPSHOT / feed.file).read_bytes(), FEED_URL)
    assert len(docs) >= 15 and all(d["warnings"] == [] for d in docs)
    complaints = [d for d in docs if d["extra"]["document_type"] == "Complaint"]
    assert {d["extra"]["docket_number"] for d in complaints} == {"337-3809", "337-3837", "337-3850"}
    assert all(d["case_numbers"] == [d["extra"]["docket_number"]] for d in complaints)
    assert all(p["role"] == "plaintiff" for d in complaints for p in d["parties"])
    notices = [d for d in docs if d["title"] == "Notice of Investigation"]
    assert {d["case_numbers"][0] for d in notices} >= {"337-TA-1471", "337-TA-1465", "337-TA-1443"}
    assert all(d["parties"] == [] for d in notices)  # filed by the Secretary: no party to the dispute
    assert [d["published"] for d in docs] == sorted((d["published"] for d in docs), reverse=True)


@pytest.mark.parametrize(("edis_no", "expected"), [
    ("337-1281", ("337-TA-1281", None)), ("337-1458", ("337-TA-1458", None)), ("337-3850", (None, "337-3850")),
    ("337-TA-1471", ("337-TA-1471", None)), ("731-1682", (None, None))])
def test_edis_numbers(edis_no: str, expected: tuple[str | None, str | None]) -> None:
    assert edis.case_numbers_for(edis_no) == expected


@pytest.mark.parametrize(("text", "names"), [
    ("Motorola Solutions, Inc., Avigilon Corporation, and Avigilon USA Corporation",
     ["Motorola Solutions, Inc.", "Avigilon Corporation", "Avigilon USA Corporation"]),
    ("Allergan plc and Allergan, Inc.", ["Allergan plc", "Allergan, Inc."]),
    ("Daewoong Pharmaceuticals Co., Ltd.", ["Daewoong Pharmaceuticals Co., Ltd."]),
    ("Longitude Licensing Ltd. and Marlin Semiconductor Limited", ["Longitude Licensing Ltd.", "Marlin Semiconductor Limited"]),
])
def test_split_names(text: str, names: list[str]) -> None:
    assert edis.split_names(text) == names


def test_mixed_fixture_roles() -> None:
    docs = edis.parse_feed((FIXTURES / "feed_mixed.xml").read_bytes(), FEED_URL)
    roles = [{p["role"] for p in d["parties"]} for d in docs]
    assert roles == [{"plaintiff"}, {"defendant"}, {"plaintiff"}, {"plaintiff"}]
    assert docs[1]["extra"]["security_level"] == "Confidential"
    assert docs[0]["extra"]["filed_at"] == "2022-05-17T16:04"
