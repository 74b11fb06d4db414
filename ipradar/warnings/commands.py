"""CLI: ``ipradar subscriptions add|list|remove|import`` and ``ipradar alerts run [--dry-run]``.

``register(app)`` adds both groups to the main Typer app. Exit codes: 0 ok; 1 runtime failure (including a
delivery that failed for good); 2 usage or input error (the message names the file and field).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..cliutil import DbOption, fail, open_engine, settings_for
from ..settings import SettingsError

stderr = Console(stderr=True)
stdout = Console()

subscriptions_app = typer.Typer(help="Subscriptions as data: filters, watchlist, channels, frequency.",
                                no_args_is_help=True)
alerts_app = typer.Typer(help="Evaluate the alert rules and deliver through the outbox.", no_args_is_help=True)


@subscriptions_app.command("add")
def subscriptions_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Unique name, e.g. pudong-semiconductor-us-upc.")],
    subscriber: Annotated[str, typer.Option(help="The company or unit subscribing.")],
    email: Annotated[str | None, typer.Option(help="Address for the email channel.")] = None,
    contact: Annotated[str | None, typer.Option(help="Contact person.")] = None,
    lang: Annotated[str, typer.Option(help="zh or en.")] = "zh",
    kind: Annotated[str, typer.Option(help="company, or subcentre (also receives escalations).")] = "company",
    frequency: Annotated[str, typer.Option(help="instant, daily or weekly (digests are the default).")] = "daily",
    channel: Annotated[list[str] | None, typer.Option("--channel", help="email, atom, webhook (repeatable).")] = None,
    webhook_url: Annotated[str | None, typer.Option(help="URL for the webhook channel.")] = None,
    industry: Annotated[list[str] | None, typer.Option("--industry", help="Industry code (repeatable).")] = None,
    jurisdiction: Annotated[list[str] | None, typer.Option("--jurisdiction", help="US, DE, UPC … (repeatable).")] = None,
    risk: Annotated[list[str] | None, typer.Option("--risk", help="Risk-type code (repeatable).")] = None,
    keyword: Annotated[list[str] | None, typer.Option("--keyword", help="Keyword, en or zh (repeatable).")] = None,
    watch: Annotated[list[str] | None, typer.Option("--watch", help="Watched company (repeatable).")] = None,
    min_severity: Annotated[str, typer.Option(help="low, medium or high.")] = "low",
    cn_party: Annotated[bool, typer.Option("--cn-party", help="Only disputes with a Chinese party.")] = False,
    rule: Annotated[list[str] | None, typer.Option("--rule", help="Only these rules (repeatable).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Overwrite a subscription of that name.")] = False,
    db: DbOption = None,
) -> None:
    """Add one subscription."""
    from .subscriptions import SubscriptionError, parse_subscription, upsert

    raw = {"name": name, "subscriber": subscriber, "email": email, "contact": contact, "lang": lang, "kind": kind,
           "frequency": frequency, "channels": channel or ["email"], "webhook_url": webhook_url,
           "rules": rule or [],
           "filters": {"industries": industry or [], "jurisdictions": jurisdiction or [], "risk_types": risk or [],
                       "keywords": keyword or [], "watchlist": watch or [], "min_severity": min_severity,
                       "cn_party": cn_party}}
    try:
        spec = parse_subscription(raw, "--options")
    except SubscriptionError as exc:
        fail(str(exc), code=2)
    engine = open_engine(settings_for(ctx, db))
    try:
        with Session(engine) as session:
            upsert(session, spec, replace=replace)
            session.commit()
    except SubscriptionError as exc:
        fail(str(exc), code=2)
    finally:
        engine.dispose()
    typer.echo(f"subscription {name} saved", err=True)


@subscriptions_app.command("list")
def subscriptions_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    db: DbOption = None,
) -> None:
    """List subscriptions with their filters, channels and frequency."""
    from ..db.models.warnings import Subscription

    engine = open_engine(settings_for(ctx, db))
    with Session(engine) as session:
        rows = list(session.scalars(select(Subscription).order_by(Subscription.name)))
        out: list[dict[str, Any]] = [{"name": r.name, "subscriber": r.subscriber, "kind": r.kind, "lang": r.lang,
                "frequency": r.frequency, "channels": r.channels, "email": r.email, "webhook_url": r.webhook_url,
                "rules": r.rules, "enabled": r.enabled, "filters": r.filters} for r in rows]
    engine.dispose()
    if as_json:
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title="Subscriptions")
    for col in ("name", "subscriber", "kind", "frequency", "channels", "filters"):
        table.add_column(col)
    for r in out:
        f = r["filters"]
        summary = "; ".join(f"{k}: {', '.join(v) if isinstance(v, list) else v}" for k, v in f.items()
                            if v not in ([], False, "low"))
        table.add_row(str(r["name"]), str(r["subscriber"]), str(r["kind"]), str(r["frequency"]),
                      ", ".join(r["channels"]), summary)
    stdout.print(table)


@subscriptions_app.command("remove")
def subscriptions_remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Subscription name.")],
    db: DbOption = None,
) -> None:
    """Remove a subscription (its alerts and pending deliveries go with it)."""
    from .subscriptions import remove

    engine = open_engine(settings_for(ctx, db))
    with Session(engine) as session:
        found = remove(session, name)
        session.commit()
    engine.dispose()
    if not found:
        fail(f"no subscription named {name!r}", code=2)
    typer.echo(f"subscription {name} removed", err=True)


@subscriptions_app.command("import")
def subscriptions_import(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="TOML file of [[subscription]] tables.")],
    replace: Annotated[bool, typer.Option("--replace/--no-replace",
                                          help="Update subscriptions that exist (default) or refuse.")] = True,
    db: DbOption = None,
) -> None:
    """Import subscriptions from TOML (all or nothing; rerunning it changes nothing)."""
    from .subscriptions import SubscriptionError, load_toml, upsert

    try:
        specs = load_toml(path)
    except SubscriptionError as exc:
        fail(str(exc), code=2)
    engine = open_engine(settings_for(ctx, db))
    created = 0
    try:
        with Session(engine) as session:
            for spec in specs:
                created += upsert(session, spec, replace=replace)[1]
            session.commit()
    except SubscriptionError as exc:
        fail(str(exc), code=2)
    finally:
        engine.dispose()
    typer.echo(f"imported {len(specs)} subscriptions from {path} ({created} new, {len(specs) - created} updated)",
               err=True)


@alerts_app.command("run")
def alerts_run(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Evaluate and list what would be alerted; write and "
                                                            "send nothing.")] = False,
    now: Annotated[str | None, typer.Option("--now", help="Run as of this moment (ISO 8601 with offset), for "
                                                          "replays and demos.")] = None,
    db: DbOption = None,
) -> None:
    """Evaluate the rules over new documents, write alerts with their outbox rows, deliver what is due."""
    from .config import load_config
    from .service import run_alerts

    settings = settings_for(ctx, db)
    moment = None
    if now:
        try:
            moment = dt.datetime.fromisoformat(now)
        except ValueError:
            fail(f"--now {now!r} is not an ISO 8601 date-time", code=2)
        if moment.tzinfo is None:
            fail(f"--now {now!r} needs a UTC offset, e.g. {now}+08:00", code=2)
    try:
        config = load_config(settings, os.environ)
    except SettingsError as exc:
        fail(str(exc), code=2)
    engine = open_engine(settings)
    try:
        stats = run_alerts(engine, settings, moment, dry_run=dry_run, config=config)
    finally:
        engine.dispose()
    for line in stats.lines():
        typer.echo(line, err=True)
    if stats.delivery is not None and stats.delivery.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the ``subscriptions`` and ``alerts`` groups to the main app."""
    app.add_typer(subscriptions_app, name="subscriptions")
    app.add_typer(alerts_app, name="alerts")
