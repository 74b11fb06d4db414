"""report archive

Revision ID: 0004_reports
Revises: 0003_cases
Create Date: 2026-11-26 10:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ipradar.db.models.base

revision: str = "0004_reports"
down_revision: str | Sequence[str] | None = "0003_cases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('period', sa.String(length=32), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('fmt', sa.String(length=8), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', ipradar.db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report'))
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index('ix_report_kind_period', ['kind', 'period'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_kind_period')

    op.drop_table('report')
