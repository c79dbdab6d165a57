"""scoping answer: the reason a settled answer was revised

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 19:15:00
"""
from alembic import op
import sqlalchemy as sa
import storage.crypto


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('scopinganswer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision_reason', storage.crypto.EncryptedText(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('scopinganswer', schema=None) as batch_op:
        batch_op.drop_column('revision_reason')
