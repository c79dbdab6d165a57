"""The IMR's forms and messages as neutral trees (the template document is in documents.py)."""
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Bold, Icon, Mention, text
from bot.workflow.evidence.file_notices import ImrReady, ImrReturned, ImrSubmitted
from bot.workflow.evidence.imr import DeclarationsForm, ReturnForm
from bot.workflow.evidence.imr_use_cases import ImrInfo, VersionForm
from messages import tree
from messages.slack.ids import EvidenceId


def imr_info(about: ImrInfo) -> tree.Form:
    return tree.Form(EvidenceId.IMR_INFO, "IMR", [
        tree.Paragraph(text(Bold(about.reference), ": the Individual Management Review for ", Bold(about.agency),
                            ".\n1. Get the template (a Word document with every required section).\n"
                            "2. Write the IMR in Word; pseudonyms only.\n"
                            "3. Upload the finished .docx in a DM to me. I check it has every section, the "
                            "independence statement and the senior manager's sign-off, then ask for your "
                            "declarations.")),
        tree.Actions([tree.Button("Send me the IMR template", EvidenceId.SEND_IMR_TEMPLATE, str(about.review_id))]),
    ], close="Close")


def declarations_form(about: VersionForm, today_iso: str) -> tree.Form:
    form = DeclarationsForm
    return tree.Form(EvidenceId.IMR_DECLARE, "Submit IMR", [
        tree.Paragraph(text(Bold(about.reference), f": IMR version {about.version} for ", Bold(about.agency), ".")),
        form.declarations, form.senior_manager, form.feedback_held, form.feedback_on.but(initial=today_iso),
    ], submit="Submit", metadata={"version_id": about.version_id})


def return_form(about: VersionForm) -> tree.Form:
    return tree.Form(EvidenceId.IMR_RETURN, "Return IMR", [
        tree.Paragraph(text(Bold(about.reference), ": return ", Bold(about.agency),
                            f"'s IMR version {about.version} to its author.")),
        ReturnForm.comments,
    ], submit="Return", metadata={"version_id": about.version_id})


def imr_ready(n: ImrReady) -> tree.Message:
    return tree.Message([
        tree.Paragraph(text(Icon("page_facing_up"), " ", Bold(n.reference), f": IMR version {n.version} has every "
                            "section. Complete the declarations to submit it to the chair.")),
        tree.Actions([tree.Button("Declarations and submit", EvidenceId.OPEN_DECLARE, str(n.version_id),
                                  style="primary")]),
    ], f"{n.reference}: IMR version {n.version} checked")


def imr_submitted(n: ImrSubmitted) -> tree.Message:
    return tree.Message([
        tree.Paragraph(text(Icon("inbox_tray"), " ", Mention(PersonRef(n.author)), " submitted ", Bold(n.agency),
                            f"'s IMR, version {n.version}, for {n.reference}.")),
        tree.Actions([tree.Button("Accept", EvidenceId.ACCEPT_IMR, str(n.version_id), style="primary"),
                      tree.Button("Return with comments", EvidenceId.OPEN_RETURN, str(n.version_id))]),
    ], f"{n.reference}: {n.agency}'s IMR submitted")


def imr_returned(n: ImrReturned) -> tree.Message:
    """The chair's comments quoted as written."""
    return tree.Message([
        tree.Paragraph(text(Icon("leftwards_arrow_with_hook"), " ", Mention(PersonRef(n.by)), " returned ",
                            Bold(n.agency), f"'s IMR version {n.version} for {n.reference} with comments:")),
        tree.Quote(n.comments),
    ], f"{n.reference}: {n.agency}'s IMR version {n.version} returned with comments")
