"""open transactions by tag

A tag's open transactions are looked up at every Authorize, StartTransaction and identified
StopTransaction (ConcurrentTx), case-insensitively: without this index the lookup read every
open transaction of the organization, or with SQLite's plan every transaction of it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 03:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        'ix_transactions_open_tag',
        'transactions',
        ['organization_id', sa.text('lower(id_tag)')],
        sqlite_where=sa.text('stopped_at IS NULL'),
        postgresql_where=sa.text('stopped_at IS NULL'),
    )


def downgrade() -> None:
    op.drop_index('ix_transactions_open_tag', table_name='transactions')
