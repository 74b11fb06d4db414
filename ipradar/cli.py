"""Command-line interface (Typer + Rich). Exit codes: 0 ok, 1 runtime failure, 2 usage or input error."""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .cliutil import DbOption, fail, open_engine, settings_for
from .logs import setup_logging, stderr
from .settings import Settings, SettingsError, load_settings

log = logging.getLogger("ipradar")
stdout = Console()

app = typer.Typer(name="ipradar", help="IP Radar — overseas IP risk early warning: crawl, tag, alert, report.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
sources_app = typer.Typer(help="The sources IP Radar watches: schedule, last run, health.", no_args_is_help=True)
report_app = typer.Typer(help="Write reports: weekly warning, legal environment, case trends (HTML, PDF, CSV).",
                         no_args_is_help=True)
app.add_typer(sources_app, name="sources")
app.add_typer(report_app, name="report")


@dataclass
class State:
    config: Path | None
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = load_settings(self.config)
            except SettingsError as exc:
                fail(str(exc), code=2)
        assert self._settings is not None
        return self._settings


def progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=stderr, transient=False)


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj




@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Path to ipradar.toml.")] = None,
    log_level: Annotated[str, typer.Option("--log-level", help="DEBUG, INFO, WARNING or ERROR.")] = "INFO",
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    """Settings come from IPRADAR_* environment variables over ipradar.toml (or --config) over defaults."""
    if version:
        stdout.print(f"ipradar {__version__}")
        raise typer.Exit(0)
    setup_logging(log_level)
    ctx.obj = State(config)


@app.command()
def init(ctx: typer.Context, db: DbOption = None) -> None:
    """Create or upgrade the database (alembic upgrade to the newest schema)."""
    from .db import init_db

    settings = settings_for(ctx, db)
    try:
        revision = init_db(settings.db_url)
    except Exception as exc:
        fail(f"cannot initialise {redact(settings.db_url)}: {exc}")
    stderr.print(f"database {redact(settings.db_url)} is at revision {revision}")


def redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable database URL>"


# -- sources ---------------------------------------------------------------------------------------------------
@sources_app.command("list")
def sources_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    db: DbOption = None,
) -> None:
    """List sources with kind, language, schedule, last run, items and health."""
    from sqlalchemy import inspect
    from sqlalchemy.orm import Session

    from .crawlers.registry import all_spiders
    from .db import make_engine
    from .db.models import Source

    settings = settings_for(ctx, db)
    rows: dict[str, Source] = {}
    engine = make_engine(settings.db_url)
    try:
        if "source" in inspect(engine).get_table_names():
            with Session(engine) as session:
                rows = {s.id: s for s in session.query(Source)}
        spiders = all_spiders(engine)
    finally:
        engine.dispose()
    out = []
    for sid, cls in sorted(spiders.items()):
        meta, row = cls.metadata(), rows.get(sid)
        out.append({"id": sid, "name": meta["name"], "kind": meta["kind"], "lang": meta["lang"],
                    "schedule": meta["schedule"],
                    "last_run": row.last_run_at.isoformat() if row and row.last_run_at else None,
                    "items": row.last_items if row else None, "health": row.health if row else "unknown",
                    "health_reason": row.health_reason if row else None})
    if as_json:
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title="Sources")
    for col in ("id", "kind", "lang", "schedule", "last run", "items", "health"):
        table.add_column(col)
    for r in out:
        health = r["health"] + (f" — {r['health_reason']}" if r["health_reason"] else "")
        table.add_row(r["id"], r["kind"], r["lang"], r["schedule"], (r["last_run"] or "never")[:19],
                      "" if r["items"] is None else str(r["items"]), health)
    stdout.print(table)


@sources_app.command("add")
def sources_add(
    ctx: typer.Context,
    source_id: Annotated[str, typer.Argument(help="New source id, e.g. news_patentdocs.")],
    kind: Annotated[str, typer.Option("--kind", help="Only 'feed' (RSS/Atom) can be added without code.")],
    url: Annotated[str, typer.Option("--url", help="Feed URL.")],
    lang: Annotated[str, typer.Option("--lang", help="en or zh.")] = "en",
    schedule: Annotated[str, typer.Option("--schedule", help="Cron expression (UTC).")] = "0 */6 * * *",
    name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
    db: DbOption = None,
) -> None:
    """Add an RSS/Atom feed as a source (stored in the database; crawled by the generic feed spider)."""
    from .crawlers.registry import SourceDefinitionError, add_feed_source

    engine = open_engine(settings_for(ctx, db))
    try:
        add_feed_source(engine, source_id=source_id, kind=kind, url=url, lang=lang, schedule=schedule, name=name)
    except SourceDefinitionError as exc:
        fail(str(exc), code=2)
    finally:
        engine.dispose()
    stderr.print(f"added feed source {source_id} ({url}); crawl it with `ipradar crawl {source_id}`")


# -- crawl -----------------------------------------------------------------------------------------------------
@app.command()
def crawl(
    ctx: typer.Context,
    source_ids: Annotated[list[str] | None, typer.Argument(help="Source ids (see `ipradar sources list`).")] = None,
    all_sources: Annotated[bool, typer.Option("--all", help="Crawl every source.")] = False,
    since: Annotated[str | None, typer.Option("--since", help="Only items since this date (YYYY-MM-DD).")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", help="Replace scheme+host of every request (mirrors, tests, offline snapshots).")] = None,
    mirror_map: Annotated[Path | None, typer.Option(
        "--mirror-map", help="JSON file {source id: base URL}: --base-url per source, for crawling several "
                             "mirrors in one process.")] = None,
    db: DbOption = None,
) -> None:
    """Crawl sources into the database (one Scrapy process; the scheduler runs one process per source)."""
    from sqlalchemy.orm import Session

    from .crawlers.registry import UnknownSource, all_spiders, get_spider
    from .crawlers.runner import crawl_in_process
    from .db import make_engine
    from .db.models import CrawlRun

    settings = settings_for(ctx, db)
    engine = make_engine(settings.db_url)
    ids = sorted(all_spiders(engine)) if all_sources else list(source_ids or [])
    if not ids:
        fail("name at least one source id, or --all", code=2)
    try:
        for sid in ids:
            get_spider(sid, engine)
    except UnknownSource as exc:
        fail(str(exc), code=2)
    if since:
        import datetime as dt

        try:
            dt.date.fromisoformat(since)
        except ValueError:
            fail(f"--since {since!r} is not a date (YYYY-MM-DD)", code=2)
    engine.dispose()
    engine = open_engine(settings)
    with Session(engine) as session:
        before = session.query(CrawlRun.id).order_by(CrawlRun.id.desc()).limit(1).scalar() or 0
    mirrors: dict[str, str] = {}
    if mirror_map is not None:
        try:
            mirrors = json.loads(mirror_map.read_text(encoding="utf-8"))
            assert isinstance(mirrors, dict) and all(isinstance(v, str) for v in mirrors.values())
        except (OSError, ValueError, AssertionError) as exc:
            fail(f"--mirror-map {mirror_map}: not a JSON object of source id → URL ({exc})", code=2)
    crawl_in_process(settings, ids, base_url=base_url, since=since, mirrors=mirrors)
    with Session(engine) as session:
        runs = session.query(CrawlRun).filter(CrawlRun.id > before).all()
    engine.dispose()
    failed = [r.source_id for r in runs if r.status == "failed"]
    for r in runs:  # plain lines (no wrapping): the demo and the scheduler read them
        typer.echo(f"{r.source_id}: {r.status} — {r.items_seen} items ({r.items_new} new, {r.items_updated} "
                   f"updated, {r.items_duplicate} unchanged), {len(r.errors or [])} errors", err=True)
    if failed:
        fail(f"crawl failed for {', '.join(failed)}")


# -- tag -------------------------------------------------------------------------------------------------------
@app.command()
def tag(
    ctx: typer.Context,
    retag_all: Annotated[bool, typer.Option("--all", help="Re-tag every document, not only new ones.")] = False,
    batch_size: Annotated[int, typer.Option(help="Documents per batch.")] = 256,
    db: DbOption = None,
) -> None:
    """Tag stored documents not yet tagged (or all) in batches, writing tags with model version and scores; then
    link them to cases."""
    from .cases.linking import link_documents
    from .nlp.api import Tagger
    from .tagging import tag_documents

    engine = open_engine(settings_for(ctx, db))
    tagger = Tagger.load()
    with progress() as bar:
        task = bar.add_task("tagging", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        stats = tag_documents(engine, tagger, retag_all=retag_all, batch_size=batch_size, on_progress=update)
        # linking to cases is the last step of tagging, so every tagged document is also linked
        link_task = bar.add_task("linking to cases", total=None)

        def update_links(done: int, total: int) -> None:
            bar.update(link_task, completed=done, total=total)

        links = link_documents(engine, on_progress=update_links)
    engine.dispose()
    stderr.print(f"tagged {stats.tagged} documents with {tagger.version}; linked {links.linked} to cases ({links.cases_created} new cases, {links.unlinked} unlinked)")


# -- schedule --------------------------------------------------------------------------------------------------
@app.command()
def schedule(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Run whatever is due now, then exit.")] = False,
    db: DbOption = None,
) -> None:
    """Run the scheduler in the foreground: each source's crawl on its own schedule, as a subprocess."""
    from .scheduler import run_due_once, run_forever

    settings = settings_for(ctx, db)
    engine = open_engine(settings)
    config = state(ctx).config
    if once:
        ran = run_due_once(engine, str(config) if config else None, settings.db_url)
        engine.dispose()
        stderr.print(f"ran {len(ran)} due sources: {', '.join(ran) or 'none'}")
        return
    engine.dispose()
    run_forever(settings.db_url, config)


# -- mirror and demo -------------------------------------------------------------------------------------------
@app.command()
def mirror(
    source_id: Annotated[str, typer.Argument(help="Source whose bundled snapshot to serve.")],
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0 = any free port).")] = 8765,
) -> None:
    """Serve a source's bundled offline snapshot on 127.0.0.1 (then: `ipradar crawl ID --base-url URL`)."""
    import time

    from .crawlers.mirror import Mirror, SnapshotError, snapshot_dir

    try:
        server = Mirror(snapshot_dir(source_id), port=port)
    except SnapshotError as exc:
        fail(str(exc), code=2)
    except OSError as exc:
        fail(f"cannot listen on 127.0.0.1:{port}: {exc}")
    with server:
        stderr.print(f"serving {source_id} at {server.base_url} — Ctrl-C to stop")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


@app.command()
def demo(
    workdir: Annotated[Path, typer.Option("--workdir", help="Work directory (created if missing).")] = Path(
        "demo-work"),
) -> None:
    """Offline end-to-end run on the bundled snapshots: crawl → tag → report, into WORKDIR."""
    from .demo import DemoError, run_demo

    try:
        result = run_demo(workdir.resolve())
    except DemoError as exc:
        fail(str(exc))
    typer.echo(f"weekly report: {result.report}")


def _register_domain_commands() -> None:
    """Each layer adds its own commands (the core uses its own extension points)."""
    from .cases.commands import register as register_cases
    from .nlp.commands import register as register_nlp
    from .reports.commands import register as register_reports
    from .warnings.commands import register as register_warnings

    register_nlp(app)
    register_cases(app)
    register_warnings(app)
    register_reports(report_app)


_register_domain_commands()


def main() -> None:
    try:
        app()
    except SettingsError as exc:
        stderr.print(f"[bold red]error:[/] {exc}")
        sys.exit(2)
