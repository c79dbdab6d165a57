"""What the bot says about a shared file that holds a term on the redaction list: where, never what."""
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Icon, Mention, SpaceLink, SpaceWord, text
from bot.workflow.evidence.file_notices import TermInFile, TermInFileShared
from messages import tree

CANNOT_DELETE = "A chat app may delete only the files it uploaded itself, so I can't remove it for you."
HOW_TO_DELETE = text("Open the file's ", Bold("More actions"), " menu where you shared it and choose ", Bold("Delete"),
                     ".")


def to_uploader(n: TermInFile) -> tree.Message:
    head = text(Icon("warning"), " ", Bold(n.reference), ": the file you just shared contains a term on the "
                f"redaction list (a real name, date of birth or address) in {n.where}. Nothing that holds the term "
                "is kept in the review.")
    if n.deleted:
        ask = text("I have deleted it. Share a copy that uses the pseudonyms instead.")
    else:
        seen_by = () if n.in_dm else (": everyone in the ", SpaceWord(), " can open it")
        ask = text(Bold("Please delete it now"), *seen_by, ". ", HOW_TO_DELETE,
                   f" {CANNOT_DELETE} Then share a copy that uses the pseudonyms.")
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
