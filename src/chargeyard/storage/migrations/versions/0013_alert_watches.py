"""alert watches, vendor error codes, reconciliation policies

The conditions the alert evaluator's swept rules are timing (`alerts/models.py: AlertWatch`,
`alerts/conditions.py`): a boot not accepted, a meter register not moving, a zombie session, a
station away. One row per condition that holds now, deleted when it ends. Each
organization's vendor error code translations (`error_codes/models.py`), and its
reconciliation policy (`reconciliation/models.py`).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 03:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('alert_watches',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('since', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('value', sa.String(length=64), nullable=True),
    sa.Column('alert_id', sa.String(length=32), nullable=True),
    sa.Column('transaction_id', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_alert_watches'))
    )
    with op.batch_alter_table('alert_watches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_watches_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_watches_transaction_id'), ['transaction_id'], unique=False)

    op.create_table('vendor_error_codes',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('vendor', sa.String(length=50), nullable=False),
    sa.Column('model', sa.String(length=50), nullable=False),
    sa.Column('firmware_version', sa.String(length=50), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('action', sa.Text(), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_vendor_error_codes_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_error_codes')),
    sa.UniqueConstraint('organization_id', 'vendor', 'model', 'firmware_version', 'code', name=op.f('uq_vendor_error_codes_organization_id'))
    )
    with op.batch_alter_table('vendor_error_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendor_error_codes_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendor_error_codes_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendor_error_codes_updated_at'), ['updated_at'], unique=False)

    op.create_table('reconciliation_policies',
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('auto_close', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_reconciliation_policies_organization_id_organizations')),
    sa.PrimaryKeyConstraint('organization_id', name=op.f('pk_reconciliation_policies'))
    )
    with op.batch_alter_table('reconciliation_policies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reconciliation_policies_updated_at'), ['updated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reconciliation_policies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reconciliation_policies_updated_at'))
    op.drop_table('reconciliation_policies')
    with op.batch_alter_table('vendor_error_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vendor_error_codes_updated_at'))
        batch_op.drop_index(batch_op.f('ix_vendor_error_codes_organization_id'))
        batch_op.drop_index(batch_op.f('ix_vendor_error_codes_code'))
    op.drop_table('vendor_error_codes')
    with op.batch_alter_table('alert_watches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_watches_transaction_id'))
        batch_op.drop_index(batch_op.f('ix_alert_watches_organization_id'))
    op.drop_table('alert_watches')
