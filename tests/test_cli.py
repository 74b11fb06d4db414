"""Every command answers --help, is documented in the README, and reports bad input with exit code 2."""

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ipradar.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
runner = CliRunner()


def _commands(group: typer.Typer, prefix: str = "") -> list[str]:
    names = [f"{prefix}{c.name or (c.callback.__name__ if c.callback else '')}".strip() for c in
             group.registered_commands]
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        names += _commands(sub.typer_instance, f"{prefix}{sub.name} ")
    return [n.replace("_", "-") for n in names]


COMMANDS = _commands(app)


def test_the_foundation_commands_exist() -> None:
    for name in ("init", "sources list", "crawl", "tag", "report weekly", "demo"):
        assert name in COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_help(command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_documented_in_readme(command: str) -> None:
    assert f"ipradar {command}" in README, f"`ipradar {command}` is not in the README's CLI tour"


def test_unknown_source_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["crawl", "no_such_source", "--db", f"sqlite:///{tmp_path}/x.db"])
    assert result.exit_code == 2
    assert "unknown source 'no_such_source'" in result.output


def test_uninitialised_database_says_run_init(tmp_path: Path) -> None:
    result = runner.invoke(app, ["tag", "--db", f"sqlite:///{tmp_path}/x.db"])
    assert result.exit_code == 1
    assert "ipradar init" in result.output


def test_bad_week_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "weekly", "--week", "last week", "--db", f"sqlite:///{tmp_path}/x.db"])
    assert result.exit_code == 2
    assert "2026-W47" in result.output
