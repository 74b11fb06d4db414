"""The schema is created by Alembic, is upgradeable in place, and enforces the idempotency keys."""

import datetime as dt

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ipradar.db import init_db, make_engine
from ipradar.db.models import Base, Document, Source


def test_init_creates_every_model_table_and_is_repeatable(db_url: str) -> None:
    first = init_db(db_url)
    second = init_db(db_url)  # upgrading an up-to-date database is a no-op
    assert first == second != "none"
    engine = make_engine(db_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert set(Base.metadata.tables) <= tables


def test_migrations_match_the_models(initialised_db: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(initialised_db)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ; write a migration: {diff}"


def _doc(url: str, digest: str) -> Document:
    return Document(source_id="s", url=url, canonical_url=url, content_hash=digest, title="t", text="x",
                    lang="en", doc_type="news")


def test_document_unique_per_source_by_url_and_by_hash(initialised_db: str) -> None:
    engine = make_engine(initialised_db)
    with Session(engine) as session:
        session.add(Source(id="s", kind="html", name="S", lang="en", base_url="https://x", schedule="* * * * *"))
        session.add(_doc("https://x/1", "a" * 64))
        session.commit()
        session.add(_doc("https://x/1", "b" * 64))
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()
        session.add(_doc("https://x/2", "a" * 64))
        with pytest.raises(IntegrityError):
            session.commit()
    engine.dispose()


def test_datetimes_come_back_aware_utc(initialised_db: str) -> None:
    engine = make_engine(initialised_db)
    shanghai = dt.timezone(dt.timedelta(hours=8))
    moment = dt.datetime(2026, 11, 23, 9, 30, tzinfo=shanghai)
    with Session(engine) as session:
        session.add(Source(id="s", kind="html", name="S", lang="en", base_url="https://x", schedule="* * * * *",
                           last_run_at=moment))
        session.commit()
    with Session(engine) as session:
        got = session.get(Source, "s")
        assert got is not None and got.last_run_at == moment and got.last_run_at.utcoffset() == dt.timedelta(0)
    engine.dispose()


def test_migrations_form_one_chain() -> None:
    from alembic.script import ScriptDirectory

    from ipradar.db.session import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, "migrations branch: give the new one the current head as down_revision"


def test_an_older_database_is_upgraded_in_place(db_url: str) -> None:
    from alembic import command

    from ipradar.db.session import alembic_config

    engine = make_engine(db_url)
    with engine.begin() as conn:
        cfg = alembic_config(db_url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001_core")
    engine.dispose()
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(db_url)).get_current_head()
    assert init_db(db_url) == head
