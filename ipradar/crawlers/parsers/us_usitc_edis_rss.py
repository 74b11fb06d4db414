"""EDIS document-notification RSS (the complaints feed): one ``edis_document`` per item, filer and parties parsed.

Verified (sample feed, SOURCES.md §2b): RSS 2.0 item title ``Document Approved : <no> <phase> : Doc ID <id>, <type>``,
guid = document id, ``content:encoded`` with "filed on … by <person> of <firm> on behalf of <parties>" and
``Label: value`` lines. Inferred: the document types and titles of complaints and notices of investigation.
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
from typing import Any

import lxml.etree
import lxml.html

from ..errors import ParseError
from .feed import DocDict, Party

SOURCE_ID = "us_usitc_edis_rss"
DOC_URL = "https://edis.usitc.gov/external/search/document/{id}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_TITLE = re.compile(r"^Document Approved\s*:\s*(?P<no>\d{3}-(?:TA-)?\d+)\s+(?P<phase>.+?)\s*:\s*Doc ID (?P<id>\d+),"
                    r"\s*(?P<type>.+)$")
_HEADING = re.compile(r"For Investigation (?P<no>\d{3}-(?:TA-)?\d+)\s*-\s*(?P<phase>.+?)\s+-\s+(?P<kind>[^,]+?),")
_FILED = re.compile(r"filed\s+on (?P<at>\d{2}/\d{2}/\d{4} \d{2}:\d{2}) by (?P<by>.+?) of (?P<firm>.+?) "
                    r"on behalf of (?P<behalf>.+?)\s*$", re.S)
_FIELDS = ("Document ID", "Document Type", "Document Title", "Security Level", "Submission Method")
# EDIS writes an instituted investigation as 337-1281 (= 337-TA-1281) and a complaint not yet instituted as its
# docket, 337-3850; docket numbers have been in the thousands above every investigation number since they began.
_DOCKET_FLOOR = 2000
_DOC_TYPES = {"complaint", "notice", "notice of investigation", "order", "motion", "motion response/reply",
              "pre-hearing statement", "brief filed with alj", "exhibit, post-trial", "letter", "public interest",
              "statement on the public interest", "response to complaint/noi", "notice of appearance",
              "initial determination", "final determination", "supplement to complaint", "correspondence",
              "summary determination", "petition for review", "commission opinion", "action jacket"}
_SECURITY = {"public", "confidential", "limited"}
# Offices that file on their own behalf: not parties to the dispute.
_OFFICES = {"office of the secretary", "administrative law judge", "office of unfair import investigations",
            "commission", "office of the general counsel", "usitc"}
_SUFFIX = re.compile(r"^(?:Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|Co|Corp|Corporation|LLP|L\.P|LP|plc|PLC|S\.A|AG|"
                     r"GmbH|N\.V|B\.V|A/S|AB|S\.p\.A|K\.K|SE|Pte\.? Ltd)\.?$")


def case_numbers_for(edis_no: str) -> tuple[str | None, str | None]:
    """EDIS ``337-NNNN`` → (investigation number ``337-TA-NNNN`` or None, docket ``337-NNNN`` or None)."""
    match = re.fullmatch(r"337-(?:TA-)?(\d+)", edis_no)
    if match is None:
        return None, None
    digits = match.group(1)
    if "TA-" not in edis_no and int(digits) >= _DOCKET_FLOOR:
        return None, f"337-{digits}"
    return f"337-TA-{digits}", None


def split_names(text: str) -> list[str]:
    """"A, Inc., B Co., Ltd. and C" → ["A, Inc.", "B Co., Ltd.", "C"]: commas also sit inside legal suffixes."""
    names: list[str] = []
    for piece in re.split(r",\s*and\s+|,\s*|\s+and\s+", text.strip()):
        piece = piece.strip()
        if names and _SUFFIX.match(piece):
            names[-1] = f"{names[-1]}, {piece}"
        elif piece:
            names.append(piece)
    return names


def _role(doc_type: str, title: str) -> tuple[str, str | None]:
    """The filer's side: a complaint is the complainant's; otherwise the first side the title names."""
    if doc_type.lower() in {"complaint", "supplement to complaint"}:
        return "plaintiff", "Complainant"
    found = re.search(r"\b(Complainant|Respondent)s?\b", title)
    if found is None:  # complainant's supplements and exhibits (CX/CPX) vs respondent exhibits (RX/RPX)
        if re.search(r"(?i)\bsupplement\w*\s+(?:to\s+)?the\s+complaint\b|^C(?:P)?X\s?\d", title):
            return "plaintiff", "Complainant"
        if re.match(r"R(?:P)?X\s?\d", title):
            return "defendant", "Respondent"
        return "other", None
    return ("plaintiff" if found.group(1) == "Complainant" else "defendant"), found.group(1)


def _text_lines(html: str) -> list[str]:
    root = lxml.html.fragment_fromstring(re.sub(r"(?i)<br\s*/?>|</p>", "\n", html), create_parent="div")
    return [" ".join(line.split()) for line in root.text_content().split("\n") if line.strip()]


def _item(item: Any, index: int) -> DocDict:
    raw_title = (item.findtext("title") or "").strip()
    head = _TITLE.match(raw_title)
    if head is None:
        raise ParseError(f"item {index}: unrecognised title {raw_title!r}")
    notes: list[str] = []
    html = item.findtext(_CONTENT)
    if not html:
        raise ParseError(f"item {index} (Doc ID {head['id']}): no content:encoded block")
    lines = _text_lines(html)
    fields = {k: v.strip() for line in lines for k, sep, v in [line.partition(":")] if sep and k in _FIELDS}
    if fields.get("Document ID", head["id"]) != head["id"] or (item.findtext("guid") or head["id"]) != head["id"]:
        notes.append(f"document id differs between title ({head['id']}), guid and body")
    doc_type = fields.get("Document Type") or head["type"]
    if doc_type.lower() not in _DOC_TYPES:
        notes.append(f"unknown document type {doc_type!r}")
    security = fields.get("Security Level")
    if security and security.lower() not in _SECURITY:
        notes.append(f"unknown security level {security!r}")
    filed = _FILED.search(lines[0])
    if filed is None:
        raise ParseError(f"item {index} (Doc ID {head['id']}): no 'filed on … by … of … on behalf of …' sentence")
    heading = _HEADING.search(lines[0])
    kind = heading["kind"].strip() if heading else None
    if kind != "Sec 337":
        notes.append(f"investigation type {kind!r} is not 'Sec 337'")
    try:
        published = parsedate_to_datetime(item.findtext("pubDate") or "").isoformat()
    except (TypeError, ValueError, IndexError):
        raise ParseError(f"item {index} (Doc ID {head['id']}): unrecognised pubDate "
                         f"{item.findtext('pubDate')!r}") from None
    title = fields.get("Document Title") or raw_title
    role, role_raw = _role(doc_type, title)
    behalf = filed["behalf"].strip()
    parties = [Party(name=name, role=role, role_raw=role_raw, city=None, region=None, country=None)
               for name in split_names(behalf) if name.lower() not in _OFFICES]
    investigation, docket = case_numbers_for(head["no"])
    mm, dd, rest = filed["at"].split("/")
    link = lxml.html.fromstring(html).xpath("//a/@href")
    extra = {"document_id": head["id"], "document_type": doc_type, "document_title": title,
             "security_level": security, "submission_method": fields.get("Submission Method"),
             "filed_by": filed["by"].strip(), "firm": filed["firm"].strip(), "on_behalf_of": behalf,
             "filed_at": f"{rest[:4]}-{mm}-{dd}T{rest[5:]}", "edis_number": head["no"],
             "investigation_number": investigation, "docket_number": docket, "investigation_phase": head["phase"],
             "investigation_type": kind, "category": item.findtext("category")}
    body = [lines[0]] + [f"{k}: {fields[k]}" for k in _FIELDS if k in fields]  # the rest is EDIS boilerplate
    return DocDict(source_id=SOURCE_ID, url=link[0] if link else DOC_URL.format(id=head["id"]), title=title,
                   text="\n".join(body), lang="en", published=published, doc_type="edis_document",
                   case_numbers=[n for n in (investigation, docket) if n], parties=parties, extra=extra,
                   warnings=notes)


def parse_feed(body: str | bytes, url: str) -> list[DocDict]:
    """The feed → one DocDict per item, in feed order."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    try:
        root = lxml.etree.fromstring(data, parser=lxml.etree.XMLParser(resolve_entities=False, no_network=True))
    except lxml.etree.XMLSyntaxError as exc:
        raise ParseError(f"EDIS feed is not well-formed XML: {exc}") from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ParseError(f"no RSS <channel> in {url}")
    return [_item(item, i) for i, item in enumerate(channel.findall("item"))]
