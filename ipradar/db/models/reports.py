"""The report archive: every file a report run wrote, with its parameters and sha256, so any issue can be re-found."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Report(Base):
    """One rendered file of one report (kind weekly|legal_env|trends; period 2026-W47, US, 2026-Q3 …)."""

    __tablename__ = "report"
    __table_args__ = (Index("ix_report_kind_period", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(32))
    lang: Mapped[str] = mapped_column(String(8))
    fmt: Mapped[str] = mapped_column(String(8))  # html|pdf|csv|json
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    path: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
