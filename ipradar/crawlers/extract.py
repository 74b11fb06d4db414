"""Main-text extraction for public article pages (trafilatura), date parsing (explicit formats first, dateparser
as the fallback, Chinese formats included) and language detection for the two languages the pipeline reads."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .errors import ParseError

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_lang(text: str) -> str | None:
    """'zh' when Chinese characters carry the text, 'en' for Latin script, None when there is too little to say.

    Chinese text is dense (one character is a word), so 20 % CJK characters among letters is already Chinese.
    """
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    if cjk + latin < 8:
        return None
    return "zh" if cjk >= 0.2 * (cjk + latin) else "en"


MIN_MAIN_TEXT = 150  # characters: below this a "main text" is a navigation crumb or an error notice, not an article


def main_text(html: str, url: str | None = None, *, min_chars: int = MIN_MAIN_TEXT) -> tuple[str, dict[str, Any]]:
    """(main text, metadata: title, date, author, sitename) of an article page; ParseError when nothing that looks
    like an article is found (too short to be one)."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, include_comments=False, include_tables=True,
                                      with_metadata=True, favor_precision=True)
    if doc is None:
        raise ParseError("no main text found on the page")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = (data.get("text") or "").strip()
    if len(text) < min_chars:
        raise ParseError(f"no main text found on the page ({len(text)} characters is not an article)")
    meta = {k: data.get(k) for k in ("title", "date", "author", "sitename")}
    return text, meta


_EXPLICIT = ("%Y-%m-%d", "%Y/%m/%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%m-%d-%Y", "%m/%d/%Y")
_ZH_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def parse_date(text: str, *, languages: tuple[str, ...] = ("en", "zh")) -> dt.date:
    """A calendar date from the usual English and Chinese spellings; ParseError naming the text otherwise."""
    raw = " ".join(text.split())
    if m := _ZH_DATE.search(raw):
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for fmt in _EXPLICIT:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    import dateparser

    parsed = dateparser.parse(raw, languages=list(languages),
                              settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
    if parsed is None:
        raise ParseError(f"unrecognised date {text!r}")
    day: dt.date = parsed.date()
    return day
