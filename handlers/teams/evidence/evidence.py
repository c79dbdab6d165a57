"""tor, request, evidence [mark], the scoping answer and the "I have read them" button on Teams: the same
use cases as Slack's handlers/slack/evidence/evidence.py. A form submitted from someone's 1:1 chat names its
review in its metadata, so every dialog is rebuilt from that (checked again), never from the chat it came from."""
import logging
from collections.abc import Callable

from bot.workflow.core import kernel
from bot.workflow.core.ports import ChatError
from bot.workflow.core.text import Text
from bot.workflow.evidence import evidence_use_cases as cases
from bot.workflow.evidence.evidence_use_cases import Done
from handlers.submission import submit
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.directory import Address
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.router import FormRoute
from handlers.teams.platform.use_case import deliver_to, int_or_zero, run
from messages import tree
from messages.evidence import evidence as msgs
from messages.slack.ids import EvidenceActionId, EvidenceCallbackId

log = logging.getLogger("dhr.teams")
EXPIRED = "This form is out of date. Run the command again in the review's chat."


def review_space(session, meta: dict, activity) -> str:
    """The review chat a form belongs to: its metadata's review when it names one (a dialog submitted from
    a 1:1 chat), else the chat the command was typed in."""
    if meta.get("review_id"):
        return kernel.get_review(session, int_or_zero(meta.get("review_id"))).space_id or ""
    return activity.conversation_id


def rebuild(teams: Teams, activity, meta: dict, build: Callable) -> tree.Form:
    """build(session, space id, actor) -> the form, as it was opened."""
    with teams.svc.db.session() as s:
        return build(s, review_space(s, meta, activity), actor_of(activity))


def finish(teams: Teams, ui: TeamsInteraction, title: str, key: int, case: Callable, show: Callable) -> Done | None:
    """A submission: case(session, actor, key) -> Done; the dialog then shows `show(done.shown)`."""
    if not key:
        ui.replace_form(msgs.said(title, EXPIRED))
        return None
    actor = actor_of(ui.activity)

    def attempt() -> Done:
        with teams.svc.db.session() as s:
            return case(s, actor, key)
    done = submit(ui, title, attempt, notice=msgs.said)
    if done is not None:
        ui.replace_form(show(done.shown))
        deliver_to(teams, ui, done.outcome, strict=False)
    return done


# ---------------------------------------------------------------- terms of reference

def terms_form(teams: Teams, activity, meta: dict) -> tree.Form:
    return rebuild(teams, activity, meta, lambda s, space, actor: msgs.terms_form(cases.terms_form(s, space, actor)))


def tor(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form("Terms of reference", lambda: terms_form(teams, ui.activity, {}), notice=msgs.said)


def terms_saved(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    finish(teams, ui, "Terms of reference", int_or_zero(meta.get("review_id")),
           lambda s, actor, review_id: cases.save_terms(s, review_id, actor, ui.typed(), now=svc.clock.now(),
                                                        today=svc.clock.today()), msgs.terms_saved)


def confirm(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    """The request card gives way to the thanks, which the press also closes with (which version was confirmed)."""
    done = run(teams, ui, lambda s, actor: cases.confirm_terms(s, int_or_zero(value), actor, now=teams.svc.clock.now()))
    ui.close(done.reply.body if done.reply and isinstance(done.reply.body, Text) else "Thank you: recorded.")


# ---------------------------------------------------------------- requests and the grid

def request_form(teams: Teams, activity, meta: dict) -> tree.Form:
    svc = teams.svc
    return rebuild(teams, activity, meta, lambda s, space, actor: msgs.request_form(
        cases.request_form(s, space, actor, today=svc.clock.today(), calendar=svc.calendar)))


def request(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form("Request evidence", lambda: request_form(teams, ui.activity, {}), notice=msgs.said)


def request_sent(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    finish(teams, ui, "Request evidence", int_or_zero(meta.get("review_id")),
           lambda s, actor, review_id: cases.request_evidence(s, review_id, actor, ui.typed(), now=svc.clock.now(),
                                                              today=svc.clock.today()), msgs.request_done)


def mark_form(teams: Teams, activity, meta: dict, *, again: bool = True) -> tree.Form:
    """`again` (a submission): built even when its review has nothing to mark, so `mark` answers under the item."""
    return rebuild(teams, activity, meta, lambda s, space, actor: msgs.mark_form(
        cases.mark_form(s, space, actor, again=again)))


def evidence(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    """The grid, privately; `evidence mark` records what arrived outside the bot."""
    if words.lower() == "mark":
        ui.open_form("Evidence received", lambda: mark_form(teams, ui.activity, {}, again=False), notice=msgs.said)
        return
    run(teams, ui, lambda s, actor: cases.grid(s, ui.activity.conversation_id, actor, today=teams.svc.clock.today()))


def marked(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    finish(teams, ui, "Evidence received", int_or_zero(meta.get("review_id")),
           lambda s, actor, review_id: cases.mark(s, review_id, actor, ui.typed(), now=teams.svc.clock.now()),
           msgs.marked)


# ---------------------------------------------------------------- scoping answers

def scoping_form(teams: Teams, activity, meta: dict) -> tree.Form:
    """The blank form, or (an old button) what is recorded, with Revise."""
    with teams.svc.db.session() as s:
        form = cases.scoping_form(s, int_or_zero(meta.get("item_id")), actor_of(activity))
    if isinstance(form, cases.ScopingFormData):
        return msgs.scoping_form(form, _origin_kept(meta))
    return msgs.scoping_recorded(form)


def open_scoping(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    with teams.svc.db.session() as s:    # not theirs to press: refused before any form opens
        cases.check_scoping(s, int_or_zero(value), actor_of(ui.activity))
    ui.open_form("Scoping answer", lambda: scoping_form(teams, ui.activity, {"item_id": value, **_origin(ui)}),
                 notice=msgs.said)


def _origin(ui: TeamsInteraction) -> dict:
    """The request card the button was pressed on (its message, its items), so that card can show the
    answer once it is recorded, as Slack re-draws the request DM."""
    items = [int(b[5:]) for b in ui.pressed_blocks if b.startswith("item-") and b[5:].isdigit() and len(b) < 15]
    message = ui.activity.reply_to_id
    if not items or not message or ui.activity.type != "invoke":
        return {}
    return {"card": message[:200], "items": ",".join(str(i) for i in items[:40])}


def _origin_kept(meta: dict) -> dict:
    return {key: meta[key] for key in ("card", "items") if isinstance(meta.get(key), str)}


def _request_items(meta: dict) -> list[int]:
    items = meta.get("items") if isinstance(meta.get("card"), str) else None
    return [int(i) for i in items.split(",")[:40] if i.isdigit() and len(i) < 10] if isinstance(items, str) else []


def scoping_sent(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    done = finish(teams, ui, "Scoping answer", int_or_zero(meta.get("item_id")),
                  lambda s, actor, item_id: cases.answer_scoping(s, item_id, actor, ui.typed(),
                                                                 now=teams.svc.clock.now(),
                                                                 request_items=_request_items(meta)),
                  lambda shown: msgs.scoping_done(shown.outcome))
    if done is not None and done.shown.redraw is not None:
        _redraw(ui, str(meta["card"]), done.shown.redraw)


def _redraw(ui: TeamsInteraction, message_id: str, notice) -> None:
    """The request card the answer came from, its Answer replaced by what is recorded. Only in the chat
    the dialog was submitted from (the person's own), whatever the metadata says."""
    a = ui.activity
    try:
        ui.port.replace(Address(a.conversation_id, a.service_url), message_id, notice)
    except ChatError as err:
        log.warning("could not re-draw a request card: %s", err.code)


def revise_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.scoping_revise_form(cases.revise_form(s, int_or_zero(meta.get("item_id")), actor_of(activity)))


def open_revise(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.open_form("Scoping answer", lambda: revise_form(teams, ui.activity, {"item_id": value}), notice=msgs.said)


def revised(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    finish(teams, ui, "Revise scoping answer", int_or_zero(meta.get("item_id")),
           lambda s, actor, item_id: cases.revise_scoping(s, item_id, actor, ui.typed(), now=teams.svc.clock.now()),
           msgs.scoping_revised)


LISTENERS = [
    ("command", "tor", tor), ("command", "terms", tor),
    ("command", "request", request), ("command", "requests", request),
    ("command", "evidence", evidence), ("command", "grid", evidence),
    ("action", EvidenceActionId.CONFIRM_TERMS, confirm),
    ("action", EvidenceActionId.OPEN_SCOPING, open_scoping),
    ("action", EvidenceActionId.REVISE_SCOPING, open_revise),
    ("form", EvidenceCallbackId.TERMS, FormRoute(terms_form, terms_saved)),
    ("form", EvidenceCallbackId.REQUEST, FormRoute(request_form, request_sent)),
    ("form", EvidenceCallbackId.MARK, FormRoute(mark_form, marked)),
    ("form", EvidenceCallbackId.SCOPING, FormRoute(scoping_form, scoping_sent)),
    ("form", EvidenceCallbackId.SCOPING_REVISE, FormRoute(revise_form, revised)),
]
