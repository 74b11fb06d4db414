"""`ipradar train`: fit the per-dimension pipelines on labelled JSON lines, measure them on a held-out split, save."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import models as model_io
from .api import Tagger
from .components import info
from .features import feature_string
from .resources import DATA

TRAINING_DIR = DATA / "training"


def load_rows(paths: Sequence[Path]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                if not isinstance(row, dict) or "id" not in row:
                    raise ValueError(f"{path}:{n}: not a labelled record (object with an id)")
                rows.append(row)
    return rows


def default_paths() -> list[Path]:
    return sorted(TRAINING_DIR.glob("*.jsonl"))


def featurise(rows: Sequence[dict[str, Any]], on_progress: Callable[[int], None] | None = None) -> list[str]:
    rules = Tagger(None)  # features come from the rule components only, never from a previous model
    out: list[str] = []
    for _rec, doc, title, text in rules.analyse(rows, batch_size=128):
        out.append(feature_string(title, text, info(doc)))
        if on_progress:
            on_progress(len(out))
    return out


def _f1(y_true: Any, y_pred: Any) -> dict[str, float]:
    yt, yp = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    tp, fp, fn = int((yt & yp).sum()), int((~yt & yp).sum()), int((yt & ~yp).sum())
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def train(paths: Sequence[Path], out_dir: Path, seed: int = 13,
          on_progress: Callable[[int], None] | None = None) -> model_io.ModelSet:
    rows = load_rows(paths)
    features = featurise(rows, on_progress)
    idx = list(range(len(rows)))
    random.Random(seed).shuffle(idx)
    cut = max(1, len(idx) // 5)
    test, fit = idx[:cut], idx[cut:]
    metrics: dict[str, Any] = {"rows": len(rows), "held_out": len(test),
                               "files": [p.name for p in paths], "held_out_classifier_only": {}}
    for dim in model_io.DIMENSIONS:
        m = model_io.fit_dimension(dim, [features[i] for i in fit], [rows[i] for i in fit])
        scope = [i for i in test if dim == "relevant" or rows[i].get("relevant", True)]
        if not scope:
            continue
        labels, y_true = model_io.targets([rows[i] for i in scope], dim)
        probs = m.predict_proba([features[i] for i in scope])
        if dim == "relevant":
            y_pred = [p["relevant"] >= 0.5 for p in probs]
            metrics["held_out_classifier_only"][dim] = _f1(y_true, y_pred)
        else:
            yt = np.asarray(y_true)
            per = {}
            for j, lab in enumerate(labels):
                if lab in m.labels:
                    per[lab] = _f1(yt[:, j], [p.get(lab, 0.0) >= 0.5 for p in probs])
            flat_t = [yt[i, j] for i in range(len(scope)) for j, lab in enumerate(labels) if lab in m.labels]
            flat_p = [probs[i].get(lab, 0.0) >= 0.5 for i in range(len(scope)) for lab in labels if lab in m.labels]
            metrics["held_out_classifier_only"][dim] = {"micro": _f1(flat_t, flat_p), "per_label": per}
    model_set = model_io.ModelSet(version=model_io.version_for(model_io.digest_rows(rows)), metrics=metrics)
    for dim in model_io.DIMENSIONS:
        model_set.models[dim] = model_io.fit_dimension(dim, features, rows)
    model_io.save(model_set, out_dir)
    (out_dir / "metrics.json").write_text(json.dumps({"version": model_set.version, **metrics}, indent=2) + "\n",
                                          encoding="utf-8")
    return model_set
