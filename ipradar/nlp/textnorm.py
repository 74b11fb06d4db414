"""Input hygiene before tagging: HTML stripping, Unicode/width folding, traditional->simplified, size cap, language."""

from __future__ import annotations

import html
import re
import unicodedata

from .resources import t2s_table

MAX_CHARS = 60_000  # longer texts are cut: the signal is at the top, and a 5 MB page must not stall a batch
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[a-zA-Z/!][^<>]{0,2000}>", re.DOTALL | re.IGNORECASE)
_LOOKS_HTML = re.compile(r"<(?:p|div|br|span|a|html|body|li|ul|td|tr|table|h[1-6]|script|style|strong|em)\b[^<>]*>",
                         re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_NEWLINES = re.compile(r"\n{3,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def strip_html(text: str) -> str:
    if not _LOOKS_HTML.search(text):
        return text
    text = re.sub(r"<br\s*/?>|</p>|</div>|</li>|</h[1-6]>", "\n", text, flags=re.IGNORECASE)
    return html.unescape(_TAG.sub(" ", text))


def normalise(text: str) -> tuple[str, list[str]]:
    """Return the text to tag and notes about what was done to it (cut, HTML removed)."""
    notes: list[str] = []
    if len(text) > MAX_CHARS * 4:
        # cut before the regex work, which is linear but not free on megabytes
        text = text[: MAX_CHARS * 4]
        notes.append("text cut before cleaning")
    stripped = strip_html(text)
    if stripped is not text:
        notes.append("HTML removed")
    text = unicodedata.normalize("NFKC", stripped)
    text = _CONTROL.sub(" ", text).translate(t2s_table())
    text = _NEWLINES.sub("\n\n", _SPACES.sub(" ", text)).strip()
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        notes.append(f"text cut to {MAX_CHARS} characters")
    return text, notes


def detect_lang(text: str, declared: str | None = None) -> str:
    """'zh' when Chinese characters make up a real share of the letters, else 'en' (declared zh/en wins if plausible)."""
    sample = text[:4000]
    cjk = len(_CJK.findall(sample))
    latin = len(_LATIN.findall(sample))
    if declared in ("zh", "en"):
        if declared == "zh" and cjk == 0 and latin > 0:
            return "en"
        if declared == "en" and cjk > latin:
            return "zh"
        return declared
    return "zh" if cjk and cjk * 3 >= latin * 0.5 else "en"
