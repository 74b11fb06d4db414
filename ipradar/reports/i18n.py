"""Languages: Babel catalogs (compiled from the shipped .po at run time), taxonomy display names, and the zh/en
glossary shipped in ipradar/data/glossary.json (used for legal terms such as 普遍排除令 = general exclusion order)."""

from __future__ import annotations

import functools
import gettext
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
GLOSSARY = Path(__file__).resolve().parents[1] / "data" / "glossary.json"
LANGS = ("zh", "en")


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog for ``lang``, compiled in memory from its .po file (so a .po edit needs no build step)."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGS)}")
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="zh_Hans_CN" if lang == "zh" else "en")
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


# Taxonomy codes (DESIGN §4) → English display names; the catalogs translate them.
INDUSTRIES: dict[str, str] = {
    "semiconductors": N_("Semiconductors"),
    "ai_software": N_("AI and software"),
    "biomedicine": N_("Biomedicine and medical devices"),
    "aviation": N_("Civil aviation and drones"),
    "telecom": N_("Telecommunications"),
    "consumer_electronics": N_("Consumer electronics"),
    "new_energy_auto": N_("New energy and automotive"),
    "machinery": N_("High-end equipment and robotics"),
    "chemicals_materials": N_("Chemicals and new materials"),
    "consumer_goods": N_("Light industry and consumer goods"),
    "other": N_("Other"),
}
RISK_TYPES: dict[str, str] = {
    "patent_infringement": N_("Patent infringement"),
    "trademark": N_("Trademark"),
    "copyright": N_("Copyright"),
    "trade_secret": N_("Trade secret"),
    "section_337": N_("US Section 337"),
    "customs": N_("Customs and border enforcement"),
    "sep_frand": N_("SEP / FRAND"),
    "validity": N_("Validity challenges"),
    "policy": N_("Law and policy changes"),
}
JURISDICTIONS: dict[str, str] = {
    "US": N_("United States"), "DE": N_("Germany"), "GB": N_("United Kingdom"), "JP": N_("Japan"),
    "KR": N_("South Korea"), "IN": N_("India"), "CN": N_("China"), "FR": N_("France"), "NL": N_("Netherlands"),
    "IT": N_("Italy"), "BR": N_("Brazil"), "EU": N_("European Union"), "EP": N_("European Patent Office"),
    "UPC": N_("Unified Patent Court"), "WO": N_("WIPO"),
}
REMEDIES: dict[str, str] = {
    "general_exclusion_order": N_("General exclusion order"),
    "limited_exclusion_order": N_("Limited exclusion order"),
    "cease_and_desist_order": N_("Cease and desist order"),
    "temporary_restraining_order": N_("Temporary restraining order"),
    "asset_freeze": N_("Asset freeze"),
    "preliminary_injunction": N_("Preliminary injunction"),
    "permanent_injunction": N_("Permanent injunction"),
    "damages": N_("Damages"),
}
SEVERITY: dict[str, str] = {"high": N_("Red"), "medium": N_("Orange"), "low": N_("Yellow")}


@functools.cache
def glossary() -> dict[str, dict[str, str]]:
    """The reviewed zh/en glossary, keyed by term key and by "<category>:<code>"; empty if the file is absent."""
    if not GLOSSARY.is_file():
        return {}
    data: Any = json.loads(GLOSSARY.read_text(encoding="utf-8"))
    entries = data.get("terms", []) if isinstance(data, Mapping) else data
    out: dict[str, dict[str, str]] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("zh"), str) or not isinstance(
                entry.get("en"), str):
            continue
        pair = {"zh": entry["zh"], "en": entry["en"]}
        if isinstance(entry.get("key"), str):
            out.setdefault(entry["key"], pair)
        if isinstance(entry.get("code"), str) and isinstance(entry.get("category"), str):
            out.setdefault(f"{entry['category']}:{entry['code']}", pair)
    return out


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def term(key: str, english: str, lang: str) -> str:
    """A legal term in ``lang``: the reviewed glossary first, then the catalog, then the English."""
    hit = glossary().get(key)
    if hit:
        return _upper_first(hit[lang]) if lang == "en" else hit[lang]
    return translations(lang).gettext(english)


def label(table: Mapping[str, str], code: str, lang: str) -> str:
    """Display name of a taxonomy code (unknown codes are shown as they are, never dropped).

    Chinese names of taxonomy codes come from the glossary (the reviewed wording, DESIGN §4); English names are
    the short display names above; remedies take both languages from the glossary (e.g. 普遍排除令 = GEO).
    """
    english = table.get(code)
    if english is None:
        return code
    if table is REMEDIES:
        return term(code, english, lang)
    category = {id(INDUSTRIES): "industry", id(RISK_TYPES): "risk_type", id(JURISDICTIONS): "jurisdiction"}.get(
        id(table))
    if lang == "zh" and category:
        hit = glossary().get(f"{category}:{code}")
        if hit:
            return hit["zh"]
    return translations(lang).gettext(english)
