"""Panel, admins, agencies and redaction: forms and messages."""
import json

from slack_sdk.models.blocks import InputBlock, UserMultiSelectElement, UserSelectElement

from bot.workflow.core.notices import Invitation, InvitationAnswered, PanelChanged
from bot.workflow.core.permissions import Role
from bot.workflow.panel.panel import MAX_ROWS, AgenciesChanged
from messages.core.text import escape, render, template_sha256
from messages.slack import blocks as bk
from messages.slack.ids import ActionId, CallbackId

STATEMENT = "confidentiality_statement.md.j2"


def statement() -> str:
    return render(STATEMENT)


def statement_sha() -> str:
    return template_sha256(STATEMENT)


PANEL_FIELDS = frozenset(f"{key}_{n}" for key in ("person", "role", "agency") for n in range(1, MAX_ROWS + 1))


def panel_form(review_id: int, reference: str, agencies: list[tuple[int, str]], members: list) -> dict:
    current = "\n".join(f"• <@{m.user_id}>: {m.role_label}{f' ({escape(m.agency)})' if m.agency else ''}"
                        f"{' _(awaiting agreement)_' if m.pending else ''}" for m in members) or "Nobody yet."
    blocks = [
        bk.section(f"*{reference} panel*\n{current}"),
        bk.divider(),
        bk.radio_input("change", "What do you want to do?", {"add": "Add people, or change their roles",
                                                              "remove": "Remove people from the review"}),
        bk.context(f"Up to {MAX_ROWS} people at once, one per row: a person, their role and their agency. "
                   "Only CSP admins appoint coordinators; panel members, agency leads and IMR authors need an "
                   "agency. To remove people, the person is enough."),
    ]
    for n in range(1, MAX_ROWS + 1):
        blocks += _person_row(n, agencies)
    if not agencies:
        blocks.append(bk.context("No agencies are set up yet: a CSP admin adds them with `/dhr agencies`."))
    blocks.append(bk.context("New people are sent the confidentiality statement and join the channel "
                             "only once they agree. Removing someone takes them out of the channel at once."))
    return bk.modal("Review panel", blocks, callback_id=CallbackId.PANEL, submit="Save", close="Cancel",
                    private_metadata=json.dumps({"review_id": review_id}))


def _person_row(n: int, agencies: list[tuple[int, str]]) -> list:
    row = [InputBlock(block_id=f"person_{n}", label=bk.plain(f"Person {n}"), optional=True,
                      element=UserSelectElement(action_id=f"person_{n}", placeholder=bk.plain("Choose a person"))),
           bk.select_input(f"role_{n}", f"Role {n}", {r.value: r.label for r in Role}, optional=True)]
    if agencies:
        row.append(bk.select_input(f"agency_{n}", f"Agency {n}", {str(i): name for i, name in agencies}, optional=True))
    return row


def admins_form(env_admins: tuple[str, ...], stored: list[str]) -> dict:
    element = UserMultiSelectElement(action_id="admins", initial_users=stored or None,
                                      placeholder=bk.plain("Choose people"))
    blocks = [bk.section("CSP admins create reviews, appoint coordinators and keep the list of agencies."),
              InputBlock(block_id="admins", label=bk.plain("Admins"), element=element, optional=True)]
    if env_admins:
        blocks.append(bk.context("Always admins (set by DHR_ADMINS): " + ", ".join(f"<@{u}>" for u in env_admins)))
    return bk.modal("CSP admins", blocks, callback_id=CallbackId.ADMINS, submit="Save", close="Cancel")


def agencies_form(names: list[str], space_id: str | None = None) -> dict:
    return bk.modal("Agencies", [
        bk.section("The agencies that can sit on review panels (police force, NHS trust, council, probation, "
                   "domestic abuse service…). Removing one keeps it on past reviews."),
        bk.text_input("agencies", "Agencies, one per line", initial="\n".join(names) or None, multiline=True,
                      max_length=3000),
    ], callback_id=CallbackId.AGENCIES, submit="Save", close="Cancel",
        private_metadata=json.dumps({"channel_id": space_id}) if space_id else None)


def agencies_saved(changed: AgenciesChanged) -> dict:
    """Told only to the admin who saved the list."""
    parts = []
    if changed.added:
        parts.append("added " + ", ".join(escape(n) for n in changed.added))
    if changed.retired:
        parts.append("removed " + ", ".join(escape(n) for n in changed.retired) + " (kept on past reviews)")
    what = "; ".join(parts) if parts else "nothing changed"
    count = f"{changed.total} {'agency' if changed.total == 1 else 'agencies'}"
    return {"text": f":white_check_mark: Agencies saved: {what}. The list has {count}."}


REDACTION_KINDS = {"name": "A real name", "date_of_birth": "A date of birth", "address": "Part of an address",
                   "other": "Something else"}


def redaction_form(review_id: int, reference: str, count: int) -> dict:
    return bk.modal("Redaction list", [
        bk.section(f"*{reference}* has {count} redaction {'entry' if count == 1 else 'entries'}. The bot refuses "
                   "any form, message, file name or channel detail that contains one. Terms are kept only as "
                   "keyed hashes, so nobody (including you) can read the list back."),
        bk.radio_input("kind", "What is it?", REDACTION_KINDS),
        bk.text_input("term", "Term", hint="For example a real first and last name, or a date of birth."),
    ], callback_id=CallbackId.REDACTION, submit="Add", close="Cancel",
        private_metadata=json.dumps({"review_id": review_id}))


def invitation(notice: Invitation) -> dict:
    intro = render("invitation.md.j2", invited_by=notice.invited_by, reference=notice.reference,
                   role_label=notice.role_label, agency=notice.agency)
    value = str(notice.agreement_id)
    return bk.message([
        bk.section(intro), bk.section(statement()),
        bk.actions(bk.button("I agree", ActionId.AGREE, value, style="primary"),
                   bk.button("I can't take part", ActionId.DECLINE, value), block_id="answer"),
    ], f"You have been invited to join review {notice.reference}")


def invitation_answered(notice: InvitationAnswered) -> dict:
    if notice.agreed:
        text = (f":white_check_mark: Thank you. You agreed to the confidentiality statement and have been added "
                f"to review {notice.reference}" + (f": <#{notice.space_id}>." if notice.space_id else "."))
    else:
        text = f"You told us you can't take part in review {notice.reference}. The coordinator has been told."
    return {"text": text, "blocks": []}


def panel_changed(notice: PanelChanged) -> dict:
    return {"text": notice.text}
