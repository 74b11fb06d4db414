"""Loads the shipped data files (gazetteers, patterns, taxonomy) once per process; nothing is downloaded."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"
GAZETTEERS = DATA / "gazetteers"
PATTERNS = DATA / "patterns"
MODELS = DATA / "models"

INDUSTRIES = ("semiconductors", "ai_software", "biomedicine", "aviation", "telecom", "consumer_electronics",
              "new_energy_auto", "machinery", "chemicals_materials", "consumer_goods", "other")
RISK_TYPES = ("patent_infringement", "trademark", "copyright", "trade_secret", "section_337", "customs", "sep_frand",
              "validity", "policy")
CN_REGIONS = frozenset({"CN", "HK", "MO"})


def load_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def gazetteer(name: str) -> Any:
    return load_json(GAZETTEERS / f"{name}.json")


@cache
def patterns(name: str) -> Any:
    return load_json(PATTERNS / f"{name}.json")


@cache
def taxonomy() -> Any:
    return load_json(DATA / "taxonomy.json")


@cache
def t2s_table() -> dict[int, str]:
    """str.translate table folding traditional characters to simplified (one char to one char, offsets kept)."""
    mapping: dict[str, str] = gazetteer("t2s")["map"]
    return {ord(k): v for k, v in mapping.items()}


def compile_any(regexes: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
    """One alternation of many regexes (None when the list is empty, so callers can skip the search)."""
    if not regexes:
        return None
    return re.compile("|".join(f"(?:{r})" for r in regexes), flags)


@cache
def companies() -> dict[str, dict[str, Any]]:
    """Company key -> record (Chinese and foreign), with 'country' on each."""
    data = gazetteer("companies")
    return {c["key"]: c for c in [*data["chinese"], *data["foreign"]]}
