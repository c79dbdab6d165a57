"""Report stages after the evidence, drafting to monitoring: one form per step, each a fact.

The stage command offers the steps of the review's current stage. A step records its facts (a
ReportStep row), and a step that moves the review checks the transition table's guard with
those facts first, so a skipped step is refused with what is missing and nothing is stored.
"""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from bot.workflow.clock import holds
from bot.workflow.clock.deadlines import DIRECTED, local_date
from bot.workflow.clock.transitions import PUBLISHED_TOGETHER, RULES, ReviewFacts, Transition, apply
from bot.workflow.core import fields
from bot.workflow.core.errors import TransitionRefused, ValidationFailed, WorkflowError
from bot.workflow.core.fields import sentence_start
from bot.workflow.core.kernel import Actor, audit, authorize, move_once, show_date
from bot.workflow.core.permissions import Operation
from bot.workflow.core.stages import Stage
from bot.workflow.evidence import family_steps
from bot.workflow.evidence.evidence_items import OPEN as OPEN_EVIDENCE
from bot.workflow.intake.opening import decision_of
from bot.workflow.report import copies, national, report_checks
from storage.evidence import EvidenceItem
from storage.models import Review
from storage.report import PlanAction, Recommendation, ReportStep

PUBLISH_ONCE_AMENDED, REVISE_AND_RESUBMIT = "publish_once_amended", "revise_and_resubmit"
QA_OUTCOMES = {PUBLISH_ONCE_AMENDED: "Publish once amended", REVISE_AND_RESUBMIT: "Revise and resubmit"}
HO_ACCEPTED, HO_DIRECTED = "accepted", DIRECTED
HO_REPLIES = {HO_ACCEPTED: "The Home Office accepted that there will be no review",
              HO_DIRECTED: "The Home Office asked the CSP to hold a review"}
DRAFTS = {"overview_report": "Overview report drafted", "executive_summary": "Executive summary drafted",
          "action_plan": "Action plan drafted"}
NOTE_MAX, PLACE_MAX = 3000, 200


@dataclass(frozen=True)
class Step:
    key: str
    stage: Stage
    label: str                       # button text, an imperative ("Record CSP sign-off")
    transition: Transition | None    # None: records a fact without moving the review
    operation: Operation = Operation.MOVE_STAGE
    fields: frozenset = field(default_factory=frozenset)
    title: str = ""                  # the form's title: 24 characters at most (the shortest platform limit)
    done: str = ""                   # what was recorded, for the review's space and the stage form
    also_at: tuple[Stage, ...] = ()  # later stages at which this fact may still be recorded

    def __post_init__(self):
        if not 0 < len(self.title) <= TITLE_MAX:
            raise ValueError(f"step {self.key}: a title of 1 to {TITLE_MAX} characters is needed")

    def taken_at(self, stage: Stage | str) -> bool:
        return Stage(stage) == self.stage or Stage(stage) in self.also_at


TITLE_MAX = 24
STEPS: dict[str, Step] = {s.key: s for s in (
    Step("home_office_reply", Stage.NOT_COMMISSIONED, "Record the Home Office's reply", None,
         fields=frozenset({"reply", "reply_on", "note"}), title="Home Office reply",
         done="the Home Office's reply"),
    Step("start_drafting", Stage.EVIDENCE, "Start drafting", Transition.START_DRAFTING,
         title="Start drafting", done="drafting started"),
    Step("send_for_sign_off", Stage.DRAFTING, "Send for sign-off", Transition.SEND_FOR_SIGN_OFF,
         fields=frozenset({"drafted", "family_shared_on", "family_not_shown_reason"}), title="Send for sign-off",
         done="drafts sent for sign-off"),
    Step("panel_sign_off", Stage.SIGN_OFF, "Record panel sign-off", None, Operation.SIGN_OFF,
         frozenset({"signed_on"}), title="Panel sign-off", done="panel sign-off"),
    Step("csp_sign_off", Stage.SIGN_OFF, "Record CSP sign-off", None, Operation.SIGN_OFF, frozenset({"signed_on"}),
         title="CSP sign-off", done="CSP sign-off"),
    Step("submit", Stage.SIGN_OFF, "Submit to the Home Office", Transition.SUBMIT_TO_HOME_OFFICE,
         fields=frozenset({"submitted_on"}), title="Submit to Home Office",
         done="report submitted to the Home Office QA panel"),
    Step("qa_outcome", Stage.SUBMITTED, "Record the QA outcome", None,
         fields=frozenset({"outcome", "letter_on", "feedback"}), title="QA panel outcome", done="QA panel outcome"),
    # Publication's routes. Each is also open in monitoring while the publication is deferred: the
    # action plan is monitored meanwhile, and the review concludes only once publication is settled.
    Step("publish", Stage.AMENDING, "Record publication", Transition.PUBLISH,
         fields=frozenset({"published_on", "published_where", "published", "family_not_told_reason"}),
         title="Publication", done="overview report and executive summary published, with the QA letter",
         also_at=(Stage.MONITORING,)),
    Step("publish_summary_only", Stage.AMENDING, "Record publication of the executive summary only",
         Transition.PUBLISH, fields=frozenset({"agreed_on", "reason", "published_on", "published_where",
                                               "published", "family_not_told_reason"}),
         title="Executive summary only", done="executive summary published on its own, as agreed with the Home "
                                                "Office", also_at=(Stage.MONITORING,)),
    Step("withhold", Stage.AMENDING, "Record that the report is not published", Transition.WITHHOLD,
         fields=frozenset({"agreed_on", "reason"}), title="Not published",
         done="report not published, as agreed with the Home Office", also_at=(Stage.MONITORING,)),
    Step("defer_publication", Stage.AMENDING, "Defer publication", None, fields=frozenset({"reason", "revisit_on"}),
         title="Defer publication", done="publication deferred", also_at=(Stage.MONITORING,)),
    Step("start_monitoring", Stage.PUBLISHED, "Start monitoring the action plan", Transition.START_MONITORING,
         title="Start monitoring", done="monitoring of the action plan started", also_at=(Stage.AMENDING,)),
    Step("plan_audit", Stage.MONITORING, "Record the action plan audit", None,
         fields=frozenset({"audited_on", "findings", "no_recommendations"}), title="Action plan audit",
         done="action plan audit"),
    # s9(3B)-(3C) of the 2004 Act: the copy is due as soon as reasonably practicable after the report
    # is completed, so it is recorded from the CSP's sign-off on and never waits for publication.
    Step("dac_copy", Stage.SIGN_OFF, "Copy sent to the Domestic Abuse Commissioner", None,
         fields=frozenset({"sent_on"}), title="Copy to DA Commissioner",
         done="copy sent to the Domestic Abuse Commissioner",
         also_at=(Stage.SUBMITTED, Stage.DRAFTING, Stage.AMENDING, Stage.PUBLISHED, Stage.MONITORING)),
    # The other copies and notices after sign-off (copies.py): one form, the recipient chosen from those left.
    Step("copy_sent", Stage.SIGN_OFF, "Record a copy or notice sent", None, fields=frozenset({"recipient", "sent_on"}),
         title="Copies and notices", done="copy sent",
         also_at=(Stage.SUBMITTED, Stage.DRAFTING, Stage.AMENDING, Stage.PUBLISHED, Stage.MONITORING)),
    # National recommendations (national.py): submitted with the report, then sent, then answered.
    Step("national_sent", Stage.SUBMITTED, "Record a national recommendation sent", None,
         fields=frozenset({"recommendation", "body", "sent_on"}), title="National: sent",
         done="national recommendation sent", also_at=(Stage.AMENDING, Stage.PUBLISHED, Stage.MONITORING)),
    Step("national_response", Stage.SUBMITTED, "Record a department's response", None,
         fields=frozenset({"recommendation", "response_on", "response"}), title="National: response",
         done="department's response to a national recommendation",
         also_at=(Stage.AMENDING, Stage.PUBLISHED, Stage.MONITORING)),
)}


def steps_for(stage: Stage | str) -> list[Step]:
    return [s for s in STEPS.values() if s.taken_at(stage)]


def steps_now(session: Session, review: Review) -> list[Step]:
    """The steps of the review's stage that can be taken now (a copy already sent is not offered)."""
    return [s for s in steps_for(review.stage) if s.key not in _READY or _READY[s.key](session, review) is None]


def get_step(key: str | None) -> Step:
    if key not in STEPS:
        names = ", ".join(f"`{k}`" for k in STEPS)
        raise WorkflowError(f"I don't know that step. The steps are {names}.")
    return STEPS[key]


# ---------------------------------------------------------------- facts

def revised_at(session: Session, review_id: int) -> datetime | None:
    """When the QA panel last asked for the report to be revised: a draft checked before then is not the one
    resubmitted."""
    return session.exec(select(func.max(ReportStep.recorded_at)).where(
        ReportStep.review_id == review_id, ReportStep.step == "qa_outcome",
        ReportStep.outcome == REVISE_AND_RESUBMIT)).one()


def current_round(session: Session, review_id: int) -> int:
    revised = session.exec(select(func.count()).select_from(ReportStep).where(
        ReportStep.review_id == review_id, ReportStep.step == "qa_outcome",
        ReportStep.outcome == REVISE_AND_RESUBMIT)).one()
    return 1 + revised


def latest_steps(session: Session, review_id: int, *, this_round: bool = True) -> dict[str, ReportStep]:
    """The latest row of each step (of the current round, unless asked for all rounds)."""
    rnd = current_round(session, review_id)
    query = select(ReportStep).where(ReportStep.review_id == review_id).order_by(ReportStep.id)
    if this_round:
        query = query.where(ReportStep.round == rnd)
    return {row.step: row for row in session.exec(query)}


def review_facts(session: Session, review: Review, extra: dict | None = None) -> ReviewFacts:
    """What the guards need, gathered from storage; `extra` overlays what a form is about to record."""
    steps = latest_steps(session, review.id)
    made = decision_of(session, review)
    drafts = steps.get("send_for_sign_off")
    qa = steps.get("qa_outcome")
    outstanding = session.exec(select(func.count()).select_from(EvidenceItem).where(
        EvidenceItem.review_id == review.id, EvidenceItem.status.in_([s.value for s in OPEN_EVIDENCE]))).one()
    total = session.exec(select(func.count()).select_from(PlanAction).where(PlanAction.review_id == review.id)).one()
    open_actions = session.exec(select(func.count()).select_from(PlanAction).where(
        PlanAction.review_id == review.id, PlanAction.status != "verified")).one()
    audit_row = steps.get("plan_audit")
    reply = steps.get("home_office_reply")
    values = dict(
        notified_on=review.notified_on,
        decision_on=made.decided_on if made else None,
        home_office_told_on=made.home_office_told_on if made else None,
        no_review_reasons=made.no_review_reasons if made else None,
        home_office_answer_on=reply.on_date if reply else (made.home_office_reply_on if made else None),
        outstanding_evidence_items=outstanding,
        overview_report_drafted="overview_report" in (drafts.flags if drafts else []),
        executive_summary_drafted="executive_summary" in (drafts.flags if drafts else []),
        action_plan_drafted="action_plan" in (drafts.flags if drafts else []),
        draft_shared_with_family_on=drafts.on_date if drafts else None,
        family_not_shown_reason=drafts.note if drafts else None,
        panel_signed_off_on=_on(steps, "panel_sign_off"), csp_signed_off_on=_on(steps, "csp_sign_off"),
        submitted_on=_on(steps, "submit"),
        unchecked_reports=tuple(report_checks.failing(session, review.id, since=revised_at(session, review.id))),
        qa_outcome_on=qa.on_date if qa else None, qa_feedback=qa.note if qa else None,
        **publication_facts(steps),
        dac_copy_sent_on=_on(latest_steps(session, review.id, this_round=False), "dac_copy"),
        actions_total=total, actions_open=open_actions,
        no_actions=bool(audit_row and "no_recommendations" in audit_row.flags),
        plan_audit_recorded_on=audit_row.on_date if audit_row else None,
    )
    values.update(extra or {})
    return ReviewFacts(**values)


PUBLICATION_STEPS = {"publish": "full", "publish_summary_only": "summary_only", "withhold": "withheld",
                     "defer_publication": "deferred"}
# The steps a hold on publication refuses (deferring publication is what a hold asks for, so it goes on).
RECORDS_PUBLICATION = frozenset({"publish", "publish_summary_only", "withhold"})


def publication_of(steps: dict[str, ReportStep]) -> ReportStep | None:
    """The latest publication fact: a route recorded after a deferral replaces it."""
    rows = [row for key, row in steps.items() if key in PUBLICATION_STEPS]
    return max(rows, key=lambda r: r.id or 0) if rows else None


def publication_facts(steps: dict[str, ReportStep]) -> dict:
    row = publication_of(steps)
    if row is None:
        return {}
    published = row.step in ("publish", "publish_summary_only")
    return dict(publication_route=PUBLICATION_STEPS[row.step], published_items=tuple(row.flags or ()),
                published_on=row.on_date if published else None, published_where=row.place if published else None,
                home_office_agreed_on=row.agreed_on, publication_reason=row.note if row.step != "publish" else None,
                publication_revisit_on=row.revisit_on)


def _on(steps: dict, key: str) -> date | None:
    row = steps.get(key)
    return row.on_date if row else None


# ---------------------------------------------------------------- checking before a form opens

def check_can_take(session: Session, review: Review, actor: Actor, step: Step) -> None:
    """Refuses, with the reason, a step that can't be taken now: no right, its activity held, wrong stage."""
    authorize(session, review, actor, step.operation)
    stage = Stage(review.stage)
    verb = sentence_start(step.label)
    if step.key in RECORDS_PUBLICATION:
        holds.refuse_if_held(session, review, holds.PUBLICATION, verb[:1].lower() + verb[1:])
    if not step.taken_at(stage):
        now_steps = ", ".join(f"\u201c{s.label}\u201d" for s in steps_for(stage))
        raise TransitionRefused(
            f"Can't {verb}: the review's stage is \u201c{stage.label}\u201d, and this step is taken at "
            f"\u201c{step.stage.label}\u201d." + (f" The next step now is {now_steps}." if now_steps else ""),
            reason="wrong_stage")
    refusal = _READY[step.key](session, review) if step.key in _READY else None
    if refusal:
        raise TransitionRefused(refusal, reason="not_ready")


# The overview report is the CSP's, so it is "completed" when the CSP signs it off: before that it is
# a draft the panel can still change, and the QA panel's amendments are a later version, not completion.
COMPLETED_STEP = "csp_sign_off"


def completed_on(session: Session, review_id: int) -> date | None:
    """The day the overview report was first completed (the CSP signed it off), in any round."""
    return session.exec(select(func.min(ReportStep.on_date)).where(
        ReportStep.review_id == review_id, ReportStep.step == COMPLETED_STEP)).one()


def _dac_ready(session: Session, review: Review) -> str | None:
    sent = latest_steps(session, review.id, this_round=False).get("dac_copy")
    if sent:
        return (f"The copy to the Domestic Abuse Commissioner was already recorded as sent on "
                f"{show_date(sent.on_date)}.")
    if completed_on(session, review.id) is None:
        return ("Can't record the copy to the Domestic Abuse Commissioner yet: it goes once the report is "
                "completed, which is when the CSP signs it off.")
    return None


def _route_ready(session: Session, review: Review) -> str | None:
    """A publication route in monitoring only settles a deferred publication."""
    if Stage(review.stage) is not Stage.MONITORING:
        return None
    row = publication_of(latest_steps(session, review.id))
    if row is None:
        return "The review is monitoring its action plan, and no publication was deferred."
    if row.step != "defer_publication":
        return f"The publication is already recorded: {_summary(STEPS[row.step], row)}."
    return None


def _monitoring_ready(session: Session, review: Review) -> str | None:
    """From amending, monitoring starts only while the publication is deferred."""
    if Stage(review.stage) is not Stage.AMENDING:
        return None
    row = publication_of(latest_steps(session, review.id))
    if row is None or row.step != "defer_publication":
        return ("Can't start monitoring the action plan yet: record the publication first, or defer it with a date "
                "to revisit the decision.")
    return None


def _copies_ready(session: Session, review: Review) -> str | None:
    if completed_on(session, review.id) is None:
        return ("Can't record the copies and notices yet: they go once the report is completed, which is when the "
                "CSP signs it off.")
    if not copies.open_choices(session, review):
        return "Every copy and notice on the review's list is already recorded: the summary card lists them."
    return None


def _national_sent_ready(session: Session, review: Review) -> str | None:
    if not national.to_send(session, review):
        return ("No national recommendation is waiting to be sent: add one with the action plan's "
                "\u201cAdd recommendation\u201d (scope national).")
    return None


def _national_response_ready(session: Session, review: Review) -> str | None:
    if not national.awaiting_response(session, review):
        return ("No national recommendation is waiting for its department's response: record that it was sent "
                "first.")
    return None


_READY = {"dac_copy": _dac_ready, "copy_sent": _copies_ready, "national_sent": _national_sent_ready,
          "national_response": _national_response_ready, "start_monitoring": _monitoring_ready,
          **{key: _route_ready for key in PUBLICATION_STEPS}}


# ---------------------------------------------------------------- recording a step

@dataclass(frozen=True)
class StepDone:
    step: Step
    moved_to: Stage | None
    summary: str          # for the review's space: what was recorded, no narrative text


def record_step(session: Session, review: Review, actor: Actor, key: str, raw: dict, *,
                now: datetime, today: date) -> StepDone:
    step = get_step(key)
    check_can_take(session, review, actor, step)
    row, extra, transition = _VALIDATORS[key](session, review, raw, today)
    if transition is not None:
        new_stage = apply(transition, Stage(review.stage), review_facts(session, review, extra))
    else:
        new_stage = None
    row.review_id, row.step, row.round = review.id, key, current_round(session, review.id)
    row.recorded_by, row.recorded_at = actor.user_id, now
    session.add(row)
    if key == "home_office_reply":
        made = decision_of(session, review)
        made.home_office_reply, made.home_office_reply_on = row.outcome, row.on_date
        session.add(made)
    audit(session, actor.user_id, f"report.{key}", now, review.id, on=row.on_date.isoformat() if row.on_date else None,
          outcome=row.outcome, round=row.round, **({"without_check": True} if "without_check" in row.flags else {}))
    if new_stage is not None:
        move_once(session, review, new_stage, transition, actor, now)
        audit(session, actor.user_id, "stage.moved", now, review.id, transition=transition.value,
              to=new_stage.value)
    return StepDone(step, new_stage, _summary(step, row))




def _summary(step: Step, row: ReportStep) -> str:
    """What was recorded, dated by the fact's own date; sending for sign-off is dated by the day it
    was recorded (its form's date is when the family saw the draft, said separately)."""
    if step.key == "send_for_sign_off":
        sent = f" ({show_date(local_date(row.recorded_at))})" if row.recorded_at else ""
        family = (f"; draft shared with the family on {show_date(row.on_date)}" if row.on_date
                  else "; the family did not see the draft")
        return f"{_capital(step.done)}{sent}{family}"
    when = f" ({show_date(row.on_date)})" if row.on_date else ""
    if step.key == "qa_outcome":
        return f"QA panel: {QA_OUTCOMES[row.outcome].lower()}{when}"
    if step.key == "home_office_reply":
        return f"{HO_REPLIES[row.outcome]}{when}"
    if step.key == "copy_sent":
        return copies.summary(row)
    if step.key == "national_sent":
        return f"National recommendation {row.outcome} sent to {row.place}{when}"
    if step.key == "national_response":
        return f"Department's response to national recommendation {row.outcome} recorded{when}"
    if step.key == "withhold":
        return f"{_capital(step.done)} ({show_date(row.agreed_on)})"
    if step.key == "defer_publication":
        return f"Publication deferred ({show_date(row.on_date)}); to be revisited on {show_date(row.revisit_on)}"
    if step.key == "publish_summary_only":
        return f"Executive summary published on its own{when}, as the Home Office agreed on {show_date(row.agreed_on)}"
    return f"{_capital(step.done)}{when}"


def recorded_summary(row: ReportStep) -> str:
    return _summary(STEPS[row.step], row)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _past(raw, name: str, label: str, review: Review, today: date, errors: dict, required=True) -> date | None:
    value, error = fields.iso_date(raw.get(name), label=label, required=required)
    if error:
        errors[name] = error
    elif value and value > today:
        errors[name] = f"The {label} can't be in the future."
    elif value and value < review.notified_on:
        errors[name] = f"The {label} can't be before the notification ({show_date(review.notified_on)})."
    return value


def _text(raw, name, label, errors, *, max_len=NOTE_MAX, required=False) -> str | None:
    value, error = fields.text(raw.get(name), label=label, max_len=max_len, required=required)
    if error:
        errors[name] = error
    return value


def _done(errors: dict):
    if errors:
        raise ValidationFailed(errors)


def _v_home_office_reply(s, review, raw, today):
    errors = {}
    reply, error = fields.choice(raw.get("reply"), HO_REPLIES, label="Home Office's reply")
    if error:
        errors["reply"] = error
    on = _past(raw, "reply_on", "date the CSP received the reply", review, today, errors)
    note = _text(raw, "note", "notes", errors)
    made = decision_of(s, review)
    if on and made and on < made.decided_on:
        errors["reply_on"] = (f"The Home Office replies to the decision not to hold a review, made on "
                              f"{show_date(made.decided_on)}: the date the CSP received the reply can't be before it.")
    _done(errors)
    transition = Transition.HOME_OFFICE_ACCEPTS_NO_REVIEW if reply == HO_ACCEPTED \
        else Transition.HOME_OFFICE_DIRECTS_REVIEW
    return ReportStep(on_date=on, outcome=reply, note=note), {"home_office_answer_on": on}, transition


def _v_start_drafting(s, review, raw, today):
    return ReportStep(on_date=today), {}, Transition.START_DRAFTING


def _v_send_for_sign_off(s, review, raw, today):
    errors = {}
    drafted, error = fields.choices(raw.get("drafted"), DRAFTS, label="drafts")
    if error:
        errors["drafted"] = error
    shared = _past(raw, "family_shared_on", "date the draft was shared with the family", review, today, errors,
                   required=False)
    reason = _text(raw, "family_not_shown_reason", "reason the family did not see the draft", errors)
    _done(errors)
    extra = {"overview_report_drafted": "overview_report" in drafted,
             "executive_summary_drafted": "executive_summary" in drafted,
             "action_plan_drafted": "action_plan" in drafted,
             "draft_shared_with_family_on": shared, "family_not_shown_reason": reason}
    return ReportStep(on_date=shared, flags=drafted, note=reason), extra, Transition.SEND_FOR_SIGN_OFF


def _v_panel_sign_off(s, review, raw, today):
    errors = {}
    on = _past(raw, "signed_on", "panel sign-off date", review, today, errors)
    _done(errors)
    return ReportStep(on_date=on), {}, None


def _v_csp_sign_off(s, review, raw, today):
    errors = {}
    on = _past(raw, "signed_on", "CSP sign-off date", review, today, errors)
    _done(errors)
    panel = latest_steps(s, review.id).get("panel_sign_off")
    if panel is None:
        raise TransitionRefused("Can't record the CSP sign-off yet: record the panel sign-off date first "
                                "(the CSP signs off after the panel).", missing=["the panel sign-off date"])
    if on < panel.on_date:
        raise ValidationFailed({"signed_on": f"The CSP signs off after the panel: choose a date on or after "
                                             f"{show_date(panel.on_date)}."})
    return ReportStep(on_date=on), {}, None


def _v_submit(s, review, raw, today):
    """A reason to go without a passing check is kept only while a draft has none (encrypted, on the card)."""
    errors = {}
    on = _past(raw, "submitted_on", "date it was sent to the Home Office", review, today, errors)
    reason = _text(raw, "check_reason", "reason to submit without a passing check", errors)
    _done(errors)
    reason = reason if report_checks.failing(s, review.id, since=revised_at(s, review.id)) else None
    return (ReportStep(on_date=on, note=reason, flags=["without_check"] if reason else []),
            {"submitted_on": on, "submit_without_check_reason": reason}, Transition.SUBMIT_TO_HOME_OFFICE)


def _v_qa_outcome(s, review, raw, today):
    errors = {}
    outcome, error = fields.choice(raw.get("outcome"), QA_OUTCOMES, label="QA panel's outcome")
    if error:
        errors["outcome"] = error
    on = _past(raw, "letter_on", "date of the QA panel's letter", review, today, errors)
    feedback = _text(raw, "feedback", "QA panel's feedback", errors)
    if outcome == REVISE_AND_RESUBMIT and not feedback and "feedback" not in errors:
        errors["feedback"] = "Record the QA panel's feedback: the report is revised against it."
    _done(errors)
    transition = Transition.QA_REVISE_AND_RESUBMIT if outcome == REVISE_AND_RESUBMIT \
        else Transition.QA_PUBLISH_ONCE_AMENDED
    return (ReportStep(on_date=on, outcome=outcome, note=feedback),
            {"qa_outcome_on": on, "qa_feedback": feedback}, transition)


PUBLISHED_ITEMS = {"overview_report": "Overview report", "executive_summary": "Executive summary",
                   "qa_letter": "The Home Office's QA letter, alongside"}
TOGETHER_WORDS = {"full": "the overview report, the executive summary and the Home Office's QA letter alongside",
                  "summary_only": "the executive summary and the Home Office's QA letter alongside"}


def _v_publish(s, review, raw, today):
    return _published_route(s, review, raw, today, "full")


def _v_publish_summary_only(s, review, raw, today):
    return _published_route(s, review, raw, today, "summary_only")


def _published_route(s, review, raw, today, route):
    errors: dict = {}
    agreed_on, reason = _agreement(review, raw, today, errors) if route == "summary_only" else (None, None)
    on = _past(raw, "published_on", "publication date", review, today, errors)
    where = _text(raw, "published_where", "place it was published", errors, max_len=PLACE_MAX, required=True)
    items = _published_items(raw, route, errors)
    not_told = _text(raw, "family_not_told_reason", "reason the family was not told the date", errors)
    if "published_on" not in errors and "family_not_told_reason" not in errors:
        told_error = family_steps.publication_check(s, review.id, on, not_told)
        errors.update({"family_not_told_reason": told_error} if told_error else {})
    if on and agreed_on and on < agreed_on and "published_on" not in errors:
        errors["published_on"] = (f"Publication follows the Home Office's agreement ({show_date(agreed_on)}): "
                                  "check the dates.")
    _done(errors)
    # One note: the reason for publishing less, then why the family was not told the date, if so.
    note = "\n\n".join(x for x in (reason, f"The family was not told the date: {not_told}" if reason and not_told
                                     else not_told) if x) or None
    row = ReportStep(on_date=on, place=where, flags=items, agreed_on=agreed_on, note=note)
    extra = dict(publication_route=route, published_on=on, published_where=where, published_items=tuple(items),
                 home_office_agreed_on=agreed_on, publication_reason=reason)
    return row, extra, _route_transition(review, Transition.PUBLISH)


def _published_items(raw, route: str, errors: dict) -> list[str]:
    ticked = [x for x in (raw.get("published") or []) if x in PUBLISHED_ITEMS]
    needed = PUBLISHED_TOGETHER[route]
    if route == "summary_only" and "overview_report" in ticked:
        errors["published"] = ("The overview report was published too: record the publication of both instead "
                               "(\u201cRecord publication\u201d).")
    elif any(x not in ticked for x in needed):
        errors["published"] = f"Tick each of what was published together: {TOGETHER_WORDS[route]}."
    return ticked


def _agreement(review, raw, today, errors: dict) -> tuple[date | None, str | None]:
    """Less than the whole report is published only by agreement with the Home Office: when and why."""
    agreed_on = _past(raw, "agreed_on", "date the Home Office agreed", review, today, errors)
    reason = _text(raw, "reason", "reason", errors, required=True)
    return agreed_on, reason


def _v_withhold(s, review, raw, today):
    errors: dict = {}
    agreed_on, reason = _agreement(review, raw, today, errors)
    _done(errors)
    extra = dict(publication_route="withheld", home_office_agreed_on=agreed_on, publication_reason=reason)
    return (ReportStep(on_date=agreed_on, agreed_on=agreed_on, note=reason), extra,
            _route_transition(review, Transition.WITHHOLD))


def _v_defer_publication(s, review, raw, today):
    errors: dict = {}
    reason = _text(raw, "reason", "reason for deferring", errors, required=True)
    revisit, error = fields.iso_date(raw.get("revisit_on"), label="date to revisit the publication", required=True)
    if error:
        errors["revisit_on"] = error
    elif revisit <= today:
        errors["revisit_on"] = "The date to revisit the publication is after today: choose a later date."
    _done(errors)
    return (ReportStep(on_date=today, revisit_on=revisit, note=reason),
            dict(publication_route="deferred", publication_revisit_on=revisit), None)


def _route_transition(review, transition: Transition) -> Transition | None:
    """In monitoring (the publication was deferred) a route is recorded without moving the review."""
    return None if Stage(review.stage) is Stage.MONITORING else transition


def _v_dac_copy(s, review, raw, today):
    errors = {}
    on = _past(raw, "sent_on", "date the copy went to the Domestic Abuse Commissioner", review, today, errors)
    _done(errors)
    completed = completed_on(s, review.id)
    if completed and on < completed:
        raise ValidationFailed({"sent_on": f"The copy goes once the report is completed: the CSP signed it off "
                                           f"on {show_date(completed)}; choose that date or later."})
    return ReportStep(on_date=on), {"dac_copy_sent_on": on}, None


def _v_copy_sent(s, review, raw, today):
    recipient, on, label = copies.validate(s, review, raw, today)
    return ReportStep(on_date=on, outcome=recipient, place=label), {}, None


def _v_national_sent(s, review, raw, today):
    done = national.record_sent(s, review, raw, today)
    return ReportStep(on_date=done.on, outcome=str(done.rec.number), place=done.rec.national_body), {}, None


def _v_national_response(s, review, raw, today):
    done = national.record_response(s, review, raw, today)
    return ReportStep(on_date=done.on, outcome=str(done.rec.number)), {}, None


def _v_start_monitoring(s, review, raw, today):
    deferred = Stage(review.stage) is Stage.AMENDING
    return ReportStep(on_date=today), {}, Transition.START_MONITORING_DEFERRED if deferred \
        else Transition.START_MONITORING


def _v_plan_audit(s, review, raw, today):
    errors = {}
    on = _past(raw, "audited_on", "date of the audit", review, today, errors)
    findings = _text(raw, "findings", "audit's findings", errors, required=True)
    flags = ["no_recommendations"] if "no_recommendations" in (raw.get("no_recommendations") or []) else []
    made = s.exec(select(func.count()).select_from(Recommendation).where(Recommendation.review_id == review.id)).one()
    if flags and made:
        errors["no_recommendations"] = (f"The action plan has {made} recommendation{'s' if made != 1 else ''}: "
                                        "untick this, or the review could close with them unanswered.")
    _done(errors)
    return ReportStep(on_date=on, note=findings, flags=flags), {}, None


_VALIDATORS = {k: globals()[f"_v_{k}"] for k in STEPS}


# ---------------------------------------------------------------- what the stage command shows

def recorded_lines(session: Session, review: Review) -> list[str]:
    """The facts recorded so far in this round, for the coordinator's stage form."""
    lines = []
    rnd = current_round(session, review.id)
    if rnd > 1:
        lines.append(f"Round {rnd}: the QA panel asked for the report to be revised and resubmitted.")
    for key, row in latest_steps(session, review.id).items():
        lines.append(_summary(STEPS[key], row))
    return lines


def latest_feedback(session: Session, review: Review) -> str | None:
    row = session.exec(select(ReportStep).where(ReportStep.review_id == review.id, ReportStep.step == "qa_outcome")
                       .order_by(ReportStep.id.desc())).first()
    return row.note if row else None


def step_choices(session: Session, review: Review, step: Step) -> dict[str, dict[str, str]]:
    """Choices a step's form offers that depend on the review (field key -> {value: label})."""
    if step.key == "copy_sent":
        return {"recipient": copies.open_choices(session, review)}
    if step.key == "national_sent":
        return {"recommendation": national.to_send(session, review)}
    if step.key == "national_response":
        return {"recommendation": national.awaiting_response(session, review)}
    return {}


def next_steps_text(step: Step) -> str | None:
    rule = RULES.get(step.transition) if step.transition else None
    return f"Moves the review to \u201c{rule.target.label}\u201d." if rule else None
