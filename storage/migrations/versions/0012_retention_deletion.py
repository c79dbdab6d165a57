"""retention: when and by whom a concluded review's content was deleted

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('reviewclosure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_deleted_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('content_deleted_by', sqlmodel.sql.sqltypes.AutoString(length=32),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reviewclosure', schema=None) as batch_op:
        batch_op.drop_column('content_deleted_by')
        batch_op.drop_column('content_deleted_at')
