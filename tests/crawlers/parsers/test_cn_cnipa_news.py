"""CNIPA Hanweb parsers: dataproxy XML, article pages, malformed answers and the bundled mirror."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from ipradar.crawlers.errors import ParseError
from ipradar.crawlers.items import DOC_FIELDS
from ipradar.crawlers.mirror import Mirror, load_routes, snapshot_dir
from ipradar.crawlers.parsers import cn_cnipa_news as cnipa

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / cnipa.SOURCE_ID
PAYLOADS = sorted(p for p in FIXTURES.iterdir() if p.suffix in {".xml", ".html"})
VALID = [p for p in PAYLOADS if not p.with_name(f"{p.stem}.error.txt").exists()]
BROKEN = [p for p in PAYLOADS if p.with_name(f"{p.stem}.error.txt").exists()]
QUERY = {"webid": "1", "path": "https://www.cnipa.gov.cn/", "unitid": "669", "webname": "国家知识产权局"}


def _proxy_url(column: str, page: int = 1) -> str:
    return f"{cnipa.BASE}/module/web/jpage/dataproxy.jsp?" + urlencode({"page": page, **QUERY, "columnid": column})


def _parse(path: Path) -> Any:
    """``dataproxy_*`` fixtures go to parse_dataproxy, ``article_*`` to parse_article (args in ``.args.json``)."""
    args = json.loads(path.with_name(f"{path.stem}.args.json").read_text(encoding="utf-8"))
    if path.name.startswith("dataproxy_"):
        return cnipa.parse_dataproxy(path.read_bytes(), args["url"])
    return cnipa.parse_article(path.read_bytes(), args["url"], args["entry"])


def test_fixture_sets_are_not_empty() -> None:
    assert len(VALID) >= 6 and len(BROKEN) >= 4


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_fixture_matches_reviewed_expected_json(path: Path) -> None:
    got = json.loads(json.dumps(_parse(path)))
    expected = path.with_name(f"{path.stem}.expected.json")
    if not expected.exists():
        expected.write_text(json.dumps(got, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        pytest.fail(f"{expected.name} was missing and has been written: review and commit it")
    assert got == json.loads(expected.read_text(encoding="utf-8"))
    if path.name.startswith("article_"):
        assert tuple(sorted(got)) == tuple(sorted(DOC_FIELDS))


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_malformed_payload_raises_parse_error(path: Path) -> None:
    message = path.with_name(f"{path.stem}.error.txt").read_text(encoding="utf-8").strip()
    with pytest.raises(ParseError) as info:
        _parse(path)
    assert message in str(info.value)


def test_next_group_link_is_a_clean_real_url() -> None:
    first = (FIXTURES / "dataproxy_col53_p1.xml").read_bytes()
    got = cnipa.next_group_url(first, _proxy_url("53"))
    assert got is not None and got.isascii()  # Hanweb writes webname raw; the link is re-encoded for HTTP
    parts = urlsplit(got)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.cnipa.gov.cn", "/module/web/jpage/dataproxy.jsp")
    assert dict(parse_qsl(parts.query)) == {"page": "2", **QUERY, "columnid": "53"}
    assert cnipa.next_group_url((FIXTURES / "dataproxy_col74.xml").read_bytes(), _proxy_url("74")) is None


def test_column_decides_doc_type_and_unknown_columns_warn() -> None:
    assert {e["doc_type"] for e in _parse(FIXTURES / "dataproxy_col74.xml")} == {"policy"}
    assert {e["doc_type"] for e in _parse(FIXTURES / "dataproxy_col53_p1.xml")} == {"news"}
    unknown = _parse(FIXTURES / "dataproxy_unknown_column.xml")
    assert unknown[0]["doc_type"] == "news" and unknown[0]["warnings"] == [
        "unknown CNIPA column '164'; treated as news"]


def test_document_numbers_are_extracted() -> None:
    regulation = _parse(FIXTURES / "article_regulation.html")
    assert regulation["doc_type"] == "policy" and regulation["extra"]["doc_numbers"] == ["国务院令第801号"]
    news = _parse(FIXTURES / "article_news_col53.html")
    assert news["extra"]["doc_numbers"] == ["国务院令第769号", "国家知识产权局令第78号"]


# -- the bundled mirror -----------------------------------------------------------------------------------------

def test_snapshot_walks_three_columns_through_the_mirror() -> None:
    directory = snapshot_dir(cnipa.SOURCE_ID)
    assert any(r.path == "/robots.txt" for r in load_routes(directory))
    docs = []
    with Mirror(directory) as mirror:
        for column in ("53", "74", "66"):
            url: str | None = _proxy_url(column)
            while url:
                with urllib.request.urlopen(mirror.base_url + url[len(cnipa.BASE):], timeout=10) as response:
                    body = response.read()
                for entry in cnipa.parse_dataproxy(body, url):
                    local = mirror.base_url + entry["url"][len(cnipa.BASE):]
                    with urllib.request.urlopen(local, timeout=10) as page:
                        docs.append(cnipa.parse_article(page.read(), entry["url"], entry))
                url = cnipa.next_group_url(body, url)
    assert len(docs) >= 12
    assert {d["extra"]["column_id"] for d in docs} == {"53", "74", "66"}
    assert {d["doc_type"] for d in docs} == {"news", "policy"}
    assert all(d["lang"] == "zh" and d["published"].endswith("+08:00") and not d["warnings"] for d in docs)
    titles = " ".join(d["title"] for d in docs)
    assert "国务院关于涉外知识产权纠纷处理的规定" in titles and "海外知识产权纠纷应对" in titles
    assert "国知发保字〔2021〕33号" in {n for d in docs for n in d["extra"]["doc_numbers"]}
