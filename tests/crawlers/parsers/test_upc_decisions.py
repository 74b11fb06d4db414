"""UPC decisions-and-orders listing parser: reviewed fixtures, malformed pages and the ``?page=0`` quirk."""

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
from ipradar.crawlers.parsers import upc_decisions as upc

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / upc.SOURCE_ID
PAGES = sorted(FIXTURES.glob("*.html"))
VALID = [p for p in PAGES if not p.with_name(f"{p.stem}.error.txt").exists()]
BROKEN = [p for p in PAGES if p.with_name(f"{p.stem}.error.txt").exists()]
LISTING = "https://www.unifiedpatentcourt.org/en/decisions-and-orders"
# the URL each fixture was served at (the next-page link depends on it)
FIXTURE_URLS = {"listing_p1": LISTING, "listing_p3": f"{LISTING}?page=2"}


def _parse(path: Path) -> tuple[list[Any], str | None]:
    docs, next_url = upc.parse_listing(path.read_text(encoding="utf-8"), FIXTURE_URLS.get(path.stem, LISTING))
    return list(docs), next_url


def test_fixture_sets_are_not_empty() -> None:
    assert len(VALID) >= 3 and len(BROKEN) >= 4


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_fixture_matches_reviewed_expected_json(path: Path) -> None:
    got = json.loads(json.dumps(_parse(path)[0]))
    expected = path.with_name(f"{path.stem}.expected.json")
    if not expected.exists():
        expected.write_text(json.dumps(got, indent=2, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        pytest.fail(f"{expected.name} was missing and has been written: review and commit it")
    assert got == json.loads(expected.read_text(encoding="utf-8"))
    assert all(tuple(sorted(doc)) == tuple(sorted(DOC_FIELDS)) for doc in got)


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_malformed_page_raises_parse_error(path: Path) -> None:
    message = path.with_name(f"{path.stem}.error.txt").read_text(encoding="utf-8").strip()
    with pytest.raises(ParseError) as info:
        _parse(path)
    assert message in str(info.value)


def test_next_page_link_skips_page_zero() -> None:
    assert _parse(FIXTURES / "listing_p1.html")[1] == f"{LISTING}?page=1"
    assert _parse(FIXTURES / "listing_p3.html")[1] is None  # last page: the pager has no "last" item
    page2 = (snapshot_dir(upc.SOURCE_ID) / "listing_p2.html").read_text(encoding="utf-8")
    assert 'href="?page=0"' in page2  # the pager itself links page 1 as ?page=0 ...
    assert upc.next_page_url(page2, f"{LISTING}?page=1") == f"{LISTING}?page=2"  # ... which is never followed
    assert upc.next_page_url(page2, f"{LISTING}?page=2") is None
    with pytest.raises(ParseError, match="is not a number"):
        upc.next_page_url(page2, f"{LISTING}?page=two")


@pytest.mark.parametrize(("url", "page", "expected"), [
    (LISTING, 0, LISTING),
    (f"{LISTING}?page=3", 0, LISTING),
    (LISTING, 1, f"{LISTING}?page=1"),
    (f"{LISTING}?judgement_type=order&page=0", 2, f"{LISTING}?judgement_type=order&page=2"),
    (f"{LISTING}?judgement_type=order&page=4", 0, f"{LISTING}?judgement_type=order"),
])
def test_page_url_never_emits_page_zero(url: str, page: int, expected: str) -> None:
    assert upc.page_url(url, page) == expected


def test_revocation_claimant_is_the_defendant_side() -> None:
    page = (snapshot_dir(upc.SOURCE_ID) / "listing_p2.html").read_text(encoding="utf-8")
    docs, _ = upc.parse_listing(page, f"{LISTING}?page=1")
    sanofi = next(d for d in docs if "UPC_CFI_1/2023" in d["case_numbers"])
    assert sanofi["extra"]["action_type"] == "revocation"
    assert {(p["name"], p["role"], p["role_raw"]) for p in sanofi["parties"]} >= {
        ("Regeneron Pharmaceuticals Inc.", "defendant", "claimant"), ("Amgen, Inc.", "plaintiff", "defendant")}
    oppo = next(d for d in docs if "UPC_CFI_210/2023" in d["case_numbers"])
    assert [(p["name"], p["role"]) for p in oppo["parties"]] == [
        ("Panasonic Holdings Corporation", "plaintiff"),
        ("Guangdong OPPO Mobile Telecommunications Corp. Ltd.", "defendant"), ("Orope Germany GmbH", "defendant")]


def test_registry_spellings_are_normalised_and_unknown_tokens_warn() -> None:
    docs, _ = _parse(FIXTURES / "variants.html")
    assert docs[0]["case_numbers"][:2] == ["UPC_CFI_1/2023", "ACT_459505/2023"]
    assert docs[0]["warnings"] == ["unrecognised registry token 'REF-586764'"]
    assert docs[1]["extra"]["division"] is None and len(docs[1]["warnings"]) == 2


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # the loopback mirror only
        return str(response.read().decode("utf-8"))


def test_mirror_serves_the_page0_empty_template_and_the_walk_avoids_it() -> None:
    with Mirror(snapshot_dir(upc.SOURCE_ID)) as mirror:
        base = f"{mirror.base_url}/en/decisions-and-orders"
        with pytest.raises(ParseError, match=r"empty listing template \(page=0 quirk\?\)"):
            upc.parse_listing(_get(f"{base}?page=0"), f"{LISTING}?page=0")
        url: str | None = LISTING
        docs: list[Any] = []
        pages = 0
        while url:
            assert "page=0" not in url
            page_docs, url = upc.parse_listing(_get(url.replace(LISTING, base)), url)
            docs += page_docs
            pages += 1
    assert pages == 3 and len(docs) >= 25
    assert all(not d["warnings"] for d in docs)  # every division and action type of the snapshot is in the tables
    assert len({d["url"] for d in docs}) == len(docs)


def test_robots_txt_allows_every_route_of_the_snapshot() -> None:
    directory = snapshot_dir(upc.SOURCE_ID)
    robots = RobotFileParser()
    robots.parse((directory / "robots.txt").read_text(encoding="utf-8").splitlines())
    for route in load_routes(directory):
        url = f"https://example.org{route.path}?{urlencode(route.query or {})}"
        assert robots.can_fetch("ipradar", url), route.path
