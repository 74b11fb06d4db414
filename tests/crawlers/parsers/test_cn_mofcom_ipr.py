"""中国保护知识产权网 parsers: listN JSON and article pages, GBK served as UTF-8, and the bundled mirror."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from ipradar.crawlers.errors import ParseError
from ipradar.crawlers.items import DOC_FIELDS
from ipradar.crawlers.mirror import Mirror, load_routes, snapshot_dir
from ipradar.crawlers.parsers import cn_mofcom_ipr as mofcom

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / mofcom.SOURCE_ID
PAYLOADS = sorted(p for p in FIXTURES.iterdir()
                  if p.suffix in {".json", ".html"} and not p.name.endswith((".expected.json", ".args.json")))
VALID = [p for p in PAYLOADS if not p.with_name(f"{p.stem}.error.txt").exists()]
BROKEN = [p for p in PAYLOADS if p.with_name(f"{p.stem}.error.txt").exists()]


def _parse(path: Path) -> Any:
    """``list_*`` fixtures go to parse_list, ``article_*`` to parse_article with the entry in ``.args.json``."""
    args = json.loads(path.with_name(f"{path.stem}.args.json").read_text(encoding="utf-8"))
    if path.name.startswith("list_"):
        return mofcom.parse_list(path.read_bytes(), args["url"])
    return mofcom.parse_article(path.read_bytes(), args["url"], args["entry"])


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


def test_gbk_page_served_as_utf8_is_decoded_not_mangled() -> None:
    raw = (FIXTURES / "article_gbk_declared_utf8.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # what a client trusting the Content-Type header would do
    doc = _parse(FIXTURES / "article_gbk_declared_utf8.html")
    assert doc["title"] == "美国得州西区陪审团裁定大疆侵犯Textron专利 判赔约2.79亿美元"
    assert "深圳市大疆创新科技有限公司" in doc["text"] and "\ufffd" not in doc["text"]
    assert doc["warnings"] == ["page is not UTF-8 (invalid continuation byte at byte 161); "
                               "decoded as gb18030 by its meta charset 'gbk'"]
    no_meta = _parse(FIXTURES / "article_gbk_no_meta.html")
    assert "曼海姆地区法院" in no_meta["text"] and "fallback (no meta charset)" in no_meta["warnings"][0]


def test_decode_html_rejects_bytes_that_are_neither_utf8_nor_gbk() -> None:
    with pytest.raises(ParseError, match="not UTF-8 .* and not gb18030 either"):
        mofcom.decode_html(b"<html><body>\xff\xff\xff</body></html>")
    assert mofcom.decode_html("已是文本") == ("已是文本", [])


def test_unknown_columns_and_countries_warn_instead_of_guessing() -> None:
    entries = _parse(FIXTURES / "list_unknown_paths.json")
    warnings = [w for e in entries for w in e["warnings"]]
    assert any("unknown country path 'nmz/bl'" in w for w in warnings)
    assert any("unknown column 'zfxd'" in w for w in warnings)
    assert any("unknown case-tracking sub-column 'symmajzz'" in w for w in warnings)
    assert any("article_id 1982290 differs" in w for w in warnings)
    assert entries[3]["title"] == "欧盟法院就外观设计维修条款作出裁决 & 评析"  # HTML entity in the JSON title


@pytest.mark.parametrize(("path", "country", "ip_type"), [
    ("/article/gjxw/gbhj/bmz/mg/202503/1990788.html", "US", None),
    ("/article/gjxw/gbhj/oz/dg/202304/1975690.html", "DE", None),
    ("/article/gjxw/gbhj/oz/om/202502/1990286.html", "EU", None),
    ("/article/gjxw/gbhj/yz/yd/202307/1977815.html", "IN", None),
    ("/article/gjxw/ajzz/bqajzz/202411/1987620.html", None, "copyright"),
    ("/article/gjxw/ajzz/sbajzz/202411/1987621.html", None, "trademark"),
])
def test_url_hints(path: str, country: str | None, ip_type: str | None) -> None:
    hints, warnings = mofcom._url_hints(path)
    assert (hints["country_hint"], hints["ip_type"], warnings) == (country, ip_type, [])


def test_next_page_number_follows_page_info() -> None:
    directory = snapshot_dir(mofcom.SOURCE_ID)
    assert mofcom.next_page_number((directory / "listN_ajzz_p1.json").read_bytes()) == 2
    assert mofcom.next_page_number((directory / "listN_ajzz_p2.json").read_bytes()) is None


# -- the bundled mirror -----------------------------------------------------------------------------------------

def _post(url: str, form: dict[str, str]) -> bytes:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(), headers={
        "X-Requested-With": "XMLHttpRequest", "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return bytes(response.read())


def test_snapshot_walks_both_columns_through_the_mirror() -> None:
    directory = snapshot_dir(mofcom.SOURCE_ID)
    assert any(r.path == "/robots.txt" for r in load_routes(directory))
    docs = []
    with Mirror(directory) as mirror:
        for cid in ("ajzz", "gbhj"):
            page: int | None = 1
            while page:
                body = _post(f"{mirror.base_url}/ipr/front/www/listN", {"pageNumber": str(page), "cid": cid})
                entries = mofcom.parse_list(body, mofcom.LIST_URL)
                assert entries and {e["cid"] for e in entries} == {cid}
                for entry in entries:
                    local = entry["url"].replace(mofcom.BASE, mirror.base_url)
                    with urllib.request.urlopen(local, timeout=10) as response:
                        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
                        docs.append(mofcom.parse_article(response.read(), entry["url"], entry))
                page = mofcom.next_page_number(body)
    assert len(docs) >= 16
    assert {d["extra"]["column"] for d in docs} == {"案件追踪", "国别环境"}
    assert {d["extra"]["country_hint"] for d in docs} >= {"US", "GB", "EU", "DE", "IN"}
    assert all(d["lang"] == "zh" and d["source_id"] == mofcom.SOURCE_ID and "\ufffd" not in d["text"] for d in docs)
    assert all(d["published"].endswith("+08:00") or len(d["published"]) == 10 for d in docs)
    assert [d["url"] for d in docs if d["warnings"]] == [
        "https://ipr.mofcom.gov.cn/article/gjxw/ajzz/zlajzz/202304/1975832.html"]  # the GBK page, nothing else
    text = " ".join(d["title"] + d["text"] for d in docs)
    for name in ("华为", "OPPO", "vivo", "长江存储", "大疆", "TCL", "联想", "SHEIN", "小米", "Schedule A"):
        assert name in text, name
    assert {"337-TA-1318", "UPC_CFI_9/2023", "UPC_CFI_210/2023", "2:25-cv-01010"} <= {
        n for d in docs for n in d["case_numbers"]}
