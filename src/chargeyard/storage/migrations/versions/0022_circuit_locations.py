"""circuit locations

The site a circuit belongs to (`circuits.location_id`, nullable; a deleted location leaves the
circuit unplaced), so a site-scoped user sees a circuit of its site, and hangs its stations on
it, before any station hangs there.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 12:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('circuits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('location_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_circuits_location_id'), ['location_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_circuits_location_id_locations'), 'locations', ['location_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('circuits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_circuits_location_id_locations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_circuits_location_id'))
        batch_op.drop_column('location_id')
