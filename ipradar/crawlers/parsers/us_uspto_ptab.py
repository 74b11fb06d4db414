"""Parsers for the USPTO Open Data Portal PTAB trials API: proceedings search and decisions search.

Verified (recorded April 2026 responses, SOURCES.md §3): the response keys; table values marked [V]. The rest inferred.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from ..errors import ParseError
from .feed import DocDict, Party

SOURCE_ID = "us_uspto_ptab"
API = "https://api.uspto.gov/api/v1/patent/trials"
TRIAL_TYPES = {"IPR": "inter partes review", "PGR": "post-grant review", "CBM": "covered business method review",
               "DER": "derivation proceeding"}
# trialMetaData.trialStatusCategory -> normalised status. [V] = seen in recorded payloads; others inferred.
STATUSES = {
    "Pending": "pending",  # [V] petition filed, no institution decision yet
    "Discretionary Denial": "discretionary_denial",  # [V]
    "Final Written Decision": "final_written_decision",  # [V]
    "Instituted": "instituted",
    "Institution Denied": "institution_denied",
    "Terminated": "terminated",
    "Settled": "settled",
}
# decisionData.trialOutcomeCategory -> normalised outcome ("Institution Denied" [V]; the rest inferred).
OUTCOMES = {
    "Institution Denied": "institution_denied",
    "Institution Granted": "instituted",
    "All Claims Unpatentable": "all_claims_unpatentable",
    "Some Claims Unpatentable": "some_claims_unpatentable",
    "No Claims Unpatentable": "no_claims_unpatentable",
}
# Stand-ins for a missing petition date, earliest event first.
_LATER_DATES = ("institutionDecisionDate", "latestDecisionDate", "terminationDate", "trialLastModifiedDate")
_TRIAL_NUMBER = re.compile(r"^(IPR|PGR|CBM|DER)\d{4}-\d{5}$")
_ET_AL = re.compile(r",?\s+et\.?\s+al\.?\s*$", re.I)


def parse_proceedings(body: str, url: str) -> tuple[list[DocDict], int]:
    """Documents of one proceedings-search page and the total hit count (for offset paging)."""
    data = _load(body, "patentTrialProceedingDataBag")
    return [_proceeding(rec, i) for i, rec in enumerate(data["patentTrialProceedingDataBag"])], data["count"]


def parse_decisions(body: str, url: str) -> list[DocDict]:
    """Documents of one decisions-search page (one per decision paper)."""
    data = _load(body, "patentTrialDocumentDataBag")
    return [_decision(rec, i) for i, rec in enumerate(data["patentTrialDocumentDataBag"])]


def _proceeding(rec: Any, i: int) -> DocDict:
    number, meta, owner, petitioner, warnings = _common(rec, f"proceeding {i}")
    published = meta.get("petitionFilingDate") or meta.get("accordedFilingDate")
    if not published:
        field = next((f for f in _LATER_DATES if meta.get(f)), "trialLastModifiedDate")
        published = meta.get(field)
        warnings.append(f"petitionFilingDate missing; published is {field}")
    title, text, parties, extra = _describe(number, meta, owner, petitioner)
    return _doc(number, f"{API}/proceedings/{number}", title, text, _date(published, number), "ptab_proceeding",
                parties, extra, warnings)


def _decision(rec: Any, i: int) -> DocDict:
    number, meta, owner, petitioner, warnings = _common(rec, f"decision {i}")
    document, decision = rec.get("documentData"), rec.get("decisionData")
    if not isinstance(document, dict) or not isinstance(decision, dict):
        raise ParseError(f"decision {i} ({number}): missing documentData or decisionData")
    outcome_raw = decision.get("trialOutcomeCategory")
    outcome = OUTCOMES.get(outcome_raw or "")
    if outcome_raw and outcome is None:
        warnings.append(f"unknown trialOutcomeCategory {outcome_raw!r}")
    issued = decision.get("decisionIssueDate") or document.get("documentFilingDate")
    title, text, parties, extra = _describe(number, meta, owner, petitioner)
    paper = document.get("documentTitleText") or document.get("documentTypeDescriptionText") or "Decision"
    ocr = " ".join(str(document.get("documentOCRText") or "").split())[:4000]
    extra.update({"outcome": outcome, "outcome_raw": outcome_raw, "decision_type": decision.get("decisionTypeCategory"),
                  "decision_date": issued, "statutes": list(decision.get("statuteAndRuleBag") or []),
                  "issues": list(decision.get("issueTypeBag") or []), "paper": paper,
                  "document_identifier": document.get("documentIdentifier")})
    ident = document.get("documentIdentifier")
    link = document.get("fileDownloadURI") or (f"{API}/decisions/{ident}" if ident else f"{API}/{number}/decisions")
    return _doc(number, str(link), f"{paper} — {title}", f"{paper} ({issued}). {text} {ocr}".strip(),
                _date(issued, number), "ptab_decision", parties, extra, warnings)


def _common(rec: Any, where: str) -> tuple[str, dict[str, Any], dict[str, Any], dict[str, Any], list[str]]:
    if not isinstance(rec, dict):
        raise ParseError(f"{where} is not an object")
    missing = [k for k in ("trialNumber", "trialMetaData") if not rec.get(k)]
    if missing:
        raise ParseError(f"{where}: missing key(s) {', '.join(missing)}")
    number, meta, warnings = str(rec["trialNumber"]), rec["trialMetaData"], []
    if not _TRIAL_NUMBER.match(number):
        warnings.append(f"trial number {number!r} is not <IPR|PGR|CBM|DER>YYYY-NNNNN")
    trial_type, status = meta.get("trialTypeCode"), meta.get("trialStatusCategory")
    if trial_type not in TRIAL_TYPES:
        warnings.append(f"unknown trialTypeCode {trial_type!r}")
    if status not in STATUSES:
        warnings.append(f"unknown trialStatusCategory {status!r}")
    return number, meta, rec.get("patentOwnerData") or {}, rec.get("regularPetitionerData") or {}, warnings


def _describe(number: str, meta: dict[str, Any], owner: dict[str, Any],
              petitioner: dict[str, Any]) -> tuple[str, str, list[Party], dict[str, Any]]:
    # LABELING.md: the IPR petitioner attacks a patent asserted against it, so it is the "defendant" side.
    parties = [_party(petitioner.get("realPartyInInterestName"), "defendant", "petitioner"),
               _party(owner.get("realPartyInInterestName"), "plaintiff", "patent_owner")]
    parties_ok = [p for p in parties if p is not None]
    names = [p["name"] if p else "(not named)" for p in parties]
    patent = _patent_number(owner.get("patentNumber"))
    status = meta.get("trialStatusCategory")
    title = f"{number}: {names[0]} v. {names[1]}" + (f" (U.S. Patent {patent})" if patent else "")
    text = " ".join(x for x in (
        f"{TRIAL_TYPES.get(meta.get('trialTypeCode') or '', 'PTAB trial')} {number}.",
        f"Petitioner: {names[0].rstrip('.')}. Patent owner: {names[1].rstrip('.')}.",
        f"U.S. Patent {patent}" + (f", granted {owner['grantDate']}." if owner.get("grantDate") else ".")
        if patent else "",
        f"Status: {status}." if status else "",
        f"Petition filed {meta['petitionFilingDate']}." if meta.get("petitionFilingDate") else "") if x)
    extra = {
        "jurisdiction": "US-PTAB", "ip_type": "patent", "trial_type": meta.get("trialTypeCode"),
        "status": STATUSES.get(status or ""), "status_raw": status, "patent_number": patent,
        "application_number": owner.get("applicationNumberText"), "grant_date": owner.get("grantDate"),
        "inventor": owner.get("inventorName"), "technology_center": owner.get("technologyCenterNumber"),
        "art_unit": owner.get("groupArtUnitNumber"), "petition_filing_date": meta.get("petitionFilingDate"),
        "accorded_filing_date": meta.get("accordedFilingDate"),
        "institution_decision_date": meta.get("institutionDecisionDate"),
        "latest_decision_date": meta.get("latestDecisionDate"), "termination_date": meta.get("terminationDate"),
        "last_modified": meta.get("trialLastModifiedDateTime") or meta.get("trialLastModifiedDate"),
        "petitioner_counsel": petitioner.get("counselName"), "patent_owner_counsel": owner.get("counselName"),
        "file_download_uri": meta.get("fileDownloadURI"), "outcome": None,
    }
    return title, text, parties_ok, extra


def _party(raw: Any, role: str, role_raw: str) -> Party | None:
    name = _ET_AL.sub("", str(raw or "")).strip()
    if not name:
        return None
    return {"name": name, "role": role, "role_raw": role_raw, "city": None, "region": None, "country": None}


def _patent_number(raw: Any) -> str | None:
    """"8102833" stays; reissues keep their prefix ("RE44913"); commas and kind codes are dropped."""
    text = re.sub(r"[\s,]", "", str(raw or "")).upper()
    match = re.match(r"^(RE|D|PP)?0*(\d+)(?:[A-Z]\d?)?$", text)
    return f"{match.group(1) or ''}{match.group(2)}" if match else (text or None)


def _doc(number: str, url: str, title: str, text: str, published: str, doc_type: str, parties: list[Party],
         extra: dict[str, Any], warnings: list[str]) -> DocDict:
    return {"source_id": SOURCE_ID, "url": url, "title": title, "text": text, "lang": "en", "published": published,
            "doc_type": doc_type, "case_numbers": [number], "parties": parties, "extra": extra, "warnings": warnings}


def _load(body: str, bag: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get(bag), list):
        raise ParseError(f"no {bag!r} list in the response")
    if not isinstance(data.get("count"), int):
        raise ParseError("no integer 'count' in the response")
    return data


def _date(value: Any, number: str) -> str:
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise ParseError(f"{number}: unrecognised date {value!r}") from None
