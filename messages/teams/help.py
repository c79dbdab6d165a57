"""What the bot understands on Teams: typed to it in your 1:1 chat, or after @DHR Bot in a review's chat."""
from bot.workflow.core.text import Bold, Text, text

COMMANDS = (
    ("new", "record a new notification and open a review (CSP admins; a group chat named from its reference "
            "is made for it, and whoever opens it is its first coordinator)"),
    ("decide", "in a review's chat, record the CSP's decision whether to hold a review"),
    ("status [DHR-YYYY-NN]", "in a review's chat (or anywhere, with its reference), the review's summary card"),
    ("panel", "in a review's chat, add people with their roles and agencies (they agree to the confidentiality "
              "statement first), change roles, remove people"),
    ("retry [reference]", "finish setting up a review whose chat is not ready (its coordinator)"),
    ("reviews", "list the reviews you are part of"),
    ("home | my work", "your work on every review (requests, actions, invitations; for coordinators the portfolio) "
                       "as one card in your chat with me, kept up to date as it changes"),
    ("help", "this list"),
    ("tor", "in a review's chat, the terms of reference: save a version; once agreed, the panel confirms reading"),
    ("request", "in a review's chat, ask agencies for scoping answers, chronologies, IMRs or short reports by a date"),
    ("evidence [mark]", "in a review's chat, who has sent what (mark: record what arrived outside the bot)"),
    ("chronology add | correct <n>", "in a review's chat, add one chronology entry, or correct entry n"),
    ("chronology [template]", "in a review's chat, the combined chronology as XLSX and CSV (coordinator or chair), "
                              "or the empty template; files come to our 1:1 chat for you to allow"),
    ("family", "in a review's chat, family, friends and colleagues by relationship, and the interviews"),
    ("imr", "in a review's chat, the IMR template (sent to our 1:1 chat)"),
    ("stage [step]", "in a review's chat, what is recorded and the next steps of the report (coordinator or chair)"),
    ("recommend", "in a review's chat, add a recommendation to the action plan (coordinator or chair)"),
    ("action", "in a review's chat, add a SMART action to a recommendation; its owner is told in their chat with me"),
    ("actions", "in a review's chat, the action plan (coordinator or chair: also as XLSX and DOCX, sent to our "
                "1:1 chat)"),
    ("hold [reason]", "in a review's chat, hold one activity (witness interviews, family contact, publication, one "
                      "agency's evidence) as the SIO, CPS or coroner agreed; the rest goes on (coordinator or chair)"),
    ("lift", "in a review's chat, lift a hold: the activity and its reminders start again"),
    ("extend", "in a review's chat, record another timescale the CSP agreed for one deadline: who agreed it, "
               "on which date, the new date (the only way a deadline moves)"),
    ("audit", "in a review's chat, the latest entries of its audit log (its Export button sends the CSV to our "
              "1:1 chat)"),
    ("conclude", "in a review's chat, conclude the review: the chat is marked closed and everyone but the "
                 "coordinator removed"),
    ("retention confirm DHR-YYYY-NN", "delete a concluded review's content once its retention period is over"),
)


def help_text() -> Text:
    lines = [text(Bold("DHR Bot commands")),
             text("Type them to me here, or after @DHR Bot in a review's chat. Send chronologies (CSV or XLSX) and "
                  "IMRs (.docx) to me here in our 1:1 chat: Teams gives me no files posted in a group chat.")]
    lines += [text("• ", Bold(word), ": ", what) for word, what in COMMANDS]
    return text(*_joined(lines))


def unknown_command() -> Text:
    return text("That isn't a command I know.\n") + help_text()


def _joined(lines):
    for i, line in enumerate(lines):
        if i:
            yield "\n"
        yield line
