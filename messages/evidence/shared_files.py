"""What the bot says about a shared file that holds a term on the redaction list: where, never what."""
from messages.slack import blocks as bk

CANNOT_DELETE = "Slack lets an app delete only the files it uploaded itself, so I can't remove it for you."
HOW_TO_DELETE = "Hover over the file, open its *⋮ More actions* menu and choose *Delete file*."


def to_uploader(reference: str, where: str, deleted: bool, in_dm: bool, coordinator_told: bool) -> dict:
    head = (f":warning: *{reference}*: the file you just shared contains a term on the redaction list (a real "
            f"name, date of birth or address) in {where}. Nothing that holds the term is kept in the review.")
    if deleted:
        ask = "I have deleted it. Share a copy that uses the pseudonyms instead."
    else:
        ask = (f"*Please delete it now*{'' if in_dm else ': everyone in the channel can open it'}. "
               f"{HOW_TO_DELETE} {CANNOT_DELETE} Then share a copy that uses the pseudonyms.")
    told = ("The coordinator has been told, and it is recorded in the review's audit log." if coordinator_told
            else "It is recorded in the review's audit log.")
    return bk.message([bk.section(head), bk.section(ask), bk.context(told)],
                      f"{reference}: the file you shared contains a term on the redaction list")


def to_coordinator(reference: str, uploader: str, space: str | None, where: str, deleted: bool) -> dict:
    shared = f" in <#{space}>" if space else " with me in a DM"
    what = ("I have deleted it." if deleted else
            f"I have asked them to delete it. {CANNOT_DELETE} Check it is gone, or delete it yourself if you "
            "manage the workspace.")
    text = (f":warning: *{reference}*: <@{uploader}> shared a file{shared} that contains a term on the redaction "
            f"list, in {where}. {what} It is recorded in the audit log.")
    return bk.message([bk.section(text)], f"{reference}: a shared file contains a term on the redaction list")
