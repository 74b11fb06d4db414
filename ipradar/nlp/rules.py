"""Precise rules over the gazetteer spans and lexicons: jurisdictions, industry and risk cues, relevance cues, the
Chinese party and its side. Registered as the spaCy component ``ipradar_signals``; classifiers consume its output."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .components import doc_text, gazetteer_spans, info
from .lexicon import Hit, LexiconMatcher, leads, may_match, outside
from .resources import CN_REGIONS, INDUSTRIES, RISK_TYPES, companies, patterns

# a full stop ends a sentence unless it closes a usual abbreviation ("sued BeiGene Ltd. and ...", "U.S. Patent No. 9")
_SENT_SPLIT = re.compile(r"(?<=[.!?。!?;；])(?<!\bLtd\.)(?<!\bInc\.)(?<!\bCo\.)(?<!\bCorp\.)(?<!\bNo\.)(?<!\bNos\.)"
                         r"(?<!\bv\.)(?<!\bvs\.)(?<!\bU\.S\.)(?<!\bSt\.)(?<!\bDr\.)(?<!\bMr\.)(?<!\bPat\.)\s+|\n+")


def lexicon_groups() -> dict[str, list[str]]:
    """Named regex groups of the industry and risk lexicons (patterns/industries.json, patterns/risks.json)."""
    ind = patterns("industries")
    risk = patterns("risks")
    groups: dict[str, list[str]] = {}
    for label, spec in ind["industries"].items():
        groups[f"ind:{label}:strong"] = spec["strong"]
        groups[f"ind:{label}:weak"] = spec["weak"]
    for label, block in ind["block"].items():
        groups[f"ind:{label}:block"] = block
    for label, spec in risk["risk_types"].items():
        for part in ("strong", "cue", "context", "negative"):
            groups[f"risk:{label}:{part}"] = spec.get(part, [])
    groups["ip_general"] = risk["ip_general"]
    groups["non_ip"] = risk["non_ip"]
    return groups


@cache
def context_rx() -> dict[str, Any]:
    c = patterns("context")
    j, cp, roles = c["jurisdiction"], c["cn_party"], c["roles"]
    from .components import _place_index
    from .resources import gazetteer

    # the place names as written (the place index keys are lowercased for lookups, but these regexes are
    # case-sensitive: built from those keys they only ever matched "shenzhen", never "Shenzhen")
    places = gazetteer("cn_places")
    names = {p["en"] for p in [*places["provinces"], *places["cities"]]} | set(places["extra_en"]) | {"Hong Kong", "Macau"}
    places_rx = "|".join(re.escape(p) for p in sorted({n for n in names if n.isascii()}, key=len, reverse=True))
    flags = re.IGNORECASE
    return {
        "en_left": re.compile(j["en_left"], flags), "en_right": re.compile(j["en_right"], flags),
        "demonym_right": re.compile(j["demonym_right"], flags), "zh_left": re.compile(j["zh_left"]),
        "zh_right": re.compile(j["zh_right"]),
        "zh_short": [(re.compile(r), code) for r, code in zip(j["zh_short"], j["zh_short_codes"], strict=True)],
        "en_demonym_party": re.compile(cp["en_demonym_party"], flags),
        "en_charged": re.compile(cp["en_charged"], flags),
        "en_company_place": re.compile(cp["en_company_place"].replace("PLACES", places_rx)),
        "en_paren_place": re.compile(cp["en_paren_place"].replace("PLACES", places_rx)),
        "en_address": re.compile(cp["en_address"].replace("PLACES", places_rx)),
        "zh_party": re.compile(cp["zh_party"]), "zh_company": re.compile(cp["zh_company"]),
        "taiwan": re.compile(cp["taiwan"]),
        "en_place_party": re.compile(cp["en_place_party"].replace("PLACES", places_rx)),
        "zh_place_party": re.compile(cp["zh_place_party"].replace("ZHPLACES", "|".join(
            re.escape(p) for p in sorted({k for k in _place_index()[0] if not k.isascii()}, key=len, reverse=True)))),
        "plaintiff_after": re.compile(roles["plaintiff_after"], flags),
        "plaintiff_before": re.compile(roles["plaintiff_before"], flags),
        "defendant_before": re.compile(roles["defendant_before"], flags),
        "defendant_after": re.compile(roles["defendant_after"], flags),
        "foreign_cues": re.compile(c["domestic_foreign_cues"], flags),
        "not_relevant": re.compile(c["not_relevant"], flags),
        "implementer": re.compile(roles["implementer_context"], flags),
        # literal pre-checks (lexicon.leads): skip a regex when none of its possible starts is in the text
        "gates": {"zh_party": leads(cp["zh_party"]), "en_demonym_party": leads(cp["en_demonym_party"]),
                  "en_charged": ("chinese",)},
    }


# -- jurisdiction --------------------------------------------------------------------------------------------------
_ZH_RIGHT_NEAR = re.compile(r"^[^。,，;；]{0,14}?(?:法院|起诉|诉讼|禁售|禁令|被诉|海关|陪审团|提起|发起)")
_ZH_RIGHT_NOW = re.compile(r"^(?:的)?(?:法院|法官|禁售|禁令|海关|陪审团|专利局|知识产权局|商标局|最高法院|高等法院|地区法院|"
                           r"市场|禁止|停售|下架|司法|政府|立法|出台|发布|起诉|诉讼|专利诉讼)")
_ENUM_SEP = re.compile(r"^\s*(?:、|,|，|和|及|与|以及|and|or)\s*$")


def jurisdiction_evidence(doc: Doc, party_spans: list[tuple[int, int]]) -> dict[str, float]:
    """Jurisdiction code -> evidence score. Forums and case numbers count 3, a country named in a legal context 2
    ("German court", "banned in India", "在德国起诉"), weak forums (ministries, prosecutors) 1. Bare mentions are kept
    as "mention:XX" for the fallback; "context:XX" marks codes that rest on context alone."""
    text = doc_text(doc)
    cx = context_rx()
    zh = doc.lang_ == "zh"
    score: Counter[str] = Counter()

    def in_party(s: Span) -> bool:
        return any(a <= s.start_char < b for a, b in party_spans)

    country_spans = [s for s in gazetteer_spans(doc) if s.label_ in ("COUNTRY", "DEMONYM") and not in_party(s)]
    hits: dict[int, bool] = {}
    for i, s in enumerate(country_spans):
        left = text[max(0, s.start_char - 40): s.start_char]
        right = text[s.end_char: s.end_char + 60]
        if zh:
            hit = bool(_ZH_RIGHT_NOW.match(right)) or bool(cx["zh_left"].search(left) and _ZH_RIGHT_NEAR.match(right))
        elif s.label_ == "DEMONYM":
            hit = bool(cx["demonym_right"].search(right))
        else:
            hit = bool(cx["en_left"].search(left)) or bool(cx["en_right"].search(right))
        if s.kb_id_ == "CN" and hit:
            # China as the place of suit must be explicit ("Chinese court", "在中国起诉"); "in China" alone is
            # usually where goods are made
            hit = bool(re.match(r"^(?:'s|’s)?\s*(?:courts?|judges?|的?法院|起诉|诉讼|提起)", right)) or \
                bool(re.search(r"(?:filed|sued|suit|lawsuits?|litigation|proceedings?|actions?) in\s+$", left))
        hits[i] = hit
    # an enumeration ("在印度、法国、德国等9个国家起诉", "in Belgium, Germany and Italy") shares its context
    for i in range(len(country_spans)):
        for j in (i - 1, i + 1):
            if 0 <= j < len(country_spans) and hits.get(j) and not hits[i]:
                a, b = sorted((country_spans[i], country_spans[j]), key=lambda x: x.start_char)
                if _ENUM_SEP.match(text[a.end_char:b.start_char]):
                    hits[i] = True
    for _ in range(3):  # propagate along longer lists
        for i in range(len(country_spans) - 1):
            a, b = country_spans[i], country_spans[i + 1]
            if (hits[i] or hits[i + 1]) and _ENUM_SEP.match(text[a.end_char:b.start_char]):
                hits[i] = hits[i + 1] = True
    for i, s in enumerate(country_spans):
        code = s.kb_id_
        if code in ("HK", "MO", "TW"):
            continue
        if hits[i]:
            score[code] += 2
            score[f"context:{code}"] += 1
        else:
            score[f"mention:{code}"] += 1
    for s in gazetteer_spans(doc):
        if s.label_ == "FORUM":
            score[_forum_jur(s.kb_id_)] += 3
            score[f"forum:{_forum_jur(s.kb_id_)}"] += 1
        elif s.label_ == "FORUM_WEAK":
            score[_forum_jur(s.kb_id_)] += 1
        elif s.label_ == "CN_PLACE" and s.kb_id_ == "CN" and not in_party(s):
            left = text[max(0, s.start_char - 40): s.start_char]
            if not zh and re.search(r"(?:filed|sued|suit|lawsuits?|litigation|proceedings?|actions?|courts?|"
                                    r"injunctions?|ASIs?) in\s+$", left):
                score["CN"] += 2
                score["context:CN"] += 1
    if zh:
        for rx, code in cx["zh_short"]:
            if rx.search(text):
                score[code] += 2
                score[f"context:{code}"] += 1
    for case in info(doc).get("case_numbers", []):
        score[case["jurisdiction"]] += 3
        score[f"forum:{case['jurisdiction']}"] += 1
    return {k: float(v) for k, v in score.items()}


UPC_STATES = {"AT", "BE", "BG", "DK", "EE", "FI", "FR", "DE", "IT", "LV", "LT", "LU", "MT", "NL", "PT", "SI", "SE",
              "RO"}


@cache
def _forum_table() -> dict[str, str]:
    from .resources import gazetteer

    return {f["code"]: f["jurisdiction"] for f in gazetteer("forums")["forums"]} | {"DE": "DE"}


def _forum_jur(code: str) -> str:
    return _forum_table().get(code, code)


def decide_jurisdictions(evidence: dict[str, float], foreign_countries: list[str]) -> list[str]:
    codes = {k for k in evidence if ":" not in k}
    strong = {k for k in codes if evidence[k] >= 2}
    if "UPC" in strong:
        # a UPC order lists the member states it covers; those are not separate forums
        strong = {k for k in strong if k not in UPC_STATES or evidence.get(f"forum:{k}")}
    if not strong:
        strong = {k for k in codes if evidence[k] >= 1}
    if not strong:
        mentions = {k.split(":")[1]: v for k, v in evidence.items() if k.startswith("mention:")}
        mentions = {k: v for k, v in mentions.items() if k not in CN_REGIONS and k != "TW"}
        if mentions:
            strong = {max(mentions.items(), key=lambda kv: kv[1])[0]}
    if not strong and foreign_countries:
        # no forum and no place named: the counterparty's home is the likeliest forum (AbbVie sues → US)
        strong = {Counter(foreign_countries).most_common(1)[0][0]}
    return sorted(strong)


# -- industries and risks ------------------------------------------------------------------------------------------
LEXICON_CHARS = 8000  # industries are named near the top; scanning megabytes of boilerplate adds only noise


def industry_scores(hits: Mapping[str, list[Hit]], title_len: int, company_keys: list[str],
                    lexical: dict[str, float] | None = None) -> dict[str, float]:
    """Lexicon score per industry: distinct strong cues (title ones count again), their number, weak cues; plus the
    industry prior of named companies."""
    out: dict[str, float] = {}
    for label in INDUSTRIES:
        blocked = hits.get(f"ind:{label}:block", [])
        strong = [h for h in outside(hits.get(f"ind:{label}:strong", []), blocked) if h.end <= LEXICON_CHARS]
        weak = [h for h in outside(hits.get(f"ind:{label}:weak", []), blocked) if h.end <= LEXICON_CHARS]
        title_hits = {h.key for h in strong if h.end <= title_len}
        s = 2.0 * len(title_hits) + 2.0 * min(len({h.key for h in strong}), 3) + 0.5 * min(len(strong), 6)
        s += 0.5 * min(len({h.key for h in weak}), 3)
        out[label] = s
    if lexical is not None:
        lexical.update(out)
    comp = companies()
    weights = patterns("industries")["company_weight"]
    for key in dict.fromkeys(company_keys):
        for label in comp.get(key, {}).get("industries", [])[:1]:
            out[label] = out.get(label, 0.0) + float(weights.get(key, 1.0))
    return out


def _sentence_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _SENT_SPLIT.finditer(text))]


def risk_hits(hits: Mapping[str, list[Hit]], text: str, title_len: int) -> dict[str, int]:
    """Risk label -> number of distinct strong hits plus sentences where a cue meets its context (a sentence of the
    title counts twice: the title is where the item says what it is about)."""
    out: dict[str, int] = {}
    starts: list[int] | None = None
    for label in RISK_TYPES:
        strong = outside(hits.get(f"risk:{label}:strong", []), hits.get(f"risk:{label}:negative", []))
        n = len({h.key for h in strong})
        cue, ctx = hits.get(f"risk:{label}:cue", []), hits.get(f"risk:{label}:context", [])
        if cue and ctx:
            starts = starts if starts is not None else _sentence_starts(text)
            with_cue = {bisect_right(starts, h.start) for h in cue}
            with_ctx = {bisect_right(starts, h.start) for h in ctx}
            both = with_cue & with_ctx
            n += len(both) + sum(1 for i in both if starts[i - 1] < title_len)
        out[label] = n
    return out


# -- Chinese party and side ----------------------------------------------------------------------------------------
@dataclass
class CnMention:
    start: int
    end: int
    key: str  # company key, "place", "demonym", "name-pattern", "party"
    text: str


def cn_mentions(doc: Doc) -> list[CnMention]:
    text = doc_text(doc)
    cx = context_rx()
    out: list[CnMention] = []
    for s in gazetteer_spans(doc):
        if s.label_ == "CN_CO":
            left = text[max(0, s.start_char - 12): s.start_char]
            if cx["taiwan"].search(left):
                continue
            out.append(CnMention(s.start_char, s.end_char, s.kb_id_, s.text))
    lowered = text.lower()
    gates = cx["gates"]
    if doc.lang_ == "zh":
        for m in (cx["zh_party"].finditer(text) if may_match(gates["zh_party"], lowered) else ()):
            out.append(CnMention(m.start(), m.end(), "demonym", m.group(0)))
        for m in cx["zh_place_party"].finditer(text):
            out.append(CnMention(m.start(), m.end(), "demonym", m.group(0)))
        for m in (cx["zh_company"].finditer(text) if "公司" in text else ()):
            name = m.group(0)
            if cx["taiwan"].search(name) or re.search(r"美国|德国|日本|韩国|英国|法国|荷兰|芬兰|瑞典", name) \
                    or any(f in name for f in _foreign_zh_names()):
                continue
            # a "...有限公司" in a Chinese text is a PRC company unless named as foreign or Taiwanese
            out.append(CnMention(m.start(), m.end(), "name-pattern", name))
    else:
        for rx_name in ("en_demonym_party", "en_charged", "en_place_party"):
            if not may_match(gates.get(rx_name), lowered):
                continue
            for m in cx[rx_name].finditer(text):
                out.append(CnMention(m.start(), m.end(), "demonym", m.group(0)))
        for rx_name in ("en_company_place", "en_paren_place"):
            for m in cx[rx_name].finditer(text):
                left = text[max(0, m.start() - 15): m.start()]
                if cx["taiwan"].search(m.group(0)) or cx["taiwan"].search(left):
                    continue
                out.append(CnMention(m.start(), m.end(), "name-pattern", m.group(0)))
    return out


@cache
def _foreign_zh_names() -> tuple[str, ...]:
    from .resources import gazetteer

    return tuple(n for c in gazetteer("companies")["foreign"] for n in [c["name_zh"], *c["aliases_zh"]]
                 if n and not n.isascii())


def _role_of_mention(text: str, m: CnMention) -> tuple[int, int]:
    """(plaintiff evidence, defendant evidence) from the words around one mention.

    A cue right before the mention ("against X", "起诉X", "filed by X") is decisive; otherwise the first role verb
    after it in the same sentence decides. LABELING.md: an implementer suing for a FRAND rate or an anti-suit
    injunction is still the defending side.
    """
    cx = context_rx()
    sent_start = max(text.rfind(ch, 0, m.start) for ch in ".。!?!?\n") + 1
    left = text[max(sent_start, m.start - 60): m.start]
    ends = [i for i in (text.find(ch, m.end) for ch in "。!?!?\n") if i >= 0]
    right = text[m.end: min([m.end + 90, *ends])]
    if cx["defendant_before"].search(left):
        return 0, 1
    if cx["plaintiff_before"].search(left):
        return 1, 0
    pm, dm = cx["plaintiff_after"].search(right), cx["defendant_after"].search(right)
    if pm and (not dm or pm.end() <= dm.end()):
        sentence = text[sent_start: min([m.end + 200, *ends])]
        if cx["implementer"].search(sentence) and not re.search(r"injunction|verdict|judgment|award|禁令", pm.group(0)):
            return 0, 1
        return 1, 0
    if dm:
        return 0, 1
    return 0, 0


def cn_party(doc: Doc, parties: list[dict[str, Any]], structured: list[dict[str, Any]]) -> dict[str, Any]:
    """LABELING.md's cn_party: involved (PRC/HK/Macau party) and side, with the evidence used."""
    text = doc_text(doc)
    evidence: list[str] = []
    plaintiff_keys: set[str] = set()
    defendant_keys: set[str] = set()
    for p in structured:
        if (p.get("country") or "").upper() in CN_REGIONS:
            (plaintiff_keys if p.get("role") == "plaintiff" else defendant_keys).add(str(p.get("name")))
            evidence.append(f"structured party {p.get('name')} ({p.get('role')})")
    for p in parties:
        if p.get("country") in CN_REGIONS and p["role"] in ("plaintiff", "defendant"):
            (plaintiff_keys if p["role"] == "plaintiff" else defendant_keys).add(p["name"])
            evidence.append(f"{p['role_raw']} {p['name']}")
    foreign_party_names = [p["name"] for p in parties if p.get("country") and p["country"] not in CN_REGIONS]
    mentions = [m for m in cn_mentions(doc) if not any(m.text in n for n in foreign_party_names)]
    per_key: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for m in mentions:
        pe, de = _role_of_mention(text, m)
        ident = m.key if m.key not in ("demonym", "name-pattern") else m.text.lower()
        per_key[ident][0] += pe
        per_key[ident][1] += de
    involved = bool(plaintiff_keys or defendant_keys or mentions)
    if mentions:
        evidence.append("mentions: " + ", ".join(dict.fromkeys(m.text for m in mentions[:6])))
    side: str | None = None
    if plaintiff_keys or defendant_keys:
        side = "both" if plaintiff_keys and defendant_keys else "plaintiff" if plaintiff_keys else "defendant"
        # free-text roles may add the other side ("Autel's subsidiary asked for a 337 probe of DJI")
    if involved and side is None:
        pl = {k for k, (pe, de) in per_key.items() if pe > de}
        df = {k for k, (pe, de) in per_key.items() if de > pe}
        side = "both" if pl and df else "plaintiff" if pl else "defendant"
    pudong = any(s.label_ == "PUDONG" for s in gazetteer_spans(doc))
    return {"involved": involved, "side": side if involved else None, "evidence": evidence[:8],
            "shanghai_pudong": pudong, "mentions": len(mentions)}


# -- the component -------------------------------------------------------------------------------------------------
class Signals:
    def __init__(self, nlp: Language) -> None:
        self.lexicon = LexiconMatcher(nlp, lexicon_groups())

    def __call__(self, doc: Doc) -> Doc:
        data = info(doc)
        text = doc_text(doc)
        title = text.split("\n", 1)[0]
        parties: list[dict[str, Any]] = data.get("parties", [])
        party_spans = []
        for p in parties:
            if p.get("address"):
                i = text.find(p["address"])
                if i >= 0:
                    party_spans.append((i, i + len(p["address"])))
        jev = jurisdiction_evidence(doc, party_spans)
        gaz = gazetteer_spans(doc)
        company_keys = [s.kb_id_ for s in gaz if s.label_ in ("CN_CO", "FOREIGN_CO")]
        cx = context_rx()
        hits = self.lexicon(doc, text)
        lexical: dict[str, float] = {}
        data["signals"] = {
            "jurisdiction_evidence": jev,
            "jurisdictions": decide_jurisdictions(jev, [companies()[s.kb_id_]["country"] for s in gaz
                                                        if s.label_ == "FOREIGN_CO"]),
            "forums": list(dict.fromkeys(s.kb_id_ for s in gaz
                                         if s.label_ in ("FORUM", "FORUM_WEAK"))),
            "industry_scores": industry_scores(hits, len(title), company_keys, lexical),
            "industry_lexical": lexical,  # the same scores before the company prior
            "risk_hits": risk_hits(hits, text, len(title)),
            "ip_general": len(hits["ip_general"]),
            "non_ip": len(hits["non_ip"]),
            "foreign_cue": bool(cx["foreign_cues"].search(text)),
            "not_relevant_cue": len(cx["not_relevant"].findall(text)),
            "foreign_companies": sorted({s.kb_id_ for s in gaz if s.label_ == "FOREIGN_CO"}),
            "cn_companies": sorted({s.kb_id_ for s in gaz if s.label_ == "CN_CO"}),
        }
        data["cn_party"] = cn_party(doc, parties, data.get("structured_parties", []))
        return doc


@Language.factory("ipradar_signals")
def make_signals(nlp: Language, name: str) -> Signals:
    return Signals(nlp)
