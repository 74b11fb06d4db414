"""Link tagged documents to cases: by case number, by resolved parties + forum + time window, by story cluster.

Runs as the last step of ``ipradar tag``. Idempotent: ``only_new`` reads documents tagged since they were last
linked; a full run (``only_new=False``) rebuilds every automatic link, case and campaign, then replays the
analysts' merge and unlink decisions, which are keyed by stable keys and so survive the rebuild.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, delete, func, or_, select, update
from sqlalchemy.orm import Session

from ..db.models import Document, utcnow
from ..db.models.cases import (
    Campaign,
    CampaignCase,
    Case,
    CaseDecision,
    CaseDocument,
    CaseEvent,
    CaseField,
    CaseLinkState,
    CaseNumber,
    CaseParty,
    Party,
    PartyAlias,
)
from .forums import jurisdiction_of
from .numbers import COURT_SCOPED, KIND_FORUM, CaseNo
from .parties import ResolverLike, default_resolver, normalise_name, seed_display
from .record import recompute, record_fields
from .related import update_campaigns
from .signals import PartySignal, Signals, document_signals

LINKER_VERSION = "cases-1"
WINDOW_BEFORE = dt.timedelta(days=730)  # a report can come up to two years after the case's last known activity
WINDOW_AFTER = dt.timedelta(days=365)  # … or up to a year before its first (pre-institution news)
MAX_PARTY_LINKS = 5  # a document naming parties but no forum links to at most this many of their cases


@dataclass
class LinkStats:
    documents: int = 0
    linked: int = 0
    unlinked: int = 0
    skipped: int = 0
    cases_created: int = 0
    links: int = 0
    merged: int = 0
    decisions_applied: int = 0
    seconds: float = 0.0


@dataclass
class Target:
    case_id: int
    method: str  # case_number|parties_forum|parties|story|docket_bridge
    confidence: float
    evidence: dict[str, Any] = field(default_factory=dict)


class Linker:
    """One linking session: caches party ids, knows the analysts' unlink decisions."""

    def __init__(self, session: Session, resolver: ResolverLike) -> None:
        self.session, self.resolver = session, resolver
        self.party_ids: dict[str, int] = {}
        self.alias_seen: set[tuple[int, str]] = set()
        self.blocked: dict[tuple[str, str], set[str]] = defaultdict(set)
        for d in session.scalars(select(CaseDecision).where(CaseDecision.action == "unlink")):
            if d.source_id and d.canonical_url:
                self.blocked[(d.source_id, d.canonical_url)].add(d.case_key)
        self.touched: set[int] = set()
        self.live_cache: dict[int, int] = {}
        self.forum_cache: dict[int, str | None] = {}
        self.stats = LinkStats()

    # -- parties ----------------------------------------------------------------------------------------------
    def party_id(self, key: str, name: str, country: str | None) -> int:
        pid = self.party_ids.get(key)
        if pid is None:
            pid = self.session.scalar(select(Party.id).where(Party.key == key))
            if pid is None:
                party = Party(key=key, name=name[:500], country=country if country and len(country) == 2 else None)
                self.session.add(party)
                self.session.flush()
                pid = party.id
            self.party_ids[key] = pid
        return pid

    def resolve(self, sig: Signals) -> dict[str, int]:
        """Resolve every party signal to an entity key (recording the alias decision); {key: party id}."""
        out: dict[str, int] = {}
        for p in sig.parties:
            if p.key is None:
                res = self.resolver.resolve(p.name, country=p.country, lang=sig.lang)
                if res is None:
                    continue
                p.key = res.key
                pid = self.party_id(res.key, res.name, p.country)
                self._alias(pid, p.name, sig.lang, res.method, res.score, res.decided_by)
            else:
                pid = self.party_id(p.key, p.name, p.country)
            out[p.key] = pid
        for key, alias in sig.seed_keys.items():
            if key not in out:
                pid = self.party_id(key, seed_display(key), None)
                sig.parties.append(PartySignal(alias, "other", None, None, "text", key=key))
                out[key] = pid
        if sig.ngrams and len(out) < 2:
            self._known_in_text(sig, out)
        return out

    def _known_in_text(self, sig: Signals, out: dict[str, int]) -> None:
        """Parties already in the archive named in the text (via their aliases or keys): the fallback for news
        that the tagger left without parties."""
        grams = sorted(sig.ngrams)[:2000]
        keys = {g.replace(" ", "-") for g in grams} | set(grams)
        rows = list(self.session.execute(select(Party.id, Party.key).where(Party.key.in_(keys))))
        rows += list(self.session.execute(select(Party.id, Party.key).join(PartyAlias, PartyAlias.party_id == Party.id)
                                          .where(PartyAlias.alias_norm.in_(grams))))
        for pid, key in rows:
            if key not in out and len(key) >= 3:
                out[key] = pid
                self.party_ids[key] = pid
                sig.parties.append(PartySignal(key, "other", None, None, "text", key=key))

    def _alias(self, pid: int, name: str, lang: str | None, method: str, score: float, by: str) -> None:
        norm = normalise_name(name)[:500]
        if not norm or (pid, norm) in self.alias_seen:
            return
        self.alias_seen.add((pid, norm))
        exists = self.session.scalar(select(PartyAlias.id).where(PartyAlias.party_id == pid,
                                                                 PartyAlias.alias_norm == norm))
        if exists is None:
            self.session.add(PartyAlias(party_id=pid, alias=name[:500], alias_norm=norm, lang=lang, method=method,
                                        score=score, decided_by=by))

    # -- lookups ----------------------------------------------------------------------------------------------
    def number_cases(self, no: CaseNo) -> list[int]:
        q = select(CaseNumber.case_id).where(CaseNumber.kind == no.kind, CaseNumber.number == no.number)
        if no.court:
            q = q.where(or_(CaseNumber.court == no.court, CaseNumber.court == ""))
        ids = list(dict.fromkeys(self.session.scalars(q)))
        if no.kind in COURT_SCOPED and not no.court and len(ids) > 1:
            return []  # the same docket number in several courts, and this document does not say which
        return [self.live(i) for i in ids]

    def live(self, case_id: int) -> int:
        """Follow merges to the case that absorbed this one (cached: merges are rare and clear the cache)."""
        start = case_id
        if start in self.live_cache:
            return self.live_cache[start]
        for _ in range(20):
            nxt = self.session.scalar(select(Case.merged_into_id).where(Case.id == case_id))
            if nxt is None:
                break
            case_id = nxt
        self.live_cache[start] = case_id
        return case_id

    def party_candidates(self, sig: Signals, entity_ids: dict[str, int], forum: str | None) -> list[Target]:
        """Live cases sharing two or more of the document's entities, forum-compatible and inside the window."""
        ids = sorted(set(entity_ids.values()))[:40]
        if len(ids) < 2:
            return []
        shared = (select(CaseParty.case_id).where(CaseParty.party_id.in_(ids)).group_by(CaseParty.case_id)
                  .having(func.count(func.distinct(CaseParty.party_id)) >= 2))
        q = select(Case).where(Case.id.in_(shared), Case.merged_into_id.is_(None),
                               or_(Case.last_activity_on.is_(None), Case.last_activity_on >= sig.day - WINDOW_BEFORE),
                               or_(Case.first_activity_on.is_(None), Case.first_activity_on <= sig.day + WINDOW_AFTER))
        cases = list(self.session.scalars(q.limit(200)))
        if not cases:
            return []
        roles: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        for cid, pid, role in self.session.execute(select(CaseParty.case_id, CaseParty.party_id, CaseParty.role)
                                                   .where(CaseParty.case_id.in_([c.id for c in cases]),
                                                          CaseParty.party_id.in_(ids))):
            roles[cid][pid].add(role)
        out: list[Target] = []
        for case in cases:
            shared_roles = roles[case.id]
            # Two entities on the same side (two respondents of one 337 case) do not make the same dispute.
            if all(r == {"defendant"} for r in shared_roles.values()) or all(
                    r == {"plaintiff"} for r in shared_roles.values()):
                continue
            if forum is not None:
                if case.forum not in (None, forum):
                    continue
                fj = jurisdiction_of(forum)
                if case.forum is None and case.jurisdiction and fj and case.jurisdiction != fj:
                    continue
                method, conf = ("parties_forum", 0.85) if case.forum == forum else ("parties", 0.7)
            else:
                # No forum named: the tagger's jurisdictions then often name the parties' home countries ("FI"
                # for a Nokia settlement), so they do not filter; two shared entities must carry the link.
                method, conf = "parties", 0.65
            names = sorted(k for k, v in entity_ids.items() if v in shared_roles)
            out.append(Target(case.id, method, conf, {"parties": names, "forum": forum or case.forum}))
        out.sort(key=lambda t: (-t.confidence, t.case_id))
        return out

    # -- one document ---------------------------------------------------------------------------------------
    def link(self, doc: Document) -> str:
        sig = document_signals(doc)
        entity_ids = self.resolve(sig)
        targets: dict[int, Target] = {}

        def add(t: Target) -> None:
            t.case_id = self.live(t.case_id)
            if t.case_id not in targets or targets[t.case_id].confidence < t.confidence:
                targets[t.case_id] = t

        # 1. case numbers
        by_no: dict[CaseNo, list[int]] = {no: self.number_cases(no) for no, _ in sig.numbers}
        origin = dict(sig.numbers)
        structured_cases = {cid for no, cids in by_no.items() if origin[no] != "text" for cid in cids}
        if len(structured_cases) > 1 and self._mergeable(structured_cases):
            keep = min(structured_cases)
            for other in sorted(structured_cases - {keep}):
                merge_cases(self.session, keep, other)
                self.stats.merged += 1
            self.live_cache.clear()
            by_no = {no: self.number_cases(no) for no, _ in sig.numbers}
        for no, cids in by_no.items():
            for cid in cids:
                conf = 0.99 if origin[no] != "text" else 0.9
                add(Target(cid, "case_number", conf, {"number": no.label(), "from": origin[no]}))
        unfound = [no for no, cids in by_no.items() if not cids]
        # 2. new numbers: attach to a case found in this document (a DN next to its 337-TA number), to a
        # same-forum case of the same parties that has no number of this kind yet, or start a case
        for no in unfound:
            if no.kind in COURT_SCOPED and not no.court:
                continue  # a docket number without its court identifies nothing
            if origin[no] == "text" and not sig.relevant:
                continue
            forum = KIND_FORUM.get(no.kind) or (no.court if no.court else None)
            home = self._home_for_number(no, targets, sig, entity_ids, forum)
            if home is None:
                home = self._new_case(f"{no.kind}:{no.court + ':' if no.court else ''}{no.number}", "number", forum,
                                      sig)
                add(Target(home, "case_number", 0.99 if origin[no] != "text" else 0.9,
                           {"number": no.label(), "from": origin[no], "created": True}))
            else:
                add(Target(home, "case_number", 0.95, {"number": no.label(), "from": origin[no],
                                                       "attached_to_existing": True}))
            self.session.add(CaseNumber(case_id=home, kind=no.kind, court=no.court, number=no.number))
            self.session.flush()
        # 3. parties + forum + time window (documents without a number of their own)
        # (a tagger's "not relevant" stops a new case from being founded, not a link to a case already known)
        if not any(o != "text" for o in origin.values()):
            forums: list[str | None] = list(sig.forums) if sig.forum_origin != "text" or len(sig.forums) <= 3 else []
            for forum in forums or [None]:
                cands = self.party_candidates(sig, entity_ids, forum)
                if forum is not None:
                    exact = [c for c in cands if c.method == "parties_forum"]
                    cands = exact or cands[:1]
                for t in cands[:MAX_PARTY_LINKS]:
                    add(t)
            if not targets and sig.relevant:
                created = self._case_from_parties(sig, entity_ids)
                if created is not None:
                    add(created)
        # 4. story clusters: the other reports of this story are about the same case(s)
        if sig.story_id is not None:
            story_col = Document.story_id
            rows = self.session.scalars(select(CaseDocument.case_id).join(Document, Document.id ==
                                                                          CaseDocument.document_id)
                                        .where(story_col == sig.story_id, Document.id != doc.id).distinct())
            for cid in rows:
                add(Target(cid, "story", 0.75, {"story_id": sig.story_id}))
        targets = {cid: t for cid, t in targets.items() if not self._blocked(doc, cid)}
        if not targets:
            return "unlinked"
        self._apply(doc, sig, entity_ids, list(targets.values()))
        return "linked"

    def _mergeable(self, case_ids: set[int]) -> bool:
        """Cases one document names together are one case when their numbers do not clash (DN 3335 + 337-TA-1133),
        not when they are two of a kind (337-TA-1299 and 337-TA-1300 in one notice)."""
        rows = self.session.execute(select(CaseNumber.kind, CaseNumber.court, CaseNumber.case_id)
                                    .where(CaseNumber.case_id.in_(case_ids)))
        owners: dict[tuple[str, str], set[int]] = defaultdict(set)
        for kind, court, cid in rows:
            owners[(kind, court)].add(cid)
        return all(len(v) == 1 for v in owners.values())

    def _home_for_number(self, no: CaseNo, targets: dict[int, Target], sig: Signals, entity_ids: dict[str, int],
                         forum: str | None) -> int | None:
        kinds_of = self._kinds_of
        same_forum = [t.case_id for t in targets.values() if t.method == "case_number"
                      and self._forum(t.case_id) in (forum, None) and no.kind not in kinds_of(t.case_id)]
        if len(same_forum) == 1:
            return same_forum[0]
        cands = [t for t in self.party_candidates(sig, entity_ids, forum) if t.method == "parties_forum"
                 and no.kind not in kinds_of(t.case_id) and not self._has_numbered_rival(t.case_id, no)]
        # Only a close match adopts a case: USITC institutes about 30 days after the complaint.
        cands = [t for t in cands if self._near(t.case_id, sig.day, 120)]
        return cands[0].case_id if len(cands) == 1 else None

    def _kinds_of(self, case_id: int) -> set[str]:
        return set(self.session.scalars(select(CaseNumber.kind).where(CaseNumber.case_id == case_id)))

    def _has_numbered_rival(self, case_id: int, no: CaseNo) -> bool:
        # a pre-institution docket can become only one investigation; an investigation has only one docket
        return no.kind == "usitc_docket" and "usitc_docket" in self._kinds_of(case_id)

    def _forum(self, case_id: int) -> str | None:
        if case_id not in self.forum_cache:
            self.forum_cache[case_id] = self.session.scalar(select(Case.forum).where(Case.id == case_id))
        return self.forum_cache[case_id]

    def _near(self, case_id: int, day: dt.date, days: int) -> bool:
        first, last = self.session.execute(select(Case.first_activity_on, Case.last_activity_on)
                                           .where(Case.id == case_id)).one()
        if first is None:
            return True
        return first - dt.timedelta(days=days) <= day <= (last or first) + dt.timedelta(days=days)

    def _new_case(self, key: str, origin: str, forum: str | None, sig: Signals) -> int:
        existing = self.session.scalar(select(Case.id).where(Case.key == key))
        if existing is not None:
            return self.live(existing)
        juris = jurisdiction_of(forum) or (sig.jurisdictions[0] if len(sig.jurisdictions) == 1 else None)
        case = Case(key=key[:300], origin=origin, forum=forum, jurisdiction=juris, status="unknown",
                    ip_types=[], industries=[], first_activity_on=sig.day, last_activity_on=sig.day)
        self.session.add(case)
        self.session.flush()
        self.forum_cache[case.id] = forum
        self.stats.cases_created += 1
        return case.id

    def _case_from_parties(self, sig: Signals, entity_ids: dict[str, int]) -> Target | None:
        """A dispute named by its parties alone: needs an asserting and a defending entity, or two entities and a
        forum; otherwise the document stays unlinked rather than found a case on a guess."""
        pla = sorted({p.key for p in sig.parties if p.key and p.role == "plaintiff"})
        dfd = sorted({p.key for p in sig.parties if p.key and p.role == "defendant"} - set(pla))
        forum = sig.forums[0] if len(sig.forums) == 1 else None
        place = forum or (sig.jurisdictions[0] if len(sig.jurisdictions) == 1 else None)
        if not (pla and dfd) and not (len(entity_ids) >= 2 and place):
            return None
        if not (pla and dfd):
            keys = sorted(entity_ids)[:4]
            pla, dfd = keys[:1], keys[1:]
        key = f"parties:{place or '-'}:{'+'.join(pla[:3])}>{'+'.join(dfd[:3])}:{sig.day.isoformat()}"
        cid = self._new_case(key, "parties", forum, sig)
        return Target(cid, "parties_forum" if forum else "parties", 0.8 if forum else 0.6,
                      {"parties": pla + dfd, "forum": forum, "created": True})

    def _blocked(self, doc: Document, case_id: int) -> bool:
        keys = self.blocked.get((doc.source_id, doc.canonical_url))
        if not keys:
            return False
        names = set(self.session.scalars(select(Case.key).where(or_(Case.id == case_id,
                                                                     Case.merged_into_id == case_id))))
        return bool(keys & names)

    def _apply(self, doc: Document, sig: Signals, entity_ids: dict[str, int], targets: list[Target]) -> None:
        single = len(targets) == 1
        for t in targets:
            exists = self.session.scalar(select(CaseDocument.id).where(CaseDocument.case_id == t.case_id,
                                                                       CaseDocument.document_id == doc.id))
            if exists is None:
                self.session.add(CaseDocument(case_id=t.case_id, document_id=doc.id, method=t.method,
                                              evidence=t.evidence, confidence=t.confidence))
                self.stats.links += 1
            own = t.method == "case_number" and t.evidence.get("from") != "text"
            if own or single or t.evidence.get("created"):
                self._parties(t.case_id, doc, sig, entity_ids, created=bool(t.evidence.get("created")))
            if (own or single) and t.confidence >= 0.7:
                for e in sig.events:
                    if self.session.scalar(select(CaseEvent.id).where(
                            CaseEvent.case_id == t.case_id, CaseEvent.kind == e.kind, CaseEvent.occurred_on == e.on,
                            CaseEvent.document_id == doc.id)) is None:
                        self.session.add(CaseEvent(case_id=t.case_id, kind=e.kind, occurred_on=e.on,
                                                   date_basis=e.basis, document_id=doc.id, detail=e.detail))
                values = dict(sig.fields)
                forum = self._forum(t.case_id)
                if forum:
                    values["forum"] = forum
                record_fields(self.session, t.case_id, doc.id, doc.source_id, doc.fetched_at, values)
            if self._forum(t.case_id) is None and sig.forums and single:
                case = self.session.get(Case, t.case_id)
                if case is not None:
                    case.forum, case.jurisdiction = sig.forums[0], jurisdiction_of(sig.forums[0])
                    self.forum_cache[t.case_id] = case.forum
            self.touched.add(t.case_id)

    def _parties(self, case_id: int, doc: Document, sig: Signals, entity_ids: dict[str, int], created: bool) -> None:
        have = {(pid, role) for pid, role in self.session.execute(
            select(CaseParty.party_id, CaseParty.role).where(CaseParty.case_id == case_id))}
        for p in sig.parties:
            if p.key is None or p.key not in entity_ids:
                continue
            if p.origin == "text" and not created:
                continue  # names found in news text qualify a link, they do not add parties to a case
            pid, role = entity_ids[p.key], p.role if p.role in ("plaintiff", "defendant") else "other"
            if (pid, role) in have:
                continue
            have.add((pid, role))
            side = role if role != "other" else None
            self.session.add(CaseParty(case_id=case_id, party_id=pid, name=p.name[:500], role=role,
                                       role_raw=(p.role_raw or None), side=side,
                                       country=p.country if p.country and len(p.country) == 2 else None,
                                       document_id=doc.id))


def merge_cases(session: Session, keep: int, absorb: int) -> None:
    """Move everything of ``absorb`` into ``keep``; ``absorb`` stays as a tombstone pointing at ``keep``."""
    if keep == absorb:
        return
    session.flush()
    session.execute(update(CaseNumber).where(CaseNumber.case_id == absorb).values(case_id=keep))
    for model, cols in ((CaseDocument, ("document_id",)), (CaseParty, ("party_id", "role")),
                        (CaseEvent, ("kind", "occurred_on", "document_id")),
                        (CaseField, ("field", "value_key", "document_id")), (CampaignCase, ("campaign_id",))):
        case_col: Any = getattr(model, "case_id")  # noqa: B009 - every model here has one; Base does not say so
        kept = {tuple(r) for r in session.execute(select(*[getattr(model, c) for c in cols]).where(case_col == keep))}
        for row in list(session.scalars(select(model).where(case_col == absorb))):
            if tuple(getattr(row, c) for c in cols) in kept:
                session.delete(row)
            else:
                setattr(row, "case_id", keep)  # noqa: B010
    session.execute(update(Case).where(Case.merged_into_id == absorb).values(merged_into_id=keep))
    session.execute(update(Case).where(Case.id == absorb).values(merged_into_id=keep, status="merged",
                                                                 updated_at=utcnow()))
    session.flush()
    recompute(session, [keep])


def case_by_key(session: Session, key: str) -> Case | None:
    """A case by its key or one of its case numbers ("337-TA-1443"), following merges to the live case."""
    case = session.scalar(select(Case).where(Case.key == key))
    if case is None:
        from .numbers import extract

        nos = extract(key)
        if nos:
            cid = session.scalar(select(CaseNumber.case_id).where(CaseNumber.kind == nos[0].kind,
                                                                  CaseNumber.number == nos[0].number))
            case = session.get(Case, cid) if cid is not None else None
    for _ in range(20):
        if case is None or case.merged_into_id is None:
            return case
        case = session.get(Case, case.merged_into_id)
    return case


def apply_decisions(session: Session) -> int:
    """Replay every analyst decision on the current cases; already-applied ones change nothing."""
    applied = 0
    for d in session.scalars(select(CaseDecision).order_by(CaseDecision.id)):
        if d.action == "merge" and d.other_case_key:
            keep, absorb = case_by_key(session, d.case_key), case_by_key(session, d.other_case_key)
            if keep is not None and absorb is not None and keep.id != absorb.id:
                merge_cases(session, keep.id, absorb.id)
                applied += 1
        elif d.action == "unlink" and d.source_id and d.canonical_url:
            case = case_by_key(session, d.case_key)
            doc_id = session.scalar(select(Document.id).where(Document.source_id == d.source_id,
                                                              Document.canonical_url == d.canonical_url))
            if case is not None and doc_id is not None:
                applied += unlink_document(session, case.id, doc_id)
    return applied


def unlink_document(session: Session, case_id: int, document_id: int) -> int:
    """Remove one document's link and everything it contributed to the case; 1 if there was a link."""
    n = session.execute(select(func.count()).select_from(CaseDocument).where(
        CaseDocument.case_id == case_id, CaseDocument.document_id == document_id)).scalar_one()
    session.execute(delete(CaseDocument).where(CaseDocument.case_id == case_id, CaseDocument.document_id == document_id))
    session.execute(delete(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.document_id == document_id))
    session.execute(delete(CaseField).where(CaseField.case_id == case_id, CaseField.document_id == document_id))
    session.execute(delete(CaseParty).where(CaseParty.case_id == case_id, CaseParty.document_id == document_id))
    recompute(session, [case_id])
    return 1 if n else 0


def _reset(session: Session) -> None:
    """Forget every automatic result (parties and aliases stay: they are resolutions, not links)."""
    for model in (CampaignCase, Campaign, CaseDocument, CaseEvent, CaseField, CaseParty, CaseNumber, CaseLinkState):
        session.execute(delete(model))
    session.execute(update(Case).values(merged_into_id=None))
    session.execute(delete(Case))


def link_documents(engine: Engine, *, only_new: bool = True, on_progress: Callable[[int, int], None] | None = None,
                   resolver: ResolverLike | None = None, batch_size: int = 500) -> LinkStats:
    """Link tagged documents to cases; ``on_progress(done, total)`` after every batch. Idempotent."""
    started = time.monotonic()
    resolver = resolver or default_resolver()
    with Session(engine, expire_on_commit=False) as session:
        if not only_new:
            _reset(session)
            session.commit()
        state = select(CaseLinkState.linked_at).where(CaseLinkState.document_id == Document.id).scalar_subquery()
        pending = (select(Document.id).where(Document.tagged_at.is_not(None))
                   .where(or_(state.is_(None), state < Document.tagged_at)).order_by(Document.id))
        total = session.scalar(select(func.count()).select_from(pending.subquery())) or 0
        linker = Linker(session, resolver)
        last_id, done = 0, 0
        retry: list[int] = []
        while True:
            ids = list(session.scalars(pending.where(Document.id > last_id).limit(batch_size)))
            if not ids:
                break
            last_id = ids[-1]
            docs = list(session.scalars(select(Document).where(Document.id.in_(ids)).order_by(Document.id)))
            now = utcnow()
            for doc in docs:
                relinking = session.get(CaseLinkState, doc.id)
                if relinking is not None:  # re-tagged: its old links are rebuilt from the new analysis
                    for cid in session.scalars(select(CaseDocument.case_id).where(CaseDocument.document_id == doc.id)):
                        unlink_document(session, cid, doc.id)
                        linker.touched.add(cid)
                with session.no_autoflush:
                    outcome = linker.link(doc)
                linker.stats.documents += 1
                if outcome == "linked":
                    linker.stats.linked += 1
                else:
                    linker.stats.unlinked += 1
                    retry.append(doc.id)
                if relinking is None:
                    session.add(CaseLinkState(document_id=doc.id, linked_at=now, linker_version=LINKER_VERSION,
                                              outcome=outcome))
                else:
                    relinking.linked_at, relinking.outcome = now, outcome
                    relinking.linker_version = LINKER_VERSION
                # Keep case dates current within the batch: the time window of the next document depends on them.
                session.flush()
            recompute(session, linker.touched)
            update_campaigns(session, linker.touched)
            linker.touched.clear()
            session.commit()
            session.expunge_all()
            done += len(ids)
            if on_progress:
                on_progress(done, total)
        # A report can name a party that only a later document of the same run introduces ("AVM" is unknown
        # until the report that says "Huawei v. AVM"): documents left unlinked get one more pass at the end.
        for start in range(0, len(retry), batch_size):
            for doc in session.scalars(select(Document).where(Document.id.in_(retry[start:start + batch_size]))):
                if linker.link(doc) == "linked":
                    linker.stats.linked += 1
                    linker.stats.unlinked -= 1
                    session.execute(update(CaseLinkState).where(CaseLinkState.document_id == doc.id)
                                    .values(outcome="linked").execution_options(synchronize_session=False))
                session.flush()
            recompute(session, linker.touched)
            update_campaigns(session, linker.touched)
            linker.touched.clear()
            session.commit()
            session.expunge_all()
        linker.stats.decisions_applied = apply_decisions(session)
        session.commit()
        linker.stats.seconds = time.monotonic() - started
        return linker.stats
