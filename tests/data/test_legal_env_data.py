"""Checks the reviewed legal-environment facts and the zh/en glossary shipped in ipradar/data."""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import importlib.util
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

import ipradar

DATA_DIR = Path(ipradar.__file__).resolve().parent / "data"
LEGAL_ENV_DIR = DATA_DIR / "legal_env"
GLOSSARY_PATH = DATA_DIR / "glossary.json"

COUNTRIES = ["US", "DE", "GB", "JP", "KR", "IN", "UPC"]
# Order of REPORTS.md §4.2 as the report builder renders it.
SECTIONS = [
    "legal_framework",
    "registration_practice",
    "enforcement_routes",
    "special_routes",
    "timelines",
    "risk_patterns",
    "checklist",
]
# DESIGN.md §4 taxonomy codes: every one needs a display name in the glossary.
INDUSTRY_CODES = [
    "semiconductors",
    "ai_software",
    "biomedicine",
    "aviation",
    "telecom",
    "consumer_electronics",
    "new_energy_auto",
    "machinery",
    "chemicals_materials",
    "consumer_goods",
    "other",
]
RISK_TYPE_CODES = [
    "patent_infringement",
    "trademark",
    "copyright",
    "trade_secret",
    "section_337",
    "customs",
    "sep_frand",
    "validity",
    "policy",
]
JURISDICTION_CODES = ["US", "DE", "GB", "JP", "KR", "IN", "UPC", "EU", "EP", "WO", "CN"]
# Fixed renderings the reports rely on (REPORTS.md §3 idea 8 and the data brief).
REQUIRED_TERMS = {
    "general_exclusion_order": ("普遍排除令", "general exclusion order"),
    "limited_exclusion_order": ("有限排除令", "limited exclusion order"),
    "cease_and_desist_order": ("禁止令/停止令", "cease and desist order"),
    "respondent": ("列名被告/被申请人", "respondent"),
    "complainant": ("申请人", "complainant"),
    "section_337_investigation": ("337调查", "Section 337 investigation"),
    "temporary_restraining_order": ("临时限制令", "temporary restraining order"),
    "standard_essential_patent": ("标准必要专利", "standard-essential patent"),
    "anti_suit_injunction": ("禁诉令", "anti-suit injunction"),
    "defendant_instances": ("家次", "defendant instances"),
    "newly_filed_cases": ("新立案", "newly filed cases"),
    "inter_partes_review": ("双方复审", "inter partes review"),
    "initial_determination": ("初裁", "initial determination"),
    "final_determination": ("终裁", "final determination"),
    "settlement": ("和解", "settlement"),
    "default_judgment": ("缺席判决", "default judgment"),
    "forum_usitc": ("美国国际贸易委员会", "U.S. International Trade Commission"),
}
# Special routes named in the data brief; their absence means the file lost required content.
REQUIRED_ITEMS = {
    "US": [
        "us_337_scope",
        "us_337_remedies",
        "us_337_presidential_review",
        "us_clock_337",
        "us_ptab_ipr",
        "us_ptab_pgr",
        "us_risk_schedule_a",
    ],
    "DE": ["de_bifurcation_injunction_gap", "de_key_courts", "de_sep_frand"],
    "GB": ["gb_frand_global_rate", "gb_interim_licence"],
    "JP": ["jp_ip_high_court"],
    "KR": ["kr_ktc_unfair_trade"],
    "IN": ["in_sep_pro_tem_deposits"],
    "UPC": ["upc_front_loaded_procedure", "upc_timeline_first_instance", "upc_long_arm"],
}
CJK = re.compile(r"[\u3400-\u9fff]")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = _load(LEGAL_ENV_DIR / "schema.json")
    return schema


def _country(code: str) -> dict[str, Any]:
    data: dict[str, Any] = _load(LEGAL_ENV_DIR / f"{code}.json")
    return data


def _items(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for section in data["sections"] for item in section["items"]]


# --- a small validator for the JSON Schema subset schema.json uses --------------------------------
# Used when jsonschema is not installed, and always exercised so it cannot rot. Unknown keywords raise
# instead of being skipped, so a schema edit can never silently weaken validation.
_ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description"}
_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
}


def structural_errors(instance: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "$") -> list[str]:
    errors: list[str] = []
    for keyword in schema:
        if keyword not in _ANNOTATIONS | {
            "$ref",
            "type",
            "enum",
            "required",
            "properties",
            "additionalProperties",
            "items",
            "minItems",
            "minLength",
            "pattern",
        }:
            raise ValueError(f"unsupported schema keyword {keyword!r} at {path}")
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref!r}")
        errors += structural_errors(instance, root["$defs"][ref.removeprefix("#/$defs/")], root, path)
    if "type" in schema:
        expected = _TYPES[schema["type"]]
        if not isinstance(instance, expected) or (schema["type"] != "boolean" and isinstance(instance, bool)):
            return [*errors, f"{path}: expected {schema['type']}, got {type(instance).__name__}"]
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{path}: {instance!r} not in {schema['enum']}")
    if isinstance(instance, dict):
        for key in schema.get("required", []):
            if key not in instance:
                errors.append(f"{path}: missing required property {key!r}")
        properties = schema.get("properties", {})
        for key, value in instance.items():
            if key in properties:
                errors += structural_errors(value, properties[key], root, f"{path}.{key}")
            elif schema.get("additionalProperties", True) is False:
                errors.append(f"{path}: unexpected property {key!r}")
    if isinstance(instance, list):
        if len(instance) < schema.get("minItems", 0):
            errors.append(f"{path}: fewer than {schema['minItems']} items")
        if "items" in schema:
            for i, value in enumerate(instance):
                errors += structural_errors(value, schema["items"], root, f"{path}[{i}]")
    if isinstance(instance, str):
        if len(instance) < schema.get("minLength", 0):
            errors.append(f"{path}: shorter than {schema['minLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            errors.append(f"{path}: {instance!r} does not match {schema['pattern']!r}")
    return errors


def schema_errors(instance: Any, schema: dict[str, Any]) -> list[str]:
    """Errors from jsonschema when it is installed, plus the structural validator's errors."""
    errors = structural_errors(instance, schema, schema)
    if importlib.util.find_spec("jsonschema") is not None:
        validator_cls: Any = importlib.import_module("jsonschema").Draft202012Validator
        validator_cls.check_schema(schema)
        errors += [f"jsonschema: {e.message}" for e in validator_cls(schema).iter_errors(instance)]
    return errors


# --- country files --------------------------------------------------------------------------------
def test_every_required_jurisdiction_has_a_file() -> None:
    present = {p.stem for p in LEGAL_ENV_DIR.glob("*.json")} - {"schema"}
    assert present == set(COUNTRIES)
    for code in COUNTRIES:
        assert _country(code)["code"] == code


@pytest.mark.parametrize("code", COUNTRIES)
def test_country_file_matches_schema(code: str) -> None:
    assert schema_errors(_country(code), _schema()) == []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["sections"][0]["items"][0].__setitem__("sources", []), "fewer than 1 items"),
        (
            lambda d: d["sections"][0]["items"][0]["sources"][0].__setitem__("url", "www.example.com/x"),
            "does not match",
        ),
        (lambda d: d["sections"][1]["items"][0].pop("en"), "missing required property 'en'"),
        (lambda d: d["sections"][2]["items"][0].__setitem__("zh", ""), "shorter than 1"),
        (lambda d: d["sections"][0].__setitem__("id", "gossip"), "not in"),
        (lambda d: d.__setitem__("extra", 1), "unexpected property 'extra'"),
        (lambda d: d.__setitem__("sections", {}), "expected array"),
    ],
)
def test_validator_rejects_broken_files(mutate: Any, expected: str) -> None:
    broken = copy.deepcopy(_country("US"))
    mutate(broken)
    errors = schema_errors(broken, _schema())
    assert any(expected in e for e in errors), errors


def test_structural_validator_refuses_unknown_keywords() -> None:
    with pytest.raises(ValueError, match="unsupported schema keyword"):
        structural_errors("x", {"maxLength": 3}, {})


@pytest.mark.parametrize("code", COUNTRIES)
def test_sections_follow_report_template(code: str) -> None:
    data = _country(code)
    assert [s["id"] for s in data["sections"]] == SECTIONS
    for section in data["sections"]:
        assert section["title"]["zh"] and section["title"]["en"]
    assert 20 <= len(_items(data)) <= 60


@pytest.mark.parametrize("code", COUNTRIES)
def test_every_item_is_bilingual_and_sourced(code: str) -> None:
    for item in _items(_country(code)):
        where = f"{code}/{item['id']}"
        assert CJK.search(item["zh"]), f"{where}: zh text has no Chinese"
        assert item["en"].strip() and not CJK.search(item["en"]), f"{where}: en text missing or not English"
        assert item["sources"], f"{where}: no source"
        for source in item["sources"]:
            url = urlparse(source["url"])
            assert url.scheme in {"http", "https"} and url.netloc, f"{where}: bad URL {source['url']!r}"
            assert source["title"].strip(), f"{where}: source without title"


def test_item_ids_are_unique_and_prefixed() -> None:
    seen: set[str] = set()
    for code in COUNTRIES:
        prefixes = ("eu_", "upc_") if code == "UPC" else (f"{code.lower()}_",)
        for item in _items(_country(code)):
            assert item["id"].startswith(prefixes), item["id"]
            assert item["id"] not in seen, f"duplicate item id {item['id']}"
            seen.add(item["id"])


@pytest.mark.parametrize("code", COUNTRIES)
def test_reviewed_date_is_real_and_not_in_the_future(code: str) -> None:
    data = _country(code)
    reviewed = dt.date.fromisoformat(data["reviewed"])
    assert dt.date(2025, 1, 1) <= reviewed <= dt.date.today()
    assert data["reviewer"].strip()


@pytest.mark.parametrize("code", COUNTRIES)
def test_special_routes_from_the_brief_are_covered(code: str) -> None:
    ids = {item["id"] for item in _items(_country(code))}
    assert set(REQUIRED_ITEMS[code]) <= ids


def test_section_337_clock_states_the_statutory_periods() -> None:
    clock = next(i for i in _items(_country("US")) if i["id"] == "us_clock_337")
    for period in ("30 days", "20 days", "45 days", "60 days"):
        assert period in clock["en"]
    for period in ("30天", "20天", "45天", "60天"):
        assert period in clock["zh"]


# --- glossary -------------------------------------------------------------------------------------
def _terms() -> list[dict[str, Any]]:
    terms: list[dict[str, Any]] = _load(GLOSSARY_PATH)["terms"]
    return terms


def test_glossary_keys_unique_and_snake_case() -> None:
    keys = [t["key"] for t in _terms()]
    assert len(keys) >= 120
    assert len(keys) == len(set(keys))
    assert all(SNAKE.match(k) for k in keys), [k for k in keys if not SNAKE.match(k)]


def test_glossary_entries_are_bilingual() -> None:
    for term in _terms():
        assert set(term) <= {"key", "zh", "en", "category", "code", "note"}, term
        assert CJK.search(term["zh"]), term["key"]
        assert term["en"].strip() and not CJK.search(term["en"]), term["key"]
        assert term.get("category", "x").strip()


def test_glossary_has_the_fixed_report_terms() -> None:
    by_key = {t["key"]: t for t in _terms()}
    for key, (zh, en) in REQUIRED_TERMS.items():
        assert key in by_key, key
        assert by_key[key]["zh"] == zh
        assert by_key[key]["en"].startswith(en)


@pytest.mark.parametrize(
    ("category", "codes"),
    [("industry", INDUSTRY_CODES), ("risk_type", RISK_TYPE_CODES), ("jurisdiction", JURISDICTION_CODES)],
)
def test_glossary_covers_taxonomy(category: str, codes: list[str]) -> None:
    present = {t["code"] for t in _terms() if t.get("category") == category}
    assert set(codes) <= present, set(codes) - present
