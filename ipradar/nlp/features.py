"""Turns a processed doc into the token string the scikit-learn pipelines read: words, Chinese character bigrams,
and the rule signals as pseudo-tokens (so the classifiers learn how far to trust each rule)."""

from __future__ import annotations

import re
from typing import Any

_WORD = re.compile(r"[a-z][a-z0-9'-]{1,30}|\d{3}")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
MAX_FEATURE_CHARS = 8000


def text_tokens(text: str) -> list[str]:
    text = text[:MAX_FEATURE_CHARS].lower()
    tokens = _WORD.findall(text)
    for run in _CJK_RUN.findall(text):
        tokens += [run[i:i + 2] for i in range(len(run) - 1)] or [run]
    return tokens


def signal_tokens(data: dict[str, Any]) -> list[str]:
    sig = data.get("signals", {})
    out = [f"__j_{j}" for j in sig.get("jurisdictions", [])]
    out += [f"__f_{f}" for f in sig.get("forums", [])]
    for label, score in sig.get("industry_scores", {}).items():
        if score >= 2:
            out += [f"__i_{label}"] * (1 + int(score >= 4))
        elif score > 0:
            out.append(f"__iw_{label}")
    for label, n in sig.get("risk_hits", {}).items():
        if n:
            out += [f"__r_{label}"] * min(n, 3)
    if sig.get("ip_general"):
        out.append("__ip")
    if sig.get("non_ip"):
        out.append("__nonip")
    if sig.get("foreign_cue"):
        out.append("__foreign")
    if sig.get("not_relevant_cue"):
        out.append("__notrel")
    if data.get("cn_party", {}).get("involved"):
        out.append("__cn")
    if sig.get("foreign_companies"):
        out.append("__fco")
    return out


def feature_string(title: str, text: str, data: dict[str, Any]) -> str:
    tokens = text_tokens(title) * 2 + text_tokens(text) + signal_tokens(data)
    return " ".join(tokens)
