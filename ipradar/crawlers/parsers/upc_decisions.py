"""Parser for the Unified Patent Court's "Decisions and orders" listing (a Drupal Views table, one row per document).

Verified (SOURCES.md §4): the six cells, zero-based ``?page=N``, empty ``?page=0``. Inferred: rarer action types.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html

from ..errors import ParseError
from .feed import DocDict, Party

SOURCE_ID = "upc_decisions"
COLUMNS = ["Date", "Registry", "Court", "Type of action", "Parties", "UPC Document"]
_LOCAL = {"Vienna": "AT", "Brussels": "BE", "Copenhagen": "DK", "Helsinki": "FI", "Paris": "FR", "Düsseldorf": "DE",
          "Hamburg": "DE", "Mannheim": "DE", "Munich": "DE", "Milan": "IT", "The Hague": "NL", "Lisbon": "PT",
          "Ljubljana": "SI"}
# Court cell (casefolded) -> (division id, kind, seat, ISO country). Milan's central section opened 2024-07-01.
DIVISIONS = {
    **{f"court of first instance - {c} ({cc}) local division".casefold(): (f"{c} LD", "local", c, cc)
       for c, cc in _LOCAL.items()},
    **{f"court of first instance - {c} ({cc}) central division".casefold(): (f"{c} CD", "central", c, cc)
       for c, cc in {"Paris": "FR", "Munich": "DE", "Milan": "IT"}.items()},
    "court of first instance - nordic-baltic regional division": ("Nordic-Baltic RD", "regional", "Stockholm", "SE"),
    "court of appeal - luxembourg (lu)": ("CoA", "appeal", "Luxembourg", "LU"),
}
# Type of action -> (normalised type, which side the left-hand party is on). "holder": the claimant asserts the
# patent; "attacker": the claimant attacks it (LABELING.md: that side is "defendant", like an IPR petitioner);
# "neutral": the listing does not say who holds the patent (appeals, costs, procedural applications).
ACTION_TYPES = {
    "Infringement Action": ("infringement", "holder"),
    "Application for provisional measures": ("provisional_measures", "holder"),
    "Application for an Order for inspection pursuant to RoP199": ("inspection", "holder"),
    "Application for preserving evidence": ("preserving_evidence", "holder"),
    "Revocation Action": ("revocation", "attacker"),
    "Action for declaration of non-infringement": ("non_infringement", "attacker"),
    "Counterclaim for revocation": ("counterclaim_revocation", "neutral"),
    "Appeal RoP220.1": ("appeal", "neutral"),
    "Appeal RoP220.2": ("appeal", "neutral"),
    "Generic application": ("generic_application", "neutral"),
    "Generic Order": ("generic_order", "neutral"),
    "Application For Costs": ("costs", "neutral"),
    "Application RoP262A": ("confidentiality", "neutral"),
}
_ROLES = {"holder": ("plaintiff", "defendant"), "attacker": ("defendant", "plaintiff"), "neutral": ("other", "other")}
_REGISTRY = re.compile(r"^(?:UPC[_-](?P<inst>CFI|COA|CoA)[_-](?P<n>\d+)/(?P<y>\d{4})"
                       r"|(?P<pre>ACT|ORD|App|APP|APL|CC|CNF)_\d+/\d{4}|\d+/\d{4})$")
_LEGAL_FORM = re.compile(r"^(?:Ltd|Limited|Inc|LLC|Co|Corp|S\.?A|B\.?V|N\.?V|AG|GmbH|S\.p\.A|s\.r\.l|plc|AB|Oy)\.?$", re.I)


def page_url(url: str, page: int) -> str:
    """The listing URL for zero-based page ``page``; page 0 omits the parameter (``?page=0`` renders empty)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    if page > 0:
        query.append(("page", str(page)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def parse_listing(body: str, url: str) -> tuple[list[DocDict], str | None]:
    """Documents of one listing page and the next page's URL (None on the last page)."""
    root = lxml.html.fromstring(body)
    tables = root.xpath("//table[contains(concat(' ', @class, ' '), ' views-table ')]")
    rows = tables[0].xpath("./tbody/tr") if tables else []
    if not rows:
        if root.xpath("//div[contains(concat(' ', @class, ' '), ' view ')]"):
            raise ParseError("empty listing template (page=0 quirk?)")
        raise ParseError("no decisions-and-orders view on the page (challenge or error page?)")
    heads = [" ".join(th.text_content().split()) for th in tables[0].xpath("./thead/tr/th")]
    if heads and heads != COLUMNS:
        raise ParseError(f"unexpected listing columns {heads}")
    return [_row(tr, n, url) for n, tr in enumerate(rows, 1)], _next(root, url)


def next_page_url(body: str, url: str) -> str | None:
    """The next listing page after ``url`` (never ``?page=0``), or None on the last page."""
    return _next(lxml.html.fromstring(body), url)


def _next(root: lxml.html.HtmlElement, url: str) -> str | None:
    # The pager's own links include "?page=0" (first page); only its last index is trusted, the URL is rebuilt.
    current = _page_of(url)
    last_links = root.xpath("//li[contains(@class, 'pager__item--last')]/a/@href")
    last = _page_of(str(last_links[0])) if last_links else current
    return page_url(url, current + 1) if current < last else None


def _page_of(url: str) -> int:
    value = dict(parse_qsl(urlsplit(url).query)).get("page", "0")
    if not value.isdigit():
        raise ParseError(f"page parameter {value!r} in {url!r} is not a number")
    return int(value)


def _row(tr: lxml.html.HtmlElement, n: int, url: str) -> DocDict:
    cells = tr.xpath("./td")
    if len(cells) != len(COLUMNS):
        raise ParseError(f"row {n}: expected {len(COLUMNS)} cells, found {len(cells)}")
    date_cell, registry, court_cell, action_cell, parties_cell, document = cells
    published = _date(_text(date_cell), n)
    warnings: list[str] = []
    numbers: list[str] = []
    details = [urljoin(url, str(a.get("href"))) for a in registry.xpath(".//a[@href]")]
    for a in registry.xpath(".//a"):  # the "Full Details" link text is not a registry number
        a.drop_tree()
    for token in re.split(r"[\s,;]+", _text(registry)):
        if not token:
            continue
        match = _REGISTRY.match(token)
        if not match:
            warnings.append(f"unrecognised registry token {token!r}")
        elif match["inst"]:  # UPC-CFI-1/2023 and UPC_COA_… appear too; keep one spelling
            numbers.append(f"UPC_{'CFI' if match['inst'] == 'CFI' else 'CoA'}_{match['n']}/{match['y']}")
        else:
            numbers.append(token)
    if not numbers:
        raise ParseError(f"row {n}: no registry number")
    pdfs = [urljoin(url, h) for h in document.xpath(".//a/@href")]
    court = _text(court_cell)
    division = DIVISIONS.get(court.casefold())
    if division is None:
        warnings.append(f"unknown court/division {court!r}")
    action = _text(action_cell)
    action_type, mode = ACTION_TYPES.get(action, (None, "neutral"))
    if action_type is None:
        warnings.append(f"unknown type of action {action!r}")
    parties = _parties(_text(parties_cell), mode)
    link = details[0] if details else (pdfs[0] if pdfs else None)
    if link is None:
        raise ParseError(f"row {n} ({numbers[0]}): no Full Details or document link")
    if not details:
        warnings.append("no Full Details link; url is the document PDF")
    node = re.search(r"/node/(\d+)", details[0]) if details else None
    div_id = division[0] if division else None
    names = _text(parties_cell)
    return {
        "source_id": SOURCE_ID, "url": link, "title": f"{names} – {action} ({div_id or court})",
        "text": f"{published}: {action}, {court}. Parties: {names}. Registry: {' '.join(numbers)}.",
        "lang": "en", "published": published, "doc_type": "upc_decision", "case_numbers": list(dict.fromkeys(numbers)),
        "parties": parties,
        "extra": {"jurisdiction": f"UPC:{div_id}" if div_id else "UPC", "ip_type": "patent", "division": div_id,
                  "division_kind": division[1] if division else None, "division_seat": division[2] if division else None,
                  "division_country": division[3] if division else None, "court_raw": court,
                  "action_type": action_type, "action_type_raw": action, "role_basis": mode,
                  "node_id": node.group(1) if node else None, "pdf_url": pdfs[0] if pdfs else None, "pdf_urls": pdfs},
        "warnings": warnings,
    }


def _parties(text: str, mode: str) -> list[Party]:
    """ "A, B v. C" -> parties; roles follow the action type (a revocation claimant attacks the patent)."""
    sides = re.split(r"\s+v\.?\s+", text, maxsplit=1)
    roles = _ROLES[mode] if len(sides) == 2 else ("other",)
    out: list[Party] = []
    for side, role, role_raw in zip(sides, roles, ("claimant", "defendant"), strict=False):
        for name in _entities(side):
            out.append({"name": name, "role": role, "role_raw": role_raw, "city": None, "region": None,
                        "country": None})
    return out


def _entities(side: str) -> list[str]:
    """Split a comma list of names without breaking "Co., Ltd." or "Amgen, Inc." apart."""
    names: list[str] = []
    for part in (p.strip() for p in side.split(",")):
        if not part or re.fullmatch(r"et\.? al\.?", part, re.I):
            continue
        if names and _LEGAL_FORM.match(part):
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return names


def _text(el: lxml.html.HtmlElement) -> str:
    for br in el.xpath(".//br"):
        br.tail = " " + (br.tail or "")
    return " ".join(el.text_content().split())


def _date(text: str, n: int) -> str:
    for fmt in ("%d %B %Y", "%d %B, %Y"):  # the listing's format; detail pages add a comma
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise ParseError(f"row {n}: unrecognised date {text!r}")
