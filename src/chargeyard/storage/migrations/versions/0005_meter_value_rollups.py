"""meter value rollups

The hourly rollup raw meter values are folded into before retention deletes them
(`retention/models.py`).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 23:39:10.339691
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('meter_value_rollups',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('evse_id', sa.Integer(), nullable=False),
    sa.Column('connector_id', sa.Integer(), nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=True),
    sa.Column('measurand', sa.String(length=64), nullable=False),
    sa.Column('phase', sa.String(length=8), nullable=False),
    sa.Column('location', sa.String(length=16), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('hour', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('numeric_count', sa.Integer(), nullable=False),
    sa.Column('total', sa.Double(), nullable=False),
    sa.Column('minimum', sa.Double(), nullable=True),
    sa.Column('maximum', sa.Double(), nullable=True),
    sa.Column('first_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('first_value', sa.Double(), nullable=True),
    sa.Column('last_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('last_value', sa.Double(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meter_value_rollups'))
    )
    with op.batch_alter_table('meter_value_rollups', schema=None) as batch_op:
        batch_op.create_index('ix_meter_value_rollups_station_hour', ['organization_id', 'station_id', 'hour'], unique=False)
        batch_op.create_index(batch_op.f('ix_meter_value_rollups_transaction_id'), ['transaction_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('meter_value_rollups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meter_value_rollups_transaction_id'))
        batch_op.drop_index('ix_meter_value_rollups_station_hour')

    op.drop_table('meter_value_rollups')
