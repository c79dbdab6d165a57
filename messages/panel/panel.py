"""Panel, admins, agencies and redaction: forms and messages."""
import hashlib

from bot.workflow.core import naming
from bot.workflow.core.notices import Invitation, InvitationAnswered, PanelChanged
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Command, Icon, Italic, Mention, SpaceLink, Text, join, text
from bot.workflow.panel.panel import MAX_ROWS, AdminsForm, AgenciesChanged, AgenciesForm, PanelForm
from bot.workflow.panel.panel_use_cases import AdminsFormData, PanelFormData
from bot.workflow.panel.redaction_list import RedactionForm
from bot.workflow.panel.redaction_use_cases import RedactionFormData
from messages import tree
from messages.core.text import render
from messages.slack.ids import ActionId, CallbackId

STATEMENT = "confidentiality_statement.md.j2"


def statement() -> str:
    return render(STATEMENT, review_name=naming.current().name)


def statement_sha() -> str:
    """Which wording someone agreed to: the statement as it reads now (template and review name)."""
    return hashlib.sha256(statement().encode()).hexdigest()


# ---------------------------------------------------------------- the panel

def panel_form(data: PanelFormData) -> tree.Form:
    current = join("\n", [text("• ", Mention(PersonRef(m.user_id)), f": {m.role_label}",
                               f" ({m.agency})" if m.agency else "",
                               text(" ", Italic("(awaiting agreement)")) if m.pending else "")
                          for m in data.members]) or text("Nobody yet.")
    blocks: list = [
        tree.Paragraph(text(Bold(f"{data.reference} panel"), "\n", current)),
        tree.Divider(),
        PanelForm.change,
        tree.Context(text(f"Up to {MAX_ROWS} people at once, one per row: a person, their role and their agency. "
                          "Only CSP admins appoint coordinators; panel members, agency leads and IMR authors need an "
                          "agency. To remove people, the person is enough.")),
    ]
    agencies = {str(i): name for i, name in data.agencies}
    for n in range(1, MAX_ROWS + 1):
        person, role, agency = PanelForm.row(n)
        blocks += [person, role] + ([agency.but(options=agencies)] if agencies else [])
    if not agencies:
        blocks.append(tree.Context(text("No agencies are set up yet: a CSP admin adds them with ",
                                        Command("agencies"), ".")))
    blocks.append(tree.Context(text("New people are sent the confidentiality statement and join the channel "
                                    "only once they agree. Removing someone takes them out of the channel at once.")))
    return tree.Form(CallbackId.PANEL, "Review panel", blocks, submit="Save",
                     metadata={"review_id": data.review_id})


# ---------------------------------------------------------------- admins and agencies

def admins_form(data: AdminsFormData) -> tree.Form:
    always = ([tree.Context(text("Always admins (set by DHR_ADMINS): ",
                                 join(", ", [Mention(PersonRef(u)) for u in data.always])))]
              if data.always else [])
    return tree.Form(CallbackId.ADMINS, "CSP admins", [
        tree.Paragraph(text("CSP admins create reviews, appoint coordinators and keep the list of agencies.")),
        AdminsForm.admins.but(initial=data.stored or None), *always,
    ], submit="Save")


def agencies_form(names: list[str], space_id: str | None = None) -> tree.Form:
    """`space_id`: where the command ran, for telling the admin what changed (the form's metadata)."""
    return tree.Form(CallbackId.AGENCIES, "Agencies", [
        tree.Paragraph(text("The agencies that can sit on review panels (police force, NHS trust, council, "
                            "probation, domestic abuse service…). Removing one keeps it on past reviews.")),
        AgenciesForm.agencies.but(initial="\n".join(names) or None),
    ], submit="Save", metadata={"channel_id": space_id} if space_id else {})


def agencies_saved(changed: AgenciesChanged) -> Text:
    """Told only to the admin who saved the list."""
    parts = []
    if changed.added:
        parts.append("added " + ", ".join(changed.added))
    if changed.retired:
        parts.append("removed " + ", ".join(changed.retired) + " (kept on past reviews)")
    what = "; ".join(parts) if parts else "nothing changed"
    count = f"{changed.total} {'agency' if changed.total == 1 else 'agencies'}"
    return text(Icon("white_check_mark"), f" Agencies saved: {what}. The list has {count}.")


# ---------------------------------------------------------------- the redaction list

def redaction_form(data: RedactionFormData) -> tree.Form:
    count = data.count
    return tree.Form(CallbackId.REDACTION, "Redaction list", [
        tree.Paragraph(text(Bold(data.reference), f" has {count} redaction {'entry' if count == 1 else 'entries'}. "
                            "The bot refuses any form, message, file name or channel detail that contains one. "
                            "Terms are kept only as keyed hashes, so nobody (including you) can read the list back.")),
        RedactionForm.kind, RedactionForm.term,
    ], submit="Add", metadata={"review_id": data.review_id})


def redaction_added(count: int) -> tree.Form:
    return tree.notice("Redaction list", text(Icon("lock"), f" Added. The list now has {count} "
                                                            f"{'entry' if count == 1 else 'entries'}; the bot refuses "
                                                            "anything that contains one."))


# ---------------------------------------------------------------- notices

def invitation(notice: Invitation) -> tree.Message:
    """The statement is a template a CSP may replace, written in Slack's markup (bold as *…*)."""
    agency = f" for {notice.agency}" if notice.agency else ""
    intro = text(Mention(PersonRef(notice.invited_by)), " has invited you to join review ", Bold(notice.reference),
                 " as ", Bold(notice.role_label), f"{agency}.\nBefore you can see anything of the review, please "
                 "read the statement below and answer.")
    value = str(notice.agreement_id)
    return tree.Message([
        tree.Paragraph(intro), tree.Paragraph(statement()),
        tree.Actions([tree.Button("I agree", ActionId.AGREE, value, style="primary"),
                      tree.Button("I can't take part", ActionId.DECLINE, value)], id="answer"),
    ], f"You have been invited to join review {notice.reference}")


def invitation_answered(notice: InvitationAnswered) -> Text:
    if notice.agreed:
        where = text(": ", SpaceLink(SpaceRef(notice.space_id)), ".") if notice.space_id else "."
        return text(Icon("white_check_mark"), " Thank you. You agreed to the confidentiality statement and have "
                                              f"been added to review {notice.reference}", where)
    return text(f"You told us you can't take part in review {notice.reference}. The coordinator has been told.")


def panel_changed(notice: PanelChanged) -> Text:
    return notice.text
