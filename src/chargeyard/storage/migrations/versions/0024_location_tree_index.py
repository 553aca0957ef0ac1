"""location tree index

An index on `locations.parent_id`: every walk down the site tree (a location's subtree for its
KPIs, the stations a location's maintenance window covers, a site-scoped user's sites) joins on
it once per level, and without it each level scans the table (docs/alerts.md, "Cost, measured").

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 12:00:00.000000
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_locations_parent_id'), ['parent_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_locations_parent_id'))
