"""Party-name resolution (pure logic): normalise legal suffixes and case, merge variants, link Chinese and English
names through the curated alias table and the company gazetteer, then fuzzy-match with rapidfuzz. Every answer
records how it was reached, so the caller can store the merge decision beside the alias."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from .resources import gazetteer, t2s_table

FUZZY_MIN = 85.0

_SUFFIX = re.compile(
    r"(?:,?\s+(?:co\.?,?\s*ltd\.?|company,?\s+limited|co\.?,?\s+limited|limited|ltd\.?|llc|l\.l\.c\.|inc\.?|"
    r"incorporated|corp\.?|corporation|company|gmbh|ag|s\.a\.|se|b\.v\.|bv|n\.v\.|oy|ab|plc|pte\.?\s*ltd\.?|"
    r"s\.a\.s\.|lp|l\.p\.|holdings?|group|technolog(?:y|ies)|electronics|international|global))+\s*$")
_ZH_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团|公司|控股)$")
_PAREN = re.compile(r"[（(][^)）]*[)）]")
_SPACE = re.compile(r"[\s\-_.,&'’\"]+")


@dataclass(frozen=True)
class Resolution:
    """The resolved entity key and how it was decided (method: exact, alias, normalised, fuzzy, new)."""

    key: str
    name: str
    method: str
    score: float
    matched: str | None = None


def normalise_name(name: str) -> str:
    """Case-, width-, script- and suffix-folded form: "OnePlus Technology (Shenzhen) Co., Ltd." -> "oneplus"."""
    text = unicodedata.normalize("NFKC", name).translate(t2s_table()).strip().lower()
    text = _PAREN.sub(" ", text)
    for _ in range(3):
        text = _SUFFIX.sub("", text).strip(" ,.")
        text = _ZH_SUFFIX.sub("", text)
    text = re.sub(r"^(?:the\s+)", "", text)
    return _SPACE.sub(" ", text).strip()


@cache
def _index() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(exact name -> key, normalised name -> key, key -> display name)."""
    exact: dict[str, str] = {}
    norm: dict[str, str] = {}
    display: dict[str, str] = {}
    comp = gazetteer("companies")
    for c in [*comp["chinese"], *comp["foreign"]]:
        display[c["key"]] = c["name_en"]
        names = [c["name_en"], *c["aliases_en"], c["name_zh"], *c["aliases_zh"], *c.get("names_zh_hant", [])]
        for n in names:
            if n:
                exact.setdefault(n.lower(), c["key"])
                nn = normalise_name(n)
                if len(nn) >= 2:
                    norm.setdefault(nn, c["key"])
    for key, names in gazetteer("aliases")["aliases"].items():
        for n in names:
            exact[n.lower()] = key
            nn = normalise_name(n)
            if len(nn) >= 2:
                norm[nn] = key
    return exact, norm, display


def _slug(text: str) -> str:
    slug = re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "-", text).strip("-")
    return f"new:{slug or 'unnamed'}"


def resolve(name: str) -> Resolution:
    """Resolve one party name to an entity key; unknown names get a stable "new:<normalised>" key."""
    exact, norm, display = _index()
    raw = name.strip()
    if raw.lower() in exact:
        key = exact[raw.lower()]
        return Resolution(key, display.get(key, raw), "exact", 100.0, raw)
    nn = normalise_name(raw)
    if nn in norm:
        key = norm[nn]
        return Resolution(key, display.get(key, raw), "normalised", 100.0, nn)
    # the leading word(s) of a long legal name often are the brand: "Hisense Visual Technology" -> "hisense"
    words = nn.split(" ")
    for n in range(len(words) - 1, 0, -1):
        head = " ".join(words[:n])
        if head in norm and len(head) >= 3:
            key = norm[head]
            return Resolution(key, display.get(key, raw), "alias", 95.0, head)
    if len(nn) >= 4:
        # plain ratio over candidates of some length: WRatio's partial matching would tie "acme widgets" to "ge"
        candidates = [k for k in norm if len(k) >= 4]
        best = process.extractOne(nn, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)
        if best is not None:
            matched, score, _ = best
            key = norm[matched]
            return Resolution(key, display.get(key, raw), "fuzzy", float(score), matched)
    return Resolution(_slug(nn), raw, "new", 0.0, None)


def same_entity(a: str, b: str) -> bool:
    """Whether two party names resolve to the same entity (unknown names compare by normalised form)."""
    return resolve(a).key == resolve(b).key
