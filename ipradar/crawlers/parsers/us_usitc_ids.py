"""USITC IDS whole-database dump (``investigations.json``): Section 337 rows, one per phase, diffed day to day.

Verified (SOURCES.md §2a): root ``{count, date, data}``, the Title Case and legacy snake_case key sets, status and type
objects ``{"Name": …}``, month-first dates or ``{"date": ISO}``. Inferred: the keys inside ``Participants``.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any, TypedDict
from urllib.parse import quote

import pycountry

from ..errors import ParseError
from .feed import DocDict, Party

SOURCE_ID = "us_usitc_ids"
DUMP_URL = "https://ids.usitc.gov/investigations.json"
CASE_URL = "https://ids.usitc.gov/case/{case_id}/investigation/{investigation_id}"

# Title Case (current) and snake_case (legacy) keys → one internal name; keys read by other tools but not by us
# are listed as known so that only genuinely new keys raise a health warning.
_KEYS = {
    "Investigation ID": "investigation_id", "Case ID": "case_id", "Investigation Number": "number",
    "Full Title": "title", "Topic": "topic", "Product Group Code Description": "product", "Phase Number": "phase_no",
    "Investigation Status": "status", "Investigation Type": "type", "Docket Number": "docket",
    "Start Date": "start_date", "Investigation End Date": "end_date", "Staff": "staff", "Participants": "participants",
    "Countries": "countries", "Investigation Phase": "phase", "Determination Date": "determination_date",
    "HTS Number & Description": "hts", "HTS Number": "hts", "Initiating Document Received Date": "complaint_date",
    "Vote Date": "vote_date",
    "investigation_id": "investigation_id", "official_investigation_number": "number", "phase_title": "phase",
    "investigation_type_name": "type", "investigation_status_name": "status", "investigation_title": "title",
    "product_name": "product", "countries": "countries", "investigation_diary": "diary",
    "federal_register_notices": "fr_notices", "docket_number": "docket",
}
_KNOWN_UNUSED = {
    "Sub-investigation", "Commerce Orders", "Is Active?", "Is Operational?", "Is Recurring?", "Is Split Final?",
    "Has Internal Remand?", "Investigation Categories", "Hearing Witnesses", "Investigation Documents",
    "Intellectual Property", "Mini Schedule", "Category Basket", "Case Manager", "ITC Qs Issued", "ITC Qs Returned",
    "Staff Report Due to Commission", "Party Comments Due Date", "Hearing/Conf Start Date", "Hearing/Conf End Date",
    "Commerce Initiation Date", "Commerce Final Determination Date", "Commerce Preliminary AD Determination Date",
    "Commerce Final AD Determination Date", "Commerce Preliminary CVD Determination Date",
}
_DATES = ("start_date", "end_date", "determination_date", "complaint_date", "vote_date")
# Investigation types: 337 rows are "Unfair Imports" in IDS ("Sec 337" in EDIS); the rest are dropped.
_TYPES_337 = {"unfair imports", "sec 337", "section 337"}
_TYPES_OTHER = {"import injury", "factfinding", "rule making", "tariff affairs and trade agreements",
                "byrd amendment", "antidumping", "countervailing duty", "safeguard", "general factfinding"}
_STATUSES = {"active", "complete", "completed", "terminated", "pre-institution", "suspended", "inactive",
             "withdrawn", "not instituted"}
_PHASES = {"violation", "remand", "bond", "enforcement", "modification", "rescission", "advisory", "consolidated",
           "modification and enforcement", "enforcement and advisory", "remand (violation)", "pre-institution"}
_ROLES = {"complainant": "plaintiff", "respondent": "defendant", "intervenor": "other", "ouii": "other",
          "commission investigative staff": "other"}
_PARTICIPANT_KEYS = {"Participant Name": "name", "Name": "name", "Participant Role": "role", "Role": "role",
                     "Participant Type": "role", "City": "city", "State": "region", "State/Province": "region",
                     "Country": "country"}
_DIARY = {"complaint filed": "complaint_date", "complaint received": "complaint_date", "institution": "start_date",
          "notice of institution": "start_date", "final determination": "determination_date",
          "commission final determination": "determination_date"}
_NUMBER = re.compile(r"^337-(?:TA-)?(\d{3,4})$")
_ALIASES = {"china": "CN", "people's republic of china": "CN", "hong kong": "HK", "hong kong sar": "HK",
            "macau": "MO", "macao": "MO", "taiwan": "TW", "korea": "KR", "south korea": "KR",
            "republic of korea": "KR", "vietnam": "VN", "england": "GB", "uk": "GB", "united kingdom": "GB",
            "united states": "US", "usa": "US", "russia": "RU", "turkey": "TR", "iran": "IR"}


class InvestigationRow(TypedDict):
    number: str  # "337-TA-1297", or "337-3850" for a complaint docket before institution
    phase: str
    title: str
    type: str
    status: str | None
    docket: str | None  # "337-3850" (the complaint's docket number, kept after institution)
    start_date: str | None
    end_date: str | None
    determination_date: str | None
    complaint_date: str | None
    vote_date: str | None
    investigation_id: str | None
    case_id: str | None
    product: str | None
    participants: list[dict[str, str | None]]
    countries: list[str]
    staff: list[str]
    hts: list[str]
    fr_notices: list[Any]
    diary: list[Any]
    warnings: list[str]


def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 for a country name as USITC and the Federal Register write it; None when unknown."""
    if not name or not name.strip():
        return None
    name = re.sub(r"(?i)^the\s+", "", name.strip())
    key = name.rstrip(".").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        return str(pycountry.countries.lookup(name.strip()).alpha_2)
    except LookupError:
        return None


def _name(value: Any) -> str | None:
    """Categorical values come as strings or as ``{"Name": …, "ID": …}`` objects."""
    if isinstance(value, dict):
        value = value.get("Name", value.get("name", value.get("country_name")))
    if value is None:
        return None
    return str(value).strip() or None


def _date(value: Any, field: str, where: str) -> str | None:
    """Month-first ``MM-DD-YYYY`` or ``{"date": ISO}`` (PHP DateTime style) → ISO date; anything else is an error."""
    if value in (None, "") or (isinstance(value, dict) and value.get("isNa")):
        return None
    raw = value.get("date") if isinstance(value, dict) else value
    for fmt in ("%m-%d-%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(str(raw).strip()[:26], fmt).date().isoformat()
        except ValueError:
            continue
    raise ParseError(f"unrecognised date {value!r} in {field!r} of {where}")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value in (None, "") else [value]


def _participant(raw: Any, unknown: set[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {"name": None, "role": None, "city": None, "region": None, "country": None}
    for key, value in (raw.items() if isinstance(raw, dict) else [("Name", raw)]):
        if key in _PARTICIPANT_KEYS:
            out[_PARTICIPANT_KEYS[key]] = _name(value)
        else:
            unknown.add(f"unknown key 'Participants.{key}'")
    return out


def _row(raw: dict[str, Any], index: int, unknown: set[str]) -> InvestigationRow | None:
    """One dump record → row, or None for a non-337 record (AD/CVD, factfinding, …)."""
    f: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _KEYS:
            f[_KEYS[key]] = value
        elif key not in _KNOWN_UNUSED:
            unknown.add(f"unknown key {key!r}")
    number = _name(f.get("number")) or ""
    kind = _name(f.get("type")) or ""
    if kind.lower() not in _TYPES_337 | _TYPES_OTHER:
        unknown.add(f"unknown investigation type {kind!r}")
    if kind.lower() in _TYPES_OTHER or not number.startswith("337-"):
        return None
    match = _NUMBER.match(number)
    if match is None:
        raise ParseError(f"record {index}: unrecognised Section 337 number {number!r}")
    notes = [] if kind.lower() in _TYPES_337 else [f"unknown investigation type {kind!r} for a 337- number"]
    digits = match.group(1)
    status = _name(f.get("status"))
    pre = "TA-" not in number
    phase = _name(f.get("phase")) or ("Pre-institution" if pre else "")
    if not phase:
        notes.append("no investigation phase; row kept as 'Violation'")
        phase = "Violation"
    where = f"{number} ({phase})"
    if status and status.lower() not in _STATUSES:
        notes.append(f"unknown status {status!r}")
    if phase.lower() not in _PHASES:
        notes.append(f"unknown phase {phase!r}")
    docket = _name(f.get("docket"))
    docket = f"337-{docket.removeprefix('337-').removeprefix('DN').strip()}" if docket else None
    parts = [_participant(p, unknown) for p in _list(f.get("participants"))]
    for p in parts:
        if p["role"] and p["role"].lower() not in _ROLES:
            notes.append(f"unknown participant role {p['role']!r}")
    countries = [c for c in (_name(x) for x in _list(f.get("countries"))) if c]
    notes += [f"unknown country {c!r}" for c in [*countries, *(p["country"] for p in parts)]
              if c and not country_code(c)]
    dates = {k: _date(f.get(k), k, where) for k in _DATES}
    diary = [{"type": _name(d.get("diary_type_name")), "date": _date(d.get("diary_date"), "diary_date", where)}
             for d in _list(f.get("diary")) if isinstance(d, dict)]
    for d in diary:  # legacy rows carry their key dates only in the diary
        field = _DIARY.get((d["type"] or "").lower())
        if field and not dates[field]:
            dates[field] = d["date"]
    return InvestigationRow(
        number=number, phase=phase, title=(_name(f.get("title")) or _name(f.get("topic")) or "").strip(),
        type=kind, status=status, docket=f"337-{digits}" if pre else docket,
        start_date=dates["start_date"], end_date=dates["end_date"],
        determination_date=dates["determination_date"], complaint_date=dates["complaint_date"],
        vote_date=dates["vote_date"], investigation_id=_name(f.get("investigation_id")),
        case_id=_name(f.get("case_id")), product=_name(f.get("product")), participants=parts,
        countries=countries,
        staff=[s for s in (_staff(x) for x in _list(f.get("staff"))) if s],
        hts=[str(_name(x)) for x in _list(f.get("hts")) if _name(x)],
        fr_notices=_list(f.get("fr_notices")), diary=diary, warnings=notes)


def _staff(raw: Any) -> str | None:
    if isinstance(raw, dict):
        first, last = raw.get("Staff First Name") or "", raw.get("Staff Last Name") or raw.get("Name") or ""
        role = raw.get("Staff Role") or raw.get("Role")
        text = f"{first} {last}".strip()
        return f"{text} ({_name(role)})" if role and text else text or None
    return _name(raw)


def parse_dump(body: str | bytes, url: str) -> tuple[dict[str, Any], list[InvestigationRow]]:
    """The dump → (snapshot meta, Section 337 rows). Non-337 records are counted in meta, not returned."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ParseError(f"investigations.json is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise ParseError("no 'data' list at the root of investigations.json")
    unknown: set[str] = set()
    rows = []
    for i, raw in enumerate(data["data"]):
        if not isinstance(raw, dict):
            raise ParseError(f"record {i} is not an object")
        row = _row(raw, i, unknown)
        if row is not None:
            rows.append(row)
    warnings = sorted(unknown)
    if data.get("count") is not None and data["count"] != len(data["data"]):
        warnings.append(f"count {data['count']} but {len(data['data'])} records")
    keys = [(r["number"], r["phase"]) for r in rows]
    warnings += [f"duplicate row {k}" for k in sorted(set(keys)) if keys.count(k) > 1]
    meta = {"url": url, "snapshot_date": _date(data.get("date"), "date", "root"), "records": len(data["data"]),
            "rows_337": len(rows), "ignored": len(data["data"]) - len(rows), "warnings": warnings}
    return meta, rows


def diff_snapshots(old_rows: list[InvestigationRow], new_rows: list[InvestigationRow]) -> dict[str, Any]:
    """Rows new, changed (with the changed field names) and removed, keyed by (number, phase)."""
    old = {(r["number"], r["phase"]): r for r in old_rows}
    new = {(r["number"], r["phase"]): r for r in new_rows}
    changed = []
    for key in sorted(old.keys() & new.keys()):
        fields = sorted(k for k in new[key] if k != "warnings" and old[key].get(k) != new[key].get(k))
        if fields:
            changed.append((old[key], new[key], fields))
    return {"new": [new[k] for k in sorted(new.keys() - old.keys())], "changed": changed,
            "removed": [old[k] for k in sorted(old.keys() - new.keys())]}


def _party(p: dict[str, str | None]) -> Party:
    role = (p["role"] or "").lower()
    return Party(name=p["name"] or "", role=_ROLES.get(role, "other"), role_raw=p["role"], city=p["city"],
                 region=p["region"], country=country_code(p["country"]))


def rows_to_documents(rows: list[InvestigationRow], snapshot_date: str | None = None) -> list[DocDict]:
    """One ``ids_investigation`` DocDict per Section 337 row (investigation phase)."""
    docs = []
    for r in rows:
        if r["case_id"] and r["investigation_id"]:
            url = CASE_URL.format(case_id=r["case_id"], investigation_id=r["investigation_id"])
        else:  # IDS ids unknown: the dump URL with a fragment naming the row is stable and honest
            url = f"{DUMP_URL}#{quote(r['number'])}/{quote(r['phase'])}"
        parties = [_party(p) for p in r["participants"] if p["name"]]
        lines = [f"Section 337 {'complaint docket' if r['number'] == r['docket'] else 'investigation'} "
                 f"{r['number']} ({r['phase']}), status {r['status'] or 'unknown'}: {r['title']}"]
        for label, role in (("Complainants", "plaintiff"), ("Respondents", "defendant")):
            names = [p["name"] + (f" ({loc})" if (loc := ", ".join(x for x in (p["city"], p["region"], p["country"])
                                                                            if x)) else "")
                     for p in parties if p["role"] == role]
            if names:
                lines.append(f"{label}: " + "; ".join(names))
        if r["countries"]:
            lines.append("Countries: " + ", ".join(r["countries"]))
        numbers = [r["number"]] + ([r["docket"]] if r["docket"] and r["docket"] != r["number"] else [])
        extra = {k: r[k] for k in ("phase", "status", "type", "investigation_id", "case_id", "start_date", "end_date",
                                   "determination_date", "complaint_date", "vote_date", "product", "countries",
                                   "staff", "hts", "fr_notices", "diary")}
        extra.update(investigation_number=r["number"] if r["number"] != r["docket"] else None,
                     docket_number=r["docket"], snapshot_date=snapshot_date,
                     country_codes=sorted({c for c in map(country_code, r["countries"]) if c}))
        published = r["start_date"] or r["complaint_date"] or snapshot_date
        if published is None:
            raise ParseError(f"{r['number']} ({r['phase']}): no date to publish it under")
        docs.append(DocDict(source_id=SOURCE_ID, url=url, title=f"{r['number']} ({r['phase']}): {r['title']}",
                            text="\n".join(lines), lang="en", published=published, doc_type="ids_investigation",
                            case_numbers=numbers, parties=parties, extra=extra, warnings=list(r["warnings"])))
    return docs
