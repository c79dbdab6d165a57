"""the decision record: who decided, records secured, criteria, usual residence, lead and joint CSPs

Revision ID: 0018
Revises: 0017
"""
from alembic import op
import sqlalchemy as sa
import storage.crypto


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('decision') as batch:
        batch.add_column(sa.Column('decided_by', sa.String(length=255), nullable=True))
        batch.add_column(sa.Column('records_secured_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('criteria', sa.JSON(), server_default='[]', nullable=False))
        batch.add_column(sa.Column('usual_residence', storage.crypto.EncryptedText(), nullable=True))
        batch.add_column(sa.Column('lead_csp', sa.String(length=120), nullable=True))
        batch.add_column(sa.Column('joint_with', sa.String(length=120), nullable=True))
        batch.add_column(sa.Column('joint_lead', sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('decision') as batch:
        for column in ('joint_lead', 'joint_with', 'lead_csp', 'usual_residence', 'criteria',
                       'records_secured_on', 'decided_by'):
            batch.drop_column(column)
