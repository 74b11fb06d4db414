"""Fixtures for the warning tests: an engine on SQLite and PostgreSQL, a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from warnhelpers import SmtpSink, smtp_server_impl

from ipradar.db import make_engine


@pytest.fixture
def engine(initialised_db: str) -> Iterator[Engine]:
    eng = make_engine(initialised_db)
    yield eng
    eng.dispose()


@pytest.fixture
def smtp_server() -> Iterator[SmtpSink]:
    yield from smtp_server_impl()
