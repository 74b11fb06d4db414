"""Report periods: ISO weeks (Mon–Sun) for the weekly report, and years, quarters and months for trends."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo


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

    def shift(self, weeks: int) -> Week:
        return Week.containing(self.monday + dt.timedelta(weeks=weeks), self.tz)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The week as an aware half-open interval [Monday 00:00, next Monday 00:00) in the report's zone."""
        zone = ZoneInfo(self.tz)
        start = dt.datetime.combine(self.monday, dt.time(), zone)
        return start, start + dt.timedelta(days=7)


_PERIOD = re.compile(r"^(?P<y>\d{4})(?:-(?:Q(?P<q>[1-4])|(?P<m>\d{2})))?$")


@dataclass(frozen=True)
class Period:
    """A calendar year (2026), quarter (2026-Q3) or month (2026-10); ``start`` inclusive, ``end`` exclusive."""

    label: str
    kind: str  # year|quarter|month
    start: dt.date
    end: dt.date

    @classmethod
    def parse(cls, text: str) -> Period:
        m = _PERIOD.match(text.strip().upper())
        if not m:
            raise ValueError(f"period {text!r} is not of the form 2026, 2026-Q3 or 2026-10")
        year = int(m["y"])
        if m["q"]:
            q = int(m["q"])
            start = dt.date(year, 3 * q - 2, 1)
            return cls(f"{year}-Q{q}", "quarter", start, _add_months(start, 3))
        if m["m"]:
            month = int(m["m"])
            if not 1 <= month <= 12:
                raise ValueError(f"period {text!r}: month {month} is not 01–12")
            start = dt.date(year, month, 1)
            return cls(f"{year}-{month:02d}", "month", start, _add_months(start, 1))
        return cls(str(year), "year", dt.date(year, 1, 1), dt.date(year + 1, 1, 1))

    def previous(self) -> Period:
        months = {"year": 12, "quarter": 3, "month": 1}[self.kind]
        start = _add_months(self.start, -months)
        if self.kind == "year":
            return Period.parse(str(start.year))
        if self.kind == "quarter":
            return Period.parse(f"{start.year}-Q{(start.month - 1) // 3 + 1}")
        return Period.parse(f"{start.year}-{start.month:02d}")

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def months(self) -> list[dt.date]:
        out, cur = [], self.start
        while cur < self.end:
            out.append(cur)
            cur = _add_months(cur, 1)
        return out


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
