"""Per-number provenance: every query a report runs is recorded (SQL, parameters, row count) under a short id,
and every number in the report cites the id of the query that produced it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session


@dataclass
class QueryRecord:
    id: str
    label: str  # what the query counts, in English (translated at render time through the catalog)
    sql: str
    params: dict[str, Any]
    rows: int


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in sorted(value, key=str)] if isinstance(value, set | frozenset) else [
            _jsonable(v) for v in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


@dataclass
class Provenance:
    """The queries behind one report, numbered in the order they ran (deterministic: the builders run in order)."""

    prefix: str = "q"
    records: list[QueryRecord] = field(default_factory=list)

    def run(self, session: Session, label: str, stmt: Any) -> tuple[str, Sequence[Any]]:
        """Execute ``stmt`` (a SELECT), record it, and return (query id, rows)."""
        rows = session.execute(stmt).all()
        return self.record(session, label, stmt, len(rows)), rows

    def record(self, session: Session, label: str, stmt: Any, rows: int) -> str:
        compiled = stmt.compile(dialect=session.get_bind().dialect)
        qid = f"{self.prefix}{len(self.records) + 1}"
        params = {k: _jsonable(v) for k, v in sorted(compiled.params.items())}
        self.records.append(QueryRecord(qid, label, str(compiled), params, rows))
        return qid

    def note(self, label: str, detail: str) -> str:
        """A number that comes from shipped data rather than the database (e.g. a reviewed legal-framework fact)."""
        qid = f"{self.prefix}{len(self.records) + 1}"
        self.records.append(QueryRecord(qid, label, detail, {}, 0))
        return qid

    def as_json(self) -> str:
        return json.dumps([r.__dict__ for r in self.records], ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@dataclass(frozen=True)
class Num:
    """A number in a report with the id of the query (or queries) it comes from."""

    value: int | float
    qid: str

    def __str__(self) -> str:
        return format_number(self.value)


def format_number(value: float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))
