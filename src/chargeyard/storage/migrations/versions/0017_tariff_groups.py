"""tariff groups, EVSE tariffs and session energy costs

Tariff groups with their ID tag and driver members and the places they apply at
(`tariff_groups/models.py`); `tariff_id` on EVSEs (the most specific assignment); the energy
cost and margin of each finished priced session (`energy_costs/models.py`).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 06:04:31.654731
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.amount
import chargeyard.storage.base

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('tariff_groups',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('tariff_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_tariff_groups_organization_id_organizations')),
    sa.ForeignKeyConstraint(['tariff_id'], ['tariffs.id'], name=op.f('fk_tariff_groups_tariff_id_tariffs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_groups')),
    sa.UniqueConstraint('organization_id', 'name', name=op.f('uq_tariff_groups_organization_id'))
    )
    with op.batch_alter_table('tariff_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tariff_groups_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_groups_tariff_id'), ['tariff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_groups_updated_at'), ['updated_at'], unique=False)
    op.create_table('tariff_group_drivers',
    sa.Column('tariff_group_id', sa.String(length=32), nullable=False),
    sa.Column('driver_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['driver_id'], ['drivers.id'], name=op.f('fk_tariff_group_drivers_driver_id_drivers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tariff_group_id'], ['tariff_groups.id'], name=op.f('fk_tariff_group_drivers_tariff_group_id_tariff_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tariff_group_id', 'driver_id', name=op.f('pk_tariff_group_drivers'))
    )
    with op.batch_alter_table('tariff_group_drivers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tariff_group_drivers_driver_id'), ['driver_id'], unique=False)
    op.create_table('tariff_group_tags',
    sa.Column('tariff_group_id', sa.String(length=32), nullable=False),
    sa.Column('id_tag_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['id_tag_id'], ['id_tags.id'], name=op.f('fk_tariff_group_tags_id_tag_id_id_tags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tariff_group_id'], ['tariff_groups.id'], name=op.f('fk_tariff_group_tags_tariff_group_id_tariff_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tariff_group_id', 'id_tag_id', name=op.f('pk_tariff_group_tags'))
    )
    with op.batch_alter_table('tariff_group_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tariff_group_tags_id_tag_id'), ['id_tag_id'], unique=False)
    op.create_table('tariff_group_places',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('tariff_group_id', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=True),
    sa.Column('location_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_tariff_group_places_location_id_locations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_tariff_group_places_station_id_stations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tariff_group_id'], ['tariff_groups.id'], name=op.f('fk_tariff_group_places_tariff_group_id_tariff_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_group_places'))
    )
    with op.batch_alter_table('tariff_group_places', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tariff_group_places_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_group_places_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_group_places_station_id'), ['station_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_group_places_tariff_group_id'), ['tariff_group_id'], unique=False)
    op.create_table('session_energy_costs',
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('location_id', sa.String(length=32), nullable=True),
    sa.Column('stopped_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('energy_wh', sa.BigInteger(), nullable=False),
    sa.Column('priced_wh', sa.BigInteger(), nullable=False),
    sa.Column('energy_cost', chargeyard.storage.amount.Amount(), nullable=False),
    sa.Column('revenue_excl_tax', chargeyard.storage.amount.Amount(), nullable=False),
    sa.Column('margin', chargeyard.storage.amount.Amount(), nullable=False),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions.id'], name=op.f('fk_session_energy_costs_transaction_id_transactions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('transaction_id', name=op.f('pk_session_energy_costs'))
    )
    with op.batch_alter_table('session_energy_costs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_energy_costs_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_energy_costs_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_energy_costs_stopped_at'), ['stopped_at'], unique=False)

    with op.batch_alter_table('evses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tariff_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_evses_tariff_id'), ['tariff_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_evses_tariff_id_tariffs'), 'tariffs', ['tariff_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('evses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_evses_tariff_id_tariffs'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_evses_tariff_id'))
        batch_op.drop_column('tariff_id')

    with op.batch_alter_table('session_energy_costs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_energy_costs_stopped_at'))
        batch_op.drop_index(batch_op.f('ix_session_energy_costs_organization_id'))
        batch_op.drop_index(batch_op.f('ix_session_energy_costs_location_id'))
    op.drop_table('session_energy_costs')
    with op.batch_alter_table('tariff_group_places', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tariff_group_places_tariff_group_id'))
        batch_op.drop_index(batch_op.f('ix_tariff_group_places_station_id'))
        batch_op.drop_index(batch_op.f('ix_tariff_group_places_organization_id'))
        batch_op.drop_index(batch_op.f('ix_tariff_group_places_location_id'))
    op.drop_table('tariff_group_places')
    with op.batch_alter_table('tariff_group_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tariff_group_tags_id_tag_id'))
    op.drop_table('tariff_group_tags')
    with op.batch_alter_table('tariff_group_drivers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tariff_group_drivers_driver_id'))
    op.drop_table('tariff_group_drivers')
    with op.batch_alter_table('tariff_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tariff_groups_updated_at'))
        batch_op.drop_index(batch_op.f('ix_tariff_groups_tariff_id'))
        batch_op.drop_index(batch_op.f('ix_tariff_groups_organization_id'))
    op.drop_table('tariff_groups')
