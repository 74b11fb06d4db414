"""The scikit-learn side: one Pipeline per label dimension (relevance, industry, risk type), calibrated scores,
training with held-out metrics, and persistence with skops (never pickle)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC

from .resources import INDUSTRIES, RISK_TYPES

DIMENSIONS = ("relevant", "industry", "risk_type")
MIN_POSITIVES = 6  # below this a label is left to the rules: calibration needs a few positives per fold


@dataclass
class DimensionModel:
    name: str
    labels: list[str]
    pipeline: Pipeline

    _linear: _Linear | None = field(default=None, init=False, repr=False)
    _linear_checked: bool = field(default=False, init=False, repr=False)

    def predict_proba(self, features: Sequence[str]) -> list[dict[str, float]]:
        if not features:
            return []
        linear = self.linear()
        if linear is not None:
            proba = linear.positive_proba(self.pipeline.named_steps["tfidf"].transform(list(features)))
            if self.name == "relevant":
                return [{"relevant": float(p)} for p in proba[:, 0]]
        else:
            proba = np.asarray(self.pipeline.predict_proba(list(features)))
            if self.name == "relevant":
                classes = list(self.pipeline.classes_)
                pos = classes.index(1) if 1 in classes else len(classes) - 1
                return [{"relevant": float(row[pos])} for row in proba]
        return [dict(zip(self.labels, map(float, row), strict=True)) for row in proba]

    def linear(self) -> _Linear | None:
        """The calibrated SVMs folded into one weight matrix (built on first use; None for other estimator kinds)."""
        if not self._linear_checked:
            self._linear_checked = True
            self._linear = _Linear.fold(self.pipeline.named_steps.get("clf"), binary=self.name == "relevant")
        return self._linear


@dataclass
class _Linear:
    """Exact fast path for (OneVsRest of) CalibratedClassifierCV(LinearSVC, method="sigmoid"): scikit-learn's
    predict_proba validates and predicts fold by fold and label by label (dozens of small calls per batch); the same
    numbers come from one sparse product: p = mean over folds of expit(-(a * (x.w + b) + c))."""

    weights: Any  # (n_features, n_columns): one column per (label, fold)
    intercept: Any  # (n_columns,)
    a: Any
    c: Any
    n_labels: int
    folds: int

    @classmethod
    def fold(cls, clf: Any, binary: bool) -> _Linear | None:
        from sklearn.calibration import _SigmoidCalibration

        per_label = [clf] if binary else list(getattr(clf, "estimators_", []))
        if not per_label or (not binary and getattr(getattr(clf, "label_binarizer_", None), "y_type_", "")
                             != "multilabel-indicator"):
            return None
        cols: list[tuple[Any, float, float, float]] = []
        folds = None
        for est in per_label:
            cals = getattr(est, "calibrated_classifiers_", None)
            if not isinstance(est, CalibratedClassifierCV) or not cals or list(est.classes_) != [0, 1]:
                return None
            if folds is not None and len(cals) != folds:
                return None
            folds = len(cals)
            for cc in cals:
                svc, calibrators = cc.estimator, cc.calibrators
                if not isinstance(svc, LinearSVC) or len(calibrators) != 1 \
                        or not isinstance(calibrators[0], _SigmoidCalibration) or svc.coef_.shape[0] != 1:
                    return None
                cols.append((svc.coef_[0], float(svc.intercept_[0]), float(calibrators[0].a_),
                             float(calibrators[0].b_)))
        assert folds is not None
        return cls(weights=np.column_stack([w for w, *_ in cols]), intercept=np.array([b for _, b, _, _ in cols]),
                   a=np.array([a for _, _, a, _ in cols]), c=np.array([c for *_, c in cols]),
                   n_labels=len(per_label), folds=folds)

    def positive_proba(self, x: Any) -> Any:
        from scipy.special import expit

        decision = np.asarray(x @ self.weights) + self.intercept
        proba = expit(-(self.a * decision + self.c))
        return proba.reshape(proba.shape[0], self.n_labels, self.folds).mean(axis=2)


@dataclass
class ModelSet:
    version: str
    models: dict[str, DimensionModel] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)


def make_pipeline(multilabel: bool) -> Pipeline:
    svc = LinearSVC(C=0.5, class_weight="balanced")
    clf: Any = CalibratedClassifierCV(svc, cv=3, method="sigmoid")
    if multilabel:
        clf = OneVsRestClassifier(clf)
    return Pipeline([
        ("tfidf", TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True, min_df=2,
                                  max_features=6000, dtype=np.float32)),
        ("clf", clf),
    ])


def targets(rows: Sequence[dict[str, Any]], dim: str) -> tuple[list[str], Any]:
    if dim == "relevant":
        return ["relevant"], np.array([1 if r.get("relevant", True) else 0 for r in rows])
    key, universe = ("industries", INDUSTRIES) if dim == "industry" else ("risk_types", RISK_TYPES)
    counts = {lab: sum(1 for r in rows if lab in (r.get(key) or [])) for lab in universe}
    labels = [lab for lab in universe if counts[lab] >= MIN_POSITIVES]
    mlb = MultiLabelBinarizer(classes=labels)
    y = mlb.fit_transform([[lab for lab in (r.get(key) or []) if lab in labels] for r in rows])
    return labels, y


def fit_dimension(dim: str, features: Sequence[str], rows: Sequence[dict[str, Any]]) -> DimensionModel:
    # Only relevant items carry industry/risk labels (LABELING.md), so those models learn from relevant rows only.
    idx = [i for i, r in enumerate(rows) if dim == "relevant" or r.get("relevant", True)]
    sub_rows = [rows[i] for i in idx]
    labels, y = targets(sub_rows, dim)
    pipe = make_pipeline(multilabel=dim != "relevant")
    pipe.fit([features[i] for i in idx], y)
    # stop_words_ lists every pruned rare token: only needed for introspection, and it is most of the file size
    tfidf = pipe.named_steps["tfidf"]
    if hasattr(tfidf, "stop_words_"):
        delattr(tfidf, "stop_words_")
    return DimensionModel(dim, labels, pipe)


def version_for(data_digest: str) -> str:
    return f"ipradar-nlp-{dt.date.today():%Y%m%d}-{data_digest[:8]}"


def digest_rows(rows: Sequence[dict[str, Any]]) -> str:
    h = hashlib.sha256()
    for r in rows:
        h.update(json.dumps(r, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


# -- persistence (skops) -------------------------------------------------------------------------------------------
_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


def save(models: ModelSet, out_dir: Path) -> None:
    import skops.io as sio

    out_dir.mkdir(parents=True, exist_ok=True)
    for name, m in models.models.items():
        sio.dump({"labels": m.labels, "pipeline": m.pipeline}, out_dir / f"{name}.skops",
                 compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    meta = {"version": models.version, "dimensions": {n: m.labels for n, m in models.models.items()},
            "format": "skops", "metrics": models.metrics}
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load(models_dir: Path) -> ModelSet:
    """Load the shipped models; only scikit-learn/numpy/scipy types are trusted (skops refuses anything else)."""
    import skops.io as sio

    meta = json.loads((models_dir / "meta.json").read_text(encoding="utf-8"))
    out = ModelSet(version=meta["version"], metrics=meta.get("metrics", {}))
    for name in meta["dimensions"]:
        path = models_dir / f"{name}.skops"
        untrusted = sio.get_untrusted_types(file=path)
        bad = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
        if bad:
            raise ValueError(f"{path}: refusing to load untrusted types {bad}")
        obj = sio.load(path, trusted=untrusted)
        out.models[name] = DimensionModel(name, list(obj["labels"]), obj["pipeline"])
    return out
