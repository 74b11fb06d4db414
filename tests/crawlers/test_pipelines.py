"""Validation can fail, normalisation is stable, and the hash ignores whitespace noise."""

import pytest

from ipradar.crawlers.items import DocumentItem
from ipradar.crawlers.pipelines.normalise import NormalisePipeline, canonical_url, content_hash
from ipradar.crawlers.pipelines.validate import InvalidItem, ValidatePipeline


def _item(**kw: object) -> DocumentItem:
    base = {"source_id": "s", "url": "https://x.org/a", "title": "T", "text": "body", "lang": "en",
            "published": "2026-11-20", "doc_type": "news"}
    base.update(kw)
    return DocumentItem.from_dict(base)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"url": "/relative"}, "not absolute"),
        ({"title": " ", "text": ""}, "neither title nor text"),
        ({"published": "20 Nov 2026"}, "published '20 Nov 2026'"),
        ({"published": "2026-11-20T10:00:00"}, "published"),
        ({"lang": "de"}, "lang 'de'"),
        ({"parties": [{"name": "A", "role": "respondent"}]}, "role 'respondent'"),
        ({"parties": [{"role": "plaintiff"}]}, "party 0 has no name"),
    ],
)
def test_validator_rejects_with_a_named_reason(change: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidItem, match=message):
        ValidatePipeline().process_item(_item(**change))


def test_validator_accepts_a_good_item() -> None:
    item = _item(published="2026-11-20T10:00:00+08:00", parties=[{"name": "A", "role": "defendant"}])
    assert ValidatePipeline().process_item(item) is item


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown keys"):
        DocumentItem.from_dict({"source_id": "s", "url": "u", "title": "t", "text": "", "lang": "en",
                                "published": None, "doc_type": "x", "surprise": 1})


def test_canonical_url_drops_tracking_and_fragment() -> None:
    assert canonical_url("HTTPS://WWW.Example.org:443/a?utm_source=x&id=3#top") == "https://www.example.org/a?id=3"


def test_normalise_keeps_real_url_and_sets_canonical() -> None:
    item = NormalisePipeline().process_item(_item(url="https://x.org/a?utm_medium=m", text="a \n\n\n\n b"))
    assert item.url == "https://x.org/a?utm_medium=m"
    assert item.canonical_url == "https://x.org/a"
    assert item.text == "a\n\nb"


def test_content_hash_ignores_whitespace_and_case() -> None:
    assert content_hash("Title", "a  b\nc") == content_hash("title", "a b c")
    assert content_hash("Title", "a b") != content_hash("Title", "a c")
