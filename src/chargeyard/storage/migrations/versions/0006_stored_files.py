"""stored files

Diagnostics and log uploads, firmware images and their download links (`files/models.py`).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 23:56:46.695345
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import chargeyard.storage.base


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('stored_files',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('content_type', sa.String(length=128), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('upload_token_digest', sa.String(length=64), nullable=True),
    sa.Column('upload_expires_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('downloads', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('stored_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_files')),
    sa.UniqueConstraint('upload_token_digest', name=op.f('uq_stored_files_upload_token_digest'))
    )
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_files_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_stored_files_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stored_files_station_id'), ['station_id'], unique=False)

    op.create_table('file_download_links',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.String(length=32), nullable=False),
    sa.Column('file_id', sa.String(length=32), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('expires_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('max_downloads', sa.Integer(), nullable=True),
    sa.Column('downloads', sa.Integer(), nullable=False),
    sa.Column('created_at', chargeyard.storage.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_file_download_links_file_id_stored_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_download_links')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_file_download_links_token_digest'))
    )
    with op.batch_alter_table('file_download_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_file_download_links_file_id'), ['file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_download_links_organization_id'), ['organization_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('file_download_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_file_download_links_organization_id'))
        batch_op.drop_index(batch_op.f('ix_file_download_links_file_id'))

    op.drop_table('file_download_links')
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_files_station_id'))
        batch_op.drop_index(batch_op.f('ix_stored_files_organization_id'))
        batch_op.drop_index(batch_op.f('ix_stored_files_created_at'))

    op.drop_table('stored_files')
