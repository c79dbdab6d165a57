"""a person's "My work" card in their 1:1 chat, updated in place (Teams)

Revision ID: 0019
Revises: 0018
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'homecard',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('platform', sa.String(length=16), server_default='slack', nullable=False),
        sa.Column('tenant_id', sa.String(length=255), nullable=False),
        sa.Column('user_id', sa.String(length=255), nullable=False),
        sa.Column('conversation_id', sa.String(length=255), nullable=False),
        sa.Column('activity_id', sa.String(length=255), nullable=False),
        sa.Column('pages', sa.String(length=256), nullable=False),
        sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_homecard')),
        sa.UniqueConstraint('platform', 'tenant_id', 'user_id', name='uq_homecard_person'),
    )


def downgrade() -> None:
    op.drop_table('homecard')
