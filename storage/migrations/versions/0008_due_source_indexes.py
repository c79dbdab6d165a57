"""due source indexes: open evidence requests by due date, pending agreements by when they were asked

The reminder sweep asks every minute for open evidence requests due by a date and for
unanswered confidentiality agreements; accepted evidence and answered agreements pile up as
history, so both get partial indexes over the open rows only (the cost follows what is due,
not what is stored).

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

OPEN_EVIDENCE = sa.text("status IN ('requested', 'returned')")
PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    with op.batch_alter_table('evidenceitem', schema=None) as batch_op:
        batch_op.create_index('ix_evidenceitem_open_due', ['due_on'], unique=False,
                              sqlite_where=OPEN_EVIDENCE, postgresql_where=OPEN_EVIDENCE)
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index('ix_agreement_pending_asked', ['asked_at'], unique=False,
                              sqlite_where=PENDING, postgresql_where=PENDING)


def downgrade() -> None:
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index('ix_agreement_pending_asked', sqlite_where=PENDING, postgresql_where=PENDING)
    with op.batch_alter_table('evidenceitem', schema=None) as batch_op:
        batch_op.drop_index('ix_evidenceitem_open_due', sqlite_where=OPEN_EVIDENCE, postgresql_where=OPEN_EVIDENCE)
