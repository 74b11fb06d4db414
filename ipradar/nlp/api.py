"""The tagging API the rest of IP Radar uses: ``Tagger.load()`` then ``tagger.classify(records)`` (DESIGN §6 dicts)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from . import models as model_io
from .components import doc_text, info
from .features import feature_string
from .pipeline import build
from .resources import CN_REGIONS, INDUSTRIES, MODELS, RISK_TYPES
from .severity import from_output
from .textnorm import detect_lang, normalise

RULES_VERSION = "ipradar-nlp-rules"
IP_RISKS = ("patent_infringement", "trademark", "copyright", "trade_secret", "section_337", "sep_frand")

# Thresholds for combining rules with the classifiers' calibrated probabilities. A rule hit needs only weak model
# support; the model alone needs high confidence (the training set is small, the rules are precise).
RELEVANT_MIN = 0.15
RISK_WITH_RULE = 0.03
RISK_MODEL_ONLY = 0.85
POLICY_WITH_RULE = 0.45
INDUSTRY_RULE_MIN = 2.0
INDUSTRY_MODEL_ONLY = 0.9


class Tagger:
    """Relevance, jurisdictions, industries, risk types, Chinese party/side, entities and severity for records."""

    def __init__(self, model_set: model_io.ModelSet | None) -> None:
        self.models = model_set
        self.version: str = model_set.version if model_set else RULES_VERSION

    @classmethod
    def load(cls, models_dir: Path | None = None) -> Tagger:
        directory = models_dir or MODELS
        if (directory / "meta.json").exists():
            return cls(model_io.load(directory))
        if models_dir is not None:
            raise FileNotFoundError(f"no models in {directory} (meta.json missing); run `ipradar train`")
        return cls(None)

    # -- processing -------------------------------------------------------------------------------------------------
    def analyse(self, records: Iterable[Mapping[str, Any]], batch_size: int = 64
                ) -> Iterator[tuple[Mapping[str, Any], Doc, str, str]]:
        """(record, processed doc, title, text) per record, in input order; language pipelines run with nlp.pipe."""
        it = iter(records)
        while True:
            chunk = list(islice(it, batch_size))
            if not chunk:
                return
            prepared: list[tuple[Mapping[str, Any], str, str, str, list[str]]] = []
            for rec in chunk:
                title, _ = normalise(str(rec.get("title") or ""))
                text, notes = normalise(str(rec.get("text") or ""))
                lang = detect_lang(f"{title}\n{text}", rec.get("lang") if isinstance(rec.get("lang"), str) else None)
                prepared.append((rec, title, text, lang, notes))
            docs: list[Doc | None] = [None] * len(prepared)
            for lang in ("en", "zh"):
                idx = [i for i, p in enumerate(prepared) if p[3] == lang]
                if not idx:
                    continue
                nlp = build(lang)
                seeds = []
                for i in idx:
                    rec, title, text = prepared[i][0], prepared[i][1], prepared[i][2]
                    full = f"{title}\n{text}"
                    doc = nlp.make_doc(full)
                    # the components read the text many times; doc.text would rebuild it from the tokens each time
                    info(doc)["text"] = full
                    info(doc)["structured_parties"] = [p for p in (rec.get("parties") or []) if isinstance(p, dict)]
                    info(doc)["notes"] = prepared[i][4]
                    seeds.append(doc)
                for i, doc in zip(idx, nlp.pipe(seeds, batch_size=batch_size), strict=True):
                    docs[i] = doc
            for (rec, title, text, _lang, _notes), done in zip(prepared, docs, strict=True):
                assert done is not None
                yield rec, done, title, text

    def classify(self, records: Iterable[Mapping[str, Any]], batch_size: int = 64) -> Iterator[dict[str, Any]]:
        it = iter(records)
        while True:
            chunk = list(islice(it, batch_size))
            if not chunk:
                return
            analysed = list(self.analyse(chunk, batch_size=batch_size))
            probs = self._probabilities([feature_string(t, x, info(d)) for _, d, t, x in analysed])
            for n, (rec, doc, _title, _text) in enumerate(analysed):
                yield self._decide(rec, doc, {dim: p[n] for dim, p in probs.items()})

    def _probabilities(self, features: list[str]) -> dict[str, list[dict[str, float]]]:
        if not self.models:
            return {}
        return {name: m.predict_proba(features) for name, m in self.models.models.items()}

    # -- decisions -------------------------------------------------------------------------------------------------
    def _decide(self, rec: Mapping[str, Any], doc: Doc, probs: Mapping[str, dict[str, float]]) -> dict[str, Any]:
        data = info(doc)
        sig = data["signals"]
        hits: dict[str, int] = sig["risk_hits"]
        p_rel = probs.get("relevant", {}).get("relevant")
        p_risk = probs.get("risk_type", {})
        p_ind = probs.get("industry", {})

        # risk types: precise rules, confirmed (or, rarely, added) by the classifier
        risks: list[str] = []
        for label in RISK_TYPES:
            p = p_risk.get(label)
            rule = hits.get(label, 0)
            if label == "section_337" and rule and sig["non_ip"] and not _strong_337(doc_text(doc)):
                rule = 0  # the USITC also runs anti-dumping cases: "ITC ... investigation" alone is not 337
            if label == "policy":
                ok = (rule >= 1 and ((p is None and rule >= 2) or (p is not None and p >= POLICY_WITH_RULE))) \
                    or (p is not None and p >= RISK_MODEL_ONLY)
            elif label == "customs":
                ok = rule >= 1 and (p is None or p >= RISK_WITH_RULE)
            else:
                ok = (rule >= 1 and (p is None or p >= RISK_WITH_RULE)) or (p is not None and p >= RISK_MODEL_ONLY)
            if ok:
                risks.append(label)

        # an injunction or ban fight over standard-essential patents is an infringement accusation (LABELING.md);
        # rate-setting or anti-suit fights alone are not
        if "sep_frand" in risks and "patent_infringement" not in risks and _SEP_ASSERTION.search(doc_text(doc)):
            risks.append("patent_infringement")
        # a Section 337 matter whose text names the asserted right as a patent is a patent accusation (LABELING.md:
        # the IP type is added when the text states or clearly implies it) unless another IP type is the subject
        if "section_337" in risks and not any(r in risks for r in ("patent_infringement", "trademark", "copyright",
                                                                    "trade_secret")) \
                and _PATENT_WORD.search(doc_text(doc)):
            risks.append("patent_infringement")
        risks.sort()

        # relevance
        ip_signal = any(hits.get(k) for k in IP_RISKS) or bool(sig["ip_general"])
        relevant = ip_signal
        if relevant and sig["non_ip"] and not any(hits.get(k) for k in IP_RISKS):
            relevant = False
        jurisdictions: list[str] = sig["jurisdictions"]
        if relevant and jurisdictions == ["CN"] and not sig["foreign_companies"] and not sig["foreign_cue"]:
            relevant = False  # a purely domestic Chinese dispute (LABELING.md)
        if relevant and p_rel is not None and p_rel < RELEVANT_MIN:
            relevant = False
        if p_rel is None and relevant and sig["not_relevant_cue"] >= 2 and not risks:
            relevant = False
        if not relevant:
            risks = []

        # industries: lexicon scores, pruned to the ones near the top, plus confident model calls
        industries: list[str] = []
        if relevant:
            scores: dict[str, float] = sig["industry_scores"]
            top = max(scores.values(), default=0.0)
            for label in INDUSTRIES:
                s = scores.get(label, 0.0)
                p = p_ind.get(label)
                # the lexicon decides; the model (trained on a small set) may only add a label it is sure of
                # when the lexicon saw at least a weak cue for it
                if (s >= INDUSTRY_RULE_MIN and s >= 0.3 * top) \
                        or (p is not None and p >= INDUSTRY_MODEL_ONLY and s >= 1):
                    industries.append(label)
            if "other" in industries and len(industries) > 1:
                industries.remove("other")
            # LABELING.md: a cellular SEP/FRAND fight is telecom; consumer_electronics only when the accused devices
            # are named, so a phone maker's name (the company prior) is not enough there
            if "consumer_electronics" in industries and "telecom" in industries and "sep_frand" in risks \
                    and sig["industry_lexical"].get("consumer_electronics", 0.0) < INDUSTRY_RULE_MIN:
                industries.remove("consumer_electronics")

        cn = data["cn_party"]
        parties = _parties(rec, data)
        entities = {
            "case_numbers": [c["number"] for c in data.get("case_numbers", [])],
            "patents": data.get("patents", []), "remedies": data.get("remedies", []),
            "money": data.get("money", []), "deadline_days": data.get("deadline_days", []),
            "forums": sig["forums"],
            "places": {"shanghai_pudong": bool(cn["shanghai_pudong"])},
            "companies": {"chinese": sig["cn_companies"], "foreign": sig["foreign_companies"]},
            "cn_party_evidence": cn["evidence"], "notes": data.get("notes", []),
        }
        case_numbers = list(dict.fromkeys([*entities["case_numbers"],
                                           *[str(c) for c in (rec.get("case_numbers") or [])]]))
        out: dict[str, Any] = {
            "id": str(rec.get("id")), "relevant": relevant, "lang": _out_lang(rec, doc),
            "jurisdictions": jurisdictions, "industries": industries, "risk_types": sorted(risks),
            "cn_party": {"involved": bool(cn["involved"]), "side": cn["side"] if cn["involved"] else None},
            "parties": parties, "case_numbers": case_numbers, "forums": sig["forums"],
        }
        out["severity"] = from_output(out, entities).as_dict()
        out["scores"] = _scores(out, sig, probs)
        out["entities"] = entities
        return out


_SEP_ASSERTION = re.compile(r"(?:preliminary |permanent )?injunctions?(?: \([^)]{1,12}\))? (?:over|against|on|barring)|"
                            r"preliminary injunctions?|sales ban|\bban(?:s|ned)?\b|no longer (?:sell|be sold)|"
                            r"infring|禁令|禁售|停售|侵权|侵犯|Verkaufsverbot|Verfügung|差し止め|販売(?:を)?停止",
                            re.IGNORECASE)
_PATENT_WORD = re.compile(r"\bpatent|专利|特许", re.IGNORECASE)


def _strong_337(text: str) -> bool:
    return bool(re.search(r"[Ss]ection 337|337-TA-|337调查|337 investigation|337案", text))


def _out_lang(rec: Mapping[str, Any], doc: Doc) -> str:
    declared = rec.get("lang")
    if isinstance(declared, str) and len(declared) == 2 and declared.isalpha():
        return declared.lower()
    return str(doc.lang_)


def _parties(rec: Mapping[str, Any], data: Mapping[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for p in [*(rec.get("parties") or []), *data.get("parties", [])]:
        if not isinstance(p, Mapping) or not p.get("name"):
            continue
        name = str(p["name"])
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        role = p.get("role") if p.get("role") in ("plaintiff", "defendant", "other") else "other"
        country = p.get("country")
        out.append({"name": name, "role": role, "country": str(country).upper() if country else None})
    return out


def _scores(out: Mapping[str, Any], sig: Mapping[str, Any], probs: Mapping[str, dict[str, float]]
            ) -> dict[str, dict[str, float]]:
    """Per-dimension label scores: the classifier's probability where there is one, else 1.0 for rule decisions."""
    def pick(dim: str, labels: Iterable[str]) -> dict[str, float]:
        p = probs.get(dim, {})
        return {label: round(float(p.get(label, 1.0)), 4) for label in labels}

    rel = probs.get("relevant", {}).get("relevant")
    jev = sig["jurisdiction_evidence"]
    return {
        "relevant": {"relevant": round(rel, 4) if rel is not None else (1.0 if out["relevant"] else 0.0)},
        "jurisdiction": {j: round(min(1.0, jev.get(j, 1.0) / 3.0), 4) for j in out["jurisdictions"]},
        "industry": pick("industry", out["industries"]),
        "risk_type": pick("risk_type", out["risk_types"]),
        "cn_party": {"involved": 1.0 if out["cn_party"]["involved"] else 0.0},
    }


def is_cn(country: str | None) -> bool:
    return (country or "").upper() in CN_REGIONS
