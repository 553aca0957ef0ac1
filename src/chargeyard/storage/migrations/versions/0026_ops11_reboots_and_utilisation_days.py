"""problem alerts renewed by a reboot

`alerts.awaiting_report_since`: the accepted boot after which a 2.x station has not reported an
open `Problem` again; the evaluator resolves the alert by the reboot once the vendor-error
threshold has passed (docs/alerts.md, "Rules").

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 23:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0026'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('awaiting_report_since', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_alerts_awaiting_report_since'), ['awaiting_report_since'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_awaiting_report_since'))
        batch_op.drop_column('awaiting_report_since')
