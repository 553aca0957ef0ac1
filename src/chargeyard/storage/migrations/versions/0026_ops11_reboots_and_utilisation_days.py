"""problem alerts renewed by a reboot; the KPIs' daily rollup

`alerts.awaiting_report_since`: the accepted boot after which a 2.x station has not reported an
open `Problem` again; the evaluator resolves the alert by the reboot once the vendor-error
threshold has passed (docs/alerts.md, "Rules").

`utilisation_days`: each station's uptime and utilisation tally per UTC day, per connector and
as one unit, and `utilisation_rollup_cursor`, how far its job has read the event log
(`kpis/models.py`, docs/alerts.md "KPIs"). Empty at first: the job fills past days, and the
KPIs measure what it has not filled from the histories.

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
    op.create_table('utilisation_days',
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('evse_id', sa.Integer(), nullable=False),
    sa.Column('connector_id', sa.Integer(), nullable=False),
    sa.Column('up_us', sa.BigInteger(), nullable=False),
    sa.Column('down_us', sa.BigInteger(), nullable=False),
    sa.Column('excluded_us', sa.BigInteger(), nullable=False),
    sa.Column('occupied_us', sa.BigInteger(), nullable=False),
    sa.Column('charging_us', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('station_id', 'day', 'evse_id', 'connector_id', name=op.f('pk_utilisation_days'))
    )
    with op.batch_alter_table('utilisation_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_utilisation_days_organization_id'), ['organization_id'], unique=False)
    op.create_table('utilisation_rollup_cursor',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_utilisation_rollup_cursor'))
    )
    # Events already in the log are history the first fill reads from the tables themselves.
    op.execute(
        "INSERT INTO utilisation_rollup_cursor (name, position) "
        "SELECT 'utilisation', COALESCE(MAX(position), 0) FROM events"
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('awaiting_report_since', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_alerts_awaiting_report_since'), ['awaiting_report_since'], unique=False)


def downgrade() -> None:
    op.drop_table('utilisation_rollup_cursor')
    with op.batch_alter_table('utilisation_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_utilisation_days_organization_id'))
    op.drop_table('utilisation_days')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_awaiting_report_since'))
        batch_op.drop_column('awaiting_report_since')
