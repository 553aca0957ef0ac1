"""cost messages

Whether an OCPP 1.6 station is sent the Open Charge Alliance cost messages (DataTransfer
org.openchargealliance.costmsg: SetUserPrice, RunningCost, FinalCost): `stations.cost_messages`,
off for every station until an operator turns it on.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 12:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cost_messages', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_column('cost_messages')
