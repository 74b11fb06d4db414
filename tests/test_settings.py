from pathlib import Path

import pytest

from ipradar.settings import SettingsError, load_settings


def test_defaults_are_embedded_sqlite_in_the_working_directory(tmp_path: Path) -> None:
    s = load_settings(env={}, cwd=tmp_path)
    assert s.db_url == f"sqlite:///{tmp_path / 'ipradar.db'}"
    assert s.archive_dir == tmp_path / "archive"


def test_env_beats_file_beats_defaults(tmp_path: Path) -> None:
    (tmp_path / "ipradar.toml").write_text('db_url = "sqlite:///x.db"\ndownload_delay = 3\n[smtp]\nhost = "h"\n')
    s = load_settings(env={"IPRADAR_DOWNLOAD_DELAY": "0.5"}, cwd=tmp_path)
    assert s.db_url == f"sqlite:///{tmp_path / 'x.db'}"
    assert s.download_delay == 0.5
    assert s.section("smtp") == {"host": "h"}
    pg = load_settings(env={"IPRADAR_DB_URL": "postgresql://u@h/db"}, cwd=tmp_path)
    assert pg.db_url == "postgresql+psycopg://u@h/db"


def test_relative_paths_resolve_against_the_config_file(tmp_path: Path) -> None:
    sub = tmp_path / "work"
    sub.mkdir()
    (sub / "ipradar.toml").write_text('output_dir = "out"\n')
    s = load_settings(config_path=sub / "ipradar.toml", env={}, cwd=tmp_path)
    assert s.output_dir == sub / "out"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('courtlistener_token = "abc"\n', "secret"),
        ('no_such_setting = 1\n', "unknown setting 'no_such_setting'"),
        ('download_delay = "soon"\n', "not a number"),
        ("db_url = \n", "ipradar.toml"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, body: str, message: str) -> None:
    (tmp_path / "ipradar.toml").write_text(body)
    with pytest.raises(SettingsError, match=message):
        load_settings(env={}, cwd=tmp_path)


def test_secrets_come_from_the_environment(tmp_path: Path) -> None:
    s = load_settings(env={"IPRADAR_COURTLISTENER_TOKEN": "t0k"}, cwd=tmp_path)
    assert s.courtlistener_token == "t0k"


def test_every_setting_is_documented_in_the_readme() -> None:
    from dataclasses import fields

    from ipradar.settings import SECRET_FIELDS, Settings

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for f in fields(Settings):
        if f.name in ("home", "sections"):
            continue
        name = f"IPRADAR_{f.name.upper()}" if f.name in SECRET_FIELDS else f"`{f.name}`"
        assert name in readme, f"setting {f.name} is not documented in the README"
