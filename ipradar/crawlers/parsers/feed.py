"""Generic parser for IP news feeds (WordPress RSS 2.0, Blogger Atom): title and a short excerpt per item, never bodies.

Publishers keep copyright in their articles (SOURCES.md §5): we store title, link, date and an excerpt of at most
``EXCERPT_CHARS`` characters, and never read ``content:encoded`` of a paywalled feed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import unescape
from typing import Any, TypedDict

import feedparser
import lxml.html

from ..errors import ParseError

EXCERPT_CHARS = 600


class Party(TypedDict):
    name: str
    role: str
    role_raw: str | None
    city: str | None
    region: str | None
    country: str | None


class DocDict(TypedDict):
    """The normalised document every parser returns (CONVENTIONS.md); ``items.DOC_FIELDS`` are its keys."""

    source_id: str
    url: str
    title: str
    text: str
    lang: str
    published: str
    doc_type: str
    case_numbers: list[str]
    parties: list[Party]
    extra: dict[str, Any]
    warnings: list[str]


# Case numbers in the normalised forms of CONVENTIONS.md; news text writes them the same way, so a regex suffices.
# Boundaries are ASCII-only: in Chinese text "案号2:25-cv-01010" has no \b before the digit.
_B, _E = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
_CASE_PATTERNS = [
    (re.compile(_B + r"337-TA-(\d{3,4})" + _E), "337-TA-{0}"),
    (re.compile(_B + r"(IPR|PGR|CBM)(\d{4})-(\d{5})" + _E), "{0}{1}-{2}"),
    (re.compile(_B + r"UPC_(CFI|CoA)_(\d+)/(\d{4})" + _E), "UPC_{0}_{1}/{2}"),
    (re.compile(_B + r"(\d):(\d{2})-cv-(\d{4,5})" + _E), "{0}:{1}-cv-{2}"),
]
# WordPress (Yoast) appends this to every excerpt; it is boilerplate, not the publisher's summary.
_WP_FOOTER = re.compile(r"\s*The post .{1,300}? appeared first on .{1,120}?\.?\s*$", re.S)
_WP_MORE = re.compile(r"\s*\[(?:…|\.\.\.)\]\s*$")
_BLOCK_END = re.compile(r"(?i)(</(?:p|div|li|h[1-6]|blockquote|tr)>|<br\s*/?>)")


def find_case_numbers(text: str) -> list[str]:
    """Case numbers (337-TA-…, IPR…, UPC_CFI_…/…, N:YY-cv-NNNNN) in order of first appearance, deduplicated."""
    found: list[tuple[int, str]] = []
    for pattern, template in _CASE_PATTERNS:
        found.extend((m.start(), template.format(*m.groups())) for m in pattern.finditer(text))
    return list(dict.fromkeys(number for _, number in sorted(found)))


def strip_html(html: str) -> str:
    """Plain text of an HTML fragment with whitespace collapsed (block ends become spaces, not glued words)."""
    if not html or not html.strip():
        return ""
    if "<" not in html:
        return " ".join(unescape(html).split())
    root = lxml.html.fragment_fromstring(_BLOCK_END.sub(r"\1 ", html), create_parent="div")
    return " ".join(root.text_content().split())


def cap(text: str, limit: int = EXCERPT_CHARS) -> str:
    """At most ``limit`` characters, cut at a word boundary where one is near, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-") + "…"


def _published(raw: str) -> datetime:
    """RFC 822 (RSS pubDate) or RFC 3339 (Atom), keeping the publisher's UTC offset."""
    try:
        return parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ParseError(f"unrecognised date {raw!r}") from None


def _excerpt(entry: Any, paywalled: bool, notes: list[str]) -> str:
    summary = entry.get("summary") or ""
    body = entry["content"][0].get("value", "") if entry.get("content") else ""
    # feedparser copies content:encoded into summary when <description> is missing: that is the body, not an excerpt
    if paywalled and body and summary == body:
        summary = ""
        notes.append("paywalled feed item without a description: kept the title only")
    text = _WP_MORE.sub(" …", _WP_FOOTER.sub("", strip_html(summary))).strip()
    return cap(text)


def _entry_doc(entry: Any, index: int, source_id: str, lang: str, paywalled: bool, feed_title: str,
               feed_notes: list[str]) -> DocDict:
    title = strip_html(entry.get("title") or "")
    link = entry.get("link") or ""
    if not title or not link:
        raise ParseError(f"item {index} has no {'<title>' if not title else '<link>'}")
    raw_date = entry.get("published") or entry.get("updated")
    if not raw_date:
        raise ParseError(f"item {index} ({title!r}) has no pubDate/published date")
    try:
        published = _published(raw_date)
    except ParseError as exc:
        raise ParseError(f"item {index} ({title!r}): {exc}") from None
    notes = list(feed_notes)
    if published.tzinfo is None:  # RFC 822 "-0000" means "offset unknown"; UTC is the usual meaning
        notes.append(f"date {raw_date!r} has no UTC offset; read as UTC")
        published = published.replace(tzinfo=UTC)
    excerpt = _excerpt(entry, paywalled, notes)
    text = f"{title}\n\n{excerpt}" if excerpt else title
    categories = [strip_html(tag["term"]) for tag in entry.get("tags") or [] if tag.get("term")]
    # Blogger's author string is "Name (noreply@blogger.com)"; author_detail keeps the bare name
    author = (entry.get("author_detail") or {}).get("name") or entry.get("author") or None
    return DocDict(
        source_id=source_id, url=link, title=title, text=text, lang=lang,
        published=published.replace(microsecond=0).isoformat(), doc_type="news",
        case_numbers=find_case_numbers(text), parties=[],
        extra={"author": author, "categories": categories, "guid": entry.get("id") or link, "feed_title": feed_title},
        warnings=notes)


def parse_feed(body: bytes, url: str, source_id: str, lang: str, *, paywalled: bool = False) -> list[DocDict]:
    """Every item of an RSS 2.0 or Atom feed as a DocDict (doc_type "news", text = title + excerpt)."""
    # a generic XML content type keeps feedparser from flagging the bytes; the XML declaration sets the charset
    parsed = feedparser.parse(body, response_headers={"content-location": url, "content-type": "application/xml"})
    entries = list(parsed.get("entries") or [])
    problem = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        if not isinstance(exc, feedparser.CharacterEncodingOverride):  # declared vs detected charset: harmless
            problem = f"{type(exc).__name__}: {exc}"
    if not parsed.get("version"):
        raise ParseError("not an RSS or Atom feed" + (f" ({problem})" if problem else ""))
    feed_notes: list[str] = []
    if problem:
        # feedparser's lenient parser recovers what precedes the fault; a cut-off last item has no title/link
        entries = [e for e in entries if e.get("title") and e.get("link")]
        if not entries:
            raise ParseError(f"malformed feed XML ({problem}); no items could be recovered")
        feed_notes.append(f"malformed feed XML ({problem}); {len(entries)} items recovered by the lenient parser")
    declared = str(parsed.get("feed", {}).get("language") or "")
    if declared and declared.split("-")[0].lower() != lang:
        feed_notes.append(f"feed declares language {declared!r} but the source is configured as {lang!r}")
    feed_title = strip_html(parsed.get("feed", {}).get("title") or "")
    return [_entry_doc(entry, i, source_id, lang, paywalled, feed_title, feed_notes)
            for i, entry in enumerate(entries, 1)]
