"""Carrying out an outcome through the chat port, in a fixed order, one delivery at a time.

Order: posts in the space, then files there, then DMs, then summary cards, then the reply to the
actor (which may say what was posted). A delivery that fails (a deactivated account, a message
the redaction check stopped, a platform error) is logged by its code and the rest still go; the
first failure is raised at the end when `strict` (the actor is then told, as before), or kept in
the result for the caller.
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from bot.workflow.core.chat_port import ChatPort, tell_privately
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.outcome import Outcome, Reply
from bot.workflow.core.ports import ChatError
from bot.workflow.core.refs import PersonRef, SpaceRef

log = logging.getLogger("dhr.deliver")


@dataclass
class Delivered:
    sent: int = 0
    failures: list[tuple[object, Exception]] = field(default_factory=list)

    def raise_first(self) -> None:
        if self.failures:
            raise self.failures[0][1]


def deliver(outcome: Outcome, chat: ChatPort, *, reply: Callable[[Reply], None] | None = None,
            refresh_card: Callable[[int], None] | None = None, actor: PersonRef | None = None,
            space: SpaceRef | None = None, strict: bool = True) -> Delivered:
    """`reply` answers the actor through the interaction that started it (a command's private
    answer); without one the reply goes to `actor` in `space` only they see, or as a DM.
    `refresh_card(review_id)` redraws a review's summary card."""
    done = Delivered()
    for p in outcome.posts:
        _one(done, p, partial(chat.post, p.space, p.body, tag=p.tag))
    for f in outcome.files:
        _one(done, f, partial(chat.upload, f.space, f.filename, f.content, f.title))
    for d in outcome.dms:
        _one(done, d, partial(chat.dm, d.person, d.body, tag=d.tag))
    for review_id in outcome.refresh:
        if refresh_card is not None:
            _one(done, review_id, partial(refresh_card, review_id))
    if outcome.reply is not None:
        _one(done, outcome.reply, partial(_reply, chat, outcome.reply, reply, actor, space))
    if strict:
        done.raise_first()
    return done


def _reply(chat: ChatPort, answer: Reply, reply: Any, actor: PersonRef | None, space: SpaceRef | None) -> None:
    if reply is not None:
        reply(answer)
    elif actor is not None:
        tell_privately(chat, space, actor, answer.body)
    else:
        raise ValueError("a reply needs the interaction or the actor")


def _one(done: Delivered, what: object, send: Callable[[], object]) -> None:
    try:
        send()
        done.sent += 1
    except (ChatError, WorkflowError) as err:     # WorkflowError: the redaction check stopped it
        log.warning("could not deliver a %s: %s", type(what).__name__, getattr(err, "code", type(err).__name__))
        done.failures.append((what, err))
