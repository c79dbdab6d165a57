"""set-up lease and attempt count on review

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('setup_claimed_until', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('setup_attempts', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('setup_attempts')
        batch_op.drop_column('setup_claimed_until')
