"""publication routes (the Home Office's agreement, a deferral's revisit date) and the national
recommendations' lifecycle (the department's response)

Revision ID: 0017
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa
import storage.crypto


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('reportstep', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('revisit_on', sa.Date(), nullable=True))
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('national_response_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('national_response', storage.crypto.EncryptedText(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_column('national_response')
        batch_op.drop_column('national_response_on')
    with op.batch_alter_table('reportstep', schema=None) as batch_op:
        batch_op.drop_column('revisit_on')
        batch_op.drop_column('agreed_on')
