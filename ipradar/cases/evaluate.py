"""Linking quality: pairwise precision/recall on labelled groups of documents (EN and ZH).

Each line of the labelled set is an ingest line plus ``gold``: ``{"cases": [labels], "campaign": label|null}``.
Two documents are a gold pair at case level when they share a case label, at campaign level when they also share
a campaign. The set is ingested into a throw-away SQLite database, tagged (the tagger ``ipradar tag`` uses) and
linked exactly as in production; predicted pairs are documents sharing a case (or, at campaign level, a campaign).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import init_db, make_engine
from ..db.models import Document
from ..db.models.cases import CampaignCase, Case, CaseDocument
from ..tagging import TaggerLike, tag_documents
from .ingest import ingest_lines
from .linking import link_documents

DEFAULT_SET = Path(__file__).resolve().parent.parent / "data" / "eval" / "linking" / "groups.jsonl"


class EvalInputError(ValueError):
    pass


def default_tagger() -> TaggerLike:
    """The tagger ``ipradar tag`` uses (the NLP engineer's), loaded from the shipped models."""
    from ..nlp.api import Tagger

    return Tagger.load()


@dataclass
class Level:
    name: str
    gold_pairs: int
    predicted_pairs: int
    true_pairs: int

    @property
    def precision(self) -> float:
        return self.true_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_pairs / self.gold_pairs if self.gold_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    documents: int
    groups: int
    sha256: str
    levels: list[Level]
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "groups": self.groups, "sha256": self.sha256,
                "levels": {lv.name: {"precision": round(lv.precision, 4), "recall": round(lv.recall, 4),
                                     "f1": round(lv.f1, 4), "gold_pairs": lv.gold_pairs,
                                     "predicted_pairs": lv.predicted_pairs} for lv in self.levels},
                "errors": self.errors}


def _pairs(groups: dict[str, set[str]]) -> set[tuple[str, str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for doc, labels in groups.items():
        for label in labels:
            members[label].add(doc)
    return {tuple(sorted(p)) for docs in members.values() for p in combinations(sorted(docs), 2)}  # type: ignore[misc]


def evaluate_file(path: Path, tagger: TaggerLike | None = None) -> Report:
    if not path.is_file():
        raise EvalInputError(f"{path}: no such file")
    raw = path.read_bytes()
    lines = raw.decode("utf-8").splitlines()
    gold_case: dict[str, set[str]] = {}
    gold_campaign: dict[str, set[str]] = {}
    docs: list[str] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            gold = obj.pop("gold")
            ident = str(obj["id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise EvalInputError(f"{path}:{n}: needs JSON with 'id' and 'gold' ({exc})") from exc
        cases = {str(c) for c in gold.get("cases") or []}
        gold_case[ident] = cases
        campaign = gold.get("campaign")
        gold_campaign[ident] = cases | ({f"campaign:{campaign}"} if campaign else set())
        docs.append(json.dumps(obj, ensure_ascii=False))
    with tempfile.TemporaryDirectory(prefix="ipradar-eval-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'eval.db'}"
        init_db(url)
        engine = make_engine(url)
        try:
            stats = ingest_lines(engine, docs, name=str(path))
            if stats.errors:
                raise EvalInputError("; ".join(stats.errors[:5]))
            tag_documents(engine, tagger or default_tagger())
            link_documents(engine)
            pred_case, pred_campaign = _predicted(engine)
        finally:
            engine.dispose()
    levels, errors = [], []
    for name, gold, pred in (("case", gold_case, pred_case), ("campaign", gold_campaign, pred_campaign)):
        g, p = _pairs(gold), _pairs({d: pred.get(d, set()) for d in gold})
        levels.append(Level(name, len(g), len(p), len(g & p)))
        if name == "case":
            errors += [f"false link: {a} ~ {b}" for a, b in sorted(p - g)]
            errors += [f"missed link: {a} ~ {b}" for a, b in sorted(g - p)]
    return Report(documents=len(docs), groups=len({c for cs in gold_case.values() for c in cs}),
                  sha256=hashlib.sha256(raw).hexdigest(), levels=levels, errors=errors)


def _predicted(engine: Any) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    with Session(engine) as session:
        ident = {d.id: str((d.extra or {}).get("ingest_id")) for d in session.scalars(select(Document))}
        cases: dict[str, set[str]] = defaultdict(set)
        for cid, did in session.execute(select(CaseDocument.case_id, CaseDocument.document_id)
                                        .join(Case, Case.id == CaseDocument.case_id)
                                        .where(Case.merged_into_id.is_(None))):
            cases[ident[did]].add(f"case:{cid}")
        campaigns: dict[str, set[str]] = defaultdict(set)
        of_case: dict[str, set[str]] = defaultdict(set)
        for camp, cid in session.execute(select(CampaignCase.campaign_id, CampaignCase.case_id)):
            of_case[f"case:{cid}"].add(f"campaign:{camp}")
        for doc, cs in cases.items():
            campaigns[doc] = set(cs) | {c for case in cs for c in of_case[case]}
    return cases, campaigns
