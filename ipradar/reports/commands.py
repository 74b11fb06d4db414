"""``ipradar report weekly|legal-env|trends``: registered on the CLI's ``report`` sub-app by ``register``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from ..cliutil import DbOption, fail, settings_for
from ..settings import Settings
from . import i18n
from .config import ReportConfig
from .outputs import ReportFiles, parse_formats
from .pdf import ReportError
from .periods import Period, Week

LangOption = Annotated[str, typer.Option("--lang", help="zh or en (or zh,en for both editions).")]
FormatOption = Annotated[str, typer.Option("--format", help="Comma-separated: html, pdf, csv.")]
OutOption = Annotated[Path | None, typer.Option("-o", "--out", help="Output directory (default: settings).")]


def _langs(text: str) -> tuple[str, ...]:
    langs = tuple(dict.fromkeys(x.strip() for x in text.split(",") if x.strip()))
    if not langs or any(x not in i18n.LANGS for x in langs):
        fail(f"--lang {text!r}: choose zh or en (or zh,en)", 2)
    return langs


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(sorted({x.strip() for x in (text or "").split(",") if x.strip()}))


def _run(ctx: typer.Context, db: str | None, job: Callable[[Any, Settings, ReportConfig, dt.datetime], ReportFiles]
         ) -> None:
    from ..db import DatabaseError, make_engine, require_schema

    settings = settings_for(ctx, db)
    try:
        config = ReportConfig.from_section(settings.section("reports"))
    except ValueError as exc:
        fail(str(exc), 2)
    engine = make_engine(settings.db_url)
    try:
        require_schema(engine)
        files = job(engine, settings, config, dt.datetime.now(ZoneInfo(settings.timezone)))
    except DatabaseError as exc:
        fail(str(exc), 1)
    except ReportError as exc:
        fail(str(exc), 1)
    finally:
        engine.dispose()
    for path in files.paths:
        typer.echo(str(path))


def register(report_app: typer.Typer) -> None:
    """Add ``weekly``, ``legal-env`` and ``trends`` to the CLI's ``report`` sub-app."""

    @report_app.command("weekly")
    def weekly(
        ctx: typer.Context,
        week: Annotated[str | None, typer.Option(help="ISO week, e.g. 2026-W47 (default: the current week).")] = None,
        region: Annotated[str | None, typer.Option(
            help="Jurisdiction codes to keep, comma-separated (US, DE, UPC, EU, …).")] = None,
        sector: Annotated[str | None, typer.Option(
            help="Industry codes to keep, comma-separated (semiconductors, new_energy_auto, …).")] = None,
        lang: LangOption = "zh",
        fmt: FormatOption = "html",
        out: OutOption = None,
        db: DbOption = None,
    ) -> None:
        """Weekly overseas IP risk warning report (海外知识产权风险预警周报)."""
        from .weekly import WeeklyOptions, write_weekly

        settings = settings_for(ctx, db)
        try:
            formats = parse_formats(fmt)
            chosen = Week.parse(week, settings.timezone) if week else Week.containing(
                dt.datetime.now(ZoneInfo(settings.timezone)).date(), settings.timezone)
        except ValueError as exc:
            fail(str(exc), 2)
        regions, sectors = _codes(region), _codes(sector)
        unknown = [s for s in sectors if s not in i18n.INDUSTRIES]
        if unknown:
            fail(f"--sector: unknown industry code(s) {', '.join(unknown)}; "
                  f"known: {', '.join(i18n.INDUSTRIES)}", 2)
        langs = _langs(lang)
        _run(ctx, db, lambda engine, s, config, now: write_weekly(
            engine, WeeklyOptions(chosen, tuple(r.upper() for r in regions), sectors), out or s.output_dir, now=now,
            langs=langs, formats=formats, config=config))

    @report_app.command("legal-env")
    def legal_env(
        ctx: typer.Context,
        country: Annotated[str, typer.Option(help="US, DE, GB, JP, KR, IN or UPC.")],
        lang: LangOption = "zh",
        fmt: FormatOption = "html",
        out: OutOption = None,
        db: DbOption = None,
    ) -> None:
        """Country IP legal-environment report: reviewed framework facts plus live archive statistics."""
        from .legal_env import countries, write_legal_env

        try:
            formats = parse_formats(fmt)
        except ValueError as exc:
            fail(str(exc), 2)
        if country.upper() not in countries():
            fail(f"--country {country!r}: no reviewed facts; available: {', '.join(countries())}", 2)
        langs = _langs(lang)
        _run(ctx, db, lambda engine, s, config, now: write_legal_env(
            engine, country.upper(), out or s.output_dir, now=now, langs=langs, formats=formats, config=config))

    @report_app.command("trends")
    def trends(
        ctx: typer.Context,
        period: Annotated[str, typer.Option(help="2026, 2026-Q3 or 2026-10.")],
        lang: LangOption = "zh",
        fmt: FormatOption = "html",
        out: OutOption = None,
        db: DbOption = None,
    ) -> None:
        """Case-trend archive for a year, quarter or month, against the previous period."""
        from .trends import write_trends

        try:
            formats = parse_formats(fmt)
            chosen = Period.parse(period)
        except ValueError as exc:
            fail(str(exc), 2)
        langs = _langs(lang)
        _run(ctx, db, lambda engine, s, config, now: write_trends(
            engine, chosen, out or s.output_dir, now=now, langs=langs, formats=formats, config=config))
