"""us_usitc_337 parser: one walk over the reviewed fixtures, plus checks over the bundled offline mirror."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest

import ipradar
from ipradar.crawlers.errors import ParseError
from ipradar.crawlers.mirror import Mirror, load_routes
from ipradar.crawlers.parsers import us_usitc_337 as parser

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "us_usitc_337"
SNAPSHOT = Path(ipradar.__file__).resolve().parent / "data" / "snapshots" / "us_usitc_337"
CASES = sorted(FIXTURES.glob("*.html"))
LISTING_URL = "https://www.usitc.gov/news_releases"


def _parse(case: Path) -> Any:
    body = case.read_text(encoding="utf-8")
    if case.stem.startswith("listing"):
        return parser.parse_listing(body, LISTING_URL)
    # release fixtures carry the real URL in <link rel="canonical">
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', body)
    return parser.parse_release(body, canonical[1] if canonical else f"https://www.usitc.gov/fixture/{case.stem}")


def test_fixture_dir_is_not_empty() -> None:
    assert len(CASES) >= 10
    assert any(case.with_name(case.stem + ".error.txt").exists() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_fixture(case: Path) -> None:
    expected = case.with_name(case.stem + ".expected.json")
    error = case.with_name(case.stem + ".error.txt")
    if error.exists():
        with pytest.raises(ParseError) as info:
            _parse(case)
        assert error.read_text(encoding="utf-8").strip() in str(info.value)
        return
    result = json.loads(json.dumps(_parse(case)))
    if not expected.exists():
        expected.write_text(json.dumps(result, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        pytest.fail(f"{expected.name} was missing and has been generated: review and commit it")
    assert result == json.loads(expected.read_text(encoding="utf-8"))


# -- the bundled mirror ---------------------------------------------------------------------------------------------

def _routes() -> list[Any]:
    return load_routes(SNAPSHOT)  # also checks that every referenced file exists


def _release_routes() -> list[Any]:
    return [r for r in _routes() if r.path.startswith("/press_room/news_release/")]


def test_every_mirrored_release_parses() -> None:
    releases = _release_routes()
    assert len(releases) >= 24
    institutions = 0
    for route in releases:
        assert route.file is not None
        doc = parser.parse_release((SNAPSHOT / route.file).read_text(encoding="utf-8"),
                                   "https://www.usitc.gov" + route.path)
        respondents = [p for p in doc["parties"] if p["role_raw"] == "respondent"]
        assert respondents, route.path
        assert all(p["role"] == "defendant" for p in respondents)
        assert [p for p in doc["parties"] if p["role_raw"] == "complainant"], route.path
        assert re.fullmatch(r"337-TA-\d+", doc["case_numbers"][0])
        assert doc["url"] == "https://www.usitc.gov" + route.path
        assert all(p["country"] for p in doc["parties"]), route.path  # every place in the mirror is known
        assert not any("differs" in w or "unknown country" in w for w in doc["warnings"]), doc["warnings"]
        institutions += parser.is_337_institution(doc["title"])
    assert institutions >= 20
    countries = {p["country"] for route in releases for p in parser.parse_release(
        (SNAPSHOT / str(route.file)).read_text(encoding="utf-8"), "https://www.usitc.gov" + route.path)["parties"]}
    assert {"CN", "HK", "TW", "US", "VN", "KR", "JP", "DE"} <= countries


def _walk_listing(fetch: Any, start: str) -> list[parser.ListingEntry]:
    entries: list[parser.ListingEntry] = []
    url: str | None = start
    pages = 0
    while url:
        body = fetch(url)
        entries += parser.parse_listing(body, url)
        url = parser.next_page_url(body, url)
        pages += 1
        assert pages <= 5, "pager loops"
    assert pages == 3
    return entries


def _fetch_file(url: str) -> str:
    page = dict(re.findall(r"(page)=(\d+)", urlsplit(url).query)).get("page", "0")
    return (SNAPSHOT / ("listing.html" if page == "0" else f"listing_p{page}.html")).read_text(encoding="utf-8")


def test_listing_pages_link_the_mirrored_releases_and_skip_others() -> None:
    entries = _walk_listing(_fetch_file, LISTING_URL)
    routed = {r.path for r in _release_routes()}
    followed = [e for e in entries if parser.is_337_institution(e["title"])]
    skipped = [e for e in entries if not parser.is_337_institution(e["title"])]
    assert 4 <= len(skipped) <= 6
    assert {urlsplit(e["url"]).path for e in followed} == routed
    assert not {urlsplit(e["url"]).path for e in skipped} & routed  # a spider that follows them gets a 404
    assert all(e["url"].startswith("https://www.usitc.gov/press_room/news_release/") for e in entries)
    dates = [e["date"] or "" for e in entries]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates)
    assert dates == sorted(dates, reverse=True)


def test_listing_through_the_mirror_server_gives_real_urls() -> None:
    with Mirror(SNAPSHOT) as mirror:
        def fetch(url: str) -> str:
            parts = urlsplit(url)
            local = mirror.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
            with urllib.request.urlopen(local, timeout=10) as response:
                return str(response.read().decode("utf-8"))

        entries = _walk_listing(fetch, mirror.base_url + "/news_releases")
        first = next(e for e in entries if parser.is_337_institution(e["title"]))
        assert first["url"].startswith("https://www.usitc.gov/")
        doc = parser.parse_release(fetch(first["url"]), mirror.base_url + urlsplit(first["url"]).path)
        assert doc["url"] == first["url"]


def test_robots_allows_what_the_spider_fetches() -> None:
    robots = RobotFileParser()
    robots.parse((SNAPSHOT / "robots.txt").read_text(encoding="utf-8").splitlines())
    assert any(r.path == "/robots.txt" for r in _routes())
    for route in _routes():
        if route.path != "/robots.txt":
            assert robots.can_fetch("ipradar", "https://www.usitc.gov" + route.path), route.path


# -- small behaviours -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "expected"), [
    ("USITC Institutes Section 337 Investigation of Certain Percussive Massage Devices", True),
    ("USITC Institutes Section 337 Investigation on Certain Electronic Devices", True),
    ("USITC Institutes Section 337 Investigtion of Certain Vaporizer Cartridges and Components Thereof", True),
    ("Steel Racks from China Injure U.S. Industry, Says USITC", False),
    ("USITC Votes to Continue Investigations on Stainless Steel Sheet and Strip from China", False),
    ("USITC Makes Determination in Five-Year (Sunset) Review Concerning Truck and Bus Tires from China", False),
])
def test_is_337_institution(title: str, expected: bool) -> None:
    assert parser.is_337_institution(title) is expected


@pytest.mark.parametrize(("text", "iso"), [("January 31, 2022", "2022-01-31"), ("Sept. 3, 2020", "2020-09-03")])
def test_parse_date(text: str, iso: str) -> None:
    assert parser.parse_date(text) == iso


@pytest.mark.parametrize("text", ["31 January 2022", "Smarch 3, 2022", "February 30, 2022", "2022-01-31"])
def test_parse_date_is_strict(text: str) -> None:
    with pytest.raises(ParseError, match="unrecognised date"):
        parser.parse_date(text)


def _variant(old: str, new: str) -> dict[str, Any]:
    body = (FIXTURES / "tcl_divx_1297.html").read_text(encoding="utf-8")
    assert old in body
    return parser.parse_release(body.replace(old, new), "https://www.usitc.gov/press_room/news_release/2022/er0131ll1884.htm")


def test_unknown_country_is_a_warning_not_a_guess() -> None:
    doc = _variant("Binh Duong Province, Vietnam.", "Binh Duong Province, Narnia.")
    last = doc["parties"][-1]
    assert last["country"] is None and last["name"] == "TCL Smart Device (Vietnam) Co., Ltd."
    assert any("unknown country 'Narnia'" in w for w in doc["warnings"])


def test_hong_kong_china_is_hk_and_spaced_release_number_is_read() -> None:
    doc = _variant("of Sha Tin, New Territories, Hong Kong;", "of Wanchai, Hong Kong, China;")
    assert [p["country"] for p in doc["parties"] if p["city"] == "Wanchai"] == ["HK"]
    assert _variant("News Release 22-018", "News Release 22 -018")["extra"]["news_release_number"] == "22-018"


def test_url_date_mismatch_is_reported() -> None:
    body = (FIXTURES / "tcl_divx_1297.html").read_text(encoding="utf-8")
    doc = parser.parse_release(body, "https://www.usitc.gov/press_room/news_release/2022/er0201ll1884.htm")
    assert any("differs from the date in the URL" in w for w in doc["warnings"])


def test_markup_change_does_not_break_the_text_parser() -> None:
    body = (FIXTURES / "corning_1441_bullets.html").read_text(encoding="utf-8")
    # no <main>, list as paragraphs with bullets typed in the text: the parser falls back to <body>
    changed = body.replace("<main", "<div").replace("</main>", "</div>").replace("<ul>", "").replace("</ul>", "")
    changed = changed.replace("<li>", "<p>• ").replace("</li>", "</p>")
    expected = json.loads((FIXTURES / "corning_1441_bullets.expected.json").read_text(encoding="utf-8"))
    doc = parser.parse_release(changed, expected["url"])
    assert doc["parties"] == expected["parties"]
    assert doc["extra"] == expected["extra"]
