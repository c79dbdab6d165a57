"""holds on named activities replace the review-wide pause; an agreed timescale records the day it was agreed

Every pause becomes a hold on witness interviews (the activity a parallel process most often holds),
lifted if the pause had ended. A pause that had ended had moved the open deadlines by its days: those
dates are kept as a deadline extension each ("carried over from a pause"), so nobody's deadline moves
under them. The pause table is then dropped: its rows live on as the holds.

Revision ID: 0022
Revises: 0021
"""
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op
from dateutil.relativedelta import relativedelta

import storage.crypto
import storage.types

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

KIND_EVENTS = {"criminal_proceedings": "the end of the criminal proceedings", "inquest": "the end of the inquest",
               "iopc": "the end of the IOPC investigation",
               "mental_health_review": "the end of the mental health homicide review"}
# The deadlines still open in each stage, and the preset months (as bot/workflow/clock at 0019; the
# migration keeps its own copy so that later changes there cannot change what it did).
OPEN = {"notified": ("decision",), "setup": ("terms_of_reference", "overview_report"),
        "evidence": ("overview_report",), "drafting": ("overview_report",), "sign_off": ("overview_report",)}
OVERVIEW_MONTHS = {"2024-draft": 12}


def upgrade() -> None:
    op.create_table(
        'activityhold',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('activity', sa.String(length=32), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('agreed_by', sa.String(length=200), nullable=False),
        sa.Column('agreed_on', sa.Date(), nullable=False),
        sa.Column('until_on', sa.Date(), nullable=True),
        sa.Column('until_event', sa.String(length=200), nullable=True),
        sa.Column('reason', storage.crypto.EncryptedText(), nullable=False),
        sa.Column('started_by', sa.String(length=255), nullable=False),
        sa.Column('started_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('lifted_on', sa.Date(), nullable=True),
        sa.Column('lifted_by', sa.String(length=255), nullable=True),
        sa.Column('lifted_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_activityhold_review_id_review')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_activityhold')),
    )
    with op.batch_alter_table('activityhold', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activityhold_review_id'), ['review_id'], unique=False)
        batch_op.create_index('uq_activityhold_open', ['review_id', 'activity', 'agency_id'], unique=True,
                              sqlite_where=sa.text('lifted_on IS NULL'), postgresql_where=sa.text('lifted_on IS NULL'))
    with op.batch_alter_table('deadlineextension', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreed_on', sa.Date(), nullable=True))
    op.execute("UPDATE deadlineextension SET agreed_on = recorded_on")
    with op.batch_alter_table('deadlineextension', schema=None) as batch_op:
        batch_op.alter_column('agreed_on', existing_type=sa.Date(), nullable=False)
    _convert_pauses(op.get_bind())
    with op.batch_alter_table('reviewpause', schema=None) as batch_op:
        batch_op.drop_index('uq_reviewpause_open', sqlite_where=sa.text('ended_on IS NULL'),
                            postgresql_where=sa.text('ended_on IS NULL'))
        batch_op.drop_index(batch_op.f('ix_reviewpause_review_id'))
    op.drop_table('reviewpause')


def _convert_pauses(conn) -> None:
    pauses = conn.execute(sa.text(
        "SELECT id, review_id, kind, reason, started_on, ended_on, started_by, started_at, ended_by, ended_at "
        "FROM reviewpause ORDER BY id")).mappings().all()
    for p in pauses:       # the reason is copied as stored (ciphertext): no key is needed here
        conn.execute(sa.text(
            "INSERT INTO activityhold (review_id, activity, agency_id, agreed_by, agreed_on, until_on, until_event, "
            "reason, started_by, started_at, lifted_on, lifted_by, lifted_at) VALUES (:review_id, "
            "'witness_interviews', 0, 'recorded as a pause before holds existed', :started_on, NULL, :event, "
            ":reason, :started_by, :started_at, :ended_on, :ended_by, :ended_at)"),
            {**p, "event": f"not recorded ({KIND_EVENTS.get(p['kind'], 'the end of the parallel process')})"})
    by_review: dict[int, list] = {}
    for p in pauses:
        if p["ended_on"] is not None and _day(p["ended_on"]) > _day(p["started_on"]):
            by_review.setdefault(p["review_id"], []).append(p)
    for review_id, ended in by_review.items():
        _keep_moved_deadlines(conn, review_id, ended)


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _keep_moved_deadlines(conn, review_id: int, ended: list) -> None:
    """One extension per open deadline the ended pauses had moved, with the date people saw."""
    r = conn.execute(sa.text(
        "SELECT r.stage, r.preset, r.notified_on, d.decided_on, d.outcome, d.home_office_reply, "
        "d.home_office_reply_on FROM review r LEFT JOIN decision d ON d.review_id = r.id WHERE r.id = :id"),
        {"id": review_id}).mappings().first()
    if r is None:
        return
    extended = {row[0] for row in conn.execute(sa.text(
        "SELECT deadline FROM deadlineextension WHERE review_id = :id"), {"id": review_id})}
    notified = _day(r["notified_on"])
    directed = _day(r["home_office_reply_on"]) if r["outcome"] == "no_review" and \
        r["home_office_reply"] == "review_directed" and r["home_office_reply_on"] else None
    overview_months = OVERVIEW_MONTHS.get(r["preset"], 6)
    base = {"decision": notified + relativedelta(months=1)}
    if directed:
        base["terms_of_reference"] = directed + relativedelta(months=1)
        base["overview_report"] = directed + relativedelta(months=overview_months)
    elif r["outcome"] == "review":
        base["terms_of_reference"] = notified + relativedelta(months=1)
        if r["decided_on"]:
            base["overview_report"] = _day(r["decided_on"]) + relativedelta(months=overview_months)
    latest = max(ended, key=lambda p: _day(p["ended_on"]))
    for key in OPEN.get(r["stage"], ()):
        if key not in base or key in extended:
            continue
        shift = sum((_day(p["ended_on"]) - _day(p["started_on"])).days for p in ended
                    if _day(p["started_on"]) < base[key])
        if shift <= 0:
            continue
        conn.execute(sa.text(
            "INSERT INTO deadlineextension (review_id, deadline, previous_due, new_due, reason, agreed_by, agreed_on, "
            "recorded_on, recorded_by, recorded_at) VALUES (:review_id, :deadline, :previous, :new_due, :reason, "
            "'carried over from a pause', :agreed_on, :agreed_on, :by, :at)"),
            {"review_id": review_id, "deadline": key, "previous": base[key],
             "new_due": base[key] + timedelta(days=shift), "reason": latest["reason"],
             "agreed_on": _day(latest["ended_on"]), "by": latest["ended_by"] or latest["started_by"],
             "at": latest["ended_at"] or latest["started_at"]})


def downgrade() -> None:
    op.create_table(
        'reviewpause',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('reason', storage.crypto.EncryptedText(), nullable=False),
        sa.Column('started_on', sa.Date(), nullable=False),
        sa.Column('ended_on', sa.Date(), nullable=True),
        sa.Column('started_by', sa.String(length=255), nullable=False),
        sa.Column('started_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('ended_by', sa.String(length=255), nullable=True),
        sa.Column('ended_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_reviewpause_review_id_review')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reviewpause')),
    )
    with op.batch_alter_table('reviewpause', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviewpause_review_id'), ['review_id'], unique=False)
        batch_op.create_index('uq_reviewpause_open', ['review_id'], unique=True, sqlite_where=sa.text('ended_on IS NULL'),
                              postgresql_where=sa.text('ended_on IS NULL'))
    # Holds of witness interviews become pauses again (the others have no pause to be); the carried-over
    # extensions stay, being the dates people saw.
    op.execute("INSERT INTO reviewpause (review_id, kind, reason, started_on, ended_on, started_by, started_at, "
               "ended_by, ended_at) SELECT review_id, 'other', reason, agreed_on, lifted_on, started_by, started_at, "
               "lifted_by, lifted_at FROM activityhold WHERE activity = 'witness_interviews' AND id IN "
               "(SELECT MIN(id) FROM activityhold WHERE activity = 'witness_interviews' AND lifted_on IS NULL "
               "GROUP BY review_id UNION SELECT id FROM activityhold WHERE activity = 'witness_interviews' "
               "AND lifted_on IS NOT NULL)")
    with op.batch_alter_table('deadlineextension', schema=None) as batch_op:
        batch_op.drop_column('agreed_on')
    with op.batch_alter_table('activityhold', schema=None) as batch_op:
        batch_op.drop_index('uq_activityhold_open', sqlite_where=sa.text('lifted_on IS NULL'),
                            postgresql_where=sa.text('lifted_on IS NULL'))
        batch_op.drop_index(batch_op.f('ix_activityhold_review_id'))
    op.drop_table('activityhold')
