"""Storage: SQLAlchemy 2 models, sessions and Alembic migrations."""

from .session import DatabaseError, init_db, make_engine, require_schema, session_factory, session_scope

__all__ = ["DatabaseError", "init_db", "make_engine", "require_schema", "session_factory", "session_scope"]
