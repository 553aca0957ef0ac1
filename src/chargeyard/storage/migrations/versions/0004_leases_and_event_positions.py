"""leases and event positions

Job leases for a cluster (`cluster/models.py`); on events, the position the sequencer gives them
in commit order (`events/models.py`). Events that exist already committed before any new one:
their `seq` becomes their position, and so they come first.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 19:15:21.640152
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('leases',
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('holder', sa.String(length=128), nullable=False),
    sa.Column('expires_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_leases'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', sa.BigInteger(), nullable=True))
        batch_op.create_index('ix_events_organization_position', ['organization_id', 'position'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_events_position'), ['position'])
    op.execute("UPDATE events SET position = seq")


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_events_position'), type_='unique')
        batch_op.drop_index('ix_events_organization_position')
        batch_op.drop_column('position')

    op.drop_table('leases')
