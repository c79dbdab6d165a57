"""lessons and theme tags; strategic leads and the Strategic Action Plan (learning across reviews)

Revision ID: 0020
Revises: 0019
"""
from alembic import op
import sqlalchemy as sa
import storage.crypto
import storage.types


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('strategicaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), server_default='slack', nullable=False),
    sa.Column('tenant_id', sa.String(length=255), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('action', storage.crypto.EncryptedText(), nullable=False),
    sa.Column('owner_agency', sa.String(length=200), nullable=False),
    sa.Column('owner_user', sa.String(length=255), nullable=False),
    sa.Column('outcome_measure', storage.crypto.EncryptedText(), nullable=False),
    sa.Column('target_on', sa.Date(), nullable=False),
    sa.Column('milestones', storage.crypto.EncryptedText(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('completion_evidence', storage.crypto.EncryptedText(), nullable=True),
    sa.Column('completed_by', sa.String(length=255), nullable=True),
    sa.Column('verified_by', sa.String(length=255), nullable=True),
    sa.Column('verified_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_update_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(length=255), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'tenant_id', 'number', name='uq_strategicaction_number')
    )
    with op.batch_alter_table('strategicaction', schema=None) as batch_op:
        batch_op.create_index('ix_strategicaction_open_target', ['target_on'], unique=False, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.create_index(batch_op.f('ix_strategicaction_owner_user'), ['owner_user'], unique=False)

    op.create_table('strategiclead',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), server_default='slack', nullable=False),
    sa.Column('tenant_id', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.String(length=255), nullable=False),
    sa.Column('added_by', sa.String(length=255), nullable=False),
    sa.Column('added_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'tenant_id', 'user_id', name='uq_strategiclead_person')
    )
    op.create_table('lesson',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', storage.crypto.EncryptedText(), nullable=False),
    sa.Column('created_by', sa.String(length=255), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('review_id', 'number', name='uq_lesson_review_number')
    )
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_review_id'), ['review_id'], unique=False)

    op.create_table('strategicupdate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('strategic_action_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', storage.crypto.EncryptedText(), nullable=True),
    sa.Column('by', sa.String(length=255), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['strategic_action_id'], ['strategicaction.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('strategicupdate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_strategicupdate_strategic_action_id'), ['strategic_action_id'], unique=False)

    op.create_table('strategiccitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('strategic_action_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], ),
    sa.ForeignKeyConstraint(['strategic_action_id'], ['strategicaction.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('strategic_action_id', 'recommendation_id', name='uq_strategiccitation')
    )
    with op.batch_alter_table('strategiccitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_strategiccitation_recommendation_id'), ['recommendation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_strategiccitation_strategic_action_id'), ['strategic_action_id'], unique=False)

    op.create_table('themetag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=True),
    sa.Column('lesson_id', sa.Integer(), nullable=True),
    sa.Column('theme', sa.String(length=64), nullable=False),
    sa.CheckConstraint('(recommendation_id IS NULL) <> (lesson_id IS NULL)', name='one_item'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], ),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], ),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('recommendation_id', 'lesson_id', 'theme', name='uq_themetag_item_theme')
    )
    with op.batch_alter_table('themetag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_themetag_lesson_id'), ['lesson_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_themetag_recommendation_id'), ['recommendation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_themetag_review_id'), ['review_id'], unique=False)
        batch_op.create_index('ix_themetag_theme_review', ['theme', 'review_id'], unique=False)

    with op.batch_alter_table('planaction', schema=None) as batch_op:
        batch_op.add_column(sa.Column('strategic_action_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_planaction_strategic_action_id'), ['strategic_action_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_planaction_strategic_action_id_strategicaction'), 'strategicaction',
                                    ['strategic_action_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('planaction', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_planaction_strategic_action_id_strategicaction'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_planaction_strategic_action_id'))
        batch_op.drop_column('strategic_action_id')

    with op.batch_alter_table('themetag', schema=None) as batch_op:
        batch_op.drop_index('ix_themetag_theme_review')
        batch_op.drop_index(batch_op.f('ix_themetag_review_id'))
        batch_op.drop_index(batch_op.f('ix_themetag_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_themetag_lesson_id'))

    op.drop_table('themetag')
    with op.batch_alter_table('strategiccitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_strategiccitation_strategic_action_id'))
        batch_op.drop_index(batch_op.f('ix_strategiccitation_recommendation_id'))

    op.drop_table('strategiccitation')
    with op.batch_alter_table('strategicupdate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_strategicupdate_strategic_action_id'))

    op.drop_table('strategicupdate')
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_review_id'))

    op.drop_table('lesson')
    op.drop_table('strategiclead')
    with op.batch_alter_table('strategicaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_strategicaction_owner_user'))
        batch_op.drop_index('ix_strategicaction_open_target', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.drop_table('strategicaction')
