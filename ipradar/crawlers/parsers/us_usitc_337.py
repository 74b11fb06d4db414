"""Pure parser for USITC Section 337 institution news releases: reads the TEXT of ``<main>`` (else ``<body>``) by the
publisher's fixed wording, so markup changes do not matter; places go through explicit tables (unknown → warning)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, TypedDict
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from ..errors import ParseError

SOURCE_ID = "us_usitc_337"
HOST = "https://www.usitc.gov"


# --- places: explicit tables (strict interpretation: an unknown country is a warning, never a guess) -------------
# USPS code, full name, AP-style abbreviation (newer releases write "Cupertino, Calif." / "Suwanee, Ga.")
_US = ("AL Alabama Ala|AK Alaska -|AZ Arizona Ariz|AR Arkansas Ark|CA California Calif|CO Colorado Colo|"
       "CT Connecticut Conn|DE Delaware Del|DC District_of_Columbia D.C|FL Florida Fla|GA Georgia Ga|HI Hawaii -|"
       "ID Idaho -|IL Illinois Ill|IN Indiana Ind|IA Iowa -|KS Kansas Kan|KY Kentucky Ky|LA Louisiana La|ME Maine -|"
       "MD Maryland Md|MA Massachusetts Mass|MI Michigan Mich|MN Minnesota Minn|MS Mississippi Miss|MO Missouri Mo|"
       "MT Montana Mont|NE Nebraska Neb|NV Nevada Nev|NH New_Hampshire N.H|NJ New_Jersey N.J|NM New_Mexico N.M|"
       "NY New_York N.Y|NC North_Carolina N.C|ND North_Dakota N.D|OH Ohio -|OK Oklahoma Okla|OR Oregon Ore|"
       "PA Pennsylvania Pa|PR Puerto_Rico P.R|RI Rhode_Island R.I|SC South_Carolina S.C|SD South_Dakota S.D|"
       "TN Tennessee Tenn|TX Texas Tex|UT Utah -|VT Vermont Vt|VA Virginia Va|WA Washington Wash|"
       "WV West_Virginia W.Va|WI Wisconsin Wis|WY Wyoming Wyo")
US_STATES: dict[str, str] = {}
for _row in _US.split("|"):
    _code, _name, _ap = _row.split()
    US_STATES.update({_code: _code, _name.replace("_", " "): _code, **({_ap: _code} if _ap != "-" else {})})
COUNTRIES: dict[str, str] = {
    "China": "CN", "People's Republic of China": "CN", "Peoples Republic of China": "CN", "PRC": "CN",
    "P.R. China": "CN", "Hong Kong": "HK", "Hong Kong SAR": "HK", "Macau": "MO", "Taiwan": "TW",
    "Vietnam": "VN", "Viet Nam": "VN", "Korea": "KR", "South Korea": "KR", "Republic of Korea": "KR",
    "Rep. of Korea": "KR", "Japan": "JP", "Germany": "DE", "Republic of Germany": "DE",
    "Federal Republic of Germany": "DE", "United Kingdom": "GB", "UK": "GB", "England": "GB", "Scotland": "GB",
    "Ireland": "IE", "Netherlands": "NL", "The Netherlands": "NL", "the Netherlands": "NL", "Belgium": "BE",
    "Luxembourg": "LU", "France": "FR", "Italy": "IT", "Spain": "ES", "Portugal": "PT", "Switzerland": "CH",
    "Austria": "AT", "Sweden": "SE", "Norway": "NO", "Denmark": "DK", "Finland": "FI", "Poland": "PL",
    "Czech Republic": "CZ", "Hungary": "HU", "Israel": "IL", "Turkey": "TR", "Türkiye": "TR", "India": "IN",
    "Pakistan": "PK", "Bangladesh": "BD", "Sri Lanka": "LK", "Singapore": "SG", "Malaysia": "MY", "Thailand": "TH",
    "Indonesia": "ID", "Philippines": "PH", "Cambodia": "KH", "Australia": "AU", "New Zealand": "NZ",
    "Canada": "CA", "Mexico": "MX", "Brazil": "BR", "Mauritius": "MU", "Cayman Islands": "KY", "Bermuda": "BM",
    "British Virgin Islands": "VG", "United Arab Emirates": "AE", "Saudi Arabia": "SA", "South Africa": "ZA",
    "United States": "US", "USA": "US"}
# Chinese provinces: "of Guangdong, China" names a region, not a city (municipalities such as Shanghai are cities)
CN_PROVINCES = frozenset(["Anhui", "Fujian", "Gansu", "Guangdong", "Guangxi", "Guizhou", "Hainan", "Hebei",
                          "Heilongjiang", "Henan", "Hubei", "Hunan", "Jiangsu", "Jiangxi", "Jilin", "Liaoning",
                          "Ningxia", "Qinghai", "Shaanxi", "Shandong", "Shanxi", "Sichuan", "Tibet", "Xinjiang",
                          "Yunnan", "Zhejiang"])
_COUNTRY_KEYS = {k.rstrip("."): v for k, v in COUNTRIES.items()}


def lookup_terminal(term: str) -> tuple[str | None, str | None]:
    """The last place field → (ISO country, US state code or None); (None, None) when unknown."""
    key = re.sub(r"\s+", " ", term.replace("’", "'")).strip().rstrip(".")
    if key in US_STATES:
        return "US", US_STATES[key]
    return _COUNTRY_KEYS.get(key), None


class ListingEntry(TypedDict):
    url: str
    title: str
    date: str | None


_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                        "september", "october", "november", "december"], 1)}
_MONTHS.update({"jan.": 1, "feb.": 2, "mar.": 3, "apr.": 4, "jun.": 6, "jul.": 7, "aug.": 8, "sep.": 9,
                "sept.": 9, "oct.": 10, "nov.": 11, "dec.": 12})
_DATE = r"[A-Z][a-z]+\.? \d{1,2}, \d{4}"
_BLOCK = {"p", "div", "li", "ul", "ol", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
          "article", "header", "footer", "blockquote", "main", "nav"}
_TITLE_RE = re.compile(r"\bInstitutes\s+Section\s+337\s+Invest\w*\s+(?:of|on|into)\s+Certain\b", re.I)
_SUFFIX = re.compile(r"\b(?:Inc|Ltd|LLC|L\.L\.C|Co|Corp|Corporation|Company|Limited|GmbH|AG|S\.A|N\.V|B\.V|Pty|PLC|"
                     r"LP|LLP|Incorporated|d/b/a|a/k/a|a\.k\.a|AKA)\b\.?", re.I)
# a name glued to its place ("Angelalign Technology Inc. Shanghai, China" — no comma after the legal form)
_FUSED = re.compile(r"^(?P<name>.*\b(?:Inc|Ltd|LLC|Co|Corp|Limited)\.?)\s+(?P<place>[A-Z][\w'’ -]*)$")
_OF = re.compile(r",?\s+(?P<both>both\s+)?of\s+")
_REMEDIES = [("general_exclusion_order", r"general exclusion order"), ("limited_exclusion_order",
             r"limited exclusion order"), ("cease_and_desist_order", r"cease and desist order")]
_IP_TYPES = [("patent", r"\bpatents?\b"), ("trademark", r"\btrademarks?\b|\bdilution\b"),
             ("copyright", r"\bcopyrights?\b"), ("trade_secret", r"\btrade secrets?\b"),
             ("trade_dress", r"\btrade dress\b"),
             ("false_advertising", r"\bfalse (?:advertising|designation|description)\b")]


def _real_url(url: str) -> str:
    """The page's URL on the real host (pages may be fetched from a local mirror)."""
    parts = urlsplit(url)
    return HOST + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def parse_date(text: str) -> str:
    """'January 31, 2022' / 'Sept. 3, 2020' → ISO; anything else is a ParseError (strict, no guessing)."""
    m = re.fullmatch(r"([A-Za-z]+\.?)\s+(\d{1,2}),\s*(\d{4})", text.strip())
    month = _MONTHS.get(m.group(1).lower()) if m else None
    if not m or month is None:
        raise ParseError(f"unrecognised date {text!r}")
    try:
        return date(int(m.group(3)), month, int(m.group(2))).isoformat()
    except ValueError as exc:
        raise ParseError(f"unrecognised date {text!r}: {exc}") from exc


def _doc(body: str) -> Any:
    try:
        return lxml.html.fromstring(body)
    except (lxml.etree.ParserError, ValueError) as exc:  # empty or undecodable payload
        raise ParseError(f"not an HTML page: {exc}") from exc


def _lines(body: str) -> list[str]:
    """Text lines of the main container: one line per block element or <br>, whitespace collapsed."""
    doc = _doc(body)
    root = (doc.xpath("//main") or doc.xpath("//body") or [doc])[0]
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag not in ("script", "style", "noscript") and tag:
            if tag in _BLOCK:
                parts.append("\n")
            if tag == "li":
                parts.append("• ")  # keep the list marker: bulleted respondents are written "Name, City, Country"
            parts.append(el.text or "")
            for child in el:
                walk(child)
                parts.append(child.tail or "")
            if tag in _BLOCK:
                parts.append("\n")

    walk(root)
    lines = (re.sub(r"\s+", " ", ln).strip() for ln in "".join(parts).split("\n"))
    return [ln for ln in lines if ln]


def is_337_institution(title: str) -> bool:
    # "Investigation of/on Certain …"; one real title misspells "Investigtion", hence Invest\w*
    return bool(_TITLE_RE.search(title))


def parse_listing(body: str, url: str) -> list[ListingEntry]:
    doc = _doc(body)
    rows = doc.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' news-release-row ')]")
    if not rows:
        raise ParseError("no news-release rows found on the listing page")
    base, entries = _real_url(url), []
    for row in rows:
        links = row.xpath(".//a[@href]")
        if not links:
            raise ParseError("news-release row without a link")
        title = re.sub(r"\s+", " ", links[0].text_content()).strip()
        stamp = re.sub(r"\s+", " ", " ".join(row.xpath(".//*[contains(@class, 'news-release-date')]//text()")))
        # "January 31, 2022 - News Release 22-018"; the number is absent on some rows
        day = stamp.split(" - ")[0].strip()
        entries.append(ListingEntry(url=urljoin(base, links[0].get("href")), title=title,
                                    date=parse_date(day) if day else None))
    return entries


def next_page_url(body: str, url: str) -> str | None:
    doc = _doc(body)
    # Drupal 8+ pager (rel="next"), with the Drupal 7 class as a fallback
    hrefs = doc.xpath("//a[contains(concat(' ', @rel, ' '), ' next ')]/@href | //li[contains(@class, "
                      "'pager__item--next') or contains(@class, 'pager-next')]/a/@href")
    return urljoin(_real_url(url), str(hrefs[0])) if hrefs else None


def _party(name: str, fields: list[str], role: str, warnings: list[str]) -> dict[str, Any]:
    """A party dict from its name and place fields ('City', ['Region',] 'Country or US state')."""
    terminal = fields[-1] if fields else ""
    country, region = lookup_terminal(terminal)
    rest = [f for f in fields[:-1] if f]
    city: str | None = None
    if country is None and terminal:
        warnings.append(f"unknown country {terminal!r} for {role} {name!r}")
    elif country == "US":
        city = ", ".join(rest) or None
        rest = []
    elif country == "CN" and "Hong Kong" in rest:  # "of Wanchai, Hong Kong, China"
        country, rest = "HK", [f for f in rest if f != "Hong Kong"]
    if rest:
        if len(rest) == 1 and (rest[0].endswith(" Province") or (country == "CN" and rest[0] in CN_PROVINCES)):
            region = rest[0]  # "of Guangdong, China", "of Binh Duong Province, Vietnam": a province, not a city
        else:
            city, region = rest[0], ", ".join(rest[1:]) or region
    name = re.sub(r"\.\.$", ".", re.sub(r"\s+", " ", name).strip(" ,;"))
    raw = "complainant" if role == "complainant" else "respondent"
    return {"name": name, "role": "plaintiff" if raw == "complainant" else "defendant", "role_raw": raw,
            "city": city, "region": region, "country": country}


def _entry(text: str, role: str, warnings: list[str], bullet: bool = False) -> list[dict[str, Any]]:
    """One list entry ('Name of City, ST', 'Name, City, Country', 'A and B, both of City, ST') → parties."""
    # old style ends items with ";", the last but one with "; and", the last with "."
    text = re.sub(r"^and\s+", "", re.sub(r"(?:[;,]\s*and)?[;,.\s]*$", "", text.strip()))
    if not bullet:
        # the first " of " whose remainder is a plain place list; earlier ones belong to the name
        for m in _OF.finditer(text):
            fields = [f.strip() for f in text[m.end():].split(",")]
            if 0 < len(fields) <= 4 and all(f and (not re.search(r"\bof\b", f) or lookup_terminal(f)[0])
                                            for f in fields):
                names = re.split(r",?\s+and\s+", text[:m.start()]) if m.group("both") else [text[:m.start()]]
                return [_party(n, fields, role, warnings) for n in names]
    fields = [f.strip() for f in text.split(",")]
    if len(fields) < 2 or lookup_terminal(fields[-1])[0] is None:
        if bullet:
            return _entry(text, role, warnings)
        warnings.append(f"no place found for {role} {text!r}")
        return [_party(text, [], role, warnings)]
    # newer bulleted style "Name, City, Country": the place is the trailing fields that are not a legal form
    k = len(fields) - 1
    while k > 1 and len(fields) - k < 3 and not _SUFFIX.search(fields[k - 1]):
        k -= 1
    name, place = ", ".join(fields[:k]), fields[k:]
    fused = _FUSED.match(name)
    if fused and len(place) == 1:
        warnings.append(f"{role} {text!r}: no comma between name and place; read place as {fused['place']!r}")
        name, place = fused["name"], [fused["place"], *place]
    return [_party(name, place, role, warnings)]


def _split(segment: str, role: str, warnings: list[str]) -> list[dict[str, Any]]:
    """Several parties in one sentence: split on ';' or, failing that, on ' and ' where each piece has a place."""
    if ";" in segment:
        return [p for part in segment.split(";") if part.strip() for p in _entry(part, role, warnings)]
    out: list[dict[str, Any]] = []
    start = 0
    for m in re.finditer(r"(?:,\s*|\s+)and\s+", segment):
        probe: list[str] = []
        piece = _entry(segment[start:m.start()], role, probe)
        if not probe and all(p["country"] for p in piece):
            out.extend(piece)
            start = m.end()
    return out + _entry(segment[start:], role, warnings)


def _header(lines: list[str], title_at: int) -> tuple[str, str | None, str | None, str | None]:
    date_iso: str | None = None
    nr: str | None = None
    inv: str | None = None
    contact: str | None = None
    candidates: list[str] = []
    for ln in lines[:title_at]:
        if m := re.match(r"News Release\s+(\d{2})\s*-\s*(\d{2,3})\b", ln):  # "25 -040" occurs
            nr = f"{m[1]}-{m[2]}"
        elif ln.startswith("Inv. No"):
            inv = ln
        elif ln.startswith("Contact:"):
            contact = re.sub(r"\s+,", ",", ln[len("Contact:"):]).strip() or None
        elif re.fullmatch(_DATE, ln):
            date_iso = parse_date(ln)
        elif re.search(r"\d", ln):  # a date in some other format ("31 January 2022", "2022-01-31")
            candidates.append(ln)
    if date_iso is None:
        raise ParseError(f"unrecognised date {candidates[-1]!r}" if candidates else "no release date found")
    return date_iso, nr, inv, contact


def parse_release(body: str, url: str) -> dict[str, Any]:
    lines, warnings = _lines(body), list[str]()
    title_at = next((i for i, ln in enumerate(lines) if is_337_institution(ln)), None)
    if title_at is None:
        raise ParseError("no 'USITC Institutes Section 337 Investigation of Certain …' title found")
    published, nr, inv_line, contact = _header(lines, title_at)
    text = "\n".join(lines)
    m_body = re.search(r"By instituting this investigation \((337-TA-\d+)\)", text)
    m_head = re.search(r"\b337-TA-\d+\b", inv_line or "")
    inv = m_head[0] if m_head else m_body[1] if m_body else None
    if inv is None:
        raise ParseError("no investigation number (337-TA-NNNN) found")
    if inv_line and not m_head:
        warnings.append(f"header {inv_line!r} is malformed; using {inv} from the body")
    elif m_body and m_body[1] != inv:
        warnings.append(f"header number {inv} differs from body number {m_body[1]}")
    if nr is None:
        warnings.append("no 'News Release YY-NNN' line in the header")
    if (m := re.search(r"/(\d{4})/er(\d{2})(\d{2})", urlsplit(url).path)) and published != f"{m[1]}-{m[2]}-{m[3]}":
        warnings.append(f"release date {published} differs from the date in the URL")

    complaint_at = next((i for i, ln in enumerate(lines) if "based on a complaint filed" in ln), None)
    cm = re.search(rf"complaint filed (?:(?:by|on behalf of)\s+(?P<who>.+?),?\s+on\s+(?P<when>{_DATE})\."
                   rf"|on\s+(?P<when2>{_DATE}),?\s+by\s+(?P<who2>.+?)\.(?=\s+(?:The|A|An)\b|$))",
                   lines[complaint_at] if complaint_at is not None else "")
    if complaint_at is None or cm is None:
        raise ParseError("no complaint sentence ('The investigation is based on a complaint filed …') found")
    parties = _split(cm["who"] or cm["who2"], "complainant", warnings)

    intro_at = next((i for i, ln in enumerate(lines) if ln.startswith("The USITC has identified")), None)
    close_at = next((i for i, ln in enumerate(lines) if ln.startswith("By instituting this investigation")), None)
    if intro_at is None:
        raise ParseError("no respondent list found ('The USITC has identified …')")
    if close_at is None or close_at < intro_at:
        raise ParseError("respondent list is not closed (no 'By instituting this investigation' paragraph): "
                         "page truncated?")
    intro = lines[intro_at]
    if single := re.match(r"The USITC has identified (.+?),? as the respondent in this investigation", intro):
        items = [single[1]]
    elif listed := re.match(r"The USITC has identified the following (?:as )?(?:the )?respondents?\b[^:]*:(.*)",
                            intro):
        items = ([listed[1]] if listed[1].strip() else []) + lines[intro_at + 1:close_at]
    else:
        raise ParseError(f"unrecognised respondent list introduction {intro!r}")
    if not items:
        raise ParseError("empty respondent list")
    for item in items:
        bullet = bool(re.match(r"[•\-–]\s", item))
        parties += _entry(re.sub(r"^[•\-–]\s+", "", item), "respondent", warnings, bullet=bullet)

    allegation = " ".join(lines[complaint_at:intro_at])
    request = re.search(r"requests? that the (?:USITC|Commission) issue (.+?)\.(?:\s|$)", allegation)
    # releases before ~2014 say just "an exclusion order" (neither general nor limited): no flag is set for it
    remedies = [key for key, pat in _REMEDIES if request and re.search(pat, request[1])]
    if request is None:
        warnings.append("no remedy request sentence found")
    ip_types = [key for key, pat in _IP_TYPES if re.search(pat, allegation, re.I)]
    if not ip_types:
        warnings.append("the complaint sentence names no IP right")
    products = re.search(r"institute an investigation (?:of|on|into) certain (.+?)\.(?:\s|$)", text)
    if products is None:
        warnings.append("no 'institute an investigation of certain …' sentence; products taken from the title")
    title = lines[title_at]
    return {"source_id": SOURCE_ID, "url": _real_url(url), "title": title, "text": text, "lang": "en",
            "published": published, "doc_type": "news_release", "case_numbers": [inv], "parties": parties,
            "extra": {"news_release_number": nr, "investigation_number": inv,
                      "products": products[1] if products else _TITLE_RE.split(title)[-1].strip(),
                      "complaint_filed": parse_date(cm["when"] or cm["when2"]), "institution_date": published,
                      "remedies_requested": remedies, "ip_types": ip_types, "contact": contact},
            "warnings": warnings}
