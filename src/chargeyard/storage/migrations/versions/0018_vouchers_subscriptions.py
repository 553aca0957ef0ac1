"""vouchers and subscriptions

Vouchers and their redemptions (`vouchers/models.py`); subscription plans, drivers'
subscriptions and their periods (`subscriptions/models.py`). Amounts are BIGINT millionths
(`storage/amount.py`).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('subscription_plans',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('fee', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('included_kwh', sa.BigInteger(), nullable=True),
    sa.Column('discount_percent', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_subscription_plans_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription_plans'))
    )
    with op.batch_alter_table('subscription_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_plans_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscription_plans_updated_at'), ['updated_at'], unique=False)

    op.create_table('vouchers',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('code_key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('percent', sa.BigInteger(), nullable=True),
    sa.Column('max_amount', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('expires_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('max_redemptions', sa.Integer(), nullable=True),
    sa.Column('per_driver_limit', sa.Integer(), nullable=False),
    sa.Column('redemptions', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_vouchers_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vouchers')),
    sa.UniqueConstraint('organization_id', 'code_key', name=op.f('uq_vouchers_organization_id'))
    )
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vouchers_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vouchers_updated_at'), ['updated_at'], unique=False)

    op.create_table('subscriptions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('driver_id', sa.String(length=32), nullable=False),
    sa.Column('plan_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('auto_renew', sa.Boolean(), nullable=False),
    sa.Column('started_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('period_number', sa.Integer(), nullable=False),
    sa.Column('period_start', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('period_end', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.String(length=32), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['driver_id'], ['drivers.id'], name=op.f('fk_subscriptions_driver_id_drivers')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_subscriptions_organization_id_organizations')),
    sa.ForeignKeyConstraint(['plan_id'], ['subscription_plans.id'], name=op.f('fk_subscriptions_plan_id_subscription_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriptions'))
    )
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscriptions_driver_id'), ['driver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscriptions_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscriptions_period_end'), ['period_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscriptions_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscriptions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscriptions_updated_at'), ['updated_at'], unique=False)
    op.create_index(
        'uq_subscriptions_active_driver',
        'subscriptions',
        ['driver_id'],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )

    op.create_table('voucher_redemptions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('voucher_id', sa.String(length=32), nullable=False),
    sa.Column('driver_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('entry_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('cdr_id', sa.String(length=32), nullable=True),
    sa.Column('redeemed_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('applied_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['driver_id'], ['drivers.id'], name=op.f('fk_voucher_redemptions_driver_id_drivers')),
    sa.ForeignKeyConstraint(['voucher_id'], ['vouchers.id'], name=op.f('fk_voucher_redemptions_voucher_id_vouchers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voucher_redemptions'))
    )
    with op.batch_alter_table('voucher_redemptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voucher_redemptions_driver_id'), ['driver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_redemptions_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_redemptions_voucher_id'), ['voucher_id'], unique=False)

    op.create_table('subscription_periods',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('subscription_id', sa.String(length=32), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('starts_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('fee', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('fee_entry_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('used_kwh', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscriptions.id'], name=op.f('fk_subscription_periods_subscription_id_subscriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription_periods')),
    sa.UniqueConstraint('subscription_id', 'number', name=op.f('uq_subscription_periods_subscription_id'))
    )
    with op.batch_alter_table('subscription_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_periods_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscription_periods_subscription_id'), ['subscription_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('subscription_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_periods_subscription_id'))
        batch_op.drop_index(batch_op.f('ix_subscription_periods_organization_id'))

    op.drop_table('subscription_periods')
    with op.batch_alter_table('voucher_redemptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voucher_redemptions_voucher_id'))
        batch_op.drop_index(batch_op.f('ix_voucher_redemptions_organization_id'))
        batch_op.drop_index(batch_op.f('ix_voucher_redemptions_driver_id'))

    op.drop_table('voucher_redemptions')
    op.drop_index('uq_subscriptions_active_driver', table_name='subscriptions')
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscriptions_updated_at'))
        batch_op.drop_index(batch_op.f('ix_subscriptions_status'))
        batch_op.drop_index(batch_op.f('ix_subscriptions_plan_id'))
        batch_op.drop_index(batch_op.f('ix_subscriptions_period_end'))
        batch_op.drop_index(batch_op.f('ix_subscriptions_organization_id'))
        batch_op.drop_index(batch_op.f('ix_subscriptions_driver_id'))

    op.drop_table('subscriptions')
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vouchers_updated_at'))
        batch_op.drop_index(batch_op.f('ix_vouchers_organization_id'))

    op.drop_table('vouchers')
    with op.batch_alter_table('subscription_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_plans_updated_at'))
        batch_op.drop_index(batch_op.f('ix_subscription_plans_organization_id'))

    op.drop_table('subscription_plans')
