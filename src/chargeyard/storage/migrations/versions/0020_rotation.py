"""rotation

Smart charging's turns (`load_management/models.py: TurnRow`): where each session stands in
its circuit's rotation when not every session can get its minimum, and the slice of a turn
per circuit (`circuits.rotation_slice_s`).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('circuits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rotation_slice_s', sa.Double(), nullable=True))
    op.create_table('smart_charging_turns',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('waiting_since', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('turn_ends', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_smart_charging_turns')),
    sa.UniqueConstraint('organization_id', 'transaction_id', name=op.f('uq_smart_charging_turns_organization_id'))
    )
    with op.batch_alter_table('smart_charging_turns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_smart_charging_turns_organization_id'), ['organization_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('smart_charging_turns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_smart_charging_turns_organization_id'))
    op.drop_table('smart_charging_turns')
    with op.batch_alter_table('circuits', schema=None) as batch_op:
        batch_op.drop_column('rotation_slice_s')
