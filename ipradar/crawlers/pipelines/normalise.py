"""Normalise a document: canonical URL, whitespace, content hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..extract import detect_lang
from ..items import DocumentItem

TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|spm)$")


def canonical_url(url: str) -> str:
    """Lower-case scheme/host, drop fragments and tracking parameters, keep the rest of the query in order."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)]
    netloc = parts.netloc.lower().removesuffix(":443").removesuffix(":80")
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def clean_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\u00a0", " ")
    text = re.sub(r"[ \t\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def content_hash(title: str, text: str) -> str:
    basis = re.sub(r"\s+", " ", f"{title}\n{text}").strip().casefold()
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


class NormalisePipeline:
    def process_item(self, item: Any) -> Any:
        assert isinstance(item, DocumentItem)
        item.canonical_url = canonical_url(item.url)
        item.title = clean_text(item.title or "")
        item.text = clean_text(item.text or "")
        item.case_numbers = sorted(dict.fromkeys(c.strip() for c in item.case_numbers))
        if item.lang is None:
            item.lang = detect_lang(f"{item.title}\n{item.text}")
        return item
