"""The one-pass lexicon matcher (PhraseMatcher + residual regexes) and the speed paths must keep the rules' meaning."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from ipradar.nlp import models as model_io
from ipradar.nlp.components import info
from ipradar.nlp.lexicon import LexiconMatcher, leads, may_match, plain
from ipradar.nlp.pipeline import build
from ipradar.nlp.resources import MODELS
from ipradar.nlp.rules import _SENT_SPLIT

EVAL = Path(__file__).resolve().parents[2] / "ipradar" / "data" / "eval" / "gold.jsonl"


def test_plain_expansion_and_residuals() -> None:
    form = plain(r"\bchips?\b")
    assert form is not None and form.literals == ("chip", "chips") and not form.open_end
    form = plain(r"therap(?:y|ies|eutic)")
    assert form is not None and set(form.literals) == {"therapy", "therapies", "therapeutic"} and form.open_end
    assert plain(r"\bchips?\b(?!\s*card)") is None  # lookahead: stays a regex
    assert plain(r"infring(?:e|es)(?: \w+){0,6} patents?") is None


def test_leads_are_necessary_literals() -> None:
    assert leads(r"general exclusion orders?|\bGEOs?\b") == ("gen", "geo")  # short enough to be cheap
    assert leads(r"(?:5G|4G|LTE)(?:\S{0,4})专利") == ("4g", "5g", "lte")
    assert leads(r"\d+ days") is None
    for rx in (r"(?:sued?|sues|suing) (?:\w+ ){0,6}over patents?", r"\bIPR\d{4}", r"337-TA-\d+"):
        gate = leads(rx)
        for text in ("Acme sued Beta Corp over patents", "IPR2024-00001 was filed", "Inv. No. 337-TA-1400"):
            if re.search(rx, text, re.IGNORECASE):
                assert may_match(gate, text.lower()), (rx, text)


def test_matcher_en_and_zh() -> None:
    groups = {"g": [r"\bphones?\b", "diagnostic", "integrated circuits?", "芯片", r"\bLED\b", "特許侵害"]}
    en = build("en")
    m = LexiconMatcher(en, groups)
    text = "Phones and diagnostics; 4G/5G integrated circuits. 芯片"
    keys = [h.key for h in m(en.make_doc(text), text)["g"]]
    assert keys == ["phones", "diagnostic", "integrated circuits", "芯片"]
    zh = build("zh")
    mz = LexiconMatcher(zh, groups)
    text = "LED芯片,LEDGER不算;特许侵害"  # patterns are folded to simplified characters like the texts
    keys = [h.key for h in mz(zh.make_doc(text), text)["g"]]
    assert keys == ["led", "芯片", "特许侵害"]


def test_sentence_split_keeps_abbreviations() -> None:
    parts = [p for p in _SENT_SPLIT.split("Acme sued BeiGene Ltd. and a unit over U.S. Patent No. 5. Next one.") if p]
    assert parts == ["Acme sued BeiGene Ltd. and a unit over U.S. Patent No. 5.", "Next one."]


def test_capitalised_chinese_places_mark_parties() -> None:
    for text in ("A Texas firm says devices made by a Shenzhen manufacturer infringe its patents.",
                 "The ITC named respondents from Ningbo and Hangzhou, China."):
        assert info(build("en")(text))["cn_party"]["involved"], text


def test_folded_linear_models_equal_sklearn() -> None:
    rows = [json.loads(x) for x in EVAL.read_text(encoding="utf-8").splitlines() if x.strip()][:40]
    features = [f"{r['title']} {r['text']}".lower() for r in rows]
    for model in model_io.load(MODELS).models.values():
        assert model.linear() is not None
        fast = model.predict_proba(features)
        slow = np.asarray(model.pipeline.predict_proba(features))
        labels = ["relevant"] if model.name == "relevant" else model.labels
        got = np.array([[row[lab] for lab in labels] for row in fast])
        want = slow[:, 1:] if model.name == "relevant" else slow
        assert np.allclose(got, want, atol=1e-9)
