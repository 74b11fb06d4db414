"""stories: near-duplicate clusters of documents

Revision ID: 0002_stories
Revises: 0001_core
Create Date: 2026-11-25
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ipradar.db.models.base

revision: str = "0002_stories"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "story",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("first_seen_at", ipradar.db.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", ipradar.db.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story")),
    )
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("story_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("minhash", sa.LargeBinary(), nullable=True))
        batch.create_index(batch.f("ix_document_story_id"), ["story_id"], unique=False)
        batch.create_foreign_key(batch.f("fk_document_story_id_story"), "story", ["story_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_constraint(batch.f("fk_document_story_id_story"), type_="foreignkey")
        batch.drop_index(batch.f("ix_document_story_id"))
        batch.drop_column("minhash")
        batch.drop_column("story_id")
    op.drop_table("story")
