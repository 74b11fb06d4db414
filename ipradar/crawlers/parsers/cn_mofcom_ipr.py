"""Parsers for 中国保护知识产权网 (ipr.mofcom.gov.cn): the ``listN`` JSON list API and article pages.

Verified (third-party scraper, about 2019–2021): listN form ``pageNumber``/``cid``, ``pageInfo.rows[]`` with
``article_id``/``publishTimeStr``/``title``/``url``; JS ``var title``/``var source``; body ``section.artCon > p``.
Inferred: the paging keys of ``pageInfo``, the case-tracking sub-columns and the country codes of URL paths.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any, TypedDict

import lxml.html

from ..errors import ParseError
from ..extract import main_text
from .cn_dates import cn_published
from .feed import DocDict, find_case_numbers

SOURCE_ID = "cn_mofcom_ipr"
BASE = "https://ipr.mofcom.gov.cn"
LIST_URL = "http://ipr.mofcom.gov.cn/ipr/front/www/listN"
# cid (listN form value) = URL section under /article/gjxw/ ; only the overseas columns we follow
COLUMNS = {"ajzz": "案件追踪", "gbhj": "国别环境"}
CASE_SUBCOLUMNS = {"zlajzz": "patent", "sbajzz": "trademark", "bqajzz": "copyright"}
# 国别环境 paths are <continent>/<country> in pinyin initials; only bmz/mg is verified, the rest follow the scheme
COUNTRY_PATHS = {
    "bmz/mg": "US", "bmz/jnd": "CA", "bmz/mxg": "MX",
    "oz/om": "EU", "oz/dg": "DE", "oz/yg": "GB", "oz/fg": "FR", "oz/ydl": "IT", "oz/hl": "NL", "oz/xby": "ES",
    "oz/rs": "CH", "oz/els": "RU",
    "yz/rb": "JP", "yz/hg": "KR", "yz/yd": "IN", "yz/xjp": "SG", "yz/ydnxy": "ID", "yz/yn": "VN", "yz/tg": "TH",
    "yz/mlxy": "MY", "yz/alq": "AE", "yz/tr": "TR",
    "dyz/adly": "AU", "dyz/xxl": "NZ", "nmz/bx": "BR", "nmz/agt": "AR", "nmz/zl": "CL",
    "fz/nf": "ZA", "fz/aj": "EG", "fz/nrly": "NG",
}
_ARTICLE_PATH = re.compile(r"^/article/gjxw/(?P<section>[a-z]+)/(?P<sub>(?:[a-z]+/)*)(?P<ym>\d{6})/(?P<id>\d+)\.html$")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_GBK_FAMILY = {"gbk", "gb2312", "gb18030", "x-gbk", "cp936"}
_JS_VAR = r"""var\s+{name}\s*=\s*'((?:[^'\\]|\\.)*)'\s*;"""


class MofcomEntry(TypedDict):
    article_id: str
    url: str
    title: str
    published: str
    cid: str
    column: str
    warnings: list[str]


def decode_html(body: bytes | str) -> tuple[str, list[str]]:
    """Text of a Chinese HTML page, whatever the server's header claimed (GBK pages are served as UTF-8)."""
    if isinstance(body, str):
        return body, []
    found = _META_CHARSET.search(body[:4096])
    meta = found.group(1).decode("ascii").lower() if found else None
    try:
        return body.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        utf8_error = f"{exc.reason} at byte {exc.start}"
    # GB18030 is the superset of GBK/GB2312: rare characters in names and document numbers survive
    encoding = "gb18030" if meta is None or meta in _GBK_FAMILY else meta
    try:
        text = body.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        raise ParseError(f"page is not UTF-8 ({utf8_error}) and not {encoding} either") from None
    how = f"its meta charset {meta!r}" if meta else "fallback (no meta charset)"
    return text, [f"page is not UTF-8 ({utf8_error}); decoded as {encoding} by {how}"]


def _url_hints(path: str) -> tuple[dict[str, str | None], list[str]]:
    """column, ip_type and country hint from an article path; unknown values warn."""
    match = _ARTICLE_PATH.match(path)
    if not match:
        return {"cid": None, "column": None, "ip_type": None, "country_hint": None}, [
            f"article path {path!r} is not /article/gjxw/<column>/…/<YYYYMM>/<id>.html"]
    section, sub = match["section"], match["sub"].strip("/")
    notes: list[str] = []
    column = COLUMNS.get(section)
    if column is None:
        notes.append(f"unknown column {section!r} in {path!r}")
    ip_type = country = None
    if section == "ajzz":
        ip_type = CASE_SUBCOLUMNS.get(sub)
        if ip_type is None:
            notes.append(f"unknown case-tracking sub-column {sub!r} in {path!r}")
    elif section == "gbhj":
        country = COUNTRY_PATHS.get(sub)
        if country is None:
            notes.append(f"unknown country path {sub!r} in {path!r}")
    return {"cid": section, "column": column, "ip_type": ip_type, "country_hint": country}, notes


def parse_list(body: bytes | str, url: str) -> list[MofcomEntry]:
    """Rows of one listN answer, newest first as served, with canonical https article URLs."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ParseError(f"listN answer is not valid JSON (truncated?): {exc.msg} at char {exc.pos}") from None
    rows = (data.get("pageInfo") or {}).get("rows") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ParseError("listN answer has no pageInfo.rows list")
    entries = []
    for i, row in enumerate(rows, 1):
        missing = [k for k in ("article_id", "publishTimeStr", "title", "url") if not row.get(k)]
        if missing:
            raise ParseError(f"listN row {i} lacks {', '.join(missing)}")
        path = str(row["url"])
        path = re.sub(r"^https?://ipr\.mofcom\.gov\.cn", "", path)
        hints, notes = _url_hints(path)
        match = _ARTICLE_PATH.match(path)
        if match and match["id"] != str(row["article_id"]):
            notes.append(f"article_id {row['article_id']} differs from the id in {path!r}")
        entries.append(MofcomEntry(
            article_id=str(row["article_id"]), url=BASE + path, title=html.unescape(str(row["title"])).strip(),
            published=cn_published(str(row["publishTimeStr"])), cid=hints["cid"] or "",
            column=hints["column"] or "", warnings=notes))
    return entries


def next_page_number(body: bytes | str) -> int | None:
    """The next pageNumber to POST, or None on the last page (paging keys inferred: pageNumber/totalPage)."""
    info = json.loads(body).get("pageInfo") or {}
    page, total = info.get("pageNumber"), info.get("totalPage")
    if isinstance(page, int) and isinstance(total, int) and page < total:
        return page + 1
    return None


def _js_string(text: str, name: str) -> str | None:
    found = re.search(_JS_VAR.format(name=name), text)
    if not found:
        return None
    return html.unescape(re.sub(r"\\(.)", r"\1", found.group(1))).strip()


def parse_article(body: bytes | str, url: str, entry: Mapping[str, Any]) -> DocDict:
    """One article page (pass the raw bytes: GBK pages served as UTF-8 are decoded correctly) → DocDict."""
    text, notes = decode_html(body)
    if not text.strip():
        raise ParseError("empty page")
    canonical = str(entry.get("url") or BASE + re.sub(r"^https?://[^/]+", "", url))
    root = lxml.html.fromstring(text)
    paragraphs = [" ".join(p.text_content().split()) for p in root.xpath('//section[@class="artCon"]/p')]
    paragraphs = [p for p in paragraphs if p]
    if not root.xpath('//section[@class="artCon"]'):
        # the template changed: fall back to generic main-text extraction, and say so (a health warning)
        try:
            main, _meta = main_text(text, canonical)
        except ParseError:
            raise ParseError('no article body (//section[@class="artCon"], nor any main text)') from None
        paragraphs = [p for p in main.split("\n") if p.strip()]
        notes.append('no section.artCon: body found by generic main-text extraction (template changed?)')
    if not paragraphs:
        raise ParseError('article body //section[@class="artCon"]/p is empty')
    title = _js_string(text, "title")
    if not title:
        title = str(entry.get("title") or "")
        notes.append("no `var title` in the page; title taken from the list")
    source = _js_string(text, "source")
    if source is None:
        notes.append("no `var source` in the page")
    hints, hint_notes = _url_hints(re.sub(r"^https?://[^/]+", "", canonical))
    published = entry.get("published")
    if not published:
        raise ParseError("no publication date: the list entry has none")
    body_text = "\n\n".join(paragraphs)
    return DocDict(
        source_id=SOURCE_ID, url=canonical, title=title, text=body_text, lang="zh", published=str(published),
        doc_type="news", case_numbers=find_case_numbers(f"{title}\n{body_text}"), parties=[],
        extra={"article_id": entry.get("article_id") or canonical.rsplit("/", 1)[-1].removesuffix(".html"),
               "column": hints["column"], "source": source, "country_hint": hints["country_hint"],
               "ip_type": hints["ip_type"]},
        warnings=[*notes, *hint_notes])
