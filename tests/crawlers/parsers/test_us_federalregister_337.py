"""Federal Register USITC 337 notices: list pages, notice kinds, parties with addresses, skipped documents."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ipradar.crawlers.errors import ParseError
from ipradar.crawlers.mirror import load_routes
from ipradar.crawlers.parsers import us_federalregister_337 as fr

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "us_federalregister_337"
SNAPSHOT = Path(fr.__file__).resolve().parents[2] / "data" / "snapshots" / "us_federalregister_337"
LIST_URL = ("https://www.federalregister.gov/api/v1/documents.json?conditions[agencies][]=international-trade-commission"
            "&conditions[term]=337-TA&order=newest&per_page=20")
LISTS = sorted(p for p in FIXTURES.glob("*.json") if not p.name.endswith((".expected.json", ".entry.json")))
NOTICES = sorted(FIXTURES.glob("*.txt"))
NOTICES = [p for p in NOTICES if not p.name.endswith(".error.txt")]


def _check_expected(case: Path, actual: Any) -> None:
    expected = case.with_name(case.name.split(".")[0] + ".expected.json")
    rendered = json.dumps(actual, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if not expected.exists():
        expected.write_text(rendered, encoding="utf-8")
        pytest.fail(f"{expected.name} was missing and has been written from the parser: review and commit it")
    assert json.loads(rendered) == json.loads(expected.read_text(encoding="utf-8"))


def _error(case: Path) -> str | None:
    path = case.with_name(case.name.split(".")[0] + ".error.txt")
    return path.read_text(encoding="utf-8").strip() if path.exists() else None


@pytest.mark.parametrize("case", LISTS, ids=[c.stem for c in LISTS])
def test_list_fixture(case: Path) -> None:
    if message := _error(case):
        with pytest.raises(ParseError, match=re.escape(message)):
            fr.parse_list(case.read_bytes(), LIST_URL)
        return
    entries, next_url = fr.parse_list(case.read_bytes(), LIST_URL)
    _check_expected(case, {"entries": entries, "next_url": next_url})


@pytest.mark.parametrize("case", NOTICES, ids=[c.stem for c in NOTICES])
def test_notice_fixture(case: Path) -> None:
    entry = json.loads(case.with_name(case.name.split(".")[0] + ".entry.json").read_text(encoding="utf-8"))
    entry.setdefault("raw_text_url", None)
    if message := _error(case):
        with pytest.raises(ParseError, match=re.escape(message)):
            fr.parse_notice(entry, case.read_text(encoding="utf-8"))
        return
    _check_expected(case, fr.parse_notice(entry, case.read_text(encoding="utf-8")))


def test_mirror_snapshot_end_to_end() -> None:
    routes = load_routes(SNAPSHOT)
    files = {(r.path, tuple(sorted((r.query or {}).items()))): r.file for r in routes}
    page, docs, skipped = 1, [], []
    url: str | None = LIST_URL
    while url:
        query = (("page", str(page)),) if page > 1 else ()
        base = {"conditions[agencies][]": "international-trade-commission", "conditions[term]": "337-TA",
                "order": "newest", "per_page": "20"}
        key = ("/api/v1/documents.json", tuple(sorted({**base, **dict(query)}.items())))
        entries, url = fr.parse_list((SNAPSHOT / str(files[key])).read_bytes(), url)
        for entry in entries:
            if entry["skip_reason"]:
                skipped.append((entry["document_number"], entry["skip_reason"]))
                continue
            path = entry["raw_text_url"].removeprefix("https://www.federalregister.gov")
            docs.append(fr.parse_notice(entry, (SNAPSHOT / str(files[(path, ())])).read_text(encoding="utf-8")))
        page += 1
    assert page == 3 and len(docs) >= 12
    assert sorted(skipped) == [("2016-26780", "not a Section 337 notice"), ("2016-29034", "not a Section 337 notice"),
                               ("2017-04596", "not a Section 337 notice"),
                               ("2025-05887", "agency ['commerce-department', 'international-trade-administration'] "
                                              "is not the USITC")]
    kinds = {d["extra"]["notice_kind"] for d in docs}
    assert kinds == {"receipt_of_complaint", "institution", "initial_determination_review", "exclusion_order",
                     "termination", "other"}
    assert all(d["warnings"] == [] for d in docs)
    institutions = [d for d in docs if d["extra"]["notice_kind"] == "institution"]
    assert all(any(p["role"] == "defendant" and p["country"] for p in d["parties"]) for d in institutions)


@pytest.mark.parametrize(("title", "kind"), [
    ("Notice of Receipt of Complaint; Solicitation of Comments Relating to the Public Interest", "receipt_of_complaint"),
    ("Certain Shapewear Garments and Components Thereof; Notice of Institution of Investigation", "institution"),
    ("Certain Light-Emitting Diode Products and Components Thereof Institution of Investigation", "institution"),
    ("Certain X; Commission's Final Determination Finding a Violation of Section 337; Issuance of a General Exclusion "
     "Order; Termination of the Investigation", "exclusion_order"),
    ("Certain X; Final Determination of No Violation of Section 337; Termination of the Investigation",
     "final_determination"),
    ("Certain X; Commission Determination Not To Review an Initial Determination Granting a Joint Motion To Terminate "
     "the Investigation on the Basis of a Settlement Agreement; Termination of the Investigation", "termination"),
    ("Certain X; Notice of a Commission Determination To Review in Part a Final Initial Determination",
     "initial_determination_review"),
    ("Certain X; Institution of an Advisory Opinion Proceeding", "other"),
])
def test_notice_kind_table(title: str, kind: str) -> None:
    assert next(k for pattern, k in fr.NOTICE_KINDS if pattern.search(title)) == kind


@pytest.mark.parametrize(("text", "parsed"), [
    ("Sonos, Inc., 614 Chapala Street, Santa Barbara, CA 93101", ("Sonos, Inc.", "Santa Barbara", "CA", "US")),
    ("TCL King Electrical Appliances (Huizhou) Co. Ltd., Huizhou, Guangdong, China",
     ("TCL King Electrical Appliances (Huizhou) Co. Ltd.", "Huizhou", "Guangdong", "CN")),
    ("Lenovo Group Limited, Quarry Bay, Hong Kong", ("Lenovo Group Limited", "Quarry Bay", None, "HK")),
    ("Harbourpoint Innovations Inc, Raleigh, North Carolina", ("Harbourpoint Innovations Inc", "Raleigh", "NC", "US")),
    ("Excel-Tech Ltd., Canada", ("Excel-Tech Ltd.", None, None, "CA")),
])
def test_parse_address(text: str, parsed: tuple[str, str | None, str | None, str | None]) -> None:
    got = fr.parse_address(text)
    assert (got["name"], got["city"], got["region"], got["country"]) == parsed
