"""Writing a rendered report: HTML, PDF, the CSV behind every table, the provenance JSON; then the archive rows."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from ..db.models.reports import Report
from .pdf import ReportError, cjk_fonts, write_pdf
from .provenance import Num, Provenance

FORMATS = ("html", "pdf", "csv")


@dataclass
class Table:
    """The rows behind one table of a report; written as ``<stem>.<name>.csv`` with language-neutral headers."""

    name: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class Rendered:
    """What a builder produced: the page in one language, the tables, and the queries behind them."""

    kind: str
    period: str
    stem: str  # file name stem, e.g. weekly-2026-W47 or weekly-2026-W47-US-semiconductors
    lang: str
    html: str
    tables: list[Table]
    provenance: Provenance
    params: dict[str, Any]
    created: dt.datetime


@dataclass
class ReportFiles:
    paths: list[Path] = field(default_factory=list)

    def first(self, suffix: str) -> Path | None:
        return next((p for p in self.paths if p.name.endswith(suffix)), None)


def parse_formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ValueError(f"--format {text!r}: choose from {', '.join(FORMATS)} (comma-separated)")
    return chosen


def csv_bytes(table: Table) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if v is None else str(v.value) if isinstance(v, Num) else v for v in row])
    # A byte-order mark so spreadsheet programs read the Chinese names as UTF-8.
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def write(rendered: Rendered, out_dir: Path, formats: Sequence[str], *,
          fonts: Callable[[], list[str]] = cjk_fonts) -> ReportFiles:
    """Write the requested formats into ``out_dir``; the PDF's CJK-font check runs before anything is written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = ReportFiles()
    base = out_dir / f"{rendered.stem}.{rendered.lang}"
    if "pdf" in formats and not fonts():
        from .pdf import CJK_HELP

        raise ReportError(CJK_HELP)
    if "html" in formats:
        path = base.with_name(base.name + ".html")
        path.write_text(rendered.html, encoding="utf-8")
        files.paths.append(path)
    if "pdf" in formats:
        path = base.with_name(base.name + ".pdf")
        files.paths.append(write_pdf(rendered.html, path, epoch=int(rendered.created.timestamp()), finder=fonts))
    if "csv" in formats:
        for table in rendered.tables:
            path = out_dir / f"{rendered.stem}.{table.name}.csv"
            path.write_bytes(csv_bytes(table))
            files.paths.append(path)
        path = out_dir / f"{rendered.stem}.provenance.json"
        path.write_text(rendered.provenance.as_json(), encoding="utf-8")
        files.paths.append(path)
    return files


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def archive(engine: Engine, rendered: Rendered, files: ReportFiles) -> int:
    """Record every written file in the ``report`` table (skipped on a database without it); returns rows added."""
    if "report" not in inspect(engine).get_table_names():
        return 0
    with Session(engine) as session:
        for path in files.paths:
            fmt = "csv" if path.suffix == ".csv" else path.suffix.lstrip(".")
            session.add(Report(kind=rendered.kind, period=rendered.period, lang=rendered.lang, fmt=fmt,
                               params=rendered.params, path=str(path), sha256=sha256_file(path),
                               size=path.stat().st_size, created_at=rendered.created))
        session.commit()
    return len(files.paths)


def write_editions(engine: Engine, build: Callable[[str], Rendered], out_dir: Path, *, langs: Sequence[str],
                   formats: Sequence[str], record: bool = True) -> ReportFiles:
    """Write each language edition in each format (CSV once: it is language-neutral) and archive the files."""
    files = ReportFiles()
    for n, lang in enumerate(langs):
        rendered = build(lang)
        written = write(rendered, out_dir, [f for f in formats if f != "csv" or n == 0])
        if record:
            archive(engine, rendered, written)
        files.paths += written.paths
    return files
