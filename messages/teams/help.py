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
    ("report", "in a review's chat, the overview report, executive summary and action plan templates (sent to our "
               "1:1 chat; coordinator or chair). Send me a draft .docx named \u201coverview report\u201d or "
               "\u201cexecutive summary\u201d here: I check it for registered names (text, headers, footers, "
               "comments, properties), missing sections, dates of birth and addresses, and offer the timescales "
               "paragraph; submission to the Home Office waits for both to pass, or a reason to submit anyway"),
    ("guide [approve]", "in a review's chat, where the one-minute guide stands, or approve it (coordinator or chair). "
                        "Its draft comes to the chair when the report is published; send the edited .docx, named "
                        "\u201cone-minute guide\u201d, to me here to check it"),
    ("recommend", "in a review's chat, add a recommendation to the action plan (coordinator or chair)"),
    ("action [link]", "in a review's chat, add a SMART action to a recommendation; its owner is told in their chat "
                      "with me (link: an action answered by one of the CSP's strategic actions, verified with it)"),
    ("actions", "in a review's chat, the action plan (coordinator or chair: also as XLSX and DOCX, sent to our "
                "1:1 chat)"),
    ("lesson", "in a review's chat, record a key lesson (anonymised) with its themes; \"themes tag\" changes the "
               "themes of a recommendation or lesson (coordinator or chair)"),
    ("themes", "the themes across every review, with their anonymised recommendations and lessons, in our 1:1 chat "
               "(CSP admins and strategic leads)"),
    ("strategic add | list | edit N | update N | complete N | verify N | return N | export",
     "the CSP's Strategic Action Plan: SMART actions answering recommendations of several reviews; edit changes "
     "one still open; the board export comes to our 1:1 chat (CSP admins and strategic leads; owners update "
     "their own, also from My work)"),
    ("leads", "name the strategic leads (CSP admins)"),
    ("hold [reason]", "in a review's chat, hold one activity (witness interviews, family contact, publication, one "
                      "agency's evidence) as the SIO, CPS or coroner agreed; the rest goes on (coordinator or chair)"),
    ("lift", "in a review's chat, lift a hold: the activity and its reminders start again"),
    ("extend", "in a review's chat, record another timescale the CSP agreed for one deadline: who agreed it, "
               "on which date, the new date (the only way a deadline moves)"),
    ("audit", "in a review's chat, the latest entries of its audit log (its Export button sends the CSV to our "
              "1:1 chat)"),
    ("conclude", "in a review's chat, conclude the review: the chat is marked closed and everyone but the "
                 "coordinator removed"),
    ("board [2026-Q3]", "the quarterly board report (timeliness against the national figures, time in each stage, "
                        "reviews open, actions by RAG, overdue evidence by agency) as a Word file with charts, sent "
                        "to our 1:1 chat (CSP admins and coordinators)"),
    ("retention confirm DHR-YYYY-NN", "delete a concluded review's content once its retention period is over"),
)


def help_text() -> Text:
    lines = [text(Bold("DHR Bot commands")),
             text("Type them to me here, or after @DHR Bot in a review's chat. Send chronologies (CSV or XLSX), "
                  "IMRs and draft reports (.docx) to me here in our 1:1 chat: Teams gives me no files posted in a "
                  "group chat.")]
    lines += [text("• ", Bold(word), ": ", what) for word, what in COMMANDS]
    return text(*_joined(lines))


def unknown_command() -> Text:
    return text("That isn't a command I know.\n") + help_text()


def _joined(lines):
    for i, line in enumerate(lines):
        if i:
            yield "\n"
        yield line
