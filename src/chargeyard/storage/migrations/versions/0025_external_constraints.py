"""external constraints read back

ChargingStationExternalConstraints profiles read back from OCPP 2.x stations are external
charging limits too: `charging_limits` gains the profile (`profile_id`, `profile`) and the read
that found it (`request_id`); `charging_limit_reads` names each station's latest read
(`charging_limits/models.py`, docs/smart-charging.md "Inputs").

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 19:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('charging_limit_reads',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charging_limit_reads')),
    sa.UniqueConstraint('organization_id', 'station_id', name=op.f('uq_charging_limit_reads_organization_id'))
    )
    with op.batch_alter_table('charging_limit_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_charging_limit_reads_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_charging_limit_reads_station_id'), ['station_id'], unique=False)
    with op.batch_alter_table('charging_limits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('profile_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('profile', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('request_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('charging_limits', schema=None) as batch_op:
        batch_op.drop_column('request_id')
        batch_op.drop_column('profile')
        batch_op.drop_column('profile_id')
    with op.batch_alter_table('charging_limit_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_charging_limit_reads_station_id'))
        batch_op.drop_index(batch_op.f('ix_charging_limit_reads_organization_id'))
    op.drop_table('charging_limit_reads')
