"""transactions tag stays

Smart charging learns a session's departure from its driver's latest stays at the site, read
once per session by the lowered ID tag and ordered by end time. Without this index SQLite walked
the site's sessions by end time until it had found the driver's twenty: for a driver seldom
seen, the whole history. The lowered tag leads the index: led by the organization, SQLite (which
keeps no statistics here) chose it for the lookups of every session start as well, by their
organization alone.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 10:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0030'
down_revision: str | None = '0029'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        'ix_transactions_tag_stays',
        'transactions',
        [sa.text('lower(id_tag)'), 'organization_id', 'stopped_at'],
    )


def downgrade() -> None:
    op.drop_index('ix_transactions_tag_stays', table_name='transactions')
