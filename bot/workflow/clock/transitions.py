"""The complete process model: one explicit table of stage changes and their guards.

Each transition names its source and target stage and a guard that lists the facts still
missing. The caller gathers a ReviewFacts from storage; `check` never touches storage or the
clock, so every rule is unit-testable.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.workflow.clock.timescales import add_months
from bot.workflow.core.errors import TransitionRefused
from bot.workflow.core.permissions import Operation
from bot.workflow.core.stages import Stage


class Transition(StrEnum):
    DECIDE_REVIEW = "decide_review"
    DECIDE_NO_REVIEW = "decide_no_review"
    HOME_OFFICE_ACCEPTS_NO_REVIEW = "home_office_accepts_no_review"
    HOME_OFFICE_DIRECTS_REVIEW = "home_office_directs_review"
    AGREE_TERMS_OF_REFERENCE = "agree_terms_of_reference"
    START_DRAFTING = "start_drafting"
    SEND_FOR_SIGN_OFF = "send_for_sign_off"
    SUBMIT_TO_HOME_OFFICE = "submit_to_home_office"
    QA_PUBLISH_ONCE_AMENDED = "qa_publish_once_amended"
    QA_REVISE_AND_RESUBMIT = "qa_revise_and_resubmit"
    PUBLISH = "publish"
    WITHHOLD = "withhold"
    START_MONITORING = "start_monitoring"
    START_MONITORING_DEFERRED = "start_monitoring_deferred"
    CONCLUDE = "conclude"

    @property
    def label(self) -> str:          # button text
        return RULES[self].label

    @property
    def operation(self) -> Operation:  # the permission needed to make this change
        return RULES[self].operation


@dataclass(frozen=True)
class ReviewFacts:
    """What is recorded about a review, as far as the guards care. All optional."""
    # decision
    notified_on: date | None = None
    decision_due: date | None = None       # from compute_deadlines; else notification + 1 month
    decision_on: date | None = None
    home_office_told_on: date | None = None
    delay_reason: str | None = None
    agencies_consulted: int = 0
    no_review_reasons: str | None = None   # the Home Office is told *why* there is no review
    home_office_answer_on: date | None = None
    # set-up
    chair_appointed: bool = False
    tor_agreed_on: date | None = None
    scoping_from: date | None = None
    scoping_to: date | None = None
    # evidence: None means "not counted", which is refused rather than assumed zero
    outstanding_evidence_items: int | None = None
    # drafting
    overview_report_drafted: bool = False
    executive_summary_drafted: bool = False
    action_plan_drafted: bool = False
    draft_shared_with_family_on: date | None = None
    family_not_shown_reason: str | None = None
    # sign-off and QA
    panel_signed_off_on: date | None = None
    csp_signed_off_on: date | None = None
    submitted_on: date | None = None
    # the drafts whose latest upload has not passed the bot's check ("overview report", ...), and the
    # reason recorded to submit to the Home Office all the same
    unchecked_reports: tuple[str, ...] = ()
    submit_without_check_reason: str | None = None
    qa_outcome_on: date | None = None
    qa_feedback: str | None = None
    # publication and monitoring
    published_on: date | None = None
    published_where: str | None = None
    # publication route: "full" (overview report and executive summary, with the QA letter),
    # "summary_only" or "withheld" (both agreed with the Home Office), or "deferred" (for now)
    publication_route: str | None = None
    published_items: tuple[str, ...] = ()   # what went out together: overview_report, executive_summary, qa_letter
    home_office_agreed_on: date | None = None
    publication_reason: str | None = None
    publication_revisit_on: date | None = None
    dac_copy_sent_on: date | None = None
    actions_total: int = 0
    no_actions: bool = False               # the report made no recommendations at all
    actions_open: int | None = None        # actions not yet completed *and* verified
    plan_audit_recorded_on: date | None = None


@dataclass(frozen=True)
class Need:
    """One missing fact. `todo` is a whole instruction; without it the fact is listed
    after its verb ("record the CSP sign-off date")."""
    label: str
    todo: str | None = None
    verb: str = "record"


Guard = Callable[[ReviewFacts], list[Need]]


@dataclass(frozen=True)
class Rule:
    source: Stage
    target: Stage
    label: str
    verb: str          # completes "Can't ... yet"
    guard: Guard
    operation: Operation = Operation.MOVE_STAGE


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _show(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


# ---------------------------------------------------------------- guards

def _decision_common(f: ReviewFacts) -> list[Need]:
    needs = []
    if not f.decision_on:
        needs.append(Need("the decision date"))
    if not f.home_office_told_on:
        needs.append(Need("the date the Home Office was told"))
    if f.agencies_consulted < 1:
        needs.append(Need("the partner agencies consulted"))
    if f.decision_on and f.notified_on and f.decision_on < f.notified_on:
        needs.append(Need("a decision date on or after the notification",
                          f"correct the decision date (it is before the notification on {_show(f.notified_on)})"))
    if f.decision_on and f.home_office_told_on and f.home_office_told_on < f.decision_on:
        needs.append(Need("a Home Office date on or after the decision",
                          "correct the date the Home Office was told (it is before the decision)"))
    due = f.decision_due or (add_months(f.notified_on, 1) if f.notified_on else None)
    if f.decision_on and due and f.decision_on > due and _blank(f.delay_reason):
        needs.append(Need("the reason the decision was late",
                          f"give the reason the decision came after its deadline ({_show(due)})"))
    return needs


def _decide_no_review(f: ReviewFacts) -> list[Need]:
    reasons = [Need("the reasons for not holding a review")] if _blank(f.no_review_reasons) else []
    return _decision_common(f) + reasons


def _home_office_answer(f: ReviewFacts) -> list[Need]:
    return [] if f.home_office_answer_on else [Need("the date of the Home Office's answer")]


def _terms_of_reference(f: ReviewFacts) -> list[Need]:
    needs = []
    if not f.chair_appointed:
        needs.append(Need("the independent chair", "appoint the independent chair"))
    if not f.tor_agreed_on:
        needs.append(Need("the date the terms of reference were agreed"))
    if not f.scoping_from:
        needs.append(Need("the start of the scoping period"))
    if not f.scoping_to:
        needs.append(Need("the end of the scoping period"))
    if f.scoping_from and f.scoping_to and f.scoping_from > f.scoping_to:
        needs.append(Need("a scoping period that starts before it ends",
                          "correct the scoping period (it ends before it starts)"))
    return needs


def _evidence_complete(f: ReviewFacts) -> list[Need]:
    n = f.outstanding_evidence_items
    if n is None:
        return [Need("the evidence still outstanding", "check which evidence requests are still outstanding")]
    if n > 0:
        noun = "request" if n == 1 else "requests"
        return [Need(f"{n} outstanding evidence {noun}",
                     f"receive or withdraw the {n} outstanding evidence {noun}")]
    return []


def _drafts_ready(f: ReviewFacts) -> list[Need]:
    needs = [Need(label, verb="finish") for done, label in (
        (f.overview_report_drafted, "the overview report draft"),
        (f.executive_summary_drafted, "the executive summary draft"),
        (f.action_plan_drafted, "the action plan draft")) if not done]
    if not f.draft_shared_with_family_on and _blank(f.family_not_shown_reason):
        needs.append(Need("the date the draft was shared with the family (or why it was not)"))
    return needs


def _signed_off(f: ReviewFacts) -> list[Need]:
    needs = []
    if not f.panel_signed_off_on:
        needs.append(Need("the panel sign-off date"))
    if not f.csp_signed_off_on:
        needs.append(Need("the CSP sign-off date"))
    if f.panel_signed_off_on and f.csp_signed_off_on and f.csp_signed_off_on < f.panel_signed_off_on:
        needs.append(Need("a CSP sign-off on or after the panel sign-off",
                          "correct the CSP sign-off date (the CSP signs off after the panel)"))
    return needs


def _submittable(f: ReviewFacts) -> list[Need]:
    """Signed off, and each draft's latest upload passed the check (or a reason to go anyway is recorded)."""
    needs = _signed_off(f)
    if f.unchecked_reports and _blank(f.submit_without_check_reason):
        drafts = " and the ".join(f.unchecked_reports)
        needs.append(Need("a passing check of the drafts",
                          f"send me the {drafts} to check (a passing check of each is needed), or give the "
                          "reason to submit without a passing check"))
    return needs


def _qa_outcome(f: ReviewFacts) -> list[Need]:
    needs = [] if f.qa_outcome_on else [Need("the date of the QA panel's letter")]
    if f.qa_outcome_on and f.submitted_on and f.qa_outcome_on < f.submitted_on:
        needs.append(Need("a QA letter dated after the submission",
                          "correct the QA letter date (it is before the submission)"))
    return needs


def _qa_revise(f: ReviewFacts) -> list[Need]:
    feedback = [Need("the QA panel's feedback")] if _blank(f.qa_feedback) else []
    return _qa_outcome(f) + feedback


PUBLISHED_TOGETHER = {"full": ("overview_report", "executive_summary", "qa_letter"),
                      "summary_only": ("executive_summary", "qa_letter")}


def _published(f: ReviewFacts) -> list[Need]:
    needs = [] if f.published_on else [Need("the publication date")]
    needs += [Need("where the report was published")] if _blank(f.published_where) else []
    route = f.publication_route or "full"
    missing = [x for x in PUBLISHED_TOGETHER.get(route, ()) if x not in f.published_items]
    if missing:
        needs.append(Need("what was published", "publish the Home Office's QA letter alongside what is published"
                          if missing == ["qa_letter"] else "record what was published, with the QA letter"))
    return needs + (_agreed(f) if route == "summary_only" else [])


def _agreed(f: ReviewFacts) -> list[Need]:
    """Publishing less than the whole report is agreed with the Home Office: when, and why."""
    needs = [] if f.home_office_agreed_on else [Need("the date the Home Office agreed")]
    return needs + ([Need("the reason")] if _blank(f.publication_reason) else [])


def _deferred(f: ReviewFacts) -> list[Need]:
    """Monitoring need not wait for a deferred publication: the lessons are acted on meanwhile."""
    if not f.publication_revisit_on:        # set only while a deferral is the latest publication fact
        return [Need("the publication", "record the publication, or its deferral with a date to revisit it")]
    return []


def _no_needs(f: ReviewFacts) -> list[Need]:
    """Monitoring starts on publication: the Commissioner's copy is reminded, never a gate."""
    return []


def _actions_done(f: ReviewFacts) -> list[Need]:
    needs = []
    if f.publication_route == "deferred":
        needs.append(Need("the publication", "record the publication (or, agreed with the Home Office, that the "
                                             "report is not published): it is still deferred"))
    if f.actions_total < 1 and not f.no_actions:
        needs.append(Need("the action plan's actions", "add the action plan's actions (or record that there are none)"))
    if f.actions_total > 0 and f.actions_open is None:
        needs.append(Need("the open actions", "confirm every action is completed and verified"))
    elif f.actions_total > 0 and f.actions_open:
        noun = "action" if f.actions_open == 1 else "actions"
        needs.append(Need(f"{f.actions_open} {noun} not completed and verified",
                          f"complete and verify the {f.actions_open} open {noun}"))
    if not f.plan_audit_recorded_on:
        needs.append(Need("the date of the action plan audit"))
    return needs


# ---------------------------------------------------------------- the table

S = Stage
RULES: dict[Transition, Rule] = {
    Transition.DECIDE_REVIEW: Rule(S.NOTIFIED, S.SETUP, "Hold a review",
                                   "record the decision to hold a review", _decision_common,
                                   Operation.RECORD_DECISION),
    Transition.DECIDE_NO_REVIEW: Rule(S.NOTIFIED, S.NOT_COMMISSIONED, "Don't hold a review",
                                      "record the decision not to hold a review", _decide_no_review,
                                      Operation.RECORD_DECISION),
    Transition.HOME_OFFICE_ACCEPTS_NO_REVIEW: Rule(S.NOT_COMMISSIONED, S.CONCLUDED, "Home Office accepted",
                                                   "close the case", _home_office_answer, Operation.CONCLUDE),
    Transition.HOME_OFFICE_DIRECTS_REVIEW: Rule(S.NOT_COMMISSIONED, S.SETUP, "Home Office directed a review",
                                                "start the directed review", _home_office_answer,
                                                Operation.RECORD_DECISION),
    Transition.AGREE_TERMS_OF_REFERENCE: Rule(S.SETUP, S.EVIDENCE, "Terms of reference agreed",
                                              "move to evidence gathering", _terms_of_reference),
    Transition.START_DRAFTING: Rule(S.EVIDENCE, S.DRAFTING, "Start drafting", "start drafting", _evidence_complete),
    Transition.SEND_FOR_SIGN_OFF: Rule(S.DRAFTING, S.SIGN_OFF, "Send for sign-off",
                                       "send the report for sign-off", _drafts_ready),
    Transition.SUBMIT_TO_HOME_OFFICE: Rule(S.SIGN_OFF, S.SUBMITTED, "Submit to the Home Office",
                                           "submit to the Home Office", _submittable),
    Transition.QA_PUBLISH_ONCE_AMENDED: Rule(S.SUBMITTED, S.AMENDING, "QA: publish once amended",
                                             "record the QA outcome", _qa_outcome),
    Transition.QA_REVISE_AND_RESUBMIT: Rule(S.SUBMITTED, S.DRAFTING, "QA: revise and resubmit",
                                            "record the QA outcome", _qa_revise),
    Transition.PUBLISH: Rule(S.AMENDING, S.PUBLISHED, "Record publication", "record publication", _published),
    Transition.WITHHOLD: Rule(S.AMENDING, S.MONITORING, "Not published", "record that the report is not published",
                              _agreed),
    Transition.START_MONITORING_DEFERRED: Rule(S.AMENDING, S.MONITORING, "Start monitoring the action plan",
                                               "start monitoring the action plan", _deferred),
    Transition.START_MONITORING: Rule(S.PUBLISHED, S.MONITORING, "Start monitoring the action plan",
                                      "start monitoring the action plan", _no_needs),
    Transition.CONCLUDE: Rule(S.MONITORING, S.CONCLUDED, "Conclude the review", "conclude the review",
                              _actions_done, Operation.CONCLUDE),
}


# ---------------------------------------------------------------- API

def source(transition: Transition | str) -> Stage:
    return RULES[Transition(transition)].source


def target(transition: Transition | str) -> Stage:
    return RULES[Transition(transition)].target


def allowed_transitions(stage: Stage | str) -> list[Transition]:
    """Transitions that may be offered now (guards aside). A hold on an activity never stops them: only
    the held activity's own step refuses (publication, for one)."""
    return [t for t, rule in RULES.items() if rule.source == Stage(stage)]


def check(transition: Transition | str, stage: Stage | str, facts: ReviewFacts) -> None:
    t, stage = Transition(transition), Stage(stage)
    rule = RULES[t]
    if stage != rule.source:
        raise TransitionRefused(f"Can't {rule.verb}: the review's stage is \u201c{stage.label}\u201d, "
                                f"and this step is taken at \u201c{rule.source.label}\u201d.",
                                transition=t, reason="wrong_stage")
    needs = rule.guard(facts)
    if needs:
        raise TransitionRefused(f"Can't {rule.verb} yet: {_instructions(needs)} first.",
                                transition=t, missing=[n.label for n in needs])


def apply(transition: Transition | str, stage: Stage | str, facts: ReviewFacts) -> Stage:
    check(transition, stage, facts)
    return target(transition)


def _instructions(needs: list[Need]) -> str:
    """"record A and B, finish C, and correct D": one clause per verb, then whole instructions."""
    verbs = dict.fromkeys(n.verb for n in needs if n.todo is None)
    clauses = [f"{v} " + _join([n.label for n in needs if n.todo is None and n.verb == v], " and ")
               for v in verbs]
    return _join(clauses + [n.todo for n in needs if n.todo], ", and ")


def _join(items: list[str], last: str) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + last + items[-1]
