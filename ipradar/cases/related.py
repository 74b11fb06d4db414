"""Related cases and campaigns: parallel proceedings between the same parties, and one plaintiff's waves.

- ``parallel:<a>|<b>``: every live case in which entities a and b both take part (337 + district court + PTAB;
  UPC + national courts; a Chinese anti-suit action against the same SEP holder).
- ``wave:<plaintiff>:<forum>:<year>``: one plaintiff against many defendants in one forum within a year
  (Schedule A filings in N.D. Ill., NPE campaigns in E.D. Tex.) — three cases or more.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db.models.cases import Campaign, CampaignCase, Case, CaseParty, Party

WAVE_MIN = 3
MAX_PAIRS = 15  # a 337 case names up to dozens of respondents; the first few pairs find its parallels


def update_campaigns(session: Session, case_ids: Iterable[int]) -> int:
    """Recompute the campaigns these cases belong to; returns how many campaign memberships were added."""
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    session.flush()
    added = 0
    roles: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for cid, pid, role in session.execute(select(CaseParty.case_id, CaseParty.party_id, CaseParty.role)
                                          .where(CaseParty.case_id.in_(ids)).order_by(CaseParty.id)):
        roles[cid][role].append(pid)
    keys = {pid: key for pid, key in session.execute(select(Party.id, Party.key).where(Party.id.in_(
        {p for r in roles.values() for ps in r.values() for p in ps})))}
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids), Case.merged_into_id.is_(None)))}
    for cid, case in cases.items():
        r = roles[cid]
        left = r["plaintiff"] or r["other"][:1]
        right = r["defendant"] or r["other"][1:]
        pairs = [(a, b) for a in left[:3] for b in right if a != b][:MAX_PAIRS]
        for a, b in pairs:
            added += _parallel(session, a, b, keys)
        if r["plaintiff"] and case.forum and case.first_activity_on:
            added += _wave(session, r["plaintiff"][0], case.forum, case.first_activity_on, keys)
    return added


def _members(session: Session, campaign: Campaign) -> set[int]:
    return set(session.scalars(select(CampaignCase.case_id).where(CampaignCase.campaign_id == campaign.id)))


def _upsert(session: Session, key: str, kind: str, title: str, case_ids: set[int], evidence: dict[str, object]) -> int:
    campaign = session.scalar(select(Campaign).where(Campaign.key == key))
    if campaign is None:
        campaign = Campaign(key=key, kind=kind, title=title)
        session.add(campaign)
        session.flush()
    have = _members(session, campaign)
    new = case_ids - have
    for cid in sorted(new):
        session.add(CampaignCase(campaign_id=campaign.id, case_id=cid, evidence=evidence))
    return len(new)


def _parallel(session: Session, a: int, b: int, keys: dict[int, str]) -> int:
    # Two index probes intersected: a large party (hundreds of cases) never drives a join over all its cases.
    both = select(CaseParty.case_id).where(CaseParty.party_id == a).intersect(
        select(CaseParty.case_id).where(CaseParty.party_id == b)).subquery()
    rows = set(session.scalars(select(Case.id).where(Case.id.in_(select(both.c.case_id)),
                                                     Case.merged_into_id.is_(None)).limit(500)))
    if len(rows) < 2:
        return 0
    ka, kb = sorted((_key(session, a, keys), _key(session, b, keys)))
    return _upsert(session, f"parallel:{ka}|{kb}", "parallel", f"{ka} / {kb}", rows,
                   {"shared_parties": [ka, kb]})


def _wave(session: Session, plaintiff: int, forum: str, day: dt.date, keys: dict[int, str]) -> int:
    start, end = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    rows = list(session.execute(
        select(CaseParty.case_id).join(Case, Case.id == CaseParty.case_id)
        .where(CaseParty.party_id == plaintiff, CaseParty.role == "plaintiff", Case.forum == forum,
               Case.merged_into_id.is_(None), Case.first_activity_on >= start, Case.first_activity_on <= end)
        .limit(2000)))
    case_ids = {r[0] for r in rows}
    if len(case_ids) < WAVE_MIN:
        return 0
    defendants = session.scalar(select(func.count(func.distinct(CaseParty.party_id)))
                                .where(CaseParty.case_id.in_(case_ids), CaseParty.role == "defendant")) or 0
    if defendants < WAVE_MIN:
        return 0  # the same two parties litigating many patents is a parallel dispute, not a wave
    k = _key(session, plaintiff, keys)
    return _upsert(session, f"wave:{k}:{forum}:{day.year}", "wave", f"{k} v. many — {forum} {day.year}", case_ids,
                   {"plaintiff": k, "forum": forum, "year": day.year})


def _key(session: Session, pid: int, keys: dict[int, str]) -> str:
    if pid not in keys:
        keys[pid] = session.scalar(select(Party.key).where(Party.id == pid)) or str(pid)
    return keys[pid]


def related_cases(session: Session, case_id: int) -> list[tuple[Campaign, list[int]]]:
    """The campaigns of a case with their other member cases."""
    out = []
    for campaign in session.scalars(select(Campaign).join(CampaignCase, CampaignCase.campaign_id == Campaign.id)
                                    .where(CampaignCase.case_id == case_id).order_by(Campaign.id)):
        others = sorted(_members(session, campaign) - {case_id})
        out.append((campaign, others))
    return out
