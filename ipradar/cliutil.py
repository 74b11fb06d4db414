"""What every command module shares: failing with a clear message and exit code, settings from the root command,
and opening a database that `ipradar init` has prepared."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from sqlalchemy import Engine

from .logs import stderr
from .settings import Settings, SettingsError, load_settings

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: settings / IPRADAR_DB_URL).")]


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``error: message`` to stderr and exit (1 runtime failure, 2 usage or input error)."""
    stderr.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def settings_for(ctx: typer.Context, db: str | None = None) -> Settings:
    """The root command's settings (read once, ``ctx.obj.settings``), else read here; ``--db`` applied."""
    base = getattr(ctx.find_root().obj, "settings", None)
    if not isinstance(base, Settings):
        try:
            base = load_settings()
        except SettingsError as exc:
            fail(str(exc), code=2)
    return base.with_db(db)


def open_engine(settings: Settings) -> Engine:
    """An engine on an initialised database, or a clear error saying to run `ipradar init`."""
    from .db import DatabaseError, make_engine, require_schema

    engine = make_engine(settings.db_url)
    try:
        require_schema(engine)
    except DatabaseError as exc:
        engine.dispose()
        fail(str(exc))
    return engine
