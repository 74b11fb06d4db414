"""Forums: the tribunal a dispute is in, as one code per court, from source ids, tagger output and text (EN/ZH/DE).

Codes are "USITC", "PTAB", "CAFC", "UPC", "US-DIST:<court code>" (PACER court ids such as txed, ilnd),
"DE-LG:<city>", "GB-HC", "IN-DHC", "CN-COURT:<city>" …; the jurisdiction follows from the code (DESIGN.md §4).
An unknown forum name is not guessed: the forum stays None and linking falls back to the jurisdiction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ForumRule:
    code: str
    jurisdiction: str
    pattern: re.Pattern[str]


def _r(code: str, jurisdiction: str, pattern: str) -> ForumRule:
    return ForumRule(code, jurisdiction, re.compile(pattern, re.I))


# Order matters only for readability; every rule that matches is reported. Court words are required next to city
# names ("Munich Regional Court", "慕尼黑地区法院", "LG München") so that "a Munich-based company" is no forum.
FORUM_RULES: tuple[ForumRule, ...] = (
    _r("USITC", "US", r"\bUSITC\b|\bU\.S\. ?ITC\b|International Trade Commission|\bITC\b|国际贸易委员会|\b337调查|337调查"),
    _r("PTAB", "US", r"\bPTAB\b|Patent Trial and Appeal Board|inter partes review|post-grant review|专利审判和上诉委员会"
       r"|专利审理和上诉委员会|专利审判与上诉委员会|双方复审"),
    _r("CAFC", "US", r"Federal Circuit|\bCAFC\b|联邦巡回上诉法院|联邦巡回法院"),
    _r("UPC", "UPC", r"Unified Patent Court|\bUPC\b|统一专利法院"),
    _r("US-DIST:txed", "US", r"Eastern District of Texas|E\.\s?D\.\s?Tex|德克?萨斯州?东区"),
    _r("US-DIST:txwd", "US", r"Western District of Texas|W\.\s?D\.\s?Tex|德克?萨斯州?西区"),
    _r("US-DIST:ilnd", "US", r"Northern District of Illinois|N\.\s?D\.\s?Ill|伊利诺伊州?北区"),
    _r("US-DIST:ded", "US", r"District of Delaware|D\.\s?Del\b|特拉华州?(?:联邦)?地区法院"),
    _r("US-DIST:cand", "US", r"Northern District of California|N\.\s?D\.\s?Cal|加利福尼亚州?北区|加州北区"),
    _r("US-DIST:cacd", "US", r"Central District of California|C\.\s?D\.\s?Cal|加利福尼亚州?中区|加州中区"),
    _r("US-DIST:nysd", "US", r"Southern District of New York|S\.\s?D\.\s?N\.\s?Y|纽约南区"),
    _r("US-DIST:nced", "US", r"Eastern District of North Carolina|E\.\s?D\.\s?N\.\s?C|北卡罗来纳州?东区"),
    _r("US-DIST:njd", "US", r"District of New Jersey|D\.\s?N\.\s?J\b|新泽西州?(?:联邦)?地区法院"),
    _r("US-DIST:ohsd", "US", r"Southern District of Ohio|S\.\s?D\.\s?Ohio|俄亥俄州?南区"),
    _r("DE-LG:munich", "DE", r"(?:Munich|München|Muenchen)\s+(?:I\s+)?(?:Regional|District)\s+Court|Regional Court"
       r"(?: of)? (?:Munich|München)|(?:LG|Landgericht)\s+(?:München|Munich)|慕尼黑(?:第一)?(?:地区|地方)?法院"),
    _r("DE-LG:mannheim", "DE", r"Mannheim\s+(?:Regional|District)\s+Court|Regional Court(?: of)? Mannheim"
       r"|(?:LG|Landgericht)\s+Mannheim|曼海姆(?:地区|地方)?法院"),
    _r("DE-LG:dusseldorf", "DE", r"(?:Düsseldorf|Dusseldorf|Duesseldorf)\s+(?:Regional|District)\s+Court"
       r"|Regional Court(?: of)? D(?:ü|u|ue)sseldorf|(?:LG|Landgericht)\s+D(?:ü|u|ue)sseldorf|杜塞尔多夫(?:地区|地方)?法院"),
    _r("DE-BGH", "DE", r"Federal Court of Justice|Bundesgerichtshof|\bBGH\b|德国联邦最高法院"),
    _r("GB-HC", "GB", r"High Court of Justice|\bEWHC\b|(?:English|UK|England's) High Court|英国高等法院|英格兰高等法院"),
    _r("GB-CA", "GB", r"\bEWCA\b|Court of Appeal of England|英国上诉法院"),
    _r("IN-DHC", "IN", r"Delhi High Court|High Court of Delhi|德里高等法院"),
    _r("IN-SC", "IN", r"Supreme Court of India|India's Supreme Court|Indian Supreme Court|印度最高法院"),
    _r("CN-SPC", "CN", r"Supreme People's Court|最高人民法院"),
    _r("CN-COURT:chongqing", "CN", r"Chongqing[^.。\n]{0,40}Court|重庆[^，。\n]{0,10}法院"),
    _r("CN-COURT:wuhan", "CN", r"Wuhan[^.。\n]{0,40}Court|武汉[^，。\n]{0,10}法院"),
    _r("CN-COURT:shenzhen", "CN", r"Shenzhen[^.。\n]{0,40}Court|深圳[^，。\n]{0,10}法院"),
    _r("CN-COURT:jinan", "CN", r"Jinan[^.。\n]{0,40}Court|济南[^，。\n]{0,10}法院"),
    _r("CO-COURT", "CO", r"Colombia[^.。\n]{0,60}(?:court|Superintendence)|哥伦比亚[^，。\n]{0,20}法院"),
    _r("BR-COURT", "BR", r"Brazil(?:ian)?[^.。\n]{0,60}court|巴西[^，。\n]{0,20}法院"),
    _r("FR-TJ:paris", "FR", r"Paris (?:Judicial|District) Court|Tribunal judiciaire de Paris|巴黎(?:司法|地区)?法院"),
    _r("NL-COURT:hague", "NL", r"Hague District Court|District Court of The Hague|海牙(?:地区)?法院"),
    _r("EUIPO", "EU", r"\bEUIPO\b|European Union Intellectual Property Office|欧盟知识产权局"),
    _r("EPO", "EP", r"\bEPO\b|European Patent Office|欧洲专利局"),
)

# Tagger forum labels (DESIGN.md §6 "forums") and crawler source ids that say the forum outright.
FORUM_ALIASES = {"USITC": "USITC", "ITC": "USITC", "PTAB": "PTAB", "UPC": "UPC", "CAFC": "CAFC",
                 "FEDERAL CIRCUIT": "CAFC", "EPO": "EPO", "EUIPO": "EUIPO"}
SOURCE_FORUMS = {"us_usitc_337": "USITC", "us_usitc_edis": "USITC", "us_federalregister_337": "USITC",
                 "us_uspto_ptab": "PTAB", "eu_upc_decisions": "UPC"}
SOURCE_PREFIX_FORUMS = (("us_usitc", "USITC"), ("us_uspto_ptab", "PTAB"), ("us_ptab", "PTAB"), ("eu_upc", "UPC"),
                        ("upc_", "UPC"))


# The NLP tagger's forum codes (ipradar/data/gazetteers/forums.json) → ours. Generic ones ("some US district
# court", "a Chinese court") name a jurisdiction, not a forum; agencies that decide no dispute name neither.
TAGGER_FORUMS = {"DE-LG-MUC": "DE-LG:munich", "DE-LG-MA": "DE-LG:mannheim", "DE-LG-DUS": "DE-LG:dusseldorf",
                 "UK-HC": "GB-HC", "FR-TJP": "FR-TJ:paris", "CO-SIC": "CO-COURT"}
GENERIC_FORUMS = {"US-DC": "US", "CN-COURT": "CN", "KR-COURT": "KR", "IT-COURT": "IT", "ES-COURT": "ES",
                  "RU-COURT": "RU", "VN-COURT": "VN", "SG-COURT": "SG", "NL-COURT": "NL", "BR-COURT": "BR",
                  "JP-IPHC": "JP", "AU-FCA": "AU", "CA-FC": "CA", "TH-IPITC": "TH"}
NOT_FORUMS = {"USPTO", "DOJ", "USTR", "US-CONGRESS", "US-COMMERCE", "US-FTC", "CN-GOV", "WIPO", "SCOTUS"}


def tagger_forum(label: str) -> tuple[str | None, str | None]:
    """(forum code, jurisdiction) for a tagger forum label; (None, jurisdiction) for generic courts."""
    code = label.strip()
    if code in NOT_FORUMS:
        return None, None
    if code in GENERIC_FORUMS:
        return None, GENERIC_FORUMS[code]
    forum = TAGGER_FORUMS.get(code) or forum_from_label(code) or (code if re.fullmatch(r"[A-Z]{2,6}", code)
                                                                  else None)
    return forum, jurisdiction_of(forum)


def jurisdiction_of(forum: str | None) -> str | None:
    if not forum:
        return None
    for rule in FORUM_RULES:
        if rule.code == forum:
            return rule.jurisdiction
    head = forum.split("-", 1)[0].split(":", 1)[0]
    if forum in ("USITC", "PTAB", "CAFC") or head == "US":
        return "US"
    return "UPC" if forum == "UPC" else head if len(head) == 2 else None


def forums_in_text(text: str) -> list[str]:
    """Forum codes named in ``text``, in table order, without repeats."""
    return [rule.code for rule in FORUM_RULES if rule.pattern.search(text)]


def forum_from_label(label: str) -> str | None:
    """A tagger or crawler forum label ("USITC", "LG Mannheim") as a code; None when unknown."""
    up = label.strip().upper()
    if up in FORUM_ALIASES:
        return FORUM_ALIASES[up]
    if any(up == rule.code.upper() for rule in FORUM_RULES):
        return next(rule.code for rule in FORUM_RULES if rule.code.upper() == up)
    found = forums_in_text(label)
    return found[0] if len(found) == 1 else None


def forum_of_source(source_id: str | None) -> str | None:
    if not source_id:
        return None
    if source_id in SOURCE_FORUMS:
        return SOURCE_FORUMS[source_id]
    return next((forum for prefix, forum in SOURCE_PREFIX_FORUMS if source_id.startswith(prefix)), None)


# PACER-style court ids the crawlers put in ``extra.court`` / ``extra.court_id``, and the common abbreviations.
US_COURT_IDS = frozenset({"txed", "txwd", "ilnd", "ded", "cand", "cacd", "nysd", "nced", "njd", "ohsd", "mdd", "ohnd",
                          "moed", "vaed", "wawd", "flsd", "gand", "mied", "mnd", "paed", "txnd", "txsd", "nyed"})


def court_forum(court: str | None) -> str | None:
    """A court id from a crawler (``txed``, ``US-DIST:txed``, ``E.D. Tex.``) as a forum code."""
    if not court:
        return None
    c = court.strip()
    if c.lower() in US_COURT_IDS:
        return f"US-DIST:{c.lower()}"
    if ":" in c and c.split(":", 1)[0] in ("US-DIST", "DE-LG", "CN-COURT", "FR-TJ", "NL-COURT"):
        return c
    return forum_from_label(c)
