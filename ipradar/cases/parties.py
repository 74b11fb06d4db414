"""Party names → entity keys, through the NLP resolver when it is installed, else a small honest fallback.

The fallback strips legal-form suffixes and place prefixes ("Shenzhen TCL New Technologies Co., Ltd." → "tcl") and
knows the Chinese and English names of the companies the sub-centre's clients meet most often, so that an English
and a Chinese report of one dispute resolve to the same keys. Every decision is returned with its method and score
so the ``party_alias`` table can record it.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

FALLBACK_VERSION = "cases-fallback-1"


@dataclass(frozen=True)
class Resolved:
    key: str  # entity key: "huawei", "nokia", "tcl"
    name: str  # display name
    method: str  # exact|normalised|alias|fuzzy|seed
    score: float
    decided_by: str


class ResolverLike(Protocol):
    def resolve(self, name: str, *, country: str | None = None, lang: str | None = None) -> Resolved | None: ...


# Well-known companies in IP disputes with Chinese parties: Chinese name, English variants → key. Facts only.
SEED: dict[str, tuple[str, ...]] = {
    "huawei": ("Huawei", "华为"), "zte": ("ZTE", "中兴"), "lenovo": ("Lenovo", "联想"),
    "motorola": ("Motorola", "Motorola Mobility", "摩托罗拉"), "xiaomi": ("Xiaomi", "小米"),
    "oppo": ("OPPO", "Guangdong Oppo", "欧珀"), "vivo": ("vivo", "维沃"), "oneplus": ("OnePlus", "一加"),
    "dji": ("DJI", "SZ DJI", "Da-Jiang", "大疆"), "autel": ("Autel", "道通"), "nokia": ("Nokia", "诺基亚"),
    "ericsson": ("Ericsson", "Telefonaktiebolaget LM Ericsson", "爱立信"), "netgear": ("Netgear", "NETGEAR", "网件"),
    "beigene": ("BeiGene", "百济神州"), "pharmacyclics": ("Pharmacyclics", "法玛西克斯"),
    "micron": ("Micron", "美光"), "ymtc": ("YMTC", "Yangtze Memory", "长江存储"), "apple": ("Apple", "苹果公司"),
    "samsung": ("Samsung", "三星"), "qualcomm": ("Qualcomm", "高通"), "intel": ("Intel", "英特尔"),
    "shein": ("Shein", "SHEIN", "希音"), "temu": ("Temu", "拼多多", "PDD Holdings"), "tcl": ("TCL",),
    "hisense": ("Hisense", "海信"), "byd": ("BYD", "比亚迪"), "catl": ("CATL", "Contemporary Amperex", "宁德时代"),
    "boe": ("BOE", "京东方"), "transsion": ("Transsion", "传音"), "ge": ("General Electric", "GE Aviation", "通用电气"),
    "bytedance": ("ByteDance", "TikTok", "字节跳动"), "interdigital": ("InterDigital", "交互数字"),
    "tesla": ("Tesla", "特斯拉"), "sony": ("Sony", "索尼"), "lg": ("LG Electronics", "LG电子"),
    "divx": ("DivX",), "hytera": ("Hytera", "海能达"), "sinovel": ("Sinovel", "华锐风电"),
    "amsc": ("AMSC", "American Superconductor", "超导公司"), "tela": ("Tela Innovations",),
    "smoore": ("Smoore", "思摩尔"), "anker": ("Anker", "安克"), "ecovacs": ("Ecovacs", "科沃斯"),
    "irobot": ("iRobot",), "sharkninja": ("SharkNinja",), "goertek": ("Goertek", "歌尔"),
    "knowles": ("Knowles", "楼氏"), "innoscience": ("Innoscience", "英诺赛科"), "epc": ("Efficient Power Conversion",),
    "xu-yanjun": ("Xu Yanjun", "Yanjun Xu", "徐延军"), "optis": ("Optis",), "ipcom": ("IPCom",),
    "panasonic": ("Panasonic", "松下"), "philips": ("Philips", "飞利浦"), "ford": ("Ford",), "avanci": ("Avanci",),
    "us-government": ("United States", "United States of America", "USA", "美国政府", "美国司法部"),
}

# Words that say nothing about who an entity is (legal forms, business words, places); Chinese too.
_SUFFIXES = ("co", "corp", "corporation", "company", "inc", "incorporated", "ltd", "limited", "llc", "lp", "llp",
             "plc", "gmbh", "ag", "kg", "sa", "sas", "sarl", "bv", "nv", "ab", "oy", "spa", "srl", "kk", "pte", "pty",
             "holdings", "holding", "group", "technology", "technologies", "tech", "international", "intl",
             "electronics", "electronic", "mobile", "telecommunications", "communication", "communications",
             "industrial", "industries", "industry", "trading", "the", "of", "and", "usa", "america", "us",
             "device", "devices", "products", "enterprise", "enterprises", "global", "worldwide", "new")
_PLACES = ("shenzhen", "guangdong", "beijing", "shanghai", "hangzhou", "dongguan", "huizhou", "suzhou", "ningbo",
           "zhejiang", "jiangsu", "xiamen", "fujian", "wuhan", "chengdu", "tianjin", "qingdao", "foshan",
           "guangzhou", "hong", "kong", "sz", "china", "chinese", "yiwu", "nanjing", "chongqing")
_GENERIC = frozenset({"general", "american", "united", "national", "first", "global", "advanced", "pacific",
                      "royal", "standard", "universal", "digital", "smart", "power", "energy", "medical",
                      "international", "new", "great", "best", "golden", "star"})
_ZH_AFFIXES = re.compile(r"(?:股份)?有限(?:责任)?公司|集团|控股|科技|技术|电子|通信|移动通信|电器|实业|公司|"
                         r"^(?:中国|深圳市?|广东省?|北京市?|上海市?|杭州市?|东莞市?|惠州市?|香港)")
_PUNCT = re.compile(r"[^\w\u4e00-\u9fff]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
SCHEDULE_A = re.compile(r"Schedule\s+[\"“]?A[\"”]?|附表\s*A|(?:partnerships|unincorporated associations) identified",
                        re.I)


def normalise_name(name: str) -> str:
    """Case-folded, punctuation-free, space-separated form; the alias table's lookup key."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"\(.*?\)", " ", text)  # "(United States)", "(Huizhou)" are places or parents, not the name
    return " ".join(_PUNCT.sub(" ", text).split())


def family_key(name: str) -> str | None:
    """The fallback entity key: the first distinctive word(s) of the name; None when nothing distinctive is left."""
    norm = normalise_name(name)
    if not norm:
        return None
    if _CJK.search(norm):
        zh = norm.replace(" ", "")
        for _ in range(3):
            zh = _ZH_AFFIXES.sub("", zh)
        return zh or None
    words = [w for w in norm.split() if w not in _PLACES]
    core = [w for w in words if w not in _SUFFIXES]
    if not core:
        return None
    if core[0] in _GENERIC and len(core) > 1:
        return "-".join(core[:2])
    return core[0] if len(core[0]) >= 2 else "-".join(core[:2])


_SEED_INDEX: dict[str, str] = {}
for _key, _names in SEED.items():
    for _n in _names:
        _SEED_INDEX[normalise_name(_n)] = _key
    _SEED_INDEX[_key] = _key


def seed_display(key: str) -> str:
    names = SEED.get(key)
    return names[0] if names else key


class FallbackResolver:
    """Suffix stripping plus the seed table; the NLP resolver (ipradar.nlp.resolve) supersedes it when present."""

    version = FALLBACK_VERSION

    def resolve(self, name: str, *, country: str | None = None, lang: str | None = None) -> Resolved | None:
        norm = normalise_name(name)
        if not norm:
            return None
        if SCHEDULE_A.search(name):
            return None  # "the Partnerships … identified on Schedule A" is a placeholder, not an entity
        by = f"resolver:{self.version}"
        if norm in _SEED_INDEX:
            key = _SEED_INDEX[norm]
            return Resolved(key, seed_display(key), "seed", 1.0, by)
        fam = family_key(name)
        if fam is None:
            return None
        if fam in _SEED_INDEX:
            key = _SEED_INDEX[fam]
            return Resolved(key, seed_display(key), "alias", 0.95, by)
        # A seed name inside a longer Chinese name (华为终端有限公司 → 华为) is the same family.
        if _CJK.search(fam):
            for alias, key in _SEED_INDEX.items():
                if _CJK.search(alias) and len(alias) >= 2 and fam.startswith(alias):
                    return Resolved(key, seed_display(key), "alias", 0.9, by)
        return Resolved(fam, name.strip(), "normalised", 0.85, by)


class _NlpAdapter:
    """Adapts ``ipradar.nlp.resolve`` (owned by the NLP engineer) to :class:`ResolverLike`, whatever its shape:
    a ``resolve(name, ...)`` function or a ``Resolver``/``EntityResolver`` class, returning an object or a dict
    with an entity key and a decision (method, score)."""

    def __init__(self, impl: Any, version: str) -> None:
        self.impl, self.version = impl, version
        self.fallback = FallbackResolver()

    def resolve(self, name: str, *, country: str | None = None, lang: str | None = None) -> Resolved | None:
        try:
            out = self.impl(name, country=country, lang=lang)
        except TypeError:
            out = self.impl(name)
        if out is None:
            return self.fallback.resolve(name, country=country, lang=lang)
        get = out.get if isinstance(out, dict) else lambda k, d=None: getattr(out, k, d)
        key = get("key") or get("entity_key") or get("entity")
        if not key or get("method") == "new" or str(key).startswith("new:"):
            # The NLP resolver does not know the name: its "new:<full name>" key would keep "Shenzhen TCL New
            # Technologies" apart from "TCL"; the fallback's family key ties them, which linking needs.
            return self.fallback.resolve(name, country=country, lang=lang)
        decision = get("decision") or {}
        dget = decision.get if isinstance(decision, dict) else lambda k, d=None: getattr(decision, k, d)
        method = str(get("method") or dget("method") or "nlp")
        score = float(get("score") or dget("score") or 1.0)
        score = score / 100 if score > 1 else score  # the NLP resolver scores 0–100; party_alias keeps 0–1
        display = str(get("name") or get("canonical_name") or name)
        return Resolved(str(key), display, method, score, f"resolver:{self.version}")


def default_resolver() -> ResolverLike:
    """The NLP engineer's resolver when ``ipradar.nlp.resolve`` exists and loads, else the fallback."""
    try:
        mod = importlib.import_module("ipradar.nlp.resolve")
    except Exception:  # not written yet, or its models are missing: linking still runs, on the fallback
        return FallbackResolver()
    version = str(getattr(mod, "VERSION", getattr(mod, "__version__", "nlp")))
    for cls_name in ("Resolver", "EntityResolver", "PartyResolver"):
        cls = getattr(mod, cls_name, None)
        if cls is not None:
            try:
                inst = cls()
            except Exception:
                continue
            fn = getattr(inst, "resolve", None)
            if callable(fn):
                return _NlpAdapter(fn, version)
    fn = getattr(mod, "resolve", None) or getattr(mod, "resolve_party", None)
    return _NlpAdapter(fn, version) if callable(fn) else FallbackResolver()


# -- parties named in free text (news), for documents the tagger left without parties ---------------------------
_NAME = r"[A-Z][\w&.'\-]*(?:[ ][A-Z][\w&.'\-]*){0,3}"
_V = re.compile(rf"({_NAME})[ ]+(?:v\.?|vs\.?|versus)[ ]+({_NAME})")
_SUES = re.compile(rf"({_NAME})[ ]+(?:sues|sued|files suit against|filed suit against"
                   rf"|wins (?:an? )?(?:injunction|ruling|verdict|case) against|accuses|beats|defeats|prevails over"
                   rf"|takes)[ ]+({_NAME})")
_ZH_SUES = re.compile(r"([\u4e00-\u9fffA-Za-z]{2,12}?)(?<!被)(?:起诉|诉|状告|控告)([\u4e00-\u9fffA-Za-z]{2,12}?)"
                      r"(?:[，。、的在案专利侵权]|$)")
# Sentence openers that a capitalised-run pattern would otherwise take for part of a name ("In United States v. …").
_OPENERS = {"in", "the", "at", "on", "after", "before", "when", "as", "by", "for", "with", "under", "while", "and"}


@dataclass(frozen=True)
class Mention:
    name: str
    role: str  # plaintiff|defendant|other


def _trim(name: str) -> str:
    words = name.split()
    while words and words[0].casefold() in _OPENERS:
        words = words[1:]
    while words and words[-1].casefold() in _OPENERS | {"no.", "no"}:
        words = words[:-1]
    return " ".join(words)


def _known_zh(name: str) -> bool:
    """Chinese role patterns over-capture (a clause, not a name); keep them only for names the seed knows or
    Latin names inside Chinese text (OPPO, AVM)."""
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9&\-]*", name):
        return True
    return any(alias in name and _CJK.search(alias) and len(alias) >= 2 for alias in _SEED_INDEX) and len(name) <= 8


def role_pairs_in_text(text: str) -> list[Mention]:
    """"Nokia v. OPPO", "Huawei sues Netgear", "诺基亚起诉OPPO": the first named asserts, the second defends."""
    out: list[Mention] = []
    for pattern in (_V, _SUES):
        for m in pattern.finditer(text):
            a, b = _trim(m.group(1)), _trim(m.group(2))
            if a and b:
                out += [Mention(a, "plaintiff"), Mention(b, "defendant")]
    for m in _ZH_SUES.finditer(text):
        a, b = m.group(1), m.group(2)
        if _known_zh(a) and _known_zh(b):
            out += [Mention(a, "plaintiff"), Mention(b, "defendant")]
    return out


_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9&\-]*(?:'(?!s\b)[A-Za-z]+)?")  # "Huawei's" → "Huawei"


def candidate_ngrams(text: str, *, max_words: int = 4, max_cjk: int = 8) -> set[str]:
    """Normalised n-grams that could be a party's alias: capitalised Latin word runs, and CJK substrings."""
    grams: set[str] = set()
    words = [(m.group(0), m.group(0)[0].isupper() or m.group(0).isupper()) for m in _LATIN_TOKEN.finditer(text)]
    for i, (_word, capital) in enumerate(words):
        if not capital:
            continue
        for n in range(1, max_words + 1):
            chunk = words[i:i + n]
            if len(chunk) < n:
                break
            grams.add(normalise_name(" ".join(w for w, _ in chunk)))
    for run in re.findall(r"[\u4e00-\u9fff]{2,}", text):
        for size in range(2, min(max_cjk, len(run)) + 1):
            for start in range(len(run) - size + 1):
                grams.add(run[start:start + size])
    return {g for g in grams if len(g) >= 2}


def seed_mentions(grams: Iterable[str]) -> dict[str, str]:
    """Seed aliases among the n-grams: {key: alias seen}."""
    found: dict[str, str] = {}
    for gram in grams:
        key = _SEED_INDEX.get(gram)
        if key and key != "us-government":
            found.setdefault(key, gram)
    return found
