"""The weekly warning report: the week's items with forum, case numbers, parties and their countries."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from ..db.models import Document, Source
from .render import environment

CN = {"CN", "HK", "MO"}


@dataclass(frozen=True)
class Week:
    """An ISO week, Monday to Sunday, in the report's time zone."""

    year: int
    week: int
    tz: str = "Asia/Shanghai"

    @classmethod
    def parse(cls, text: str, tz: str = "Asia/Shanghai") -> Week:
        try:
            year, week = text.upper().split("-W")
            monday = dt.date.fromisocalendar(int(year), int(week), 1)
        except ValueError as exc:
            raise ValueError(f"week {text!r} is not of the form 2026-W47") from exc
        return cls(monday.isocalendar().year, monday.isocalendar().week, tz)

    @classmethod
    def containing(cls, day: dt.date, tz: str = "Asia/Shanghai") -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week, tz)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        zone = ZoneInfo(self.tz)
        start = dt.datetime.combine(self.monday, dt.time(), zone)
        return start, start + dt.timedelta(days=7)


@dataclass
class Item:
    doc_id: int
    title: str
    url: str
    source: str
    published: dt.date | None
    first_seen: dt.datetime
    case_numbers: list[str]
    complainants: list[dict[str, Any]]
    respondents: list[dict[str, Any]]
    others: list[dict[str, Any]]
    tags: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def cn_respondents(self) -> int:
        return sum(1 for p in self.respondents if p.get("country") in CN)


def collect(engine: Engine, week: Week) -> tuple[list[Item], list[Item]]:
    """Items published in the week, and items first collected in the week but published earlier."""
    start, end = week.bounds()
    with Session(engine) as session:
        names = {s.id: s.name for s in session.scalars(select(Source))}
        docs = session.scalars(select(Document).where(or_(
            Document.published_on.between(week.monday, week.sunday),
            (Document.first_seen_at >= start) & (Document.first_seen_at < end),
        )).order_by(Document.published_on.desc(), Document.id)).all()
    fresh: list[Item] = []
    backlog: list[Item] = []
    for doc in docs:
        analysis = doc.analysis or {}
        if analysis and not analysis.get("relevant", True):
            continue
        parties = doc.parties or []
        item = Item(
            doc_id=doc.id, title=doc.title, url=doc.canonical_url, source=names.get(doc.source_id, doc.source_id),
            published=doc.published_on, first_seen=doc.first_seen_at, case_numbers=doc.case_numbers or [],
            complainants=[p for p in parties if p.get("role") == "plaintiff"],
            respondents=[p for p in parties if p.get("role") == "defendant"],
            others=[p for p in parties if p.get("role") == "other"], tags=analysis, extra=doc.extra or {},
        )
        in_week = doc.published_on is not None and week.monday <= doc.published_on <= week.sunday
        (fresh if in_week else backlog).append(item)
    return fresh, backlog


def render_weekly(engine: Engine, week: Week, out_dir: Path, *, now: dt.datetime | None = None) -> Path:
    """Write ``weekly-<week>.html`` into ``out_dir`` and return its path."""
    fresh, backlog = collect(engine, week)
    now = now or dt.datetime.now(ZoneInfo(week.tz))
    items = fresh + backlog
    summary = {
        "items": len(items),
        "with_cn_respondents": sum(1 for i in items if i.cn_respondents),
        "cn_respondents": sum(i.cn_respondents for i in items),
        "high": sum(1 for i in items if (i.tags.get("severity") or {}).get("level") == "high"),
    }
    html = environment().get_template("weekly.html").render(
        week=week, fresh=fresh, backlog=backlog, summary=summary, generated=now, cn=CN)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"weekly-{week.label}.html"
    path.write_text(html, encoding="utf-8")
    return path


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
