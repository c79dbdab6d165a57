"""where a platform reaches a person or a space unprompted (Teams conversation references)

Revision ID: 0016
Revises: 0015
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'chataddress',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('platform', sa.String(length=16), server_default='slack', nullable=False),
        sa.Column('tenant_id', sa.String(length=255), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('conversation_id', sa.String(length=255), nullable=False),
        sa.Column('service_url', sa.String(length=255), nullable=False),
        sa.Column('platform_user_id', sa.String(length=255), nullable=True),
        sa.Column('display_name', sa.String(length=256), nullable=True),
        sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_chataddress')),
        sa.UniqueConstraint('platform', 'tenant_id', 'kind', 'key', name='uq_chataddress_key'),
    )


def downgrade() -> None:
    op.drop_table('chataddress')
