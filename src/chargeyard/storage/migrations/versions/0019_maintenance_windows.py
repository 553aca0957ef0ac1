"""maintenance windows

Operations intelligence: planned downtime per station or location
(`maintenance_windows/models.py: MaintenanceWindow`), and an alert rule's share of a limit
(`alert_rules.fraction`, read by the `power-below-limit` rule), a digest's HTML body
(`alert_mails.html`), and a partial index of the transaction events that carry a chargingState
(`ix_transaction_events_charging_state`, read by the meter-stalled rule's sweep).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('maintenance_windows',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=True),
    sa.Column('location_id', sa.String(length=32), nullable=True),
    sa.Column('starts_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_maintenance_windows_location_id_locations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_maintenance_windows_organization_id_organizations')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_maintenance_windows_station_id_stations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_maintenance_windows'))
    )
    with op.batch_alter_table('maintenance_windows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_maintenance_windows_ends_at'), ['ends_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_maintenance_windows_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_maintenance_windows_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_maintenance_windows_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_maintenance_windows_station_id'), ['station_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_maintenance_windows_updated_at'), ['updated_at'], unique=False)
    with op.batch_alter_table('alert_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fraction', sa.Double(), nullable=True))
    with op.batch_alter_table('alert_mails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('html', sa.Text(), nullable=True))
    op.create_index(
        'ix_transaction_events_charging_state',
        'transaction_events',
        ['transaction_id', 'seq_no'],
        unique=False,
        sqlite_where=sa.text('charging_state IS NOT NULL'),
        postgresql_where=sa.text('charging_state IS NOT NULL'),
    )


def downgrade() -> None:
    op.drop_index('ix_transaction_events_charging_state', table_name='transaction_events')
    with op.batch_alter_table('alert_mails', schema=None) as batch_op:
        batch_op.drop_column('html')
    with op.batch_alter_table('alert_rules', schema=None) as batch_op:
        batch_op.drop_column('fraction')
    with op.batch_alter_table('maintenance_windows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maintenance_windows_updated_at'))
        batch_op.drop_index(batch_op.f('ix_maintenance_windows_station_id'))
        batch_op.drop_index(batch_op.f('ix_maintenance_windows_starts_at'))
        batch_op.drop_index(batch_op.f('ix_maintenance_windows_organization_id'))
        batch_op.drop_index(batch_op.f('ix_maintenance_windows_location_id'))
        batch_op.drop_index(batch_op.f('ix_maintenance_windows_ends_at'))
    op.drop_table('maintenance_windows')
