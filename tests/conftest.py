"""Shared fixtures. Every DB test runs on SQLite and, when IPRADAR_TEST_PG_URL is set, on PostgreSQL too.

With IPRADAR_TEST_PG_URL set, an unreachable server is a failure, not a skip: CI must not pass silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ipradar.db import init_db
from ipradar.settings import Settings, load_settings

PG_URL = os.environ.get("IPRADAR_TEST_PG_URL")
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A throw-away database on the PostgreSQL server named by IPRADAR_TEST_PG_URL (dropped afterwards)."""
    assert PG_URL
    name = f"ipradar_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:  # connection errors surface here and fail the tests
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _reset_pg(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL (not yet initialised)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    if not PG_URL:
        pytest.skip("IPRADAR_TEST_PG_URL not set")
    url: str = request.getfixturevalue("pg_database")
    _reset_pg(url)
    return url


@pytest.fixture
def initialised_db(db_url: str) -> str:
    init_db(db_url)
    return db_url


@pytest.fixture
def settings(tmp_path: Path, initialised_db: str) -> Settings:
    """Settings for a temporary work dir on an initialised database (SQLite and PostgreSQL)."""
    base = load_settings(env={}, cwd=tmp_path)
    return base.with_db(initialised_db)
