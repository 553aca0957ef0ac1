"""monitor reads

A GetMonitoringReport sent to a 2.x station is remembered (`device_monitor_reads`, one row per
station: the latest read) so that its NotifyMonitoringReport parts can replace the stored
monitors once the last one arrives (`device_model/service.py`, docs/commands.md).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0028'
down_revision: str | None = '0027'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('device_monitor_reads',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('whole', sa.Boolean(), nullable=False),
    sa.Column('awaiting', sa.Boolean(), nullable=False),
    sa.Column('listed', sa.JSON(), nullable=False),
    sa.Column('requested_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('finished_whole', sa.Boolean(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device_monitor_reads')),
    sa.UniqueConstraint('organization_id', 'station_id', name=op.f('uq_device_monitor_reads_organization_id'))
    )
    with op.batch_alter_table('device_monitor_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_monitor_reads_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_device_monitor_reads_station_id'), ['station_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('device_monitor_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_monitor_reads_station_id'))
        batch_op.drop_index(batch_op.f('ix_device_monitor_reads_organization_id'))
    op.drop_table('device_monitor_reads')
