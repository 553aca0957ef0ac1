"""money

Tariffs and their versions (`tariffs/models.py`), CDRs (`cdrs/models.py`), drivers with their
ID tags, payments and ledger entries (`drivers/models.py`); `tariff_id` on stations and
locations (where a tariff applies), and on transactions the tariff version that prices the
session and its cost. Amounts are BIGINT millionths (`storage/amount.py`).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 23:41:55.784354
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('drivers',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('payment_mode', sa.String(length=16), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_drivers_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drivers')),
    sa.UniqueConstraint('organization_id', 'email', name=op.f('uq_drivers_organization_id'))
    )
    with op.batch_alter_table('drivers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drivers_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_drivers_updated_at'), ['updated_at'], unique=False)

    op.create_table('tariffs',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_tariffs_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariffs'))
    )
    with op.batch_alter_table('tariffs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tariffs_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariffs_updated_at'), ['updated_at'], unique=False)

    op.create_table('driver_tags',
    sa.Column('id_tag_id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('driver_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['driver_id'], ['drivers.id'], name=op.f('fk_driver_tags_driver_id_drivers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['id_tag_id'], ['id_tags.id'], name=op.f('fk_driver_tags_id_tag_id_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id_tag_id', name=op.f('pk_driver_tags'))
    )
    with op.batch_alter_table('driver_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_driver_tags_driver_id'), ['driver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_driver_tags_organization_id'), ['organization_id'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('driver_id', sa.String(length=32), nullable=False),
    sa.Column('provider', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['driver_id'], ['drivers.id'], name=op.f('fk_payments_driver_id_drivers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_driver_id'), ['driver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_organization_id'), ['organization_id'], unique=False)

    op.create_table('tariff_versions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('tariff_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('valid_from', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tariff_id'], ['tariffs.id'], name=op.f('fk_tariff_versions_tariff_id_tariffs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_versions')),
    sa.UniqueConstraint('tariff_id', 'version', name=op.f('uq_tariff_versions_tariff_id'))
    )
    with op.batch_alter_table('tariff_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tariff_versions_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_versions_valid_from'), ['valid_from'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('driver_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('cdr_id', sa.String(length=32), nullable=True),
    sa.Column('payment_id', sa.String(length=32), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['driver_id'], ['drivers.id'], name=op.f('fk_ledger_entries_driver_id_drivers')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_ledger_entries_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_entries_cdr_id'), ['cdr_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_driver_id'), ['driver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_organization_id'), ['organization_id'], unique=False)

    op.create_table('cdrs',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('id_tag', sa.String(length=36), nullable=True),
    sa.Column('driver_id', sa.String(length=32), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('total_excl_tax', sa.BigInteger(), nullable=False),
    sa.Column('total_incl_tax', sa.BigInteger(), nullable=False),
    sa.Column('credit', sa.Boolean(), nullable=False),
    sa.Column('credit_reference_id', sa.String(length=32), nullable=True),
    sa.Column('started_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('stopped_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_cdrs_organization_id_organizations')),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions.id'], name=op.f('fk_cdrs_transaction_id_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cdrs'))
    )
    with op.batch_alter_table('cdrs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cdrs_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cdrs_credit_reference_id'), ['credit_reference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cdrs_driver_id'), ['driver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cdrs_id_tag'), ['id_tag'], unique=False)
        batch_op.create_index(batch_op.f('ix_cdrs_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cdrs_station_id'), ['station_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cdrs_stopped_at'), ['stopped_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cdrs_transaction_id'), ['transaction_id'], unique=False)

    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tariff_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_locations_tariff_id'), ['tariff_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_locations_tariff_id_tariffs'), 'tariffs', ['tariff_id'], ['id'])

    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tariff_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_stations_tariff_id'), ['tariff_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_stations_tariff_id_tariffs'), 'tariffs', ['tariff_id'], ['id'])

    with op.batch_alter_table('transactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tariff_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('tariff_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cost_currency', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('cost_excl_tax', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('cost_incl_tax', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('cost_final', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_transactions_tariff_id'), ['tariff_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_transactions_tariff_id_tariffs'), 'tariffs', ['tariff_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('transactions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_transactions_tariff_id_tariffs'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_transactions_tariff_id'))
        batch_op.drop_column('cost_final')
        batch_op.drop_column('cost_incl_tax')
        batch_op.drop_column('cost_excl_tax')
        batch_op.drop_column('cost_currency')
        batch_op.drop_column('tariff_version')
        batch_op.drop_column('tariff_id')

    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stations_tariff_id_tariffs'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_stations_tariff_id'))
        batch_op.drop_column('tariff_id')

    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_locations_tariff_id_tariffs'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_locations_tariff_id'))
        batch_op.drop_column('tariff_id')

    with op.batch_alter_table('cdrs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cdrs_transaction_id'))
        batch_op.drop_index(batch_op.f('ix_cdrs_stopped_at'))
        batch_op.drop_index(batch_op.f('ix_cdrs_station_id'))
        batch_op.drop_index(batch_op.f('ix_cdrs_organization_id'))
        batch_op.drop_index(batch_op.f('ix_cdrs_id_tag'))
        batch_op.drop_index(batch_op.f('ix_cdrs_driver_id'))
        batch_op.drop_index(batch_op.f('ix_cdrs_credit_reference_id'))
        batch_op.drop_index(batch_op.f('ix_cdrs_created_at'))

    op.drop_table('cdrs')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_entries_organization_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_entries_driver_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_entries_created_at'))
        batch_op.drop_index(batch_op.f('ix_ledger_entries_cdr_id'))

    op.drop_table('ledger_entries')
    with op.batch_alter_table('tariff_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tariff_versions_valid_from'))
        batch_op.drop_index(batch_op.f('ix_tariff_versions_organization_id'))

    op.drop_table('tariff_versions')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_organization_id'))
        batch_op.drop_index(batch_op.f('ix_payments_driver_id'))

    op.drop_table('payments')
    with op.batch_alter_table('driver_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_driver_tags_organization_id'))
        batch_op.drop_index(batch_op.f('ix_driver_tags_driver_id'))

    op.drop_table('driver_tags')
    with op.batch_alter_table('tariffs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tariffs_updated_at'))
        batch_op.drop_index(batch_op.f('ix_tariffs_organization_id'))

    op.drop_table('tariffs')
    with op.batch_alter_table('drivers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drivers_updated_at'))
        batch_op.drop_index(batch_op.f('ix_drivers_organization_id'))

    op.drop_table('drivers')
