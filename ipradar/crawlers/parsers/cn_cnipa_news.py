"""Parsers for CNIPA (国家知识产权局) Hanweb columns: the jpage ``dataproxy.jsp`` XML and the article pages.

Verified (public route configs and scrapers of other Hanweb sites): ``datastore/recordset/record`` with each record a
CDATA ``<li><a href title>…</a><span>date</span></li>``, ``nextgroup`` holding the next dataproxy link, article URLs
``/art/YYYY/M/D/art_<column>_<id>.html``. Inferred: CNIPA's article template (Hanweb ``ArticleTitle``/``PubDate``/
``ContentSource`` metas and the ``ZJEG_RSS.content`` markers around the body, with ``#zoom`` as fallback).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypedDict
from urllib.parse import parse_qs, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.etree
import lxml.html

from ..errors import ParseError
from ..extract import main_text
from .cn_dates import cn_published
from .cn_mofcom_ipr import decode_html
from .feed import DocDict, find_case_numbers

SOURCE_ID = "cn_cnipa_news"
BASE = "https://www.cnipa.gov.cn"
# column id → (name, doc_type); unknown columns fall back to "news" with a warning
COLUMNS = {"53": ("知识产权工作", "news"), "74": ("政策文件", "policy"), "66": ("政策解读", "policy")}
_ART_URL = re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_(?P<col>\d+)_(?P<id>\d+)\.html$")
_BODY = re.compile(r"<!--ZJEG_RSS\.content\.begin-->(?P<body>.*?)<!--ZJEG_RSS\.content\.end-->", re.S)
# 发文字号 ("国知发保字〔2021〕33号") and order numbers ("国务院令第801号", "国家知识产权局令 第七十八号")
_NUM = r"[\d一二三四五六七八九十百零〇]+"
_DOC_NUMBER = re.compile(rf"[\u4e00-\u9fff]{{1,12}}[〔\[]\d{{4}}[〕\]]\d+号|(?:国务院|国家知识产权局)令\s*第{_NUM}号|第{_NUM}号国务院令")


class CnipaEntry(TypedDict):
    url: str
    title: str
    published: str
    column_id: str
    column: str
    doc_type: str
    warnings: list[str]


def _column(column_id: str) -> tuple[str, str, list[str]]:
    if column_id in COLUMNS:
        name, doc_type = COLUMNS[column_id]
        return name, doc_type, []
    return "", "news", [f"unknown CNIPA column {column_id!r}; treated as news"]


def _datastore(body: bytes | str) -> Any:
    raw = body.encode("utf-8") if isinstance(body, str) else body
    try:
        root = lxml.etree.fromstring(raw, lxml.etree.XMLParser(resolve_entities=False, no_network=True))
    except lxml.etree.XMLSyntaxError as exc:
        raise ParseError(f"dataproxy answer is not well-formed XML (truncated?): {exc}") from None
    if root.tag != "datastore":
        raise ParseError(f"dataproxy answer has root <{root.tag}>, not <datastore>")
    return root


def parse_dataproxy(body: bytes | str, url: str) -> list[CnipaEntry]:
    """Records of one dataproxy page → entries with canonical article URLs and Asia/Shanghai dates."""
    root = _datastore(body)
    recordset = root.find("recordset")
    if recordset is None:
        raise ParseError("dataproxy answer has no <recordset>")
    column_id = (parse_qs(urlsplit(url).query).get("columnid") or [""])[0]
    column, doc_type, notes = _column(column_id)
    entries = []
    for i, record in enumerate(recordset.iter("record"), 1):
        fragment = (record.text or "").strip()
        if not fragment:
            raise ParseError(f"record {i} is empty")
        li = lxml.html.fragment_fromstring(fragment, create_parent="div")
        links = li.xpath(".//a[@href]")
        if not links:
            raise ParseError(f"record {i} has no link")
        link = links[0]
        title = (link.get("title") or " ".join(link.text_content().split())).strip()
        dates = [s.text_content().strip() for s in li.xpath(".//span") if s.text_content().strip()]
        if not dates:
            raise ParseError(f"record {i} ({title!r}) has no date <span>")
        try:
            published = cn_published(dates[-1])
        except ParseError as exc:
            raise ParseError(f"record {i} ({title!r}): {exc}") from None
        entries.append(CnipaEntry(url=urljoin(BASE + "/", link.get("href")), title=title, published=published,
                                  column_id=column_id, column=column, doc_type=doc_type, warnings=list(notes)))
    return entries


def next_group_url(body: bytes | str, url: str) -> str | None:
    """The next dataproxy page named in ``<nextgroup>`` (a real-site URL), or None on the last page."""
    nextgroup = _datastore(body).find("nextgroup")
    fragment = (nextgroup.text or "").strip() if nextgroup is not None else ""
    if not fragment:
        return None
    hrefs = lxml.html.fragment_fromstring(fragment, create_parent="div").xpath(".//a/@href")
    if not hrefs or not str(hrefs[0]).strip():
        return None
    # Hanweb writes the query raw (non-ASCII webname, unescaped path=https://…): re-encode it for an HTTP client
    parts = urlsplit(urljoin(BASE + "/", str(hrefs[0]).strip()))
    return urlunsplit(parts._replace(query=urlencode(parse_qsl(parts.query, keep_blank_values=True))))


def _paragraphs(container: Any) -> list[str]:
    blocks = container.xpath(".//p") or [container]
    return [t for t in (" ".join(b.text_content().split()) for b in blocks) if t]


def parse_article(body: bytes | str, url: str, entry: Mapping[str, Any]) -> DocDict:
    """One Hanweb article page → DocDict (doc_type "policy" for 政策文件/政策解读, else "news")."""
    text, notes = decode_html(body)
    if not text.strip():
        raise ParseError("empty page")
    root = lxml.html.fromstring(text)
    meta = {m.get("name"): (m.get("content") or "").strip() for m in root.xpath("//meta[@name]")}
    marked = _BODY.search(text)
    if marked:
        container = lxml.html.fragment_fromstring(marked["body"], create_parent="div")
    elif root.xpath('//*[@id="zoom"]'):
        container = root.xpath('//*[@id="zoom"]')[0]
        notes.append("no ZJEG_RSS content markers; body read from #zoom")
    else:
        container = None
    if container is not None:
        paragraphs = _paragraphs(container)
    else:  # the template changed: generic main-text extraction, reported as a health warning
        try:
            main, _meta = main_text(text, url)
        except ParseError:
            raise ParseError("no article body (ZJEG_RSS.content markers, #zoom, nor any main text)") from None
        paragraphs = [p for p in main.split("\n") if p.strip()]
        notes.append("no content markers or #zoom: body found by generic main-text extraction (template changed?)")
    if not paragraphs:
        raise ParseError("article body is empty")
    h1 = root.xpath("//h1")
    title = meta.get("ArticleTitle") or (" ".join(h1[0].text_content().split()) if h1 else "")
    if not title:
        title = str(entry.get("title") or "")
        notes.append("no ArticleTitle meta or <h1>; title taken from the list")
    published = str(entry.get("published") or "")
    if meta.get("PubDate"):
        published = cn_published(meta["PubDate"])
        if entry.get("published") and not published.startswith(str(entry["published"])):
            notes.append(f"page PubDate {meta['PubDate']!r} differs from the list date {entry['published']!r}")
    if not published:
        raise ParseError("no publication date (PubDate meta or list date)")
    canonical = str(entry.get("url") or urljoin(BASE + "/", urlsplit(url).path))
    art = _ART_URL.search(canonical)
    column_id = str(entry.get("column_id") or (art["col"] if art else ""))
    column, doc_type, column_notes = _column(column_id)
    body_text = "\n\n".join(paragraphs)
    doc_numbers = list(dict.fromkeys(re.sub(r"\s+", "", n) for n in _DOC_NUMBER.findall(f"{title}\n{body_text}")))
    return DocDict(
        source_id=SOURCE_ID, url=canonical, title=title, text=body_text, lang="zh", published=published,
        doc_type=doc_type, case_numbers=find_case_numbers(body_text), parties=[],
        extra={"article_id": art["id"] if art else None, "column_id": column_id,
               "column": meta.get("ColumnName") or column, "source": meta.get("ContentSource") or None,
               "doc_numbers": doc_numbers},
        warnings=[*notes, *column_notes])
