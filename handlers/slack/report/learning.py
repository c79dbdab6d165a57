"""/dhr lesson, /dhr themes [tag], /dhr leads and /dhr strategic add|list|edit|update|complete|verify|return|export on
Slack: the same use cases as on Teams (bot/workflow/report/learning_use_cases.py). What is strategic is
answered only to the person (ephemeral replies, forms, their DM): never posted in a shared channel."""
from bot.workflow.report import action_plan_use_cases as plan
from bot.workflow.report import learning_use_cases as cases
from bot.workflow.report import themes as learned
from handlers.slack.platform import files, listeners
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.forms import int_value, metadata_id
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.use_case import open_form, run, submitted
from messages.core import replies
from messages.report import learning as msgs
from messages.slack.ids import LearningActionId, LearningCallbackId
from messages.slack.render import read_state


def themes_of(svc: Services) -> dict[str, str]:
    return learned.catalogue(svc.settings.themes)


def withheld(svc: Services):
    """text -> it holds a term of any review's redaction list (the terms loaded once per request)."""
    matcher = svc.redactions.matcher() if svc.redactions is not None else None
    return matcher.find if matcher else (lambda _text: False)


@subcommand("lesson")
def _lesson(svc, command, client, respond):
    actor = actor_of(command)
    open_form(svc, SlackInteraction(None, command, client, respond), "Add key lesson",
              lambda s: msgs.lesson_form(plan.plan_form(s, command["channel_id"], actor, themes_of(svc))))


@subcommand("themes", "learning")
def _themes(svc, command, client, respond):
    ui = SlackInteraction(None, command, client, respond)
    if command["args"].lower() == "tag":
        actor = actor_of(command)
        open_form(svc, ui, "Themes", lambda s: msgs.tags_form(plan.plan_form(s, command["channel_id"], actor,
                                                                              themes_of(svc))))
        return
    run(svc, ui, lambda s, actor: cases.show_themes(s, actor, themes=themes_of(svc), env_admins=svc.settings.admins,
                                                    withheld=withheld(svc), now=svc.clock.now()))


@subcommand("leads")
def _leads(svc, command, client, respond):
    actor = actor_of(command)
    open_form(svc, SlackInteraction(None, command, client, respond), "Strategic leads",
              lambda s: msgs.leads_form(cases.leads_form(s, actor, svc.settings.admins)))


@subcommand("strategic")
def _strategic(svc, command, client, respond):
    ui, actor, admins = SlackInteraction(None, command, client, respond), actor_of(command), svc.settings.admins
    verb, _, number = command["args"].partition(" ")
    verb, number = verb.lower(), number.strip()
    if verb == "add":
        open_form(svc, ui, "Add strategic action",
                  lambda s: msgs.strategic_form(cases.strategic_form(s, actor, admins, withheld(svc))))
    elif verb == "edit":
        open_form(svc, ui, "Edit strategic action", lambda s: msgs.strategic_edit_form(
            cases.edit_form(s, actor, number, admins, withheld(svc))))
    elif verb == "update":
        open_form(svc, ui, "Progress update",
                  lambda s: msgs.strategic_progress_form(cases.owner_form(s, actor, number, admins)))
    elif verb == "complete":
        open_form(svc, ui, "Mark complete", lambda s: msgs.strategic_complete_form(
            cases.owner_form(s, actor, number, admins), svc.clock.today().isoformat()))
    elif verb == "return":
        open_form(svc, ui, "Send back", lambda s: msgs.strategic_return_form(cases.return_form(s, actor, number,
                                                                                                admins)))
    elif verb == "verify":
        run(svc, ui, lambda s, a: cases.verify_strategic(s, a, number, env_admins=admins, now=svc.clock.now()))
    elif verb == "export":
        run(svc, ui, lambda s, a: cases.export_strategic(
            s, a, env_admins=admins, today=svc.clock.today(), now=svc.clock.now(), calendar=svc.calendar,
            exporters=msgs.EXPORTERS, dm_space=files.dm_space(client), withheld=withheld(svc)))
    elif verb in ("", "list"):
        run(svc, ui, lambda s, a: cases.list_strategic(s, a, env_admins=admins, today=svc.clock.today(),
                                                       calendar=svc.calendar))
    else:
        respond(response_type="ephemeral", text=replies.unknown_command())


def lesson_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Add key lesson", lambda s, actor: cases.add_lesson(
        s, metadata_id(view) or 0, actor, read_state(view), themes=themes_of(svc), now=svc.clock.now()),
        keep_form=True)


def tags_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Themes", lambda s, actor: cases.retag(
        s, metadata_id(view) or 0, actor, read_state(view), themes=themes_of(svc), now=svc.clock.now()))


def leads_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Strategic leads", lambda s, actor: cases.set_leads(
        s, actor, read_state(view), svc.settings.admins, now=svc.clock.now()))


def strategic_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Add strategic action", lambda s, actor: cases.add_strategic(
        s, actor, read_state(view), env_admins=svc.settings.admins, withheld=withheld(svc), now=svc.clock.now(),
        today=svc.clock.today()))


def edit_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Edit strategic action", lambda s, actor: cases.edit_strategic(
        s, metadata_id(view, "action_id") or 0, actor, read_state(view), env_admins=svc.settings.admins,
        withheld=withheld(svc), now=svc.clock.now(), today=svc.clock.today()))


def open_progress(svc: Services, body, action, client):
    """The owner's button on their App Home."""
    actor = actor_of(body)
    open_form(svc, SlackInteraction(None, body, client), "Progress update", lambda s: msgs.strategic_progress_form(
        cases.owner_form(s, actor, "", svc.settings.admins, action_id=int_value(action.get("value")) or 0)))


def progress_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Progress update", lambda s, actor: cases.record_progress(
        s, metadata_id(view, "action_id") or 0, actor, read_state(view), env_admins=svc.settings.admins,
        now=svc.clock.now(), today=svc.clock.today()))


def complete_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Mark complete", lambda s, actor: cases.record_completion(
        s, metadata_id(view, "action_id") or 0, actor, read_state(view), env_admins=svc.settings.admins,
        now=svc.clock.now(), today=svc.clock.today()))


def return_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Send back", lambda s, actor: cases.send_back(
        s, metadata_id(view, "action_id") or 0, actor, read_state(view), env_admins=svc.settings.admins,
        now=svc.clock.now()))


LISTENERS = [
    ("view", LearningCallbackId.LESSON, lesson_submitted),
    ("view", LearningCallbackId.TAGS, tags_submitted),
    ("view", LearningCallbackId.LEADS, leads_submitted),
    ("view", LearningCallbackId.STRATEGIC, strategic_submitted),
    ("view", LearningCallbackId.STRATEGIC_EDIT, edit_submitted),
    ("action", LearningActionId.STRATEGIC_PROGRESS, open_progress),
    ("view", LearningCallbackId.STRATEGIC_PROGRESS, progress_submitted),
    ("view", LearningCallbackId.STRATEGIC_COMPLETE, complete_submitted),
    ("view", LearningCallbackId.STRATEGIC_RETURN, return_submitted),
]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
