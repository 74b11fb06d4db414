"""Reading classify input JSON lines strictly: each bad line becomes a numbered error, the good ones go on."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def parse_lines(raw_lines: Iterable[bytes]) -> Iterator[dict[str, Any] | LineError]:
    """Yield each input record (dict) or a LineError naming the line; blank lines are skipped."""
    for n, raw in enumerate(raw_lines, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield LineError(n, f"invalid UTF-8 at byte {exc.start}")
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield LineError(n, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield LineError(n, f"expected a JSON object, got {type(obj).__name__}")
            continue
        problem = record_problem(obj)
        if problem:
            yield LineError(n, problem)
            continue
        yield obj


def record_problem(obj: dict[str, Any]) -> str | None:
    rid = obj.get("id")
    if not isinstance(rid, (str, int)) or isinstance(rid, bool) or str(rid).strip() == "":
        return "field 'id' missing or not a string"
    for key in ("title", "text"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            return f"field '{key}' must be a string"
    if not (obj.get("title") or "").strip() and not (obj.get("text") or "").strip():
        return "empty: neither 'title' nor 'text' has content"
    if obj.get("lang") is not None and not isinstance(obj["lang"], str):
        return "field 'lang' must be a string or null"
    return None
