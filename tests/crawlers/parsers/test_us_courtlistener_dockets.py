"""CourtListener v4 parsers: reviewed fixtures, malformed payloads, cursor paging over the bundled snapshot."""

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
from ipradar.crawlers.parsers import us_courtlistener_dockets as cl

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / cl.SOURCE_ID
PAYLOADS = sorted(p for p in FIXTURES.glob("*.json") if not p.name.endswith(".expected.json"))
VALID = [p for p in PAYLOADS if not p.with_name(f"{p.stem}.error.txt").exists()]
BROKEN = [p for p in PAYLOADS if p.with_name(f"{p.stem}.error.txt").exists()]
SEARCH_URL = f"{cl.SITE}/api/rest/v4/search/"
DOCKETS_URL = f"{cl.SITE}/api/rest/v4/dockets/"


def _parse(path: Path) -> list[Any]:
    body = path.read_text(encoding="utf-8")
    if path.name.startswith("dockets"):
        return list(cl.parse_dockets(body, DOCKETS_URL)[0])
    return list(cl.parse_search(body, SEARCH_URL)[0])


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


def test_cursor_is_extracted_from_next_link() -> None:
    _, next_url = cl.parse_search((FIXTURES / "search_r_nos830_p1.json").read_text(encoding="utf-8"), SEARCH_URL)
    assert next_url is not None and next_url.startswith(SEARCH_URL)
    assert cl.cursor_of(next_url) == "cz0yMDIwLTAyLTA1LDE2ODAzMjExJmQ9Zg=="
    assert cl.cursor_of(f"{SEARCH_URL}?type=r&page=2") is None


def test_dockets_page_reports_latest_date_modified_and_end_of_cursor() -> None:
    docs, next_url, latest = cl.parse_dockets((FIXTURES / "dockets_p2.json").read_text(encoding="utf-8"),
                                              DOCKETS_URL)
    assert next_url is None
    assert latest == "2026-04-07T16:44:09.871230-07:00"
    assert [d["warnings"] for d in docs][:2] == [["filing date missing; published is CourtListener's record "
                                                  "creation date"]] * 2


def test_dockets_timestamp_without_offset_is_rejected() -> None:
    data = json.loads((FIXTURES / "dockets_p2.json").read_text(encoding="utf-8"))
    data["results"][0]["date_modified"] = "2026-04-04T11:37:52"
    with pytest.raises(ParseError, match="has no UTC offset"):
        cl.parse_dockets(json.dumps(data), DOCKETS_URL)


@pytest.mark.parametrize(("raw", "code", "ip_type", "warns"), [
    ("830 Patent", "830", "patent", False),
    ("835 Patent - Abbreviated New Drug Application(ANDA)", "835", "patent", False),
    ("820 Property Rights: Copyright", "820", "copyright", False),
    ("Trademark", "840", "trademark", False),  # label-only records (older RECAP dockets)
    ("Property Rights: Patent", "830", "patent", False),
    ("890 Other Statutory Actions", "890", None, True),
    ("Other Statutory Actions", None, None, True),
    ("", None, None, True),
])
def test_nature_of_suit_table(raw: str, code: str | None, ip_type: str | None, warns: bool) -> None:
    got_code, _, got_type, warnings = cl.nature_of_suit(raw)
    assert (got_code, got_type, bool(warnings)) == (code, ip_type, warns)


def test_dtsa_cause_makes_a_copyright_suit_a_trade_secret_case() -> None:
    docs, _ = cl.parse_search((FIXTURES / "search_r_nos820_p1.json").read_text(encoding="utf-8"), SEARCH_URL)
    hytera = next(d for d in docs if d["case_numbers"] == ["1:17-cv-01973"])
    assert hytera["extra"]["ip_type"] == "trade_secret"
    assert hytera["extra"]["ip_types"] == ["copyright", "trade_secret"]
    roles = {p["name"]: p["role"] for p in hytera["parties"]}
    assert roles["Motorola Solutions Malaysia Sdn. Bhd."] == "plaintiff"
    assert roles["Hytera Communications America (West), Inc."] == "defendant"


def test_party_roles_come_from_the_caption_and_unmatched_parties_stay_other() -> None:
    docs, _ = cl.parse_search((FIXTURES / "search_r_nos830_p1.json").read_text(encoding="utf-8"), SEARCH_URL)
    roles = {p["name"]: p["role"] for d in docs for p in d["parties"]}
    assert roles["BeiGene, Ltd."] == "defendant"  # same first word as the caption's "BeiGene USA, Inc."
    assert roles["Yangtze Memory Technologies, Inc."] == "plaintiff"
    assert roles["Motorola Mobility LLC"] == "other"  # not named in "Ericsson v. Lenovo"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # the loopback mirror only
        return str(response.read().decode("utf-8"))


def test_snapshot_walks_every_cursor_page_through_the_mirror() -> None:
    """The bundled snapshot answers the documented queries and each ``next`` cursor; ≥20 real cases in all."""
    seen: set[str] = set()
    with Mirror(snapshot_dir(cl.SOURCE_ID)) as mirror:
        pages = 0
        for nos in ("830", "820", "835", "840"):
            url: str | None = (f"{mirror.base_url}/api/rest/v4/search/?type=r&nature_of_suit={nos}"
                               "&filed_after=2016-01-01&order_by=dateFiled+desc")
            while url:
                docs, url = cl.parse_search(_get(url), SEARCH_URL)
                url = url.replace(cl.SITE, mirror.base_url) if url else None
                seen.update(d["case_numbers"][0] + d["extra"]["court_id"] for d in docs)
                pages += 1
        url = (f"{mirror.base_url}/api/rest/v4/dockets/?nature_of_suit__istartswith=83"
               "&date_modified__gte=2016-01-01T00%3A00%3A00Z&order_by=date_modified")
        while url:
            docs, url, latest = cl.parse_dockets(_get(url), DOCKETS_URL)
            assert latest is not None
            url = url.replace(cl.SITE, mirror.base_url) if url else None
            seen.update(d["case_numbers"][0] + d["extra"]["court_id"] for d in docs)
            pages += 1
    assert pages == 7
    assert len(seen) >= 20


def test_robots_txt_allows_every_route_of_the_snapshot() -> None:
    directory = snapshot_dir(cl.SOURCE_ID)
    robots = RobotFileParser()
    robots.parse((directory / "robots.txt").read_text(encoding="utf-8").splitlines())
    for route in load_routes(directory):
        url = f"https://example.org{route.path}?{urlencode(route.query or {})}"
        assert robots.can_fetch("ipradar", url), route.path
