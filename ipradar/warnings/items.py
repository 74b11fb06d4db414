"""Items for the rules: stored documents (their structured fields and the tagger's analysis, plus the case records
when the linker has made them) grouped into one item per dispute — documents that share a story cluster, a case
number or a case are one item, so the same story from several sources raises one alert."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ..cases.events import extract_events, parse_date
from ..cases.parties import SCHEDULE_A
from ..db.models import Document
from ..db.models.cases import Case, CaseDocument, CaseEvent
from ..db.models.warnings import AlertEvaluation
from .entities import EntityKeys
from .rules.base import CN_COUNTRIES, LEVELS, DatedFact, Evidence, Item, PartyRef

MAX_LINKING_NUMBERS = 3  # a document naming more case numbers than this reports several disputes
_DISTRICT = re.compile(r"^\d+:\d{2}-[a-z]{2}-\d+", re.I)
IP_RISK = {"patent": "patent_infringement", "design": "patent_infringement", "trademark": "trademark",
           "copyright": "copyright", "trade_secret": "trade_secret"}
# Crawler ``extra`` keys that carry the dates deadlines run from, beyond the lifecycle events ipradar.cases reads.
SERVED_KEYS = ("service_date", "served_on", "date_served", "served")
TRO_KEYS = ("tro_granted", "tro_granted_on", "tro_date", "tro_entered")
_TRO_TEXT = re.compile(r"(?:grant(?:ed|s)|enter(?:ed|s)|issu(?:ed|es))[^.。]{0,40}temporary restraining order|"
                       r"temporary restraining order[^.。]{0,20}(?:was |is )?(?:granted|entered|issued)|"
                       r"(?:批准|发布|签发)(?:了)?临时限制令", re.I)
_DAMAGES = re.compile(r"(?:US)?\$\s?([\d.,]+)\s*(million|billion|m|bn)?[^.。]{0,60}damages|"
                      r"damages[^.。]{0,60}(?:US)?\$\s?([\d.,]+)\s*(million|billion|m|bn)?", re.I)
_MULT = {None: 1.0, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}


def damages_usd(extra: Mapping[str, Any], text: str) -> float | None:
    """Damages from a structured field, else a dollar amount next to the word "damages" in the text."""
    raw = extra.get("damages_usd", extra.get("damages"))
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    m = _DAMAGES.search(text)
    if not m:
        return None
    num, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    try:
        return float(num.replace(",", "")) * _MULT[unit.lower() if unit else None]
    except ValueError:
        return None


def jurisdiction_of(code: str) -> str | None:
    """"US-DCT:ilnd" → US, "UPC:CoA" → UPC, "DE-LG:munich" → DE."""
    head = re.split(r"[-:]", code, maxsplit=1)[0].upper()
    return head if head == "UPC" or re.fullmatch(r"[A-Z]{2}", head) else None


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [] if value is None else [value]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class LoadedItems:
    items: list[Item]
    new_document_ids: list[int]  # tagged documents the rules had not seen; marked evaluated with the alerts


def _day(doc: Document) -> dt.date:
    return doc.published_on or doc.first_seen_at.date()


def _tokens(doc: Document, case_keys: Mapping[int, str]) -> list[str]:
    out = [f"doc:{doc.id}"]
    if doc.story_id is not None:
        out.append(f"story:{doc.story_id}")
    court = str((doc.extra or {}).get("court_id") or "")
    numbers = list(dict.fromkeys([str(n) for n in _list(doc.case_numbers)] + [str(n) for n in _list(
        (doc.analysis or {}).get("case_numbers"))]))
    if len(numbers) > MAX_LINKING_NUMBERS:
        numbers = []  # a roundup naming many cases would chain unrelated disputes into one item
    for n in numbers:
        if _DISTRICT.match(n):
            # district docket numbers repeat across the 94 districts: qualify them by court when the source says
            out.append(f"no:{court or '?'}:{n}")
        elif n.strip():
            out.append(f"no:{n.strip()}")
    if doc.id in case_keys:
        out.append(f"case:{case_keys[doc.id]}")
    return out


def _item_key(tokens: Iterable[str]) -> str:
    toks = sorted(set(tokens))
    for prefix in ("no:", "case:", "story:"):
        cands = [t for t in toks if t.startswith(prefix) and not t.startswith("no:?:")]
        if cands:
            return cands[0] if prefix != "story:" else min(cands, key=lambda t: int(t.split(":")[1]))
    unresolved = [t for t in toks if t.startswith("no:?:")]
    if unresolved:
        return "no:" + unresolved[0][len("no:?:"):]
    return min((t for t in toks if t.startswith("doc:")), key=lambda t: int(t.split(":")[1]))


def load_items(session: Session, today: dt.date, window_days: int, entities: EntityKeys) -> LoadedItems:
    start = today - dt.timedelta(days=window_days)
    start_dt = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    seen = select(AlertEvaluation.document_id)
    new_ids = list(session.scalars(select(Document.id).where(Document.analysis.is_not(None),
                                                             Document.id.not_in(seen)).order_by(Document.id)))
    docs = list(session.scalars(select(Document).where(
        Document.analysis.is_not(None),
        or_(Document.published_on >= start, and_(Document.published_on.is_(None), Document.first_seen_at >= start_dt)))
        .order_by(Document.id)))
    new = set(new_ids)
    case_keys, case_events = _cases(session, [d.id for d in docs])
    uf = _UnionFind()
    doc_tokens: dict[int, list[str]] = {}
    for d in docs:
        toks = _tokens(d, {k: v for k, v in case_keys.items()})
        doc_tokens[d.id] = toks
        for t in toks[1:]:
            uf.union(toks[0], t)
    # a bare district number (news without a court) joins the one court-qualified docket of that number, if unique
    qualified: dict[str, set[str]] = defaultdict(set)
    for toks in doc_tokens.values():
        for t in toks:
            if t.startswith("no:") and t.count(":") >= 2 and not t.startswith("no:?:"):
                qualified[t.split(":", 2)[2]].add(t)
    for toks in doc_tokens.values():
        for t in toks:
            if t.startswith("no:?:"):
                cands = qualified.get(t[len("no:?:"):], set())
                if len(cands) == 1:
                    uf.union(t, next(iter(cands)))
    groups: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        groups[uf.find(f"doc:{d.id}")].append(d)
    items = []
    for members in groups.values():
        tokens = [t for d in members for t in doc_tokens[d.id]]
        events = [e for d in members if d.id in case_keys for e in case_events.get(case_keys[d.id], [])]
        items.append(build_item(_item_key(tokens), members, new, entities, events))
    items.sort(key=lambda i: (i.day, i.key))
    return LoadedItems(items=items, new_document_ids=new_ids)


def _cases(session: Session, doc_ids: Sequence[int]) -> tuple[dict[int, str], dict[str, list[tuple[str, dt.date]]]]:
    """document id → live case key, and case key → (event kind, date), from the case linker's tables."""
    if not doc_ids:
        return {}, {}
    links = list(session.execute(select(CaseDocument.document_id, CaseDocument.case_id)
                                 .where(CaseDocument.document_id.in_(doc_ids))))
    if not links:
        return {}, {}
    cases = {c.id: c for c in session.scalars(select(Case))}

    def live(cid: int) -> Case:
        c = cases[cid]
        for _ in range(10):  # merged cases point at the survivor; chains are short
            if c.merged_into_id is None or c.merged_into_id not in cases:
                break
            c = cases[c.merged_into_id]
        return c

    keys = {did: live(cid).key for did, cid in links}
    live_ids = {live(cid).id: live(cid).key for _, cid in links}
    events: dict[str, list[tuple[str, dt.date]]] = defaultdict(list)
    for cid, kind, on in session.execute(select(CaseEvent.case_id, CaseEvent.kind, CaseEvent.occurred_on)
                                         .where(CaseEvent.case_id.in_(list(live_ids)))):
        events[live_ids[cid]].append((kind, on))
    return keys, events


def _stand_in(doc: Document) -> bool:
    # The stand-in RuleTagger ("rules-*") reads structured fields only: its "not relevant" means "cannot tell".
    return (doc.tag_model_version or "").startswith("rules-")


def build_item(key: str, docs: Sequence[Document], new: set[int], entities: EntityKeys,
               case_events: Sequence[tuple[str, dt.date]] = ()) -> Item:
    docs = sorted(docs, key=lambda d: (_day(d), d.id))
    analyses = [(d, d.analysis or {}) for d in docs]

    def union(field: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(str(v) for _, a in analyses for v in _list(a.get(field))))

    jurisdictions = list(union("jurisdictions"))
    risks = list(union("risk_types"))
    remedies: list[str] = []
    court = None
    for d in docs:
        extra = d.extra or {}
        j = extra.get("jurisdiction")
        if isinstance(j, str) and jurisdiction_of(j):
            jurisdictions.append(str(jurisdiction_of(j)))
        for t in _list(extra.get("ip_types")) + _list(extra.get("ip_type")):
            if str(t) in IP_RISK:
                risks.append(IP_RISK[str(t)])
        remedies += [str(r) for r in _list(extra.get("remedies_requested"))]
        court = court or (str(extra["court_id"]) if extra.get("court_id") else None)
    # parties: the crawler's structured list, else the tagger's
    parties: dict[tuple[str, str], PartyRef] = {}
    for d, a in analyses:
        plist = [p for p in _list(d.parties) if isinstance(p, Mapping) and p.get("name")] or \
            [p for p in _list(a.get("parties")) if isinstance(p, Mapping) and p.get("name")]
        for p in plist:
            name = str(p["name"])
            keys = entities.keys(name)
            primary = entities.primary(name)
            role = str(p.get("role") or "other")
            ident = (primary or name.casefold(), role)
            if ident not in parties:
                country = p.get("country")
                parties[ident] = PartyRef(name=name, role=role, country=str(country) if country else None,
                                          key=primary, keys=keys)
    sides = {str((a.get("cn_party") or {}).get("side")) for _, a in analyses
             if (a.get("cn_party") or {}).get("involved")}
    sides |= {"defendant" if p.role == "defendant" else "plaintiff" for p in parties.values()
              if p.country in CN_COUNTRIES and p.role in ("defendant", "plaintiff")}
    sides.discard("None")
    cn_side = "both" if "both" in sides or {"defendant", "plaintiff"} <= sides else next(iter(sides), None)
    top = max(analyses, key=lambda da: int((da[1].get("severity") or {}).get("score") or 0))[1].get("severity") or {}
    level = str(top.get("level") or "low")
    title_doc = max(docs, key=lambda d: (len(_list(d.parties)), d.doc_type in ("news_release", "docket"), -d.id))
    text = "\n".join(f"{d.title}\n{(d.text or '')[:1000]}" for d in docs)[:20000]
    relevant = any(bool(a.get("relevant", True)) or _stand_in(d) for d, a in analyses)
    return Item(
        key=key, title=title_doc.title, day=_day(docs[0]), last_day=max(_day(d) for d in docs),
        is_new=any(d.id in new for d in docs), relevant=relevant,
        jurisdictions=tuple(dict.fromkeys(jurisdictions)), industries=union("industries"),
        risk_types=tuple(dict.fromkeys(risks)), forums=union("forums"),
        case_numbers=tuple(dict.fromkeys([str(n) for d in docs for n in _list(d.case_numbers)] +
                                         list(union("case_numbers")))),
        parties=tuple(parties.values()), cn_side=cn_side, level=level if level in LEVELS else "low",
        score=int(top.get("score") or 0), reasons=tuple(str(r) for r in _list(top.get("reasons"))), text=text,
        court=court, schedule_a=any(SCHEDULE_A.search(d.title or "") for d in docs) or any(
            SCHEDULE_A.search(p.name) for p in parties.values()),
        remedies=tuple(dict.fromkeys(remedies)),
        damages_usd=max((v for v in (damages_usd(d.extra or {}, f"{d.title}\n{(d.text or '')[:3000]}") for d in docs)
                         if v is not None), default=None),
        dates=_dates(docs, case_events), evidence=tuple(  # the document that names the dispute best comes first
            Evidence(d.id, d.title, d.canonical_url, d.source_id, d.published_on)
            for d in [title_doc, *(d for d in docs if d is not title_doc)]))


def _dates(docs: Sequence[Document], case_events: Sequence[tuple[str, dt.date]]) -> dict[str, DatedFact]:
    """Procedural dates: stated dates (structured fields) before dates inferred from publication; earliest first."""
    found: dict[str, list[tuple[int, dt.date, str]]] = defaultdict(list)  # kind → (rank, date, basis)
    for kind, on in case_events:
        found[kind].append((0, on, "the case record's lifecycle events"))
    for d in docs:
        extra = d.extra or {}
        where = f"'{d.title[:80]}' ({d.canonical_url})"
        for ev in extract_events(title=d.title or "", text=d.text or "", doc_type=d.doc_type, extra=extra,
                                 published=_day(d)):
            rank = 1 if ev.basis == "stated" else 3
            found[ev.kind].append((rank, ev.on, f"{ev.detail} in {where}" if ev.basis == "stated"
                                   else f"the publication date of {where}"))
        for keys, kind in ((SERVED_KEYS, "served"), (TRO_KEYS, "tro_granted")):
            for k in keys:
                stated = parse_date(extra.get(k))
                if stated:
                    found[kind].append((1, stated, f"{k}: {extra[k]} in {where}"))
        if "tro_granted" not in found and _TRO_TEXT.search(f"{d.title}\n{(d.text or '')[:1500]}"):
            found["tro_granted"].append((3, _day(d), f"the publication date of {where} (it reports a TRO)"))
    out = {}
    for kind, cands in found.items():
        rank, on, basis = min(cands)
        out[kind] = DatedFact(on, basis)
    return out
