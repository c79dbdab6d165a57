"""the check of a draft overview report or executive summary before submission to the Home Office, and of
the one-minute guide before the chair approves it

Revision ID: 0021
Revises: 0020
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reportcheck',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('passed', sa.Boolean(), nullable=False),
        sa.Column('terms', sa.Integer(), nullable=False),
        sa.Column('missing', sa.Integer(), nullable=False),
        sa.Column('warnings', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('checked_by', sa.String(length=255), nullable=False),
        sa.Column('checked_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('approved_by', sa.String(length=255), nullable=True),
        sa.Column('approved_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_reportcheck_review_id_review')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reportcheck')),
    )
    op.create_index(op.f('ix_reportcheck_review_id'), 'reportcheck', ['review_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reportcheck_review_id'), table_name='reportcheck')
    op.drop_table('reportcheck')
