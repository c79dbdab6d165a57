"""The modals: what each form asks, in Block Kit."""
import json

from slack_sdk.models.blocks import InputBlock, StaticMultiSelectElement

from bot.workflow.intake import decision, intake
from messages.core.text import escape
from messages.slack import blocks as bk
from messages.slack.ids import ActionId, CallbackId


def loading(title: str, callback_id: str) -> dict:
    return bk.modal(title, [bk.section(":hourglass_flowing_sand: Loading…")], callback_id=callback_id)


def notice(title: str, text: str) -> dict:
    return bk.modal(title, [bk.section(text)], callback_id=CallbackId.NOTICE)


REFUSED_BLOCK = "dhr_refused"
_VIEW_KEYS = ("type", "title", "submit", "close", "callback_id", "private_metadata", "notify_on_close",
              "clear_on_close")


def with_refusal(submitted: dict, message: str) -> dict:
    """The submitted form again, with why it was refused at the top. Its input blocks keep their
    block and action ids, so Slack keeps what the person typed (nothing has to be typed twice)."""
    blocks = [b for b in submitted.get("blocks") or [] if b.get("block_id") != REFUSED_BLOCK]
    warning = bk.section(f":warning: {message}", block_id=REFUSED_BLOCK).to_dict()
    view = {k: submitted[k] for k in _VIEW_KEYS if submitted.get(k) is not None}
    view["blocks"] = [warning] + blocks[:99]
    return view


def new_review(reference: str, today_iso: str, statement: str) -> dict:
    fields = [
        bk.text_input("reference", "Case reference", initial=reference,
                      hint="Names the private channel. Never put a person's name in it."),
        bk.date_input("notified_on", "Date the CSP was notified", initial=today_iso),
        bk.text_input("notifying_agency", "Notifying agency", placeholder="e.g. the police force"),
        bk.text_input("victim_pseudonym", "Victim's pseudonym",
                      hint="A pseudonym only, never the real name (up to 40 characters)."),
        bk.text_input("perpetrator_pseudonym", "Perpetrator's pseudonym", optional=True,
                      hint="A pseudonym only; leave empty if not yet agreed."),
        bk.text_input("victim_age", "Victim's age at death", placeholder="in years, e.g. 34"),
        bk.select_input("relationship", "Relationship of the perpetrator to the victim", intake.RELATIONSHIPS),
        bk.radio_input("suspected_suicide", "Is the death a suspected suicide?", intake.YES_NO),
        bk.divider(),
        bk.section(statement),
        bk.checkbox_input("confidentiality", "Confidentiality", {"agreed": "I agree to the statement above"},
                          optional=False),
    ]
    return bk.modal("New review", fields, callback_id=CallbackId.NEW_REVIEW, submit="Open review", close="Cancel")


CONCERN_LABELS = {
    "risk_not_acted_on": "Risk of serious harm not recognised, shared or acted on",
    "concerns_not_taken_seriously": "An agency's concerns were not taken seriously",
    "procedure_failings": "Failings in local DA or adult safeguarding procedures",
    "marac": "Victim was, or should have been, referred to MARAC",
    "reputations": "Implications for several agencies' reputations",
    "procedures_may_change": "National or local procedures may need to change",
    "position_of_trust": "Perpetrator in a position of trust",
    "no_agency_contact": "Victim had no known contact with any agency",
}
CONCERN_NOTES = {
    "procedure_failings": "Including no agency contact at all",
    "position_of_trust": "Police officer, social worker, health professional",
}


def decide(review_id: int, reference: str, decision_due: str, today_iso: str, victim_age: int,
           agencies: list[tuple[int, str]] = (), suicide_test: str | None = None) -> dict:
    blocks = [
        bk.section(f"*{reference}*: the CSP chair's decision, taken with partner agencies. "
                   f"Due by *{decision_due}*."),
        *([bk.section(f":information_source: {escape(suicide_test)}")] if suicide_test else []),
        bk.radio_input("outcome", "Decision", decision.OUTCOMES),
        bk.date_input("decided_on", "Date of the decision", initial=today_iso),
        *_consulted_inputs(agencies),
        bk.checkbox_input("concerns", "Situations of concern that apply", CONCERN_LABELS,
                          descriptions=CONCERN_NOTES),
        bk.checkbox_input("parallel_processes", "Parallel processes", decision.PARALLEL_PROCESSES,
                          hint=_child_review_hint(victim_age)),
        bk.date_input("home_office_told_on", "Date the Home Office was told"),
        bk.date_input("lscp_told_on", "Date the safeguarding children partnership was told", optional=True),
        bk.text_input("no_review_reasons", "Reasons for not holding a review", multiline=True, optional=True,
                      max_length=3000,
                      hint="Required when the decision is not to hold a review: the Home Office is told why."),
        bk.text_input("delay_reason", "Reason for any delay", multiline=True, optional=True, max_length=3000,
                      hint="Required when the decision is made more than one month after notification."),
    ]
    return bk.modal("Record decision", blocks, callback_id=CallbackId.DECIDE, submit="Record", close="Cancel",
                    private_metadata=json.dumps({"review_id": review_id}))


def _consulted_inputs(agencies: list[tuple[int, str]]) -> list:
    """The CSP's agencies to pick from, and a free text for any other partner consulted."""
    other = bk.text_input("agencies_consulted_other", "Other partner agencies consulted" if agencies else
                          "Partner agencies consulted", multiline=True, optional=bool(agencies),
                          hint="One agency per line." if not agencies else
                          "Any not in the list above, one per line.")
    if not agencies:
        return [other]
    element = StaticMultiSelectElement(action_id="agencies_consulted", placeholder=bk.plain("Choose agencies"),
                                       options=bk.options({str(i): name for i, name in agencies}))
    return [InputBlock(block_id="agencies_consulted", label=bk.plain("Partner agencies consulted"), element=element,
                       optional=True, hint=bk.plain("From the CSP's list of agencies. At least one agency, here or "
                                                    "below.")), other]


def _child_review_hint(age: int) -> str | None:
    if age < 18:
        return "The victim was 16 or 17: consider whether a child safeguarding practice review is needed."
    return None


def setup_progress(reference: str) -> dict:
    return bk.modal("New review", [bk.section(f":hourglass_flowing_sand: Opening *{reference}* and "
                                              "setting up its private channel…")],
                    callback_id=CallbackId.SETUP_STATUS)


def setup_done(reference: str, space_id: str) -> dict:
    return bk.modal("New review", [bk.section(f":white_check_mark: *{reference}* is open in <#{space_id}>. "
                                              "The summary card with the decision deadline is pinned there.")],
                    callback_id=CallbackId.SETUP_STATUS)


def setup_failed(reference: str, reason: str, review_id: int) -> dict:
    return bk.modal("New review", [
        bk.section(f":warning: *{reference}* is saved, but its channel is not ready. {reason}"),
        bk.actions(bk.button("Try again", ActionId.RETRY_SETUP, str(review_id), style="primary")),
        bk.context("Trying again finishes the set-up where it stopped; nothing is created twice."),
    ], callback_id=CallbackId.SETUP_STATUS)
