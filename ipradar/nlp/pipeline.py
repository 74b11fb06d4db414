"""Builds the spaCy pipelines (blank en / zh with IP Radar's components) once per process."""

from __future__ import annotations

from functools import cache
from typing import Any

import spacy
from spacy.language import Language

from . import components as _components  # noqa: F401  (registers the factories)
from . import rules as _rules  # noqa: F401

PIPE_NAMES = ("ipradar_gazetteer", "ipradar_identifiers", "ipradar_parties", "ipradar_signals")


@cache
def build(lang: str) -> Language:
    """spacy.blank(lang) + the project's components. zh keeps spaCy's default character segmentation (no downloads)."""
    if lang not in ("en", "zh"):
        raise ValueError(f"no pipeline for language {lang!r}")
    nlp = spacy.blank(lang)
    if lang == "en":
        # "4G/5G", "LTE/Wi-Fi", "title|site": split on every slash and bar, so each side is a token for the lexicons
        infixes: list[Any] = [*(nlp.Defaults.infixes or []), r"[/|]"]
        tokenizer: Any = nlp.tokenizer
        tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    nlp.max_length = 2_000_000
    nlp.add_pipe("ipradar_gazetteer", config={"lang": lang})
    nlp.add_pipe("ipradar_identifiers")
    nlp.add_pipe("ipradar_parties", config={"lang": lang})
    nlp.add_pipe("ipradar_signals")
    return nlp
