"""CLI commands of the NLP layer (`classify`, `eval`, `train`), added to the main Typer app by ``register(app)``.

Exit codes (DESIGN §5): 0 ok, 1 runtime failure, 2 usage or input error (the message names file/line/field).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

stderr = Console(stderr=True)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=stderr, transient=True)


def _error(message: str) -> None:
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)


def classify_stream(src: BinaryIO, dst: Any, models_dir: Path | None = None, batch_size: int = 64) -> int:
    """Tag JSON lines from ``src`` into ``dst``; returns the number of bad lines (each reported on stderr)."""
    from .api import Tagger
    from .jsonl import LineError, parse_lines

    tagger = Tagger.load(models_dir)
    bad = 0

    def good_records() -> Iterator[dict[str, Any]]:
        nonlocal bad
        for item in parse_lines(src):
            if isinstance(item, LineError):
                bad += 1
                _error(f"{getattr(src, 'name', '<stdin>')}: {item}")
                continue
            yield item

    with _progress() as bar:
        task = bar.add_task("classifying", total=None)
        for out in tagger.classify(good_records(), batch_size=batch_size):
            dst.write(json.dumps(out, ensure_ascii=False) + "\n")
            bar.advance(task)
    return bad


def register(app: typer.Typer) -> None:
    """Add `classify`, `eval` and `train` to the application."""

    @app.command("classify")
    def classify(
        infile: Annotated[str, typer.Argument(help="Input JSON lines (DESIGN §6), or '-' for stdin.")] = "-",
        out: Annotated[Path | None, typer.Option("-o", "--out", help="Output file (default: stdout).")] = None,
        models: Annotated[Path | None, typer.Option("--models", help="Models directory (default: shipped).")] = None,
        batch_size: Annotated[int, typer.Option(help="Records per nlp.pipe batch.")] = 64,
    ) -> None:
        """Tag JSON lines statelessly: relevance, jurisdictions, industries, risk types, Chinese party, severity."""
        try:
            src: BinaryIO = sys.stdin.buffer if infile == "-" else open(infile, "rb")  # noqa: SIM115
        except OSError as exc:
            _error(f"cannot read {infile}: {exc.strerror}")
            raise typer.Exit(2) from None
        try:
            if out is None:
                bad = classify_stream(src, sys.stdout, models, batch_size)
            else:
                with out.open("w", encoding="utf-8") as dst:
                    bad = classify_stream(src, dst, models, batch_size)
        except FileNotFoundError as exc:
            _error(str(exc))
            raise typer.Exit(2) from None
        finally:
            if src is not sys.stdin.buffer:
                src.close()
        if bad:
            _error(f"{bad} line(s) could not be tagged (see above); the others were")
            raise typer.Exit(2)

    @app.command("eval")
    def eval_cmd(
        gold_file: Annotated[Path, typer.Argument(help="Gold JSON lines (classify shape with labels filled in).")],
        models: Annotated[Path | None, typer.Option("--models", help="Models directory (default: shipped).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
    ) -> None:
        """Micro and macro P/R/F1 per dimension, per label and per language, keyword baseline beside."""
        from .api import Tagger
        from .evaluation import DIMS, baseline, evaluate
        from .jsonl import LineError, parse_lines

        if not gold_file.exists():
            _error(f"{gold_file}: no such file")
            raise typer.Exit(2)
        gold: list[dict[str, Any]] = []
        with gold_file.open("rb") as fh:
            for item in parse_lines(fh):
                if isinstance(item, LineError):
                    _error(f"{gold_file}: {item}")
                    raise typer.Exit(2)
                gold.append(item)
        tagger = Tagger.load(models)
        pred: dict[str, Any] = {}
        with _progress() as bar:
            task = bar.add_task("tagging", total=len(gold))
            for o in tagger.classify(gold):
                pred[o["id"]] = o
                bar.advance(task)
        base = {str(g["id"]): baseline(g) for g in gold}
        ours, theirs = evaluate(gold, pred), evaluate(gold, base)
        if as_json:
            sys.stdout.write(json.dumps({"model_version": tagger.version, "tagger": ours, "baseline": theirs},
                                        indent=2) + "\n")
            return
        con = Console()
        table = Table(title=f"{gold_file.name}: micro/macro F1 ({tagger.version}) — keyword baseline beside")
        for col in ("scope", "dimension", "micro P", "micro R", "micro F1", "macro F1", "baseline micro F1"):
            table.add_column(col)
        for scope in ours:
            for dim in DIMS:
                m, b = ours[scope][dim], theirs[scope][dim]
                table.add_row(scope, dim, f"{m['micro']['precision']:.3f}", f"{m['micro']['recall']:.3f}",
                              f"{m['micro']['f1']:.3f}", f"{m['macro']['f1']:.3f}", f"{b['micro']['f1']:.3f}")
        con.print(table)
        labels = Table(title="per label (all languages)")
        for col in ("dimension", "label", "P", "R", "F1", "support", "baseline F1"):
            labels.add_column(col)
        for dim in DIMS:
            for lab, m in ours["all"][dim]["labels"].items():
                b = theirs["all"][dim]["labels"].get(lab, {"f1": 0.0})
                labels.add_row(dim, lab, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                               str(m["support"]), f"{b['f1']:.3f}")
        con.print(labels)

    @app.command("train")
    def train_cmd(
        data: Annotated[list[Path] | None, typer.Option("--data", help="Labelled JSON lines (repeatable; default: "
                                                                        "ipradar/data/training/*.jsonl).")] = None,
        out: Annotated[Path | None, typer.Option("--out", help="Output directory (default: shipped models).")] = None,
    ) -> None:
        """Retrain the per-dimension classifiers; writes the skops models, meta.json and metrics.json."""
        from .resources import MODELS
        from .training import default_paths, train

        paths = list(data or default_paths())
        missing = [p for p in paths if not p.exists()]
        if missing or not paths:
            _error(f"no such training file: {', '.join(map(str, missing)) or '(none found)'}")
            raise typer.Exit(2)
        target = out or MODELS
        try:
            with _progress() as bar:
                task = bar.add_task("featurising", total=None)
                model_set = train(paths, target, on_progress=lambda n: bar.update(task, completed=n))
        except (ValueError, json.JSONDecodeError) as exc:
            _error(str(exc))
            raise typer.Exit(2) from None
        held = model_set.metrics.get("held_out_classifier_only", {})
        summary = {k: (v.get("f1") if "f1" in v else v.get("micro", {}).get("f1")) for k, v in held.items()}
        stderr.print(f"trained {model_set.version} on {model_set.metrics.get('rows')} rows → {target}; "
                     f"held-out classifier-only F1: {summary}")
