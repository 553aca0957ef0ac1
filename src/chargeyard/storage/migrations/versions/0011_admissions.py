"""smart-charging admissions

Stations on a managed circuit that booted and wait (BootNotification Pending) until smart
charging has their limits in place (`load_management/models.py: AdmissionRow`).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 23:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('smart_charging_admissions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('pending_since', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('admitted_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_smart_charging_admissions')),
    sa.UniqueConstraint('organization_id', 'station_id', name=op.f('uq_smart_charging_admissions_organization_id'))
    )
    with op.batch_alter_table('smart_charging_admissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_smart_charging_admissions_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_smart_charging_admissions_station_id'), ['station_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('smart_charging_admissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_smart_charging_admissions_station_id'))
        batch_op.drop_index(batch_op.f('ix_smart_charging_admissions_organization_id'))
    op.drop_table('smart_charging_admissions')
