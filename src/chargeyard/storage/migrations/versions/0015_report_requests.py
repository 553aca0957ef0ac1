"""report requests

Asynchronous reports (`reports/models.py: ReportRequest`): what was asked, the build's status
and the stored file it made.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 04:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('report_requests',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('file_id', sa.String(length=32), nullable=True),
    sa.Column('requested_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('started_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_report_requests_file_id_stored_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_report_requests_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_requests'))
    )
    with op.batch_alter_table('report_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_requests_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_requests_file_id'), ['file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_requests_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_requests_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('report_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_requests_status'))
        batch_op.drop_index(batch_op.f('ix_report_requests_organization_id'))
        batch_op.drop_index(batch_op.f('ix_report_requests_file_id'))
        batch_op.drop_index(batch_op.f('ix_report_requests_created_at'))
    op.drop_table('report_requests')
