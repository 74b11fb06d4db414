"""classify output against DESIGN §6 (the checks of the shared validate tool, reimplemented inside the project)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ipradar.nlp.api import Tagger
from ipradar.nlp.resources import INDUSTRIES, RISK_TYPES

EVAL = Path(__file__).resolve().parents[2] / "ipradar" / "data" / "eval" / "gold.jsonl"
JUR = re.compile(r"^([A-Z]{2}|UPC)$")


def problems(r: Mapping[str, Any]) -> Iterator[str]:
    if not isinstance(r.get("id"), str):
        yield "id missing"
    if not isinstance(r.get("relevant"), bool):
        yield "relevant not a bool"
    for key, ok in (("jurisdictions", lambda x: bool(JUR.match(x))), ("industries", INDUSTRIES.__contains__),
                    ("risk_types", RISK_TYPES.__contains__)):
        v = r.get(key)
        if not isinstance(v, list):
            yield f"{key} not a list"
            continue
        for x in v:
            if not (isinstance(x, str) and ok(x)):
                yield f"{key}: unknown code {x!r}"
    cp = r.get("cn_party")
    if not isinstance(cp, dict) or not isinstance(cp.get("involved"), bool):
        yield "cn_party.involved not a bool"
    elif cp.get("side") not in (None, "defendant", "plaintiff", "both"):
        yield f"cn_party.side {cp.get('side')!r}"
    elif not cp["involved"] and cp.get("side") is not None:
        yield "cn_party.side set while not involved"
    for p in r.get("parties", []):
        if not isinstance(p, dict) or "name" not in p or p.get("role") not in ("plaintiff", "defendant", "other"):
            yield f"party malformed: {p!r}"
    sev = r.get("severity")
    if not isinstance(sev, dict) or sev.get("level") not in ("high", "medium", "low") \
            or not isinstance(sev.get("score"), (int, float)) or not 0 <= sev["score"] <= 100 \
            or not isinstance(sev.get("reasons"), list):
        yield "severity malformed"


def test_problems_can_fail() -> None:
    bad = {"id": 1, "relevant": "yes", "jurisdictions": ["usa"], "industries": ["toys"], "risk_types": "x",
           "cn_party": {"involved": False, "side": "defendant"}, "parties": [{"role": "judge"}], "severity": {}}
    assert len(list(problems(bad))) >= 7


def test_every_output_meets_the_contract(tagger: Tagger) -> None:
    records = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    inputs = [{k: r.get(k) for k in ("id", "title", "text", "lang")} for r in records]
    outs = list(tagger.classify(inputs, batch_size=16))
    assert [o["id"] for o in outs] == [r["id"] for r in records]
    bad = {o["id"]: list(problems(o)) for o in outs if list(problems(o))}
    assert bad == {}
    json.dumps(outs)  # serialisable as JSON lines
