"""transactions start lookups

Every session start asks whether the EVSE has open sessions (it supersedes them) and whether a
session of the station started at the same instant (a resent start): without these indexes
SQLite answered both by reading every transaction of the organization, so a start cost more the
more sessions the network had ever run.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0029'
down_revision: str | None = '0028'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        'ix_transactions_open_evse',
        'transactions',
        ['station_id', 'evse_id'],
        sqlite_where=sa.text('stopped_at IS NULL'),
        postgresql_where=sa.text('stopped_at IS NULL'),
    )
    op.create_index(
        'ix_transactions_station_start', 'transactions', ['station_id', 'started_at']
    )


def downgrade() -> None:
    op.drop_index('ix_transactions_station_start', table_name='transactions')
    op.drop_index('ix_transactions_open_evse', table_name='transactions')
