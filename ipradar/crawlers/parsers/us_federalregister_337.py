"""Federal Register API: USITC Section 337 notices (receipt of complaint, institution, reviews, orders, terminations).

Verified (SOURCES.md §2e, sample document 2025-05887): the document keys and ``raw_text_url``. Inferred: the list
wrapper ``{count, total_pages, next_page_url, results}``; the notice wording parsed below follows the ITC's fixed
phrasing ("complaint was filed … on behalf of", "(b) The respondents are …", "[Investigation No. 337-TA-…]").
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import pycountry

from ..errors import ParseError
from .feed import DocDict, Party
from .us_usitc_ids import country_code

SOURCE_ID = "us_federalregister_337"
ITC_SLUG = "international-trade-commission"
RAW_TEXT_URL = "https://www.federalregister.gov/documents/full_text/text/{y}/{m}/{d}/{number}.txt"
# Title wording → notice kind; first match wins, so specific wordings come before general ones.
NOTICE_KINDS = [
    (re.compile(r"receipt of complaint", re.I), "receipt_of_complaint"),
    (re.compile(r"(?:notice of )?institution of (?:an )?investigation", re.I), "institution"),
    (re.compile(r"issuance of an? (?:general|limited) exclusion order", re.I), "exclusion_order"),
    (re.compile(r"final determination|decision finding (?:a|no) violation", re.I), "final_determination"),
    (re.compile(r"advisory opinion|modification proceeding|rescission|enforcement proceeding", re.I), "other"),
    (re.compile(r"terminat(?:e|ion of) (?:the )?investigation", re.I), "termination"),
    (re.compile(r"review.{0,60}initial determination", re.I), "initial_determination_review"),
]
_REMEDIES = {"general exclusion order": "general_exclusion_order", "limited exclusion order": "limited_exclusion_order",
             "cease and desist order": "cease_and_desist_order"}
_BRACKET = re.compile(r"\[(?:Investigation Nos?\.\s*(?P<inv>337-TA-[\d/]+)(?:\s*\((?P<proc>[^)]+)\))?"
                      r"|Docket No\.\s*(?P<dn>\d+))\]")
_DATE = r"(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}"
_DATES = {"complaint_filed": rf"complaint was filed with the U\.S\. International Trade Commission on ({_DATE})",
          "complaint_filed_": rf"filed on behalf of .{{3,400}}? on ({_DATE})",
          "instituted": rf"(?:instituted this (?:investigation|proceeding) on|Commission, on) ({_DATE})",
          "instituted_": rf"On ({_DATE}), the Commission instituted",
          "vote": rf"vote for this determination took place on ({_DATE})", "issued": rf"Issued: ({_DATE})"}
_US_STATES = {s.name.lower(): s.code[3:] for s in pycountry.subdivisions.get(country_code="US")}  # type: ignore[no-untyped-call]
_REGIONS = {"guangdong", "jiangsu", "zhejiang", "fujian", "shandong", "jiangxi", "anhui", "hubei", "hunan", "henan",
            "hebei", "sichuan", "liaoning", "shaanxi", "guangxi", "ontario", "british columbia", "quebec",
            "gyeonggi-do", "new territories"}
_SUFFIX = re.compile(r"^(?:Inc|LLC|Ltd|Limited|Co|Corp|LLP|L\.P|plc|S\.A|AG|GmbH|N\.V|B\.V|A/S|AB|Co\. Ltd)\.?$")


def _us_state(text: str) -> str | None:
    """"CA", "CA 94043", "California" or "Calif." → postal code; None if not a US state."""
    word = re.sub(r"\s+\d{5}(?:-\d{4})?$", "", text.strip()).rstrip(".").lower()
    if len(word) == 2 and word.upper() in _US_STATES.values():
        return word.upper()
    return _US_STATES.get(word)


def parse_address(text: str) -> dict[str, str | None]:
    """"Name, [street,] City, [Region,] Country|ST 12345" → name, address, city, region, country (ISO)."""
    segs: list[str] = []
    for piece in (p.strip() for p in re.split(r",\s*", text.strip().rstrip(".;"))):
        if segs and _SUFFIX.match(piece):
            segs[-1] = f"{segs[-1]}, {piece}"
        elif piece:
            segs.append(piece)
    region = country = city = None
    loc_start = len(segs)
    if len(segs) >= 2 and (state := _us_state(segs[-1])):
        country, region, loc_start = "US", state, len(segs) - 2
    elif len(segs) >= 2 and (code := country_code(re.sub(r"\s*\d{4,6}$", "", segs[-1]))):
        country, loc_start = code, len(segs) - 1
        if loc_start >= 2 and segs[loc_start - 1].lower() in _REGIONS:
            region, loc_start = segs[loc_start - 1], loc_start - 1
        loc_start -= 1 if loc_start >= 2 else 0
    if loc_start < len(segs) and country:
        city = re.sub(r"\s*\d{4,6}$", "", segs[loc_start]) if loc_start < len(segs) - 1 else None
    street = next((i for i in range(1, loc_start) if re.match(r"\d|No\.|Room|Suite|Unit|Floor|Building", segs[i])),
                  loc_start)
    name_end = max(1, street)
    return {"name": ", ".join(segs[:name_end]), "address": ", ".join(segs[name_end:]) or None, "city": city,
            "region": region, "country": country}


def _paragraphs(raw: str) -> list[str]:
    """GPO text: a paragraph starts on an indented line or after a blank; unindented lines continue it (wrapping)."""
    paras: list[str] = []
    new = True
    for line in raw.replace("\r", "").split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith(("[[Page", "BILLING CODE", "[FR Doc")) or set(stripped) <= {"-", "="}:
            new = True
        elif new or line[:1] in " \t":
            paras.append(stripped)
            new = False
        else:
            paras[-1] += " " + stripped
    return paras


def _of_list(text: str) -> list[dict[str, str | None]]:
    """"A of City, ST; B ("B") of Country; and C of City, Country" → parsed parties."""
    out = []
    for item in re.split(r";\s*(?:and\s+)?|,?\s+and\s+(?=[^;]*?\bof\b)", text):
        item = re.sub(r"\s*\((?:collectively|together)?,?\s*[“\"`'][^)]*\)", "", item).strip().rstrip(".")
        name, sep, place = item.partition(" of ")
        if item:
            out.append(parse_address(f"{name}, {place}") | {"name": name} if sep else parse_address(item))
    return out


def _section(paras: list[str], start: str, stop: str) -> list[str]:
    idx = [i for i, p in enumerate(paras) if re.match(start, p)]
    if not idx:
        return []
    end = next((j for j in range(idx[0] + 1, len(paras)) if re.match(stop, paras[j])), len(paras))
    return paras[idx[0] + 1:end]


def _parties(text: str, paras: list[str]) -> tuple[list[dict[str, str | None]], list[dict[str, str | None]]]:
    """Complainants and respondents: the service list of a notice of institution, else the narrative."""
    comp = [parse_address(p) for p in _section(paras, r"\(a\) The complainants? (?:is|are)", r"\(b\)")]
    resp = [parse_address(p) for p in _section(paras, r"\(b\) The respondents? (?:is|are)", r"\(c\)")]
    if not comp and (m := re.search(r"(?:on behalf of|complaint filed by) (.+?)(?: on " + _DATE + r"|\.\s+(?=[A-Z]))",
                                    text)):
        comp = _of_list(m.group(1))
    if not resp and (m := re.search(r"(?:names?|named) as (?:the )?respondents?:? (.+?)\.(?: [A-Z]|$)", text)):
        resp = _of_list(m.group(1))
    return comp, resp


def parse_list(body: str | bytes, url: str) -> tuple[list[dict[str, Any]], str | None]:
    """One page of the documents.json search → (entries, next page URL). Skipped entries carry ``skip_reason``."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ParseError(f"Federal Register list is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("results", []), list):
        raise ParseError("no 'results' list in the Federal Register answer")
    entries = []
    for i, doc in enumerate(data.get("results", [])):
        missing = [k for k in ("document_number", "title", "publication_date") if not doc.get(k)]
        if missing:
            raise ParseError(f"result {i} lacks {', '.join(missing)}")
        y, m, d = doc["publication_date"].split("-")
        slugs = [a.get("slug") for a in doc.get("agencies") or []]
        blob = " ".join([doc["title"], doc.get("abstract") or "", *(doc.get("docket_ids") or [])])
        reason = (None if ITC_SLUG in slugs else f"agency {slugs} is not the USITC") or (
            None if re.search(r"\b337\b|337-TA|receipt of complaint", blob, re.I) else "not a Section 337 notice")
        entries.append({**{k: doc.get(k) for k in ("document_number", "title", "type", "abstract", "publication_date",
                                                   "citation", "html_url", "pdf_url", "docket_ids")},
                        "agencies": slugs, "skip_reason": reason,
                        "raw_text_url": doc.get("raw_text_url") or RAW_TEXT_URL.format(
                            y=y, m=m, d=d, number=doc["document_number"])})
    return entries, data.get("next_page_url") or None


def parse_notice(entry: dict[str, Any], raw_text: str) -> DocDict:
    """One notice (list entry + its raw text) → ``fr_notice`` DocDict with parties, numbers and dates."""
    head = _BRACKET.search(raw_text)
    if head is None:
        raise ParseError(f"{entry.get('document_number')}: no '[Investigation No. 337-TA-…]' or '[Docket No. …]' line")
    notes: list[str] = []
    fr_doc = re.search(r"\[FR Doc(?:\.| No:)\s*([\d-]+)", raw_text)
    if fr_doc and fr_doc.group(1) != entry["document_number"]:
        notes.append(f"raw text is FR Doc {fr_doc.group(1)}, list entry {entry['document_number']}")
    title = " ".join(entry["title"].split())
    kind = next((k for pattern, k in NOTICE_KINDS if pattern.search(title)), None)
    if kind is None:
        notes.append(f"title matches no notice kind: {title!r}")
        kind = "other"
    paras = _paragraphs(raw_text[head.end():])
    text = "\n".join(paras)
    flat = " ".join(text.split())
    numbers = [f"337-TA-{n}" for n in (head["inv"] or "")[7:].split("/") if n]
    docket = f"337-{head['dn']}" if head["dn"] else None
    if m := re.search(r"\bDN ?(\d{4})\b|Docket No\. (\d{4})", flat):
        docket = docket or f"337-{m.group(1) or m.group(2)}"
    dates: dict[str, str] = {}
    for key, pattern in _DATES.items():
        if (found := re.search(pattern, flat)) and key.rstrip("_") not in dates:
            dates[key.rstrip("_")] = datetime.strptime(found.group(1), "%B %d, %Y").date().isoformat()
    comp, resp = _parties(flat, paras)
    if kind in {"institution", "receipt_of_complaint"} and not resp:
        raise ParseError(f"{entry['document_number']}: no respondent list found ({kind} notice)")
    parties = [Party(name=p["name"] or "", role=role, role_raw=raw, city=p["city"], region=p["region"],
                     country=p["country"])
               for group, role, raw in ((comp, "plaintiff", "complainant"), (resp, "defendant", "respondent"))
               for p in group]
    extra = {"document_number": entry["document_number"], "citation": entry.get("citation"), "notice_kind": kind,
             "investigation_number": numbers[0] if numbers else None, "investigation_numbers": numbers,
             "proceeding": head["proc"], "docket_number": docket, "complainants": comp, "respondents": resp,
             "dates": dates, "remedies": [v for k, v in _REMEDIES.items() if k in title.lower()
                                          and kind in {"exclusion_order", "final_determination"}],
             "raw_text_url": entry.get("raw_text_url"), "pdf_url": entry.get("pdf_url")}
    return DocDict(source_id=SOURCE_ID, url=entry.get("html_url") or entry["raw_text_url"], title=title, text=text,
                   lang="en", published=entry["publication_date"], doc_type="fr_notice",
                   case_numbers=numbers + ([docket] if docket else []), parties=parties, extra=extra, warnings=notes)
