"""warnings: subscriptions, alerts, escalations, the delivery outbox and its attempt log

Revision ID: 0005_warnings
Revises: 0004_reports
Create Date: 2026-11-25
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ipradar.db.models.base

revision: str = "0005_warnings"
down_revision: str | Sequence[str] | None = "0004_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('escalation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('item_key', sa.String(length=120), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('triggers', sa.JSON(), nullable=False),
    sa.Column('config', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('rule_version', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('acknowledged_by', sa.String(length=100), nullable=True),
    sa.Column('acknowledged_at', ipradar.db.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', ipradar.db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation')),
    sa.UniqueConstraint('key', name=op.f('uq_escalation_key'))
    )
    op.create_table('subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('subscriber', sa.String(length=300), nullable=False),
    sa.Column('contact', sa.String(length=300), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('webhook_url', sa.String(length=1000), nullable=True),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('frequency', sa.String(length=16), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', ipradar.db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ipradar.db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription')),
    sa.UniqueConstraint('name', name=op.f('uq_subscription_name'))
    )
    op.create_table('alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('item_key', sa.String(length=120), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('escalation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', ipradar.db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalation.id'], name=op.f('fk_alert_escalation_id_escalation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'], name=op.f('fk_alert_subscription_id_subscription'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert')),
    sa.UniqueConstraint('subscription_id', 'key', name=op.f('uq_alert_subscription_id_key'))
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index('ix_alert_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_subscription_id'), ['subscription_id'], unique=False)

    op.create_table('delivery_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_key', sa.String(length=64), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('alerts', sa.Integer(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('attempted_at', ipradar.db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'], name=op.f('fk_delivery_attempt_subscription_id_subscription'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_attempt'))
    )
    with op.batch_alter_table('delivery_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_attempt_batch_key'), ['batch_key'], unique=False)

    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('batch_key', sa.String(length=64), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_at', ipradar.db.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('next_attempt_at', ipradar.db.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', ipradar.db.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', ipradar.db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_delivery_alert_id_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'], name=op.f('fk_delivery_subscription_id_subscription'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery')),
    sa.UniqueConstraint('alert_id', 'channel', name=op.f('uq_delivery_alert_id_channel'))
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_alert_id'), ['alert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_batch_key'), ['batch_key'], unique=False)
        batch_op.create_index('ix_delivery_status_subscription_id', ['status', 'subscription_id'], unique=False)

    op.create_table('alert_evaluation',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('evaluated_at', ipradar.db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_alert_evaluation_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_alert_evaluation'))
    )


def downgrade() -> None:
    op.drop_table('alert_evaluation')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_status_subscription_id')
        batch_op.drop_index(batch_op.f('ix_delivery_batch_key'))
        batch_op.drop_index(batch_op.f('ix_delivery_alert_id'))

    op.drop_table('delivery')
    with op.batch_alter_table('delivery_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_attempt_batch_key'))

    op.drop_table('delivery_attempt')
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_subscription_id'))
        batch_op.drop_index('ix_alert_created_at')

    op.drop_table('alert')
    op.drop_table('subscription')
    op.drop_table('escalation')
