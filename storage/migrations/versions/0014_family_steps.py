"""family involvement steps (terms of reference input, pseudonym, tribute, advocate, told QA outcome
and publication date)

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.crypto
import storage.types


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('familystep',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('contact_number', sa.Integer(), nullable=True),
    sa.Column('detail', storage.crypto.EncryptedText(), nullable=True),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('recorded_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_familystep_review_id_review')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_familystep')),
    sa.UniqueConstraint('review_id', 'kind', name='uq_familystep_review_kind')
    )
    with op.batch_alter_table('familystep', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_familystep_review_id'), ['review_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('familystep', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_familystep_review_id'))
    op.drop_table('familystep')
