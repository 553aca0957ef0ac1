"""alert notifications: the e-mail channel, per-rule channel choices, the digest queue and digests

Each organization's alert e-mail channel (`alert_mail_channels`: on/off, recipients) and its
per-rule choices (`alert_rule_channels`: e-mail on/off, own recipients, webhooks on/off); alert
happenings queued for a digest (`alert_mail_items`) and the digests, the mailer's outbox
(`alert_mails`). The mailer's
cursor in the event log is a row of `alert_cursor` (name `alert_mail`), created by the mailer
at the log's end when it first runs.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 03:38:03.344804
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('alert_mail_items',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('group_key', sa.String(length=64), nullable=False),
    sa.Column('alert_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('urgency', sa.String(length=16), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('evse_id', sa.Integer(), nullable=True),
    sa.Column('connector_id', sa.Integer(), nullable=True),
    sa.Column('at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('queued_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('mail_id', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_mail_items'))
    )
    with op.batch_alter_table('alert_mail_items', schema=None) as batch_op:
        batch_op.create_index('ix_alert_mail_items_waiting', ['mail_id', 'queued_at'], unique=False)

    op.create_table('alert_mails',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('alerts', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('sent_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_mails'))
    )
    with op.batch_alter_table('alert_mails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_mails_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_mails_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_mails_updated_at'), ['updated_at'], unique=False)

    op.create_table('alert_mail_channels',
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_alert_mail_channels_organization_id_organizations')),
    sa.PrimaryKeyConstraint('organization_id', name=op.f('pk_alert_mail_channels'))
    )
    with op.batch_alter_table('alert_mail_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_mail_channels_updated_at'), ['updated_at'], unique=False)

    op.create_table('alert_rule_channels',
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('email', sa.Boolean(), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=True),
    sa.Column('webhook', sa.Boolean(), nullable=False),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_alert_rule_channels_organization_id_organizations')),
    sa.PrimaryKeyConstraint('organization_id', 'name', name=op.f('pk_alert_rule_channels'))
    )
    with op.batch_alter_table('alert_rule_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_rule_channels_updated_at'), ['updated_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('alert_rule_channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_rule_channels_updated_at'))

    op.drop_table('alert_rule_channels')
    with op.batch_alter_table('alert_mail_channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_mail_channels_updated_at'))

    op.drop_table('alert_mail_channels')
    with op.batch_alter_table('alert_mails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_mails_updated_at'))
        batch_op.drop_index(batch_op.f('ix_alert_mails_status'))
        batch_op.drop_index(batch_op.f('ix_alert_mails_organization_id'))

    op.drop_table('alert_mails')
    with op.batch_alter_table('alert_mail_items', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_mail_items_waiting')

    op.drop_table('alert_mail_items')
