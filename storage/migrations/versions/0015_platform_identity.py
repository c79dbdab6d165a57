"""platform-qualified identity: a person is (platform, tenant, user id), a review's space has an id, a name
and a conversation reference; every column holding a platform id is wide enough for Teams ids

Existing rows are Slack's: the new platform columns default to 'slack' and renamed columns keep their values.

Revision ID: 0015
Revises: 0014
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

NARROW, WIDE = sa.String(32), sa.String(255)

# table -> (column, nullable) of every column that holds a platform id and is only widened
WIDENED = {
    'actionupdate': [('by', False)],
    'agency': [('created_by', False)],
    'auditentry': [('actor', False)],
    'chronologyentry': [('created_by', False), ('updated_by', False)],
    'chronologyentryversion': [('recorded_by', False)],
    'chronologyupload': [('uploaded_by', False), ('file_id', False)],
    'deadlineextension': [('recorded_by', False)],
    'decision': [('recorded_by', False)],
    'evidenceitem': [('requested_by', True), ('updated_by', False)],
    'familycontact': [('updated_by', False)],
    'familystep': [('recorded_by', False)],
    'imrversion': [('uploaded_by', False), ('submitted_by', True), ('decided_by', True)],
    'membership': [('added_by', False)],
    'perpetratorinterview': [('updated_by', False)],
    'planaction': [('owner_user', False), ('completed_by', True), ('verified_by', True), ('created_by', False)],
    'recommendation': [('created_by', False)],
    'redactionterm': [('added_by', False)],
    'reminderledger': [('recipient', False), ('link_channel', True), ('message_channel', True),
                       ('message_ts', True)],
    'reportstep': [('recorded_by', False)],
    'review': [('created_by', False)],
    'reviewclosure': [('concluded_by', False), ('content_deleted_by', True)],
    'reviewpause': [('started_by', False), ('ended_by', True)],
    'scopinganswer': [('answered_by', False)],
    'stagechange': [('by', False)],
    'termsofreference': [('saved_by', False)],
    'workspaceadmin': [('added_by', False)],
}

# table -> (old name, new name, nullable), each also widened
RENAMED = {
    'review': [('team_id', 'tenant_id', False), ('channel_id', 'space_id', True), ('card_ts', 'card_ref', True)],
    'person': [('team_id', 'tenant_id', False), ('slack_user_id', 'user_id', False)],
    'workspaceadmin': [('team_id', 'tenant_id', False), ('slack_user_id', 'user_id', False)],
    'agency': [('team_id', 'tenant_id', False)],
}

# the unique constraints naming the renamed columns: table -> ((old name, old columns), (new name, new columns))
UNIQUE = {
    'person': (('uq_person_team_user', ['team_id', 'slack_user_id']),
               ('uq_person_platform_tenant_user', ['platform', 'tenant_id', 'user_id'])),
    'workspaceadmin': (('uq_workspaceadmin_team_user', ['team_id', 'slack_user_id']),
                       ('uq_workspaceadmin_platform_tenant_user', ['platform', 'tenant_id', 'user_id'])),
    'agency': (('uq_agency_team_name', ['team_id', 'name']),
               ('uq_agency_platform_tenant_name', ['platform', 'tenant_id', 'name'])),
}

PLATFORM = ('review', 'person', 'workspaceadmin', 'agency', 'reminderledger')

# SQLite's batch mode rebuilds a table by reflection, which can drop an index's WHERE clause; these
# partial indexes are dropped before the rebuild and created again after it, as the models declare them.
PARTIAL = {
    'evidenceitem': [('ix_evidenceitem_open_due', ['due_on'], False, "status IN ('requested', 'returned')")],
    'planaction': [('ix_planaction_open_target', ['target_on'], False, "status = 'open'"),
                   ('ix_planaction_completed', ['review_id'], False, "status = 'completed'")],
    'reminderledger': [('ix_reminderledger_pending', ['recipient_kind', 'recipient', 'next_attempt_at'], False,
                        "status = 'pending'")],
    'reviewpause': [('uq_reviewpause_open', ['review_id'], True, 'ended_on IS NULL')],
}


def _drop_partial(table: str) -> None:
    for name, _, _, where in PARTIAL.get(table, []):
        op.drop_index(name, table_name=table, sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def _create_partial(table: str) -> None:
    for name, columns, unique, where in PARTIAL.get(table, []):
        op.create_index(name, table, columns, unique=unique,
                        sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def upgrade() -> None:
    for table in sorted(set(WIDENED) | set(RENAMED)):
        _drop_partial(table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in UNIQUE:
                batch_op.drop_constraint(UNIQUE[table][0][0], type_='unique')
            if table == 'review':
                batch_op.drop_index('ix_review_team_id')
                batch_op.drop_index('ix_review_channel_id')
            if table in PLATFORM:
                batch_op.add_column(sa.Column('platform', sa.String(16), nullable=False, server_default='slack'))
            for old, new, nullable in RENAMED.get(table, []):
                batch_op.alter_column(old, new_column_name=new, type_=WIDE, existing_type=NARROW,
                                      existing_nullable=nullable)
            for column, nullable in WIDENED.get(table, []):
                batch_op.alter_column(column, type_=WIDE, existing_type=NARROW, existing_nullable=nullable)
            if table == 'review':
                batch_op.alter_column('channel_name', new_column_name='space_name',
                                      existing_type=sa.String(80), existing_nullable=True)
                # JSONB on PostgreSQL: plain json has no equality, so SELECT DISTINCT over reviews would fail
                batch_op.add_column(sa.Column('space_ref', sa.JSON().with_variant(JSONB(), 'postgresql'),
                                              nullable=True))
        _create_partial(table)
    # constraints and indexes on renamed columns go on once the rename has happened
    for table, (_, new) in UNIQUE.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_unique_constraint(*new)
    op.create_index('ix_review_tenant_id', 'review', ['tenant_id'], unique=False)
    op.create_index('ix_review_space_id', 'review', ['space_id'], unique=False)


def downgrade() -> None:
    """Back to Slack-only columns; refused while any row belongs to another platform or has a long id."""
    bind = op.get_bind()
    for table in PLATFORM:
        if bind.execute(sa.text(f"SELECT COUNT(*) FROM {table} WHERE platform <> 'slack'")).scalar():
            raise RuntimeError(f"{table} holds rows of a platform other than Slack: cannot downgrade")
    for table in sorted(set(WIDENED) | set(RENAMED)):
        _drop_partial(table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in UNIQUE:
                batch_op.drop_constraint(UNIQUE[table][1][0], type_='unique')
            if table == 'review':
                batch_op.drop_index('ix_review_space_id')
                batch_op.drop_index('ix_review_tenant_id')
                batch_op.drop_column('space_ref')
                batch_op.alter_column('space_name', new_column_name='channel_name',
                                      existing_type=sa.String(80), existing_nullable=True)
            for column, nullable in WIDENED.get(table, []):
                batch_op.alter_column(column, type_=NARROW, existing_type=WIDE, existing_nullable=nullable)
            for old, new, nullable in RENAMED.get(table, []):
                batch_op.alter_column(new, new_column_name=old, type_=NARROW, existing_type=WIDE,
                                      existing_nullable=nullable)
            if table in PLATFORM:
                batch_op.drop_column('platform')
        _create_partial(table)
    for table, (old, _) in UNIQUE.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_unique_constraint(*old)
    op.create_index('ix_review_team_id', 'review', ['team_id'], unique=False)
    op.create_index('ix_review_channel_id', 'review', ['channel_id'], unique=False)
