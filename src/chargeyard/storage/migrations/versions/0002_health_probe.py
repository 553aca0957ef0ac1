"""health probe: the row readiness rewrites to check that writes work

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 19:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('health_probe',
    sa.Column('node_id', sa.String(length=128), nullable=False),
    sa.Column('probed_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('node_id', name=op.f('pk_health_probe'))
    )


def downgrade() -> None:
    op.drop_table('health_probe')
