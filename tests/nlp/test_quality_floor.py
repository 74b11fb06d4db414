"""Quality gate (trafilatura style): micro-F1 floors on the project's own labelled set, whose hash is pinned so the
set cannot drift silently. The set is hand-written (EN and ZH) and never used for training."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ipradar.nlp.api import Tagger
from ipradar.nlp.evaluation import evaluate

EVAL = Path(__file__).resolve().parents[2] / "ipradar" / "data" / "eval" / "gold.jsonl"
EVAL_SHA256 = "8768f5e51ee35b2aaf33f30e2aa88ffb409b24a25a26b85553630371fdce46be"
FLOORS = {"relevant": 0.93, "jurisdictions": 0.93, "industries": 0.80, "risk_types": 0.88, "cn_party": 0.92}
LANG_FLOORS = {"relevant": 0.90, "jurisdictions": 0.90, "industries": 0.75, "risk_types": 0.85, "cn_party": 0.88}


def test_eval_set_is_the_pinned_one() -> None:
    assert hashlib.sha256(EVAL.read_bytes()).hexdigest() == EVAL_SHA256, "eval set changed: re-pin deliberately"
    rows = [json.loads(x) for x in EVAL.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert len(rows) >= 150 and {r["lang"] for r in rows} == {"en", "zh"}


def test_f1_floors(tagger: Tagger) -> None:
    gold = [json.loads(x) for x in EVAL.read_text(encoding="utf-8").splitlines() if x.strip()]
    pred = {o["id"]: o for o in tagger.classify(gold)}
    report = evaluate(gold, pred)
    got = {dim: report["all"][dim]["micro"]["f1"] for dim in FLOORS}
    assert all(got[d] >= f for d, f in FLOORS.items()), got
    for lang in ("en", "zh"):
        per = {dim: report[lang][dim]["micro"]["f1"] for dim in LANG_FLOORS}
        assert all(per[d] >= f for d, f in LANG_FLOORS.items()), (lang, per)
