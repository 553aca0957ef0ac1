"""subscription terms

A subscription period's refund at cancellation (`subscription_periods.refund_entry_id`, the
ledger entry that refunded the unused share of its fee: at most one per period) and a plan that
prices its subscribers by a tariff group (`subscription_plans.tariff_group_id`).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('subscription_periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refund_entry_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
    with op.batch_alter_table('subscription_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tariff_group_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_subscription_plans_tariff_group_id'), ['tariff_group_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_subscription_plans_tariff_group_id_tariff_groups'), 'tariff_groups', ['tariff_group_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('subscription_plans', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_subscription_plans_tariff_group_id_tariff_groups'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_subscription_plans_tariff_group_id'))
        batch_op.drop_column('tariff_group_id')
    with op.batch_alter_table('subscription_periods', schema=None) as batch_op:
        batch_op.drop_column('refund_entry_id')
