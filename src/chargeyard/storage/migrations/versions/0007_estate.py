"""estate: EVSE/connector planning, station description, live-status timestamp, tag groups and
permissions, hardware templates

Stations gain what describes them (deploy state, coordinates, OCPI capabilities and parking
restrictions, directions, floor level, physical reference, `allow_all_tags`) and
`status_changed_at`, the live-data timestamp beside `updated_at`. EVSEs and connectors gain what
an operator plans (connector standard, format, power type and electrical limits) and the
conflicts with what the station reports. Tag groups, their members, permissions and hardware
templates are new tables; organizations gain `permissions_required`.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 23:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FALSE = sa.false()
_EMPTY_LIST = sa.text("'[]'")


def upgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('permissions_required', sa.Boolean(), nullable=False, server_default=_FALSE))

    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_changed_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('allow_all_tags', sa.Boolean(), nullable=False, server_default=_FALSE))
        batch_op.add_column(sa.Column('deploy_state', sa.String(length=16), nullable=False, server_default='Production'))
        batch_op.add_column(sa.Column('latitude', sa.Numeric(precision=9, scale=6), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Numeric(precision=9, scale=6), nullable=True))
        batch_op.add_column(sa.Column('capabilities', sa.JSON(), nullable=False, server_default=_EMPTY_LIST))
        batch_op.add_column(sa.Column('parking_restrictions', sa.JSON(), nullable=False, server_default=_EMPTY_LIST))
        batch_op.add_column(sa.Column('directions', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('floor_level', sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column('physical_reference', sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_stations_status_changed_at'), ['status_changed_at'], unique=False)
    # Until now every status report moved updated_at: it is the best guess of the last one.
    op.execute("UPDATE stations SET status_changed_at = updated_at")

    with op.batch_alter_table('evses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned', sa.Boolean(), nullable=False, server_default=_FALSE))
        batch_op.add_column(sa.Column('physical_reference', sa.String(length=16), nullable=True))

    with op.batch_alter_table('connectors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standard', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('format', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('power_type', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('max_voltage', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_amperage', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_electric_power', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('planned', sa.Boolean(), nullable=False, server_default=_FALSE))
        batch_op.add_column(sa.Column('conflicts', sa.JSON(), nullable=False, server_default=_EMPTY_LIST))

    op.create_table('hardware_templates',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('vendor', sa.String(length=50), nullable=False),
    sa.Column('model', sa.String(length=50), nullable=False),
    sa.Column('vendor_key', sa.String(length=50), nullable=False),
    sa.Column('model_key', sa.String(length=50), nullable=False),
    sa.Column('evses', sa.JSON(), nullable=False),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_hardware_templates_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hardware_templates')),
    sa.UniqueConstraint('organization_id', 'vendor_key', 'model_key', name=op.f('uq_hardware_templates_organization_id'))
    )
    with op.batch_alter_table('hardware_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hardware_templates_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hardware_templates_updated_at'), ['updated_at'], unique=False)

    op.create_table('tag_groups',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_tag_groups_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tag_groups')),
    sa.UniqueConstraint('organization_id', 'name', name=op.f('uq_tag_groups_organization_id'))
    )
    with op.batch_alter_table('tag_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tag_groups_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tag_groups_updated_at'), ['updated_at'], unique=False)

    op.create_table('tag_group_members',
    sa.Column('tag_group_id', sa.String(length=32), nullable=False),
    sa.Column('id_tag_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['id_tag_id'], ['id_tags.id'], name=op.f('fk_tag_group_members_id_tag_id_id_tags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_group_id'], ['tag_groups.id'], name=op.f('fk_tag_group_members_tag_group_id_tag_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tag_group_id', 'id_tag_id', name=op.f('pk_tag_group_members'))
    )
    with op.batch_alter_table('tag_group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tag_group_members_id_tag_id'), ['id_tag_id'], unique=False)

    op.create_table('permissions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('id_tag_id', sa.String(length=32), nullable=True),
    sa.Column('tag_group_id', sa.String(length=32), nullable=True),
    sa.Column('location_id', sa.String(length=32), nullable=True),
    sa.Column('station_id', sa.String(length=64), nullable=True),
    sa.Column('valid_from', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('valid_until', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('daily_from', sa.Time(), nullable=True),
    sa.Column('daily_until', sa.Time(), nullable=True),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['id_tag_id'], ['id_tags.id'], name=op.f('fk_permissions_id_tag_id_id_tags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_permissions_location_id_locations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_permissions_organization_id_organizations')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_permissions_station_id_stations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_group_id'], ['tag_groups.id'], name=op.f('fk_permissions_tag_group_id_tag_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_permissions'))
    )
    with op.batch_alter_table('permissions', schema=None) as batch_op:
        for column in ('organization_id', 'id_tag_id', 'tag_group_id', 'location_id', 'station_id', 'updated_at'):
            batch_op.create_index(batch_op.f(f'ix_permissions_{column}'), [column], unique=False)


def downgrade() -> None:
    op.drop_table('permissions')
    op.drop_table('tag_group_members')
    op.drop_table('tag_groups')
    op.drop_table('hardware_templates')
    with op.batch_alter_table('connectors', schema=None) as batch_op:
        for column in ('conflicts', 'planned', 'max_electric_power', 'max_amperage', 'max_voltage', 'power_type', 'format', 'standard'):
            batch_op.drop_column(column)
    with op.batch_alter_table('evses', schema=None) as batch_op:
        batch_op.drop_column('physical_reference')
        batch_op.drop_column('planned')
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stations_status_changed_at'))
        for column in ('physical_reference', 'floor_level', 'directions', 'parking_restrictions', 'capabilities', 'longitude', 'latitude', 'deploy_state', 'allow_all_tags', 'status_changed_at'):
            batch_op.drop_column(column)
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('permissions_required')
