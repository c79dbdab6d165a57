"""lesson, themes [tag], leads and strategic add|list|edit|update|complete|verify|return|export on Teams: the same use
cases as on Slack (bot/workflow/report/learning_use_cases.py). What is strategic is answered in the
person's 1:1 chat, and the board's files come by file consent card there."""
from bot.workflow.report import action_plan_use_cases as plan
from bot.workflow.report import learning_use_cases as cases
from bot.workflow.report import themes as learned
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.router import FormRoute
from handlers.teams.platform.use_case import int_or_zero, run, submitted
from handlers.teams.report.action_plan import review_space
from messages import tree
from messages.core import replies
from messages.report import learning as msgs
from messages.slack.ids import LearningActionId, LearningCallbackId


def themes_of(teams: Teams) -> dict[str, str]:
    return learned.catalogue(teams.svc.settings.themes)


def withheld(teams: Teams):
    """text -> it holds a term of any review's redaction list (the terms loaded once per request)."""
    matcher = teams.svc.redactions.matcher() if teams.svc.redactions is not None else None
    return matcher.find if matcher else (lambda _text: False)


def lesson_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.lesson_form(plan.plan_form(s, review_space(teams, s, activity, meta), actor_of(activity),
                                               themes_of(teams)))


def tags_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.tags_form(plan.plan_form(s, review_space(teams, s, activity, meta), actor_of(activity),
                                             themes_of(teams)))


def leads_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.leads_form(cases.leads_form(s, actor_of(activity), teams.admins))


def strategic_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.strategic_form(cases.strategic_form(s, actor_of(activity), teams.admins, withheld(teams)))


def edit_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.strategic_edit_form(cases.edit_form(s, actor_of(activity), str(meta.get("number") or ""),
                                                        teams.admins, withheld(teams),
                                                        action_id=int_or_zero(meta.get("action_id"))))


def progress_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.strategic_progress_form(_owner_form(s, activity, meta, teams))


def complete_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.strategic_complete_form(_owner_form(s, activity, meta, teams), teams.svc.clock.today().isoformat())


def _owner_form(s, activity, meta: dict, teams: Teams) -> cases.StrategicOwnerData:
    """Opened with the number typed; drawn again on submission from the form's action id."""
    return cases.owner_form(s, actor_of(activity), str(meta.get("number") or ""), teams.admins,
                            action_id=int_or_zero(meta.get("action_id")))


def return_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.strategic_return_form(cases.return_form(s, actor_of(activity), str(meta.get("number") or ""),
                                                            teams.admins, action_id=int_or_zero(meta.get("action_id"))))


def lesson(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form("Add key lesson", lambda: lesson_form(teams, ui.activity, {}))


def themes(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    if words.strip().lower() == "tag":
        ui.open_form("Themes", lambda: tags_form(teams, ui.activity, {}))
        return
    svc = teams.svc
    run(teams, ui, lambda s, actor: cases.show_themes(s, actor, themes=themes_of(teams), env_admins=teams.admins,
                                                      withheld=withheld(teams), now=svc.clock.now()))


def leads(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form("Strategic leads", lambda: leads_form(teams, ui.activity, {}))


def strategic(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    svc, admins = teams.svc, teams.admins
    verb, _, number = words.strip().partition(" ")
    verb, number = verb.lower(), number.strip()
    if verb == "add":
        ui.open_form("Add strategic action", lambda: strategic_form(teams, ui.activity, {}))
    elif verb == "edit":
        ui.open_form("Edit strategic action", lambda: edit_form(teams, ui.activity, {"number": number}))
    elif verb == "update":
        ui.open_form("Progress update", lambda: progress_form(teams, ui.activity, {"number": number}))
    elif verb == "complete":
        ui.open_form("Mark complete", lambda: complete_form(teams, ui.activity, {"number": number}))
    elif verb == "return":
        ui.open_form("Send back", lambda: return_form(teams, ui.activity, {"number": number}))
    elif verb == "verify":
        run(teams, ui, lambda s, a: cases.verify_strategic(s, a, number, env_admins=admins, now=svc.clock.now()))
    elif verb == "export":
        run(teams, ui, lambda s, a: cases.export_strategic(
            s, a, env_admins=admins, today=svc.clock.today(), now=svc.clock.now(), calendar=svc.calendar,
            exporters=msgs.EXPORTERS, dm_space=ui.port.open_dm, withheld=withheld(teams)))
    elif verb in ("", "list"):
        run(teams, ui, lambda s, a: cases.list_strategic(s, a, env_admins=admins, today=svc.clock.today(),
                                                         calendar=svc.calendar))
    else:
        ui.reply(replies.unknown_command())


def lesson_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    submitted(teams, ui, "Add key lesson", lambda s, actor: cases.add_lesson(
        s, int_or_zero(meta.get("review_id")), actor, ui.typed(), themes=themes_of(teams), now=teams.svc.clock.now()),
        keep_form=True)


def tags_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    submitted(teams, ui, "Themes", lambda s, actor: cases.retag(
        s, int_or_zero(meta.get("review_id")), actor, ui.typed(), themes=themes_of(teams), now=teams.svc.clock.now()))


def leads_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    submitted(teams, ui, "Strategic leads", lambda s, actor: cases.set_leads(
        s, actor, ui.typed(), teams.admins, now=teams.svc.clock.now()))


def strategic_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Add strategic action", lambda s, actor: cases.add_strategic(
        s, actor, ui.typed(), env_admins=teams.admins, withheld=withheld(teams), now=svc.clock.now(),
        today=svc.clock.today()))


def edit_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Edit strategic action", lambda s, actor: cases.edit_strategic(
        s, int_or_zero(meta.get("action_id")), actor, ui.typed(), env_admins=teams.admins, withheld=withheld(teams),
        now=svc.clock.now(), today=svc.clock.today()))


def open_progress(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    """The owner's button on their "My work" card."""
    ui.open_form("Progress update", lambda: progress_form(teams, ui.activity, {"action_id": value}))


def progress_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Progress update", lambda s, actor: cases.record_progress(
        s, int_or_zero(meta.get("action_id")), actor, ui.typed(), env_admins=teams.admins, now=svc.clock.now(),
        today=svc.clock.today()))


def complete_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Mark complete", lambda s, actor: cases.record_completion(
        s, int_or_zero(meta.get("action_id")), actor, ui.typed(), env_admins=teams.admins, now=svc.clock.now(),
        today=svc.clock.today()))


def return_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    submitted(teams, ui, "Send back", lambda s, actor: cases.send_back(
        s, int_or_zero(meta.get("action_id")), actor, ui.typed(), env_admins=teams.admins, now=teams.svc.clock.now()))


LISTENERS = [
    ("command", "lesson", lesson), ("command", "themes", themes), ("command", "learning", themes),
    ("command", "leads", leads), ("command", "strategic", strategic),
    ("form", LearningCallbackId.LESSON, FormRoute(lesson_form, lesson_submitted)),
    ("form", LearningCallbackId.TAGS, FormRoute(tags_form, tags_submitted)),
    ("form", LearningCallbackId.LEADS, FormRoute(leads_form, leads_submitted)),
    ("form", LearningCallbackId.STRATEGIC, FormRoute(strategic_form, strategic_submitted)),
    ("form", LearningCallbackId.STRATEGIC_EDIT, FormRoute(edit_form, edit_submitted)),
    ("action", LearningActionId.STRATEGIC_PROGRESS, open_progress),
    ("form", LearningCallbackId.STRATEGIC_PROGRESS, FormRoute(progress_form, progress_submitted)),
    ("form", LearningCallbackId.STRATEGIC_COMPLETE, FormRoute(complete_form, complete_submitted)),
    ("form", LearningCallbackId.STRATEGIC_RETURN, FormRoute(return_form, return_submitted)),
]
