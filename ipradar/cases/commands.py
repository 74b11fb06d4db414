"""CLI: ``ipradar ingest`` and the ``ipradar cases`` group (list, show, merge, unlink, link, eval-linking).

``register(app)`` adds them to the main Typer app; the commands read settings the way the rest of the CLI does
(root ``--config`` / IPRADAR_* / ipradar.toml), and print JSON on stdout, messages on stderr.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ..cliutil import DbOption, fail, open_engine, settings_for
from ..db.models import Document

stderr = Console(stderr=True)
stdout = Console()

cases_app = typer.Typer(help="One record per dispute: case numbers, parties, timeline, sources.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _engine(ctx: typer.Context, db: str | None) -> Engine:
    return open_engine(settings_for(ctx, db))


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date (YYYY-MM-DD)", code=2)


def _dump(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def ingest(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="JSON lines: classify input (+ optional 'source') or DocDicts.")],
    db: DbOption = None,
) -> None:
    """Bulk-load documents from JSON lines (idempotent); then `ipradar tag` tags and links them."""
    from .ingest import ingest_file

    if not file.is_file():
        fail(f"{file}: no such file", code=2)
    engine = _engine(ctx, db)
    try:
        stats = ingest_file(engine, file)
    finally:
        engine.dispose()
    # One unwrapped line per problem, "file:line: message", so editors and scripts can jump to it.
    for warning in stats.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    for error in stats.errors:
        sys.stderr.write(f"error: {error}\n")
    sys.stderr.write(f"{file}: {stats.read} lines — {stats.new} new, {stats.updated} updated, {stats.unchanged} "
                     f"unchanged, {len(stats.errors)} rejected\n")
    if stats.errors:
        raise typer.Exit(2)


@cases_app.command("list")
def cases_list(
    ctx: typer.Context,
    forum: Annotated[str | None, typer.Option(help="Forum code, e.g. USITC, PTAB, UPC, US-DIST:txed, DE-LG.")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="Jurisdiction code, e.g. US, DE, UPC.")] = None,
    status: Annotated[str | None, typer.Option(help="Status, e.g. active, filed, settled, terminated.")] = None,
    party: Annotated[str | None, typer.Option(help="A party name or entity key (any language).")] = None,
    number: Annotated[str | None, typer.Option(help="A case number in any common form.")] = None,
    cn: Annotated[bool, typer.Option("--cn", help="Only cases with a party from mainland China, HK or Macau.")] = False,
    active_since: Annotated[str | None, typer.Option(help="Last activity on or after (YYYY-MM-DD).")] = None,
    changed_since: Annotated[str | None, typer.Option(help="Case record changed on or after (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many cases, most recently active first.")] = 50,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List cases (most recently active first) with numbers, forum, status and documents."""
    from .query import CaseFilter, list_cases

    changed = _date(changed_since, "--changed-since")
    f = CaseFilter(forum=forum, jurisdiction=jurisdiction, status=status, party=party, number=number, cn_party=cn,
                   active_since=_date(active_since, "--active-since"),
                   changed_since=dt.datetime.combine(changed, dt.time(), tzinfo=dt.UTC) if changed else None,
                   limit=limit)
    engine = _engine(ctx, db)
    try:
        with Session(engine) as session:
            rows = list_cases(session, f)
    finally:
        engine.dispose()
    if as_json:
        _dump(rows)
        return
    table = Table(title=f"Cases ({len(rows)})")
    for col in ("id", "numbers", "forum", "status", "title", "last activity", "docs"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), ", ".join(r["case_numbers"]) or "—", r["forum"] or "—", r["status"],
                      (r["title"] or "")[:60], r["last_activity_on"] or "", str(len(r["documents"])))
    stdout.print(table)


def _find_case(session: Session, ref: str) -> int:
    from .linking import case_by_key

    if ref.isdigit():
        from ..db.models.cases import Case

        if session.get(Case, int(ref)) is not None:
            return int(ref)
    case = case_by_key(session, ref)
    if case is None:
        fail(f"no case {ref!r} (give an id, a case key or a case number)", code=2)
    return case.id


@cases_app.command("show")
def cases_show(
    ctx: typer.Context,
    case: Annotated[str, typer.Argument(help="Case id, key or number (e.g. 337-TA-1443).")],
    since: Annotated[str | None, typer.Option(help="Also report what changed since this date (YYYY-MM-DD).")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """One case: numbers, parties, dated timeline, sources, every field value with its provenance."""
    from .query import case_detail

    since_day = _date(since, "--since")
    engine = _engine(ctx, db)
    try:
        with Session(engine) as session:
            detail = case_detail(session, _find_case(session, case), since=since_day)
    finally:
        engine.dispose()
    assert detail is not None
    if as_json:
        _dump(detail)
        return
    nums = ", ".join(n["number"] + (f" ({n['court']})" if n["court"] else "") for n in detail["case_numbers"])
    stdout.print(f"[bold]#{detail['id']} {detail['title'] or detail['key']}[/]", highlight=False)
    stdout.print(f"numbers: {nums or '—'}   forum: {detail['forum'] or '—'}   jurisdiction: "
                 f"{detail['jurisdiction'] or '—'}   status: {detail['status']}", highlight=False)
    if detail["merged_into"]:
        stdout.print(f"merged into case #{detail['merged_into']}")
    for p in detail["parties"]:
        stdout.print(f"  {p['role']:<9} {p['name']} ({p['country'] or '?'}) → {p['entity']}", highlight=False)
    stdout.print("[bold]timeline[/]")
    for e in detail["timeline"]:
        stdout.print(f"  {e['date']}  {e['event']:<22} doc {e['document']} ({e['date_basis']})", highlight=False)
    stdout.print("[bold]sources[/]")
    for d in detail["documents"]:
        stdout.print(f"  {d['published'] or '?'}  [{d['lang'] or '?'}] {d['source_id']}: {d['title'][:70]} — "
                     f"{d['method']} {d['confidence']:.2f}  {d['url']}", highlight=False)
    for r in detail["related"]:
        stdout.print(f"related ({r['kind']}: {r['title']}): cases {', '.join(map(str, r['cases']))}",
                     highlight=False)
    if "changes" in detail:
        ch = detail["changes"]
        stdout.print(f"[bold]since {ch['since']}[/]: status {ch['status_before']} → {ch['status_now']}, "
                     f"{len(ch['events'])} events, {len(ch['documents'])} documents, "
                     f"{len(ch['field_values'])} new field values")


@cases_app.command("merge")
def cases_merge(
    ctx: typer.Context,
    keep: Annotated[str, typer.Argument(help="The case that stays (id, key or number).")],
    absorb: Annotated[str, typer.Argument(help="The case merged into it.")],
    by: Annotated[str, typer.Option("--by", help="Who decides (recorded with the decision).")] = "analyst",
    note: Annotated[str | None, typer.Option(help="Why (recorded).")] = None,
    db: DbOption = None,
) -> None:
    """Merge two cases; the decision is recorded and replayed after every relink."""
    from ..db.models.cases import Case, CaseDecision
    from .linking import merge_cases

    engine = _engine(ctx, db)
    try:
        with Session(engine) as session:
            a, b = _find_case(session, keep), _find_case(session, absorb)
            if a == b:
                fail("both references name the same case", code=2)
            ka, kb = session.get(Case, a), session.get(Case, b)
            assert ka is not None and kb is not None
            session.add(CaseDecision(action="merge", case_key=ka.key, other_case_key=kb.key,
                                     decided_by=f"analyst:{by}", note=note))
            merge_cases(session, a, b)
            session.commit()
    finally:
        engine.dispose()
    stderr.print(f"merged case #{b} into #{a}")


@cases_app.command("unlink")
def cases_unlink(
    ctx: typer.Context,
    case: Annotated[str, typer.Argument(help="Case id, key or number.")],
    document: Annotated[int, typer.Argument(help="Document id (see `cases show`).")],
    by: Annotated[str, typer.Option("--by", help="Who decides (recorded with the decision).")] = "analyst",
    note: Annotated[str | None, typer.Option(help="Why (recorded).")] = None,
    db: DbOption = None,
) -> None:
    """Unlink a document from a case; the linker never links them again, even on a full rerun."""
    from ..db.models.cases import Case, CaseDecision
    from .linking import unlink_document

    engine = _engine(ctx, db)
    try:
        with Session(engine) as session:
            cid = _find_case(session, case)
            doc = session.get(Document, document)
            if doc is None:
                fail(f"no document {document}", code=2)
            c = session.get(Case, cid)
            assert c is not None
            if not unlink_document(session, cid, document):
                fail(f"document {document} is not linked to case #{cid}", code=2)
            session.add(CaseDecision(action="unlink", case_key=c.key, source_id=doc.source_id,
                                     canonical_url=doc.canonical_url, decided_by=f"analyst:{by}", note=note))
            session.commit()
    finally:
        engine.dispose()
    stderr.print(f"unlinked document {document} from case #{cid}")


@cases_app.command("link")
def cases_link(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--all", help="Rebuild every link (analyst decisions are replayed).")] = False,
    db: DbOption = None,
) -> None:
    """Link tagged documents to cases (`ipradar tag` does this as its last step)."""
    from .linking import link_documents

    engine = _engine(ctx, db)
    try:
        stats = link_documents(engine, only_new=not rebuild)
    finally:
        engine.dispose()
    stderr.print(f"linked {stats.linked} of {stats.documents} documents ({stats.cases_created} new cases, "
                 f"{stats.links} links, {stats.merged} merges, {stats.decisions_applied} analyst decisions) "
                 f"in {stats.seconds:.1f} s")


@cases_app.command("eval-linking")
def cases_eval_linking(
    file: Annotated[Path | None, typer.Argument(help="Labelled groups (JSON lines); default: the bundled set.")] = None,
    min_precision: Annotated[float, typer.Option(help="Exit 1 when pairwise precision is lower.")] = 0.0,
    min_recall: Annotated[float, typer.Option(help="Exit 1 when pairwise recall is lower.")] = 0.0,
    as_json: JsonOption = False,
) -> None:
    """Pairwise precision/recall of linking on labelled document groups (ingest → tag → link, in memory)."""
    from .evaluate import DEFAULT_SET, EvalInputError, evaluate_file

    path = file or DEFAULT_SET
    try:
        report = evaluate_file(path)
    except EvalInputError as exc:
        fail(str(exc), code=2)
    if as_json:
        _dump(report.as_dict())
    else:
        for level in report.levels:
            stdout.print(f"{level.name:<9} pairs gold {level.gold_pairs:>4}  predicted {level.predicted_pairs:>4}  "
                         f"precision {level.precision:.3f}  recall {level.recall:.3f}  F1 {level.f1:.3f}",
                         highlight=False)
        for line in report.errors[:40]:
            stdout.print(f"  {line}", highlight=False)
        stdout.print(f"{report.documents} documents, {report.groups} groups — {path.name} sha256 {report.sha256[:12]}",
                     highlight=False)
    case_level = report.levels[0]
    if case_level.precision < min_precision or case_level.recall < min_recall:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``ingest`` and the ``cases`` group to the main app."""
    app.command("ingest")(ingest)
    app.add_typer(cases_app, name="cases")

