"""What the bot says about a shared file that holds a term on the redaction list: where, never what."""
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Icon, Mention, SpaceLink, text
from bot.workflow.evidence.file_notices import TermInFile, TermInFileShared
from messages import tree

CANNOT_DELETE = "Slack lets an app delete only the files it uploaded itself, so I can't remove it for you."
HOW_TO_DELETE = text("Hover over the file, open its ", Bold("⋮ More actions"), " menu and choose ", Bold("Delete file"),
                     ".")


def to_uploader(n: TermInFile) -> tree.Message:
    head = text(Icon("warning"), " ", Bold(n.reference), ": the file you just shared contains a term on the "
                f"redaction list (a real name, date of birth or address) in {n.where}. Nothing that holds the term "
                "is kept in the review.")
    if n.deleted:
        ask = text("I have deleted it. Share a copy that uses the pseudonyms instead.")
    else:
        ask = text(Bold("Please delete it now"), "" if n.in_dm else ": everyone in the channel can open it", ". ",
                   HOW_TO_DELETE, f" {CANNOT_DELETE} Then share a copy that uses the pseudonyms.")
    told = ("The coordinator has been told, and it is recorded in the review's audit log." if n.coordinator_told
            else "It is recorded in the review's audit log.")
    return tree.Message([tree.Paragraph(head), tree.Paragraph(ask), tree.Context(text(told))],
                        f"{n.reference}: the file you shared contains a term on the redaction list")


def to_coordinator(n: TermInFileShared) -> tree.Message:
    shared = text(" in ", SpaceLink(SpaceRef(n.space)), "") if n.space else text(" with me in a DM")
    what = ("I have deleted it." if n.deleted else
            f"I have asked them to delete it. {CANNOT_DELETE} Check it is gone, or delete it yourself if you "
            "manage the workspace.")
    return tree.Message([tree.Paragraph(text(
        Icon("warning"), " ", Bold(n.reference), ": ", Mention(PersonRef(n.uploader)), " shared a file", shared,
        f" that contains a term on the redaction list, in {n.where}. {what} It is recorded in the audit log."))],
        f"{n.reference}: a shared file contains a term on the redaction list")
