"""secrets

Station secrets never readable, tokens bound to users, station credentials with a lifecycle:

- `api_tokens.service`: a token without a user is a service token. Live tokens that had no user
  (made by the CLI, or by `POST /tokens` before tokens had users) become service tokens, so
  nothing that works today stops working; an admin sees them marked `service: true`.
- `webhook_subscriptions.secret`/`previous_secret` widen to hold sealed values. The sealing
  itself needs the server key, which migrations do not have: `chargeyard serve` seals the rows
  still in clear at start (`webhooks/service.py: seal_clear_secrets`).
- `stations.pending_password_hash`/`pending_password_since`: a new password the station
  accepted but has not connected with yet.
- `commands`: station passwords already stored in the audit (request, wire request, answer) are
  masked, as new rows are.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 23:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base
from chargeyard.security.station_secrets import masked

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_commands = sa.table(
    'commands',
    sa.column('id', sa.String),
    sa.column('command', sa.String),
    sa.column('request', sa.JSON),
    sa.column('ocpp_request', sa.JSON),
    sa.column('response', sa.JSON),
)
_SECRET_COMMANDS = ('change-configuration', 'set-variables', 'get-configuration', 'get-variables')


def upgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('service', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        "UPDATE api_tokens SET service = true WHERE user_id IS NULL AND revoked_at IS NULL"
    )
    with op.batch_alter_table('webhook_subscriptions', schema=None) as batch_op:
        batch_op.alter_column(
            'secret', existing_type=sa.String(length=100), type_=sa.String(length=200)
        )
        batch_op.alter_column(
            'previous_secret', existing_type=sa.String(length=100), type_=sa.String(length=200)
        )
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_password_hash', sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column(
                'pending_password_since',
                chargeyard.storage.base.UtcDateTime(timezone=True),
                nullable=True,
            )
        )
    _mask_commands()


def _mask_commands() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            _commands.c.id, _commands.c.request, _commands.c.ocpp_request, _commands.c.response
        ).where(_commands.c.command.in_(_SECRET_COMMANDS))
    ).all()
    for row in rows:
        values = {
            name: masked(value)
            for name, value in (
                ('request', row.request),
                ('ocpp_request', row.ocpp_request),
                ('response', row.response),
            )
            if value is not None and masked(value) != value
        }
        if values:
            connection.execute(
                sa.update(_commands).where(_commands.c.id == row.id).values(**values)
            )


def downgrade() -> None:
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_column('pending_password_since')
        batch_op.drop_column('pending_password_hash')
    with op.batch_alter_table('webhook_subscriptions', schema=None) as batch_op:
        batch_op.alter_column(
            'previous_secret', existing_type=sa.String(length=200), type_=sa.String(length=100)
        )
        batch_op.alter_column(
            'secret', existing_type=sa.String(length=200), type_=sa.String(length=100)
        )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('service')
