"""What one document says about the dispute(s) it reports: numbers, parties, forums, date, field values.

Read from the crawler's structured fields first, then the tagger's ``analysis``, then the text itself; each signal
remembers where it came from so links can show their evidence. Missing fields give empty signals, never guesses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..db.models import Document
from .events import Event, extract_events
from .forums import court_forum, forum_of_source, forums_in_text, jurisdiction_of, tagger_forum
from .numbers import KIND_FORUM, CaseNo, extract
from .parties import SCHEDULE_A, Mention, candidate_ngrams, role_pairs_in_text, seed_mentions

IP_RISKS = {"patent_infringement": "patent", "trademark": "trademark", "copyright": "copyright",
            "trade_secret": "trade_secret"}
OFFICIAL_DOC_TYPES = ("news_release", "fr_notice", "edis_document", "docket", "ptab_proceeding", "upc_decision",
                      "court_filing", "court_order", "opinion")
_TITLE_337 = re.compile(r"Investigation of (Certain .+?)(?:;|$)", re.I)


@dataclass
class PartySignal:
    name: str
    role: str  # plaintiff|defendant|other
    role_raw: str | None
    country: str | None
    origin: str  # structured|analysis|entities|text
    key: str | None = None  # filled by the resolver (or given by the tagger's entities)


@dataclass
class Signals:
    document_id: int
    source_id: str
    canonical_url: str
    day: dt.date
    lang: str | None
    relevant: bool
    official: bool
    numbers: list[tuple[CaseNo, str]] = field(default_factory=list)  # (number, origin: structured|text)
    parties: list[PartySignal] = field(default_factory=list)
    forums: list[str] = field(default_factory=list)
    forum_origin: str = ""
    jurisdictions: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    schedule_a: bool = False
    ngrams: set[str] = field(default_factory=set)
    seed_keys: dict[str, str] = field(default_factory=dict)
    story_id: int | None = None

    @property
    def number_forums(self) -> list[str]:
        out = []
        for no, _ in self.numbers:
            forum = KIND_FORUM.get(no.kind) or (court_forum(no.court) if no.court else None)
            if forum:
                out.append(forum)
        return list(dict.fromkeys(out))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def document_signals(doc: Document) -> Signals:
    extra: Mapping[str, Any] = doc.extra or {}
    analysis: Mapping[str, Any] = doc.analysis or {}
    title, text = doc.title or "", doc.text or ""
    lead = f"{title}\n{text[:1500]}"
    day = doc.published_on or doc.first_seen_at.date()
    official = doc.doc_type.startswith(OFFICIAL_DOC_TYPES) or forum_of_source(doc.source_id) is not None
    # The stand-in RuleTagger ("rules-*") reads structured fields only: its "not relevant" on a news item means
    # "cannot tell", so it does not stop party-based linking; a real tagger's verdict does.
    stand_in = (doc.tag_model_version or "").startswith("rules-")
    relevant = True if stand_in else bool(analysis.get("relevant", True))
    sig = Signals(document_id=doc.id, source_id=doc.source_id, canonical_url=doc.canonical_url, day=day,
                  lang=doc.lang, relevant=relevant, official=official)
    sig.story_id = getattr(doc, "story_id", None)  # the dedupe stage's story cluster (document.story_id)

    # forums: the source says it outright; else the crawler's court; else the tagger; else the text
    court = str(extra.get("court_id") or extra.get("court") or extra.get("court_code") or "")
    forum = forum_of_source(doc.source_id) or court_forum(court)
    extra_juris: list[str] = []
    if forum:
        sig.forums, sig.forum_origin = [forum], "source"
    else:
        pairs = [tagger_forum(str(f)) for f in _as_list(analysis.get("forums"))]
        tagged = [f for f, _ in pairs if f]
        generic = [j for f, j in pairs if not f and j]
        found = forums_in_text(lead)
        # The tagger's specific forums first; a generic one ("a US district court") gives way to the specific
        # court the text names in that jurisdiction.
        text_specific = [f for f in found if jurisdiction_of(f) in generic or not tagged]
        if tagged or text_specific:
            sig.forums = list(dict.fromkeys(tagged + text_specific))
            sig.forum_origin = "analysis" if tagged else "text"
        extra_juris = generic
    court_code = sig.forums[0] if sig.forums and sig.forum_origin == "source" and ":" in sig.forums[0] else ""

    # numbers: structured first (these are the document's own), then analysis, then the text
    structured = [str(c) for c in _as_list(doc.case_numbers)]
    for key in ("investigation_number", "docket_number", "trialNumber", "trial_number", "case_number"):
        structured += [str(v) for v in _as_list(extra.get(key))]
    seen: set[CaseNo] = set()
    for raw in structured:
        for no in extract(raw, court=court_code, context=f"{raw}\n{lead}"):
            if no not in seen:
                seen.add(no)
                sig.numbers.append((no, "structured"))
    for raw in [str(c) for c in _as_list(analysis.get("case_numbers"))]:
        for no in extract(raw, court=court_code, context=f"{raw}\n{lead}"):
            if no not in seen:
                seen.add(no)
                sig.numbers.append((no, "analysis"))
    text_court = next((f for f in sig.forums if f.startswith(("US-DIST:", "DE-LG:"))), "")
    for no in extract(f"{title}\n{text}", court=court_code or text_court):
        if no not in seen and not any(no.kind == s.kind and no.number == s.number for s in seen):
            seen.add(no)
            sig.numbers.append((no, "text"))

    # parties: crawler's structured list, then the tagger's, then names in the text
    for p in _as_list(doc.parties):
        if isinstance(p, Mapping) and p.get("name"):
            sig.parties.append(PartySignal(str(p["name"]), str(p.get("role") or "other"), p.get("role_raw"),
                                           p.get("country"), "structured"))
    if not sig.parties:
        for p in _as_list(analysis.get("parties")):
            if isinstance(p, Mapping) and p.get("name"):
                sig.parties.append(PartySignal(str(p["name"]), str(p.get("role") or "other"), None,
                                               p.get("country"), "analysis"))
    entities = analysis.get("entities")
    companies = entities.get("companies") if isinstance(entities, Mapping) else None
    if isinstance(companies, Mapping):
        # The NLP tagger's gazetteer hits: entity keys of companies named anywhere in the text (no roles).
        known = {p.key for p in sig.parties}
        for key in [str(k) for side in ("chinese", "foreign") for k in _as_list(companies.get(side))]:
            if key not in known:
                known.add(key)
                sig.parties.append(PartySignal(key, "other", None, None, "text", key=key))
    for e in _as_list(entities if isinstance(entities, list) else None):
        # The NLP tagger's resolved entities (shape not fixed yet): take those with a key and a name.
        if isinstance(e, Mapping) and (e.get("key") or e.get("entity_key")) and e.get("name"):
            sig.parties.append(PartySignal(str(e["name"]), str(e.get("role") or "other"), None, e.get("country"),
                                           "entities", key=str(e.get("key") or e.get("entity_key"))))
    if not any(p.origin in ("structured", "analysis") for p in sig.parties):
        sig.parties += [PartySignal(m.name, m.role, None, None, "text") for m in _text_mentions(title, text)]
        sig.ngrams = candidate_ngrams(f"{title}\n{text[:2000]}")
        sig.seed_keys = seed_mentions(sig.ngrams)
    sig.schedule_a = bool(SCHEDULE_A.search(lead)) or any(SCHEDULE_A.search(p.name) for p in sig.parties)

    juris = [str(j) for j in _as_list(analysis.get("jurisdictions"))] + extra_juris
    juris += [j for j in (jurisdiction_of(f) for f in sig.forums + sig.number_forums) if j]
    sig.jurisdictions = list(dict.fromkeys(juris))
    sig.events = extract_events(title=title, text=text, doc_type=doc.doc_type, extra=extra, published=day)
    sig.fields = _field_values(doc, extra, analysis, title)
    return sig


def _text_mentions(title: str, text: str) -> list[Mention]:
    return role_pairs_in_text(f"{title}\n{text[:2000]}")


def _field_values(doc: Document, extra: Mapping[str, Any], analysis: Mapping[str, Any], title: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    case_title = extra.get("investigation_title") or extra.get("case_name") or extra.get("case_title")
    if not case_title and doc.doc_type == "news_release":
        m = _TITLE_337.search(title)
        case_title = m.group(1) if m else None
    if isinstance(case_title, str) and case_title.strip():
        values["title"] = case_title.strip()
    ip_types = {str(t) for t in _as_list(extra.get("ip_types"))}
    ip_types |= {IP_RISKS[r] for r in _as_list(analysis.get("risk_types")) if r in IP_RISKS}
    if ip_types:
        values["ip_types"] = sorted(ip_types)
    if analysis.get("industries"):
        values["industries"] = sorted(str(i) for i in _as_list(analysis.get("industries")))
    for key, name in (("remedies_requested", "remedies_requested"), ("remedies_granted", "remedies_granted"),
                      ("outcome", "outcome"), ("damages", "damages"), ("products", "products"),
                      ("patents", "patents"), ("patent_numbers", "patents")):
        if extra.get(key):
            values[name] = extra[key]
    patent = (extra.get("patentOwnerData") or {}).get("patentNumber") if isinstance(
        extra.get("patentOwnerData"), Mapping) else extra.get("patent_number")
    if patent:
        values["patents"] = [str(patent)]
    return values
