"""Generic news-feed parser: reviewed fixtures, malformed feeds, the excerpt/paywall rules and feeds.toml snapshots."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ipradar.crawlers.errors import ParseError
from ipradar.crawlers.items import DOC_FIELDS
from ipradar.crawlers.mirror import load_routes, snapshot_dir
from ipradar.crawlers.parsers.feed import EXCERPT_CHARS, cap, find_case_numbers, parse_feed, strip_html

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "feed"
FEEDS_TOML = Path(__file__).resolve().parents[3] / "ipradar" / "data" / "feeds.toml"
FEEDS = {feed["id"]: feed for feed in tomllib.loads(FEEDS_TOML.read_text(encoding="utf-8"))["feed"]}
PAYLOADS = sorted(p for p in FIXTURES.iterdir() if p.suffix in {".xml", ".html"})
VALID = [p for p in PAYLOADS if not p.with_name(f"{p.stem}.error.txt").exists()]
BROKEN = [p for p in PAYLOADS if p.with_name(f"{p.stem}.error.txt").exists()]


def _parse(path: Path) -> list[Any]:
    """Parse a fixture with the feed settings of the source named in its ``.args.json``."""
    args = json.loads(path.with_name(f"{path.stem}.args.json").read_text(encoding="utf-8"))
    feed = FEEDS[args["source_id"]]
    return list(parse_feed(path.read_bytes(), feed["url"], feed["id"], feed["lang"], paywalled=feed["paywalled"]))


def test_fixture_sets_are_not_empty() -> None:
    assert len(VALID) >= 6 and len(BROKEN) >= 3


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_fixture_matches_reviewed_expected_json(path: Path) -> None:
    got = json.loads(json.dumps(_parse(path)))
    expected = path.with_name(f"{path.stem}.expected.json")
    if not expected.exists():
        expected.write_text(json.dumps(got, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        pytest.fail(f"{expected.name} was missing and has been written: review and commit it")
    assert got == json.loads(expected.read_text(encoding="utf-8"))
    assert all(tuple(sorted(doc)) == tuple(sorted(DOC_FIELDS)) for doc in got)


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_malformed_feed_raises_parse_error(path: Path) -> None:
    message = path.with_name(f"{path.stem}.error.txt").read_text(encoding="utf-8").strip()
    with pytest.raises(ParseError) as info:
        _parse(path)
    assert message in str(info.value)


def test_truncated_feed_keeps_complete_items_and_says_so() -> None:
    docs = _parse(FIXTURES / "bozo_truncated.xml")
    assert [d["extra"]["guid"] for d in docs] == ["https://ipfray.com/?p=2210", "https://ipfray.com/?p=2105"]
    assert all("malformed feed XML" in d["warnings"][0] and "2 items recovered" in d["warnings"][0] for d in docs)


def test_paywalled_feed_never_stores_the_body() -> None:
    raw = (FIXTURES / "paywalled_juve.xml").read_text(encoding="utf-8")
    docs = _parse(FIXTURES / "paywalled_juve.xml")
    no_description = next(d for d in docs if d["title"] == "Nokia and Oppo sign global cross-licence")
    assert no_description["text"] == no_description["title"]
    assert no_description["warnings"] == ["paywalled feed item without a description: kept the title only"]
    assert "content:encoded" in raw and "Subscribers can read" in raw  # the body is there, and must stay there
    assert all("Subscribers" not in d["text"] and "subscriber" not in d["text"] for d in docs)


def test_long_blogger_post_is_capped_at_a_word_boundary() -> None:
    long_post = _parse(FIXTURES / "blogger_ipkat.xml")[0]
    excerpt = long_post["text"].split("\n\n", 1)[1]
    assert len(excerpt) <= EXCERPT_CHARS + 1 and excerpt.endswith("…")
    assert "This Kat wonders" not in excerpt  # the end of the post is cut


def test_same_item_parses_the_same_whatever_the_source_metadata() -> None:
    path = FIXTURES / "wordpress_ipwatchdog.xml"
    zh = parse_feed(path.read_bytes(), "https://ipwatchdog.com/feed/", "news_other", "zh")
    assert {d["source_id"] for d in zh} == {"news_other"}
    assert all("feed declares language 'en-US'" in d["warnings"][0] for d in zh)


@pytest.mark.parametrize(("html", "text"), [
    ("<p>One</p><p>Two</p>", "One Two"),
    ("Huawei &amp; Netgear [&#8230;]", "Huawei & Netgear […]"),
    ("<p>A<br/>B</p>", "A B"),
    ("", ""),
])
def test_strip_html(html: str, text: str) -> None:
    assert strip_html(html) == text


def test_cap_cuts_at_word_boundary_with_ellipsis() -> None:
    assert cap("word " * 200, 20) == "word word word word…"
    assert cap("short", 20) == "short"


def test_case_numbers_in_english_and_chinese_text() -> None:
    text = "ITC (337-TA-1318); UPC_CFI_9/2023 and IPR2025-01319; （案号2:25-cv-01010）、337-TA-1318"
    assert find_case_numbers(text) == ["337-TA-1318", "UPC_CFI_9/2023", "IPR2025-01319", "2:25-cv-01010"]
    assert find_case_numbers("337-TA-13189 and x2:25-cv-01010") == []


# -- feeds.toml and the bundled snapshots ---------------------------------------------------------------------

def test_feeds_toml_declares_every_required_field() -> None:
    required = {"id": str, "name": str, "url": str, "lang": str, "schedule": str, "licence": str,
                "expected_min": int, "expected_max": int, "paywalled": bool, "platform": str}
    assert len(FEEDS) >= 7
    for feed in FEEDS.values():
        assert {k: type(feed[k]) for k in required} == required, feed["id"]
        assert set(feed) == set(required), feed["id"]
        assert feed["id"].startswith("news_") and feed["lang"] in {"en", "zh"}
        assert feed["schedule"] == "0 */6 * * *" and feed["licence"] == "publisher copyright: metadata + excerpt only"
        assert 0 < feed["expected_min"] <= feed["expected_max"]
        assert feed["platform"] in {"wordpress-rss2", "blogger-atom"} and feed["url"].startswith("https://")
    assert FEEDS["news_juve_patent"]["paywalled"] is True


@pytest.mark.parametrize("source_id", sorted(FEEDS))
def test_snapshot_serves_the_feed_with_cache_headers(source_id: str) -> None:
    feed = FEEDS[source_id]
    directory = snapshot_dir(source_id)
    routes = load_routes(directory)
    feed_route = next(r for r in routes if r.path == urlsplit(feed["url"]).path)
    assert feed_route.query == {} and feed_route.file
    assert {"ETag", "Last-Modified"} <= set(feed_route.headers)
    assert any(r.path == "/robots.txt" for r in routes)
    docs = parse_feed((directory / feed_route.file).read_bytes(), feed["url"], source_id, feed["lang"],
                      paywalled=feed["paywalled"])
    assert 6 <= len(docs) <= 12 and feed["expected_min"] <= len(docs) <= feed["expected_max"]
    assert all(d["doc_type"] == "news" and d["lang"] == "en" for d in docs)
    assert all(len(d["text"]) <= len(d["title"]) + 2 + EXCERPT_CHARS + 1 for d in docs)
    assert all(urlsplit(d["url"]).hostname == urlsplit(feed["url"]).hostname for d in docs)
    assert len({d["extra"]["guid"] for d in docs}) == len(docs)
    assert [d for d in docs if d["warnings"] and source_id != "news_juve_patent"] == []


def test_snapshots_cover_chinese_parties_and_real_case_numbers() -> None:
    docs = [d for sid, f in FEEDS.items() for d in parse_feed(
        (snapshot_dir(sid) / "feed.xml").read_bytes(), f["url"], sid, f["lang"], paywalled=f["paywalled"])]
    text = " ".join(d["text"] for d in docs)
    for name in ("Huawei", "Netgear", "OPPO", "vivo", "Xiaomi", "YMTC", "DJI", "TCL", "Lenovo", "Shein"):
        assert name.lower() in text.lower(), name
    numbers = {n for d in docs for n in d["case_numbers"]}
    assert {"337-TA-1318", "UPC_CFI_9/2023", "UPC_CFI_210/2023", "3:23-cv-05792"} <= numbers
