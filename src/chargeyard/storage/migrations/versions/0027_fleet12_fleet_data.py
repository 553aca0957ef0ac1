"""fleet data: vehicle identity and groups, telematics

`vehicles` gains `vin` (unique within an organization), `make`, `model`, `license_plate` and
`group_id`; `vehicle_groups` holds the groups (`vehicle_groups/models.py`);
`telematics_readings` each vehicle's state of charge, odometer and position over time
(`telematics/models.py`); `planned_routes` their next trips (`planned_routes/models.py`);
`external_meters` and `external_meter_readings` meters other than stations, on a circuit or a
location, and what they measured (`external_meters/models.py`).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 02:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0027'
down_revision: str | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('vehicle_groups',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_vehicle_groups_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vehicle_groups')),
    sa.UniqueConstraint('organization_id', 'name', name=op.f('uq_vehicle_groups_organization_id'))
    )
    with op.batch_alter_table('vehicle_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vehicle_groups_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vehicle_groups_updated_at'), ['updated_at'], unique=False)
    with op.batch_alter_table('vehicles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vin', sa.String(length=17), nullable=True))
        batch_op.add_column(sa.Column('make', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('model', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('license_plate', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('group_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_vehicles_group_id'), ['group_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_vehicles_organization_id'), ['organization_id', 'vin'])
        batch_op.create_foreign_key(batch_op.f('fk_vehicles_group_id_vehicle_groups'), 'vehicle_groups', ['group_id'], ['id'])
    op.create_table('telematics_readings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('vehicle_id', sa.String(length=32), nullable=False),
    sa.Column('measured_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('soc_percent', sa.Double(), nullable=True),
    sa.Column('odometer_km', sa.Double(), nullable=True),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('received_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['vehicle_id'], ['vehicles.id'], name=op.f('fk_telematics_readings_vehicle_id_vehicles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_telematics_readings')),
    sa.UniqueConstraint('vehicle_id', 'measured_at', name=op.f('uq_telematics_readings_vehicle_id'))
    )
    with op.batch_alter_table('telematics_readings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_telematics_readings_organization_id'), ['organization_id'], unique=False)

    op.create_table('planned_routes',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('vehicle_id', sa.String(length=32), nullable=False),
    sa.Column('departs_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('energy_kwh', sa.Double(), nullable=True),
    sa.Column('target_soc_percent', sa.Double(), nullable=True),
    sa.Column('distance_km', sa.Double(), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['vehicle_id'], ['vehicles.id'], name=op.f('fk_planned_routes_vehicle_id_vehicles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_routes'))
    )
    with op.batch_alter_table('planned_routes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planned_routes_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_planned_routes_vehicle_id'), ['vehicle_id'], unique=False)

    op.create_table('external_meters',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('circuit_id', sa.String(length=32), nullable=True),
    sa.Column('location_id', sa.String(length=32), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['circuit_id'], ['circuits.id'], name=op.f('fk_external_meters_circuit_id_circuits'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_external_meters_location_id_locations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_external_meters_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_meters'))
    )
    with op.batch_alter_table('external_meters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_meters_circuit_id'), ['circuit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_external_meters_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_external_meters_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_external_meters_updated_at'), ['updated_at'], unique=False)
    op.create_table('external_meter_readings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('meter_id', sa.String(length=32), nullable=False),
    sa.Column('measured_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('power_kw', sa.Double(), nullable=False),
    sa.Column('energy_kwh', sa.Double(), nullable=True),
    sa.Column('received_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meter_id'], ['external_meters.id'], name=op.f('fk_external_meter_readings_meter_id_external_meters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_meter_readings')),
    sa.UniqueConstraint('meter_id', 'measured_at', name=op.f('uq_external_meter_readings_meter_id'))
    )
    with op.batch_alter_table('external_meter_readings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_meter_readings_organization_id'), ['organization_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('external_meter_readings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_meter_readings_organization_id'))
    op.drop_table('external_meter_readings')
    with op.batch_alter_table('external_meters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_meters_updated_at'))
        batch_op.drop_index(batch_op.f('ix_external_meters_organization_id'))
        batch_op.drop_index(batch_op.f('ix_external_meters_location_id'))
        batch_op.drop_index(batch_op.f('ix_external_meters_circuit_id'))
    op.drop_table('external_meters')
    with op.batch_alter_table('planned_routes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planned_routes_vehicle_id'))
        batch_op.drop_index(batch_op.f('ix_planned_routes_organization_id'))
    op.drop_table('planned_routes')
    with op.batch_alter_table('telematics_readings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_telematics_readings_organization_id'))
    op.drop_table('telematics_readings')
    with op.batch_alter_table('vehicles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_vehicles_group_id_vehicle_groups'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_vehicles_organization_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_vehicles_group_id'))
        batch_op.drop_column('group_id')
        batch_op.drop_column('license_plate')
        batch_op.drop_column('model')
        batch_op.drop_column('make')
        batch_op.drop_column('vin')
    with op.batch_alter_table('vehicle_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vehicle_groups_updated_at'))
        batch_op.drop_index(batch_op.f('ix_vehicle_groups_organization_id'))
    op.drop_table('vehicle_groups')
