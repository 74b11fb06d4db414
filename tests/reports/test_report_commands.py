"""``report weekly|legal-env|trends`` through a local Typer app built with ``register``, as the CLI will wire it."""

from pathlib import Path

import typer
from reporthelpers import WEEK
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ipradar.db import make_engine
from ipradar.db.models.reports import Report
from ipradar.reports.commands import register


def app() -> typer.Typer:
    root = typer.Typer()
    report = typer.Typer()
    register(report)
    root.add_typer(report, name="report")
    return root


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app(), list(args))
    return result.exit_code, result.output


def test_weekly_legal_env_and_trends_write_files_and_archive_them(report_db: str, tmp_path: Path) -> None:
    code, out = run("report", "weekly", "--week", WEEK.label, "--lang", "zh,en", "--format", "html,csv",
                    "-o", str(tmp_path), "--db", report_db)
    assert code == 0, out
    assert (tmp_path / "weekly-2026-W47.zh.html").is_file() and (tmp_path / "weekly-2026-W47.en.html").is_file()
    assert (tmp_path / "weekly-2026-W47.red_flags.csv").is_file()
    code, out = run("report", "weekly", "--week", WEEK.label, "--region", "upc", "--sector", "telecom",
                    "-o", str(tmp_path), "--db", report_db)
    assert code == 0, out
    assert "Panasonic v OPPO" in (tmp_path / "weekly-2026-W47-UPC-telecom.zh.html").read_text(encoding="utf-8")
    code, out = run("report", "legal-env", "--country", "us", "--lang", "en", "-o", str(tmp_path), "--db", report_db)
    assert code == 0, out
    html = (tmp_path / "legal-env-US.en.html").read_text(encoding="utf-8")
    assert "IP Legal Environment Report: United States" in html and "Samsung Display Co., Ltd." in html
    code, out = run("report", "trends", "--period", "2026-Q4", "--format", "html,csv", "-o", str(tmp_path),
                    "--db", report_db)
    assert code == 0, out
    assert "海外知识产权案件趋势" in (tmp_path / "trends-2026-Q4.zh.html").read_text(encoding="utf-8")
    engine = make_engine(report_db)
    with Session(engine) as session:
        kinds = dict(session.execute(select(Report.kind, func.count()).group_by(Report.kind)).all())
    engine.dispose()
    assert set(kinds) == {"weekly", "legal_env", "trends"}


def test_usage_errors_exit_2(report_db: str, tmp_path: Path) -> None:
    for args, message in [
        (["report", "weekly", "--week", "2026-47"], "2026-W47"),
        (["report", "weekly", "--format", "html,docx"], "docx"),
        (["report", "weekly", "--lang", "fr"], "zh or en"),
        (["report", "weekly", "--sector", "steel"], "steel"),
        (["report", "legal-env", "--country", "FR"], "available"),
        (["report", "trends", "--period", "2026-Q5"], "2026-Q3"),
    ]:
        code, out = run(*args, "-o", str(tmp_path), "--db", report_db)
        assert code == 2, (args, out)
        assert message in out, (args, out)


def test_uninitialised_database_is_a_runtime_error(tmp_path: Path) -> None:
    code, out = run("report", "weekly", "--db", f"sqlite:///{tmp_path / 'empty.db'}", "-o", str(tmp_path))
    assert code == 1 and "ipradar init" in out
