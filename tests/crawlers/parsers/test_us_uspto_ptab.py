"""USPTO ODP PTAB parsers: reviewed fixtures, malformed payloads, offset paging over the bundled snapshot."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from urllib.robotparser import RobotFileParser

import pytest

from ipradar.crawlers.errors import ParseError
from ipradar.crawlers.items import DOC_FIELDS
from ipradar.crawlers.mirror import Mirror, load_routes, snapshot_dir
from ipradar.crawlers.parsers import us_uspto_ptab as ptab

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / ptab.SOURCE_ID
PAYLOADS = sorted(p for p in FIXTURES.glob("*.json") if not p.name.endswith(".expected.json"))
VALID = [p for p in PAYLOADS if not p.with_name(f"{p.stem}.error.txt").exists()]
BROKEN = [p for p in PAYLOADS if p.with_name(f"{p.stem}.error.txt").exists()]
URL = f"{ptab.API}/proceedings/search"


def _parse(path: Path) -> list[Any]:
    body = path.read_text(encoding="utf-8")
    if path.name.startswith("decisions"):
        return list(ptab.parse_decisions(body, f"{ptab.API}/decisions/search"))
    return list(ptab.parse_proceedings(body, URL)[0])


def test_fixture_sets_are_not_empty() -> None:
    assert len(VALID) >= 4 and len(BROKEN) >= 3


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_fixture_matches_reviewed_expected_json(path: Path) -> None:
    got = json.loads(json.dumps(_parse(path)))
    expected = path.with_name(f"{path.stem}.expected.json")
    if not expected.exists():
        expected.write_text(json.dumps(got, indent=2, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        pytest.fail(f"{expected.name} was missing and has been written: review and commit it")
    assert got == json.loads(expected.read_text(encoding="utf-8"))
    assert all(tuple(sorted(doc)) == tuple(sorted(DOC_FIELDS)) for doc in got)


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_malformed_payload_raises_parse_error(path: Path) -> None:
    message = path.with_name(f"{path.stem}.error.txt").read_text(encoding="utf-8").strip()
    with pytest.raises(ParseError) as info:
        _parse(path)
    assert message in str(info.value)


def test_petitioner_is_the_defendant_side_and_patent_owner_the_plaintiff() -> None:
    docs, total = ptab.parse_proceedings((FIXTURES / "proceedings_p1.json").read_text(encoding="utf-8"), URL)
    assert total == 21 and len(docs) == 12
    micron = next(d for d in docs if d["case_numbers"] == ["IPR2024-00795"])
    assert [(p["name"], p["role"], p["role_raw"]) for p in micron["parties"]] == [
        ("Micron Technology, Inc.", "defendant", "petitioner"),
        ("Yangtze Memory Technologies Company, Ltd.", "plaintiff", "patent_owner")]
    unnamed_owner = next(d for d in docs if d["case_numbers"] == ["IPR2026-00338"])
    assert [p["role_raw"] for p in unnamed_owner["parties"]] == ["petitioner"]
    assert unnamed_owner["extra"]["technology_center"] == "2600" and unnamed_owner["extra"]["art_unit"] == "2643"


def test_et_al_is_dropped_from_real_party_names() -> None:
    docs, _ = ptab.parse_proceedings((FIXTURES / "proceedings_p1.json").read_text(encoding="utf-8"), URL)
    beigene = next(d for d in docs if d["case_numbers"] == ["PGR2024-00009"])
    assert beigene["parties"][0]["name"] == "BeiGene USA, Inc."
    assert beigene["extra"]["trial_type"] == "PGR"


@pytest.mark.parametrize(("raw", "number"), [
    ("8102833", "8102833"), ("8,102,833 B2", "8102833"), ("RE44913", "RE44913"), ("RE44,913", "RE44913"),
    ("D691514", "D691514"), (None, None),
])
def test_patent_numbers_are_normalised(raw: str | None, number: str | None) -> None:
    assert ptab._patent_number(raw) == number


def test_unknown_trial_type_and_odd_trial_number_warn() -> None:
    data = json.loads((FIXTURES / "unknown_status.json").read_text(encoding="utf-8"))
    rec = data["patentTrialProceedingDataBag"][0]
    rec["trialNumber"], rec["trialMetaData"]["trialTypeCode"] = "IPR19-846", "XYZ"
    doc = ptab.parse_proceedings(json.dumps(data), URL)[0][0]
    assert "trial number 'IPR19-846' is not <IPR|PGR|CBM|DER>YYYY-NNNNN" in doc["warnings"]
    assert "unknown trialTypeCode 'XYZ'" in doc["warnings"]


def test_unknown_outcome_warns() -> None:
    data = json.loads((FIXTURES / "decisions_p1.json").read_text(encoding="utf-8"))
    data["patentTrialDocumentDataBag"] = data["patentTrialDocumentDataBag"][:1]
    data["patentTrialDocumentDataBag"][0]["decisionData"]["trialOutcomeCategory"] = "Remanded"
    doc = ptab.parse_decisions(json.dumps(data), URL)[0]
    assert doc["extra"]["outcome"] is None and doc["warnings"] == ["unknown trialOutcomeCategory 'Remanded'"]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # the loopback mirror only
        return str(response.read().decode("utf-8"))


def test_snapshot_pages_through_offsets_via_the_mirror() -> None:
    """GET paging (offset/limit) over the snapshot reaches every proceeding; ≥20 real trials."""
    numbers: list[str] = []
    with Mirror(snapshot_dir(ptab.SOURCE_ID)) as mirror:
        offset, total = 0, None
        while total is None or offset < total:
            query = {"sort": "trialMetaData.trialLastModifiedDate desc", "offset": offset, "limit": 12}
            docs, total = ptab.parse_proceedings(
                _get(f"{mirror.base_url}/api/v1/patent/trials/proceedings/search?{urlencode(query)}"), URL)
            numbers += [d["case_numbers"][0] for d in docs]
            offset += 12
        decisions = ptab.parse_decisions(_get(
            f"{mirror.base_url}/api/v1/patent/trials/decisions/search?" + urlencode(
                {"sort": "decisionData.decisionIssueDate desc", "offset": 0, "limit": 25})), URL)
    assert len(numbers) == len(set(numbers)) == total == 21
    assert {d["case_numbers"][0] for d in decisions} <= set(numbers)


def test_robots_txt_allows_every_route_of_the_snapshot() -> None:
    directory = snapshot_dir(ptab.SOURCE_ID)
    robots = RobotFileParser()
    robots.parse((directory / "robots.txt").read_text(encoding="utf-8").splitlines())
    for route in load_routes(directory):
        url = f"https://example.org{route.path}?{urlencode(route.query or {})}"
        assert robots.can_fetch("ipradar", url), route.path
