"""Parsers for CourtListener REST v4 ``/search/?type=r`` (dockets with party names) and ``/dockets/`` (Django filters).

Verified (SOURCES.md §1): v4 keys, cursor paging via ``next``. Inferred: NOS strings lead with the FJC code ("830 Patent").
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..errors import ParseError
from .feed import DocDict, Party

SOURCE_ID = "us_courtlistener_dockets"
SITE = "https://www.courtlistener.com"
# FJC nature-of-suit code -> (label, ip_type). 835 is Hatch-Waxman (ANDA) patent litigation; 880 is the DTSA.
NATURE_OF_SUIT = {
    "820": ("Copyright", "copyright"),
    "830": ("Patent", "patent"),
    "835": ("Patent - Abbreviated New Drug Application (ANDA)", "patent"),
    "840": ("Trademark", "trademark"),
    "880": ("Defend Trade Secrets Act of 2016", "trade_secret"),
}
# Label-only spellings seen in RECAP records (IA docket XML prefixes "Property Rights: "), normalised by _label_key.
_NOS_LABELS = {"copyright": "820", "patent": "830", "patent abbreviated new drug application anda": "835",
               "trademark": "840", "defend trade secrets act of 2016": "880"}
_NOS_CODE = re.compile(r"^\s*(\d{3})\b\s*(.*)$")
# 18 U.S.C. §1836 is the DTSA civil action; clerks file such suits under 820/830/840 alike, so the cause decides.
_DTSA_CAUSE = re.compile(r"^\s*18\s*:\s*1836\b")
_VERSUS = re.compile(r"\s+vs?\.\s+", re.I)
_ET_AL = re.compile(r",?\s+et\.?\s+al\.?\s*$", re.I)
_SEARCH_KEYS = ("caseName", "docketNumber", "court_id", "docket_absolute_url", "suitNature", "dateFiled", "party")
_DOCKET_KEYS = ("case_name", "docket_number", "court_id", "absolute_url", "nature_of_suit", "date_filed",
                "date_modified")


def cursor_of(next_url: str) -> str | None:
    """The ``cursor`` parameter of a ``next`` link, or None when it has none."""
    values = parse_qs(urlsplit(next_url).query).get("cursor")
    return values[0] if values else None


def nature_of_suit(raw: str | None) -> tuple[str | None, str | None, str | None, list[str]]:
    """(code, label, ip_type, warnings) for a ``suitNature``/``nature_of_suit`` string; unknown values warn."""
    text = (raw or "").strip()
    if not text:
        return None, None, None, ["nature of suit is empty"]
    match = _NOS_CODE.match(text)
    if match:
        code, rest = match.groups()
    else:
        code, rest = _NOS_LABELS.get(_label_key(text)), text
    if code not in NATURE_OF_SUIT:
        return code, rest or None, None, [f"unknown nature of suit {text!r}"]
    label, ip_type = NATURE_OF_SUIT[code]
    return code, label, ip_type, []


def parse_search(body: str, url: str) -> tuple[list[DocDict], str | None]:
    """Documents of one ``/search/?type=r`` page and the ``next`` link (a cursor URL) or None."""
    data = _load(body)
    docs = []
    for i, rec in enumerate(data["results"]):
        _require(rec, _SEARCH_KEYS, f"search result {i}")
        names = [str(p) for p in rec["party"] or []]
        fallback = (rec.get("meta") or {}).get("date_created")
        docs.append(_doc(
            case_name=rec["caseName"], number=rec["docketNumber"], court_id=rec["court_id"],
            court_name=rec.get("court"), path=rec["docket_absolute_url"], nos_raw=rec["suitNature"],
            cause=rec.get("cause"), filed=rec["dateFiled"], terminated=rec.get("dateTerminated"),
            fallback_date=fallback, party_names=names,
            entries=[str(d.get("description") or d.get("short_description") or "")
                     for d in rec.get("recap_documents") or []],
            extra={"endpoint": "search", "docket_id": rec.get("docket_id"), "pacer_case_id": rec.get("pacer_case_id"),
                   "assigned_to": rec.get("assignedTo"), "jury_demand": rec.get("juryDemand")}))
    return docs, _next(data)


def parse_dockets(body: str, url: str) -> tuple[list[DocDict], str | None, str | None]:
    """Documents of one ``/dockets/`` page, the ``next`` cursor link, and the page's latest ``date_modified``."""
    data = _load(body)
    docs, stamps = [], []
    for i, rec in enumerate(data["results"]):
        _require(rec, _DOCKET_KEYS, f"docket {i}")
        stamps.append(_timestamp(rec["date_modified"], f"docket {i} date_modified"))
        docs.append(_doc(
            case_name=rec["case_name"], number=rec["docket_number"], court_id=rec["court_id"], court_name=None,
            path=rec["absolute_url"], nos_raw=rec["nature_of_suit"], cause=rec.get("cause"),
            filed=rec["date_filed"], terminated=rec.get("date_terminated"), fallback_date=rec.get("date_created"),
            party_names=None, entries=[],
            extra={"endpoint": "dockets", "docket_id": rec.get("id"), "pacer_case_id": rec.get("pacer_case_id"),
                   "assigned_to": rec.get("assigned_to_str") or None, "date_modified": rec["date_modified"],
                   "date_last_filing": rec.get("date_last_filing")}))
    latest = max(stamps, key=lambda pair: pair[0])[1] if stamps else None
    return docs, _next(data), latest


def _doc(*, case_name: str, number: str, court_id: str, court_name: str | None, path: str, nos_raw: str | None,
         cause: str | None, filed: str | None, terminated: str | None, fallback_date: str | None,
         party_names: list[str] | None, entries: list[str], extra: dict[str, Any]) -> DocDict:
    warnings: list[str] = []
    if not str(path).startswith("/docket/"):
        raise ParseError(f"{number}: docket URL {path!r} is not a /docket/… path")
    code, label, ip_type, nos_warnings = nature_of_suit(nos_raw)
    warnings += nos_warnings
    ip_types = sorted({t for t in (ip_type, "trade_secret" if cause and _DTSA_CAUSE.match(cause) else None) if t})
    published = _date(filed, f"{number} dateFiled") if filed else None
    if published is None:
        if not fallback_date:
            raise ParseError(f"{number}: no filing date and no creation date")
        published = _date(str(fallback_date)[:10], f"{number} date_created")
        warnings.append("filing date missing; published is CourtListener's record creation date")
    parties = _parties(case_name, party_names)
    lines = [f"{case_name.rstrip('.')}.", f"{court_name or court_id}, docket {number}."]
    lines += [f"Nature of suit: {nos_raw}." if nos_raw else "", f"Cause: {cause}." if cause else ""]
    lines += [f"Filed {filed}." if filed else "", f"Terminated {terminated}." if terminated else ""]
    lines += [" ".join(e.split()) for e in entries if e.strip()]
    return {
        "source_id": SOURCE_ID, "url": SITE + path, "title": case_name, "text": " ".join(x for x in lines if x),
        "lang": "en", "published": published, "doc_type": "docket", "case_numbers": [number],
        "parties": parties,
        "extra": {**extra, "court_id": court_id, "court": court_name, "jurisdiction": f"US-DCT:{court_id}",
                  "nature_of_suit_code": code, "nature_of_suit_label": label, "nature_of_suit_raw": nos_raw,
                  "cause": cause or None, "date_filed": filed, "date_terminated": terminated,
                  "ip_type": "trade_secret" if "trade_secret" in ip_types else ip_type, "ip_types": ip_types,
                  "parties_from": "party" if party_names is not None else "case_name"},
        "warnings": warnings,
    }


def _parties(case_name: str, names: list[str] | None) -> list[Party]:
    """Search results name parties without roles: a party found on one side of "X v. Y" takes that side's role."""
    sides = [_ET_AL.sub("", s).strip() for s in _VERSUS.split(case_name, maxsplit=1)]
    if names is None:  # the dockets endpoint has no parties: the caption's two sides stand in for them
        names = sides if len(sides) == 2 else []
    roles = ("plaintiff", "defendant")
    out: list[Party] = []
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        side = _side(name, sides) if len(sides) == 2 else None
        out.append({"name": name, "role": roles[side] if side is not None else "other", "role_raw": None,
                    "city": None, "region": None, "country": None})
    return out


def _side(name: str, sides: list[str]) -> int | None:
    words = _words(name)
    hits = [i for i, s in enumerate(sides) if words and f" {' '.join(words)} " in f" {' '.join(_words(s))} "]
    if len(hits) != 1:  # "BeiGene, Ltd." is on the "BeiGene USA, Inc." side, "Krista Perry" on the "Perry" side
        firsts = [_words(s)[:1] for s in sides]
        hits = [i for i, f in enumerate(firsts) if f and len(f[0]) >= 4 and f[0] in words]
    return hits[0] if len(hits) == 1 else None


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


def _label_key(text: str) -> str:
    return " ".join(_words(re.sub(r"(?i)^property rights:\s*", "", text)))


def _load(body: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ParseError("no 'results' list in the response")
    if "next" not in data:
        raise ParseError("no 'next' key in the response (not a paginated v4 list)")
    return data


def _next(data: dict[str, Any]) -> str | None:
    link = data["next"]
    if not link:
        return None
    # Deep pagination needs a cursor; a page= link means the ordering is not id/date_modified/date_created.
    if cursor_of(str(link)) is None:
        raise ParseError(f"next link {link!r} has no cursor= parameter")
    return str(link)


def _require(rec: Any, keys: tuple[str, ...], where: str) -> None:
    if not isinstance(rec, dict):
        raise ParseError(f"{where} is not an object")
    missing = [k for k in keys if k not in rec]
    if missing:
        raise ParseError(f"{where}: missing key(s) {', '.join(missing)}")


def _date(value: str, what: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise ParseError(f"unrecognised date {value!r} ({what})") from None


def _timestamp(value: Any, what: str) -> tuple[datetime, str]:
    try:
        stamp = datetime.fromisoformat(str(value))
    except ValueError:
        raise ParseError(f"unrecognised timestamp {value!r} ({what})") from None
    if stamp.tzinfo is None:
        raise ParseError(f"timestamp {value!r} has no UTC offset ({what})")
    return stamp, str(value)
