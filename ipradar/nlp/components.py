"""IP Radar's spaCy components: gazetteer matching, identifier matchers, party-role extraction, Chinese-party detection.

Every component reads its vocabulary from ipradar/data (gazetteers/, patterns/) and writes into ``doc._.ipradar``
(a plain dict) and ``doc.spans["ipradar"]``; the rules and classifiers read from there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .lexicon import leads, may_match
from .resources import compile_any, gazetteer, patterns

SPANS_KEY = "ipradar"
if not Doc.has_extension("ipradar"):
    Doc.set_extension("ipradar", default=None)
_EXT_KEY = ("._.", "ipradar", None, None)  # where spaCy's Underscore keeps doc._.ipradar in doc.user_data


def info(doc: Doc) -> dict[str, Any]:
    """The component results dict of a doc (created on first use)."""
    # doc.user_data under spaCy's own key for the extension: the same dict as doc._.ipradar, without building an
    # Underscore object on every access (this is called dozens of times per document)
    store: dict[Any, Any] = doc.user_data
    data = store.get(_EXT_KEY)
    if data is None:
        data = {}
        store[_EXT_KEY] = data
    assert isinstance(data, dict)
    return data


def doc_text(doc: Doc) -> str:
    """doc.text, computed once: spaCy rebuilds the string from the tokens on every access (per-char tokens in zh)."""
    data = info(doc)
    text = data.get("text")
    if text is None:
        text = doc.text
        data["text"] = text
    return str(text)


def gazetteer_spans(doc: Doc) -> list[Span]:
    """The gazetteer spans of a doc, as a plain list (cached by the gazetteer component)."""
    spans = info(doc).get("gazetteer_spans")
    if spans is None:
        spans = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
        info(doc)["gazetteer_spans"] = spans
    return list(spans)


# -- gazetteer -----------------------------------------------------------------------------------------------------
@dataclass
class GazetteerEntry:
    label: str  # FORUM, COUNTRY, DEMONYM, CN_CO, FOREIGN_CO, CN_PLACE, PUDONG
    kb_id: str


def _variants(name: str) -> set[str]:
    # Company names are matched case-sensitively (so "Honor" the brand is not "honor" the verb); the usual casings of
    # a brand in news text are generated instead: OPPO / Oppo, vivo / Vivo / VIVO.
    out = {name}
    if name.isupper() and len(name) > 3:
        out.add(name.title())
    elif name[:1].islower():
        out |= {name[:1].upper() + name[1:], name.upper()}
    return out


@cache
def gazetteer_terms() -> dict[str, list[tuple[str, str, str]]]:
    """(text, label, kb_id) triples grouped by how they match: 'lower' (case-insensitive), 'orth', 'zh'."""
    lower: list[tuple[str, str, str]] = []
    orth: list[tuple[str, str, str]] = []
    zh: list[tuple[str, str, str]] = []
    for forum in gazetteer("forums")["forums"]:
        label = "FORUM_WEAK" if forum.get("weak") else "FORUM"
        lower += [(n, label, forum["code"]) for n in forum["en"]]
        orth += [(n, label, forum["code"]) for n in forum["cs"]]
        zh += [(n, label, forum["code"]) for n in forum["zh"]]
    countries = gazetteer("countries")["countries"]
    for code, rec in countries.items():
        for n in rec["en"]:
            (orth if len(n) <= 4 or n.isupper() else lower).append((n, "COUNTRY", code))
        for n in rec["demonyms"]:
            (orth if len(n) <= 4 else lower).append((n, "DEMONYM", code))
        zh += [(n, "COUNTRY", code) for n in rec["zh"]]
    comp = gazetteer("companies")
    for label, group in (("CN_CO", comp["chinese"]), ("FOREIGN_CO", comp["foreign"])):
        for c in group:
            for n in [c["name_en"], *c["aliases_en"]]:
                orth += [(v, label, c["key"]) for v in _variants(n)]
            zh += [(n, label, c["key"]) for n in [c["name_zh"], *c["aliases_zh"]] if n]
    places = gazetteer("cn_places")
    for p in [*places["provinces"], *places["cities"]]:
        orth.append((p["en"], "CN_PLACE", p["country"]))
        zh.append((p["zh"], "CN_PLACE", p["country"]))
    for n, code in places["extra_en"].items():
        orth.append((n, "CN_PLACE", code))
    for n, code in places["extra_zh"].items():
        zh.append((n, "CN_PLACE", code))
    lower += [(n, "PUDONG", "PUDONG") for n in places["shanghai_pudong"]["en"]]
    zh += [(n, "PUDONG", "PUDONG") for n in places["shanghai_pudong"]["zh"]]
    return {"lower": lower, "orth": orth, "zh": zh}


class GazetteerMatcher:
    """PhraseMatcher over the shipped gazetteers; spans carry the category as label and the code as kb_id."""

    def __init__(self, nlp: Language, lang: str) -> None:
        self.lang = lang
        terms = gazetteer_terms()
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        groups: list[tuple[PhraseMatcher, list[tuple[str, str, str]]]] = [
            (self.lower, terms["lower"]), (self.orth, terms["orth"])]
        if lang == "zh":
            groups.append((self.orth, terms["zh"]))
        for matcher, items in groups:
            by_key: dict[str, list[str]] = {}
            for text, label, kb in items:
                by_key.setdefault(f"{label}|{kb}", []).append(text)
            for key, texts in by_key.items():
                matcher.add(key, [nlp.make_doc(t) for t in sorted(set(texts))])

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        spans: list[Span] = []
        for matcher in (self.lower, self.orth):
            for match_id, start, end in matcher(doc):
                key = doc.vocab.strings[match_id]
                label, kb = key.split("|", 1)
                span = Span(doc, start, end, label=label, kb_id=kb)
                if self.lang == "zh" and not _ascii_bounded(text, span.start_char, span.end_char):
                    continue  # zh segmentation splits Latin words into letters: "ZTE" must not match inside "AZTEC"
                spans.append(span)
        kept = _drop_nested(spans)
        doc.spans[SPANS_KEY] = kept
        info(doc)["gazetteer_spans"] = kept  # reading doc.spans back builds new Span objects on every access
        return doc


def _ascii_bounded(text: str, start: int, end: int) -> bool:
    def alnum(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    if alnum(text[start]) and start > 0 and alnum(text[start - 1]):
        return False
    return not (alnum(text[end - 1]) and end < len(text) and alnum(text[end]))


def _drop_nested(spans: list[Span]) -> list[Span]:
    # Within one category keep the longest match ("Munich Regional Court" over "Munich court"); across categories
    # overlaps are meaningful ("Hong Kong" is both a country code and a Chinese region) and kept.
    spans.sort(key=lambda s: (s.start_char, -(s.end_char - s.start_char)))
    kept: list[Span] = []
    for s in spans:
        if any(k.label_ == s.label_ and k.start_char <= s.start_char and s.end_char <= k.end_char
               and (k.start_char, k.end_char) != (s.start_char, s.end_char) for k in kept[-8:]):
            continue
        if any(k.label_ == s.label_ and (k.start_char, k.end_char) == (s.start_char, s.end_char) for k in kept[-8:]):
            continue
        kept.append(s)
    return kept


@Language.factory("ipradar_gazetteer", default_config={"lang": "en"})
def make_gazetteer(nlp: Language, name: str, lang: str) -> GazetteerMatcher:
    return GazetteerMatcher(nlp, lang)


# -- identifiers ---------------------------------------------------------------------------------------------------
Gated = tuple[tuple[str, ...] | None, re.Pattern[str]]  # (literal pre-check, regex): see lexicon.leads


@dataclass
class _Compiled:
    case_numbers: list[tuple[Gated, dict[str, Any]]] = field(default_factory=list)
    patents: list[tuple[Gated, dict[str, Any]]] = field(default_factory=list)
    remedies: list[tuple[Gated, str]] = field(default_factory=list)
    money: list[Gated] = field(default_factory=list)
    deadlines: Gated | None = None


def _gated(regex: str, flags: int = 0) -> Gated:
    return leads(regex), re.compile(regex, flags)


@cache
def compiled_identifiers() -> _Compiled:
    p = patterns("identifiers")
    out = _Compiled()
    out.case_numbers = [(_gated(c["regex"]), c) for c in p["case_numbers"]]
    out.patents = [(_gated(c["regex"]), c) for c in p["patents"]]
    out.remedies = [(_gated(r["regex"], re.IGNORECASE), r["code"]) for r in p["remedies"]]
    out.money = [(tuple(m["gate"]) if m.get("gate") else None, re.compile(m["regex"], re.IGNORECASE))
                 for m in p["money"]]
    deadlines = compile_any(p["deadlines"])
    if deadlines is not None:
        out.deadlines = (tuple(p["deadline_gate"]) if p.get("deadline_gate") else None, deadlines)
    return out


def _uniq(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def money_usd(match: re.Match[str]) -> float | None:
    p = patterns("identifiers")
    num_text = match.group("num").replace(",", "")
    try:
        value = float(num_text)
    except ValueError:
        return None
    cur = match.group("cur").strip().rstrip(".")
    rate = p["currency_usd"].get(cur) or p["currency_usd"].get(cur.upper()) or p["currency_usd"].get(cur.lower())
    if rate is None:
        return None
    mult_text = match.group("mult")
    mult = p["multipliers"].get(mult_text.lower() if mult_text and mult_text.isascii() else mult_text, 1.0) \
        if mult_text else 1.0
    return value * float(mult) * float(rate)


class IdentifierMatcher:
    """Case numbers, patent numbers, remedies, money amounts and response deadlines (regexes from patterns/)."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        lowered = text.lower()  # for the literal pre-checks: most documents name no case number at all
        c = compiled_identifiers()
        cases: list[dict[str, str]] = []
        seen: set[str] = set()
        for (gate, rx), spec in c.case_numbers:
            if not may_match(gate, lowered):
                continue
            for m in rx.finditer(text):
                number = spec["normalise"].format(**{k: v for k, v in m.groupdict().items() if v is not None})
                if spec["kind"] == "usitc_pre" and f"337-TA-{number[4:]}" in seen:
                    continue
                if number not in seen:
                    seen.add(number)
                    cases.append({"number": number, "kind": spec["kind"], "forum": spec["forum"],
                                  "jurisdiction": spec["jurisdiction"]})
        pats = _uniq(spec["normalise"].format(**{k: v.replace(" ", "") for k, v in m.groupdict().items() if v})
                     for (gate, rx), spec in c.patents if may_match(gate, lowered) for m in rx.finditer(text))
        remedies = _uniq(code for (gate, rx), code in c.remedies if may_match(gate, lowered) and rx.search(text))
        money: list[dict[str, Any]] = []
        for gate, rx in c.money:
            if not may_match(gate, lowered):
                continue
            for m in rx.finditer(text):
                usd = money_usd(m)
                if usd is not None and usd >= 1000:
                    money.append({"text": m.group(0).strip(), "usd": round(usd, 2)})
        deadlines = [int(n) for m in (c.deadlines[1].finditer(text)
                                      if c.deadlines and may_match(c.deadlines[0], lowered) else [])
                     for n in m.groups() if n and n.isdigit()]
        data = info(doc)
        data.update({"case_numbers": cases, "patents": pats, "remedies": remedies,
                     "money": money[:20], "deadline_days": deadlines})
        return doc


@Language.factory("ipradar_identifiers")
def make_identifiers(nlp: Language, name: str) -> IdentifierMatcher:
    return IdentifierMatcher()


# -- parties with roles --------------------------------------------------------------------------------------------
_COMPANY_SUFFIX = r"(?:Co\.?,?\s*Ltd\.?|Company,? Limited|Co\.?,? Limited|Limited|Ltd\.?|LLC|L\.L\.C\.|Inc\.?|Incorporated|Corp(?:oration|\.)?|Company|GmbH|AG|S\.A\.|SE|B\.V\.|N\.V\.|Oy|AB|plc|PLC|Pte\.? Ltd\.?|S\.A\.S\.|LP|L\.P\.|Holdings?)"
_FILED_BY = re.compile(r"(?:(?:complaint|petition|request)s?(?: was| were)? filed by|filed (?:with [^,;]{3,60}? )?(?:on [A-Z][a-z]+ \d{1,2}, \d{4},? )?(?:under [^,;]{3,60}?,? )?on behalf of) (?P<list>.+?)(?:,? on (?:or about )?[A-Z][a-z]+\.? \d{1,2}, \d{4}|(?<!Inc)(?<!Co)(?<!Ltd)(?<!Corp)(?<!L\.L\.C)(?<!\b[A-Z])\. |\n|$)", re.DOTALL)
_RESPONDENTS_BLOCK = re.compile(r"(?:following|named|identified)?(?: as)? ?respondents?(?: in this investigation| named in the investigation| are| is)?(?: the following)?(?: entities)?[^:\n]{0,80}:\s*\n?(?P<block>(?:[^\n]+(?:\n|$)){1,60})", re.IGNORECASE)
_RESPONDENT_INLINE = re.compile(r"identified (?P<list>[^.]{3,300}?(?:Ltd\.|Inc\.|[^.])*?),? as (?:the )?(?:sole )?respondents?")
_BLOCK_END = re.compile(r"^\s*(?:By |The |USITC|Under |An? |This |In |On |Supplements?|Notice|FOR FURTHER|SUPPLEMENTARY|\(\d\) (?:The )?(?:Office|Commission))")
_V_PATTERN = re.compile(r"(?P<a>(?:[A-Z0-9][\w&.'’,-]*\s){0,7}[A-Z0-9][\w&.'’-]*(?:\s" + _COMPANY_SUFFIX + r")?)\s+(?:v\.?|vs\.?|versus)\s+(?P<b>[A-Z0-9][\w&.'’-]*(?:,?\s(?:[A-Z0-9(][\w&.'’()-]*|&|of|and|de|et al\.?)){0,8})")
_V_WORD = re.compile(r"\s(?:v\.?|vs\.?|versus)\s")  # the cheap necessary part of _V_PATTERN
_ZH_SUE = re.compile(r"(?P<a>[\u4e00-\u9fffA-Za-z0-9]{2,20}?)(?:在[\u4e00-\u9fff]{1,12})?(?:起诉|控告|状告)(?P<b>[\u4e00-\u9fffA-Za-z0-9]{2,16}?)(?=侵|[,，。、;；]|的|在|专利|商标|违反)")
_ZH_DEFENDANTS = re.compile(r"(?:列名被告|被告|被申请人|被诉方|应诉方)(?:包括|为|是|:|：)?(?P<list>[^。\n]{2,200})")
_ZH_LISTED = re.compile(r"(?P<list>[^。\n:：]{2,120}?)(?:等)?(?:为|被列为|成为)(?:列名)?(?:被告|被申请人)")


def _split_list(block: str) -> list[str]:
    block = re.sub(r"^\s*(?:[-•*·]|\(\w{1,3}\)|\d{1,2}[.)])\s*", "", block, flags=re.MULTILINE)
    parts = re.split(r";\s*(?:and\s+)?|\n+|\s+and\s+(?=[A-Z])", block)
    return [p.strip(" ,.;") for p in parts if p.strip(" ,.;")]


_ZH_CO_NAME = re.compile(r"[\u4e00-\u9fffA-Za-z()（）]{2,30}?(?:股份有限公司|有限责任公司|有限公司|集团公司|公司)")


def _split_zh_list(block: str) -> list[str]:
    """Company names in a Chinese list: gazetteer names and "...有限公司" names only (free text around them is noise)."""
    _index, rx = _company_index()
    names = [m.group(0) for m in _ZH_CO_NAME.finditer(block)]
    covered = "".join(names)
    names += [m.group(0) for m in rx.finditer(block) if m.group(0) not in covered]
    return [n.strip("(（)） ") for n in names if 1 < len(n.strip()) <= 40]


_OF_ADDRESS = re.compile(r"^(?P<name>.+?)(?:,? of |, )(?P<addr>(?:[A-Z][\w.'’-]*\s?){1,4}(?:,\s*(?:[A-Z][\w.'’-]*\s?){1,4}){0,3})$")


def _name_and_address(entry: str) -> tuple[str, str | None]:
    entry = re.sub(r"\s+", " ", entry).strip()
    m = re.match(r"^(?P<name>.+?" + _COMPANY_SUFFIX + r")(?:,? (?:of |located in |based in )?|\s+)(?P<addr>.*)$", entry)
    if m and m.group("addr"):
        return m.group("name").strip(" ,"), m.group("addr").strip(" ,") or None
    m2 = _OF_ADDRESS.match(entry)
    if m2:
        return m2.group("name").strip(" ,"), m2.group("addr").strip(" ,")
    return entry, None


class PartyExtractor:
    """Parties with roles from the usual phrasings: "X v. Y", "complaint filed by ...", respondent lists, 起诉/被告."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        head = text[:30000].lower()  # literal pre-checks: most texts have none of these phrasings
        parties: list[dict[str, Any]] = []

        def add(name: str, role: str, role_raw: str, address: str | None = None) -> None:
            name = name.strip(" ,.;:-\n\t\"'“”")
            if re.search(r"\b(?:Ltd|Inc|Co|Corp|L\.L\.C|S\.A|B\.V|N\.V|Pte)$", name):
                name += "."  # the abbreviation's own full stop, eaten by the strip above
            if len(name) < 2 or len(name) > 160:
                return
            if any(p["name"] == name for p in parties):
                return
            parties.append({"name": name, "role": role, "role_raw": role_raw, "address": address})

        for m in (_FILED_BY.finditer(text[:20000]) if "filed" in head or "on behalf of" in head else ()):
            for entry in _split_list(m.group("list")):
                name, addr = _name_and_address(entry)
                add(name, "plaintiff", "complainant", addr)
        has_respondent = "respondent" in head
        for m in (_RESPONDENT_INLINE.finditer(text[:30000]) if has_respondent else ()):
            for entry in _split_list(m.group("list")):
                name, addr = _name_and_address(entry)
                add(name, "defendant", "respondent", addr)
        for m in (_RESPONDENTS_BLOCK.finditer(text[:30000]) if has_respondent else ()):
            lines = []
            for n, line in enumerate(m.group("block").split("\n")):
                if not line.strip() or (n and _BLOCK_END.match(line)):
                    break
                lines.append(line)
            block = "\n".join(lines)
            for entry in _split_list(block)[:80]:
                name, addr = _name_and_address(entry)
                if re.search(r"\b(?:USITC|investigation|Commission)\b", name):
                    continue
                add(name, "defendant", "respondent", addr)
        for m in (_V_PATTERN.finditer(text[:5000]) if _V_WORD.search(text[:5000]) else ()):
            a = re.sub(r"^(?:In|The|In re|Case|Re)\s+", "", m.group("a")).strip()
            b = re.split(r"\s+(?:No\.|Case|\(|\[|,\s*(?:No|Case|\d))", m.group("b"))[0]
            add(a, "plaintiff", "v.")
            add(b, "defendant", "v.")
        if self.lang == "zh":
            for m in _ZH_SUE.finditer(text[:10000]):
                for group, role in (("a", "plaintiff"), ("b", "defendant")):
                    raw = m.group(group)
                    for cname in _split_zh_list(raw) or ([raw] if len(raw) <= 6 else []):
                        add(cname, role, "起诉")
            for m in _ZH_DEFENDANTS.finditer(text[:10000]):
                for cname in _split_zh_list(m.group("list"))[:30]:
                    add(cname, "defendant", "被告")
            for m in _ZH_LISTED.finditer(text[:10000]):
                for cname in _split_zh_list(m.group("list"))[:30]:
                    add(cname, "defendant", "列名被告")
        for p in parties:
            p["country"], p["city"] = party_country(p["name"], p.get("address"))
        info(doc)["parties"] = parties
        return doc


@cache
def _place_index() -> tuple[dict[str, str], re.Pattern[str]]:
    places = gazetteer("cn_places")
    index: dict[str, str] = {}
    for p in [*places["provinces"], *places["cities"]]:
        index[p["en"].lower()] = p["country"]
        index[p["zh"]] = p["country"]
    for n, code in [*places["extra_en"].items(), *places["extra_zh"].items()]:
        index[n.lower()] = code
    names = sorted(index, key=len, reverse=True)
    rx = re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(n) for n in names) + r")(?![a-z])", re.IGNORECASE)
    return index, rx


@cache
def _company_index() -> tuple[dict[str, tuple[str, str]], re.Pattern[str]]:
    comp = gazetteer("companies")
    index: dict[str, tuple[str, str]] = {}
    for c in [*comp["chinese"], *comp["foreign"]]:
        for n in [c["name_en"], *c["aliases_en"], c["name_zh"], *c["aliases_zh"]]:
            if n and len(n) >= 2:
                index[n.lower()] = (c["key"], c["country"])
    names = sorted(index, key=len, reverse=True)
    rx = re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z])", re.IGNORECASE)
    return index, rx


_COUNTRY_WORDS = {"united states": "US", "usa": "US", "u.s.": "US", "u.s.a.": "US", "china": "CN", "p.r. china": "CN", "prc": "CN", "people's republic of china": "CN", "hong kong": "HK",
                  "hong kong sar": "HK", "macau": "MO", "macao": "MO", "taiwan": "TW", "japan": "JP", "korea": "KR",
                  "south korea": "KR", "republic of korea": "KR", "germany": "DE", "india": "IN", "canada": "CA",
                  "united kingdom": "GB", "uk": "GB", "france": "FR", "netherlands": "NL", "finland": "FI",
                  "sweden": "SE", "singapore": "SG", "israel": "IL", "switzerland": "CH", "vietnam": "VN",
                  "malaysia": "MY", "thailand": "TH", "mexico": "MX", "australia": "AU", "italy": "IT", "spain": "ES",
                  "ireland": "IE", "brazil": "BR", "中国": "CN", "香港": "HK", "澳门": "MO", "台湾": "TW", "日本": "JP",
                  "韩国": "KR", "德国": "DE", "美国": "US", "印度": "IN", "芬兰": "FI", "瑞典": "SE", "英国": "GB",
                  "法国": "FR", "荷兰": "NL"}
_US_STATES = re.compile(r"\b(?:Alabama|Alaska|Arizona|Arkansas|California|CA|Colorado|Connecticut|Delaware|Florida|Georgia|"
                        r"Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
                        r"Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
                        r"New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
                        r"Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
                        r"West Virginia|Wisconsin|Wyoming|D\.C\.|NY|NJ|TX|FL|IL|WA|MA|NC|GA|PA|OH|MI|MN|DE|VA|MD|AZ|"
                        r"CO|UT|OR|NV|USA|United States|U\.S\.A?\.?)\b")


def party_country(name: str, address: str | None) -> tuple[str | None, str | None]:
    """Country (ISO alpha-2) and city of a party from its address, a Chinese place in its name, or the gazetteer."""
    places, place_rx = _place_index()
    taiwan = re.compile(patterns("context")["cn_party"]["taiwan"])
    if address:
        tail = address.split(",")[-1].strip().lower()
        if tail in _COUNTRY_WORDS:
            city = address.split(",")[0].strip() or None
            return _COUNTRY_WORDS[tail], city
        if taiwan.search(address):
            return "TW", address.split(",")[0].strip() or None
        m = place_rx.search(address)
        if m:
            return places[m.group(0).lower()], m.group(0)
        if _US_STATES.search(address):
            return "US", address.split(",")[0].strip() or None
    if taiwan.search(name):
        return "TW", None
    comp_index, comp_rx = _company_index()
    m = comp_rx.search(name)
    if m:
        _key, country = comp_index[m.group(0).lower()]
        # a subsidiary named with a Chinese place ("Lenovo (United States) Inc.") keeps its own seat
        paren = re.search(r"\(([^)]+)\)", name)
        if paren and paren.group(1).lower() in _COUNTRY_WORDS:
            return _COUNTRY_WORDS[paren.group(1).lower()], None
        if paren and paren.group(1).lower() in places:
            return places[paren.group(1).lower()], paren.group(1)
        return country, None
    m = place_rx.search(name)
    if m and (re.search(_COMPANY_SUFFIX + r"|公司|集团|厂", name) or name.startswith(m.group(0))):
        return places[m.group(0).lower()], m.group(0)
    return None, None


@Language.factory("ipradar_parties", default_config={"lang": "en"})
def make_parties(nlp: Language, name: str, lang: str) -> PartyExtractor:
    return PartyExtractor(lang)
