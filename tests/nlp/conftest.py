"""Shared fixtures for the NLP tests: one Tagger per session (loading the pipelines and models takes a second)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from ipradar.nlp.api import Tagger


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    return Tagger.load()


@pytest.fixture(scope="session")
def tag(tagger: Tagger) -> Any:
    def run(title: str, text: str = "", lang: str | None = None, **extra: Any) -> Mapping[str, Any]:
        return next(tagger.classify([{"id": "t", "title": title, "text": text, "lang": lang, **extra}]))

    return run
