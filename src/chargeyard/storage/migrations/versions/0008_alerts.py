"""alerts

Alerts, their notes, each organization's alert rule settings, and the alert evaluator's cursor
in the event log (`alerts/models.py`). The cursor starts at the log's end: events committed
before alerts existed are not judged.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 23:34:45.023139
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('alert_cursor',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_alert_cursor'))
    )
    op.create_table('alerts',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('urgency', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('evse_id', sa.Integer(), nullable=True),
    sa.Column('connector_id', sa.Integer(), nullable=True),
    sa.Column('transaction_id', sa.BigInteger(), nullable=True),
    sa.Column('started_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=200), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('open_key', sa.String(length=255), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('open_key', name=op.f('uq_alerts_open_key'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_started_at'), ['started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_station_id'), ['station_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_updated_at'), ['updated_at'], unique=False)

    op.create_table('alert_notes',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('alert_id', sa.String(length=32), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_notes_alert_id_alerts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_notes'))
    )
    with op.batch_alter_table('alert_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_notes_alert_id'), ['alert_id'], unique=False)

    op.create_table('alert_rules',
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('threshold_s', sa.Integer(), nullable=True),
    sa.Column('urgency', sa.String(length=16), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_alert_rules_organization_id_organizations')),
    sa.PrimaryKeyConstraint('organization_id', 'name', name=op.f('pk_alert_rules'))
    )
    with op.batch_alter_table('alert_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_rules_updated_at'), ['updated_at'], unique=False)
    op.execute(
        "INSERT INTO alert_cursor (name, position) "
        "SELECT 'alerts', COALESCE(MAX(position), 0) FROM events"
    )



def downgrade() -> None:
    with op.batch_alter_table('alert_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_rules_updated_at'))

    op.drop_table('alert_rules')
    with op.batch_alter_table('alert_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_notes_alert_id'))

    op.drop_table('alert_notes')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_updated_at'))
        batch_op.drop_index(batch_op.f('ix_alerts_status'))
        batch_op.drop_index(batch_op.f('ix_alerts_station_id'))
        batch_op.drop_index(batch_op.f('ix_alerts_started_at'))
        batch_op.drop_index(batch_op.f('ix_alerts_organization_id'))
        batch_op.drop_index(batch_op.f('ix_alerts_name'))

    op.drop_table('alerts')
    op.drop_table('alert_cursor')
