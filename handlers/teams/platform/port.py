"""The workflow's chat port on Teams: a review's space is a Graph group chat with the app installed,
posts and DMs go through the Bot Connector at the conversation's own serviceUrl.

Teams has no pin, archive, ephemeral message in a group chat or history the bot can search, so the
port declares only RENAME and the workflow falls back: the summary card is updated in place, a
concluded review's chat gains "(closed)" in its topic and everyone but its coordinator is removed, a
private reply becomes a 1:1 message.
A person is reached in their 1:1 chat with the bot; one the bot has never talked to gets the app
installed for them through Graph first (Teams cannot message by e-mail or user id).
"""
from datetime import datetime

from bot.workflow.core import ports
from bot.workflow.core.chat_port import Capability
from bot.workflow.core.form_spec import Kind
from bot.workflow.core.ports import ChatError
from bot.workflow.core.refs import MessageRef, PersonRef, SpaceRef
from bot.workflow.core.text import Text
from handlers.teams.platform import chat_links, files_out
from handlers.teams.platform.connector import Connector
from handlers.teams.platform.directory import Address, Directory, Posted
from handlers.teams.platform.files_out import PendingFiles
from handlers.teams.platform.graph import Graph
from messages import tree
from messages.render import neutral
from messages.teams import render
from messages.teams.cards import texts
from messages.teams.text import mentioned

PERSON_PREFIX = files_out.PERSON_PREFIX   # an open_dm space names whose 1:1 chat it is, so a send can reinstall
# Teams' answers meaning the bot is not (or no longer) in that 1:1 chat: install the app for them again.
GONE_FROM_CHAT = frozenset({"BotNotInConversationRoster", "ConversationNotFound", "ForbiddenOperationException"})
# To one person, these mean they cannot be reached (the sweep reports them, and stops trying).
PERSON_KINDS = frozenset({ports.NOT_IN_SPACE, ports.NOT_ALLOWED})


class TeamsPort:
    capabilities = frozenset({Capability.RENAME})
    platform = "teams"
    closed_suffix = " (closed)"      # a chat's topic is free text: "dhr-2026-03 (closed)"

    def __init__(self, connector: Connector, graph: Graph, directory: Directory, service_url: str | None = None,
                 *, pending: PendingFiles | None = None):
        """`service_url`: where the activity being answered came from (the freshest for this tenant);
        `pending`: where files offered by consent card wait for the person's answer."""
        self._connector, self._graph, self._directory = connector, graph, directory
        self._service_url, self._pending = service_url, pending

    # spaces and membership

    def create_private_space(self, name: str, members=()) -> SpaceRef:
        chat_id = self._graph.create_group_chat(name, [p.id for p in members])
        self._graph.install_in_chat(chat_id)
        self._directory.remember_space(chat_id, self._default_url())
        return SpaceRef(chat_id, name)

    def find_private_space(self, name: str) -> SpaceRef | None:
        return None     # an application cannot list chats by topic: the set-up records the id at once

    def invite(self, space: SpaceRef, people) -> None:
        for person in people:
            self._graph.add_member(space.id, person.id)

    def remove(self, space: SpaceRef, person: PersonRef) -> None:
        self._graph.remove_member(space.id, person.id)

    def rename(self, space: SpaceRef, name: str) -> str:
        self._graph.rename_chat(space.id, name)
        return name

    def archive(self, space: SpaceRef) -> None:
        raise ChatError("no_archive_on_teams", kind=ports.OTHER)

    def pin(self, space: SpaceRef, message: MessageRef) -> None:
        raise ChatError("no_pin_on_teams", kind=ports.OTHER)

    # messages

    def post(self, space: SpaceRef, notice, *, tag: str | None = None) -> MessageRef:
        where = self._space(space)
        return MessageRef(self._connector.send(where.service_url, where.conversation_id, self._activity(notice)))

    def update(self, space: SpaceRef, message: MessageRef, notice) -> None:
        where = self._space(space)
        self._connector.update(where.service_url, where.conversation_id, message.id, self._activity(notice))

    def dm(self, person: PersonRef, notice, *, tag: str | None = None) -> None:
        self._to_person(person, self._activity(notice))

    def _to_person(self, person: PersonRef, activity: dict) -> MessageRef:
        """Into the person's 1:1 chat. If Teams says the bot is no longer there (the app was removed
        for them, the chat is gone), the app is installed for them again and the message goes once more;
        if that fails too, the person cannot be reached (never retried for ever)."""
        where = self._personal(person)
        try:
            return MessageRef(self._connector.send(where.service_url, where.conversation_id, activity))
        except ChatError as err:
            if err.code not in GONE_FROM_CHAT:
                raise _personal_failure(err) from None
        self._directory.forget_conversation(person.id)
        where = self._personal(person)
        try:
            return MessageRef(self._connector.send(where.service_url, where.conversation_id, activity))
        except ChatError as err:
            raise _personal_failure(err) from None

    def say(self, where: Address, notice) -> MessageRef:
        """In the conversation an activity came from (a 1:1 chat answering the person in it)."""
        return MessageRef(self._connector.send(where.service_url, where.conversation_id, self._activity(notice)))

    def replace(self, where: Address, message_id: str, notice) -> None:
        self._connector.update(where.service_url, where.conversation_id, message_id, self._activity(notice))

    def post_home(self, person: PersonRef, view: tree.HomeView) -> Posted:
        """A person's "My work" card, new at the foot of their 1:1 chat."""
        sent = self._to_person(person, self._activity(view))
        return Posted(self._personal(person).conversation_id, sent.id)

    def update_home(self, person: PersonRef, card: Posted, view: tree.HomeView | Text) -> None:
        """That card redrawn in place, at the person's latest serviceUrl."""
        row = self._directory.person(person.id)
        url = row.service_url if row is not None else self._default_url()
        self._connector.update(url, card.conversation_id, card.activity_id, self._activity(view))

    def ephemeral(self, space: SpaceRef, person: PersonRef, notice) -> None:
        self.dm(person, notice)

    def upload(self, space: SpaceRef, filename: str, content: bytes, title: str) -> None:
        """Only to a person (a space open_dm gave): a file consent card in their 1:1 chat, the file waiting
        for their answer. Teams has no way for a bot to put a file into a group chat."""
        person = files_out.person_of(space, PERSON_PREFIX)
        if person is None or self._pending is None:
            raise ChatError("files_need_consent_card", kind=ports.NOT_ALLOWED)
        token = self._pending.offer(person.id, filename, content)
        try:
            self._to_person(person, files_out.consent_activity(filename, len(content), files_out.described(title),
                                                               token))
        except ChatError:
            self._pending.drop(token, person.id)
            raise

    def send_activity(self, where: Address, activity: dict) -> MessageRef:
        """An activity built here rather than from a notice (a file info card)."""
        return MessageRef(self._connector.send(where.service_url, where.conversation_id, activity))

    def find_post(self, space: SpaceRef, tag: str) -> MessageRef | None:
        return None

    def find_dm(self, person: PersonRef, tag: str) -> bool:
        return False

    # the reminder sweep

    def open_dm(self, person: PersonRef) -> SpaceRef:
        where = self._personal(person)
        return SpaceRef(where.conversation_id, name=PERSON_PREFIX + person.id, address=where.service_url)

    def send_digest(self, space: SpaceRef, notice, *, digest_id: str) -> MessageRef:
        """To a person's 1:1 chat (open_dm gave it, its owner in `space.name`) or a review's chat."""
        if space.name.startswith(PERSON_PREFIX):
            return self._to_person(PersonRef(space.name[len(PERSON_PREFIX):]), self._activity(notice))
        url = space.address or self._default_url()
        return MessageRef(self._connector.send(url, space.id, self._activity(notice)))

    def find_digest(self, space: SpaceRef, digest_id: str, since: datetime) -> MessageRef | None:
        return None

    # where things are

    def _space(self, space: SpaceRef) -> Address:
        known = self._directory.space(space.id)
        return known or Address(space.id, self._default_url())

    def _personal(self, person: PersonRef) -> Address:
        row = self._directory.person(person.id)
        if row is not None and row.conversation_id:
            return Address(row.conversation_id, row.service_url)
        url = row.service_url if row is not None else self._default_url()
        try:
            chat_id = self._graph.install_for(person.id)
        except ChatError as err:
            raise _personal_failure(err) from None
        if not chat_id:
            raise ChatError("app_not_installed_for_user", kind=ports.PERSON_UNAVAILABLE)
        self._directory.remember_person(person.id, conversation_id=chat_id, service_url=url)
        return Address(chat_id, url)

    def _default_url(self) -> str:
        url = self._service_url or self._directory.any_service_url()
        if not url:
            raise ChatError("no_service_url_yet", kind=ports.UNAVAILABLE, retryable=True)
        return url

    def _activity(self, notice) -> dict:
        value = self.with_chat_names(neutral(notice))
        return render.activity(value, names=self._names(value))

    def with_chat_names(self, value):
        """A message or form whose links to review chats name them (chat_links)."""
        return chat_links.named(value, self._directory.chat_names)

    def names_for(self, value) -> dict[str, str]:
        """Display names of everyone a message or form shows (mentions, people already chosen)."""
        return self._names(value)

    def _names(self, value) -> dict[str, str]:
        people = _people(value)
        if not people:
            return {}
        names = self._directory.names(people)
        for person in people - set(names):
            try:
                name = self._graph.display_name(person)
            except ChatError:
                continue
            if name:
                names[person.lower()] = name
                self._directory.remember_person(person, conversation_id=None, service_url=self._default_url(),
                                                name=name)
        return names



def _people(value) -> set[str]:
    """Everyone a message mentions, wherever in it, and the people a form's pickers already hold."""
    said = [value] if isinstance(value, Text) else [*texts(value.blocks), getattr(value, "fallback", Text())]
    chosen: set[str] = set()
    for f in value.fields if isinstance(value, tree.Form) else ():
        if f.kind == Kind.PERSON and isinstance(f.initial, str):
            chosen.add(f.initial)
        elif f.kind == Kind.PEOPLE and f.initial:
            chosen.update(p for p in f.initial if isinstance(p, str))
    return {person for t in said for person in mentioned(t)} | chosen


def _personal_failure(err: ChatError) -> ChatError:
    """A failure to reach one person, as the workflow reads it: blocked, removed, unknown or not
    installable for them is that person unreachable; a busy or failing Teams stays retryable."""
    if err.kind in PERSON_KINDS or err.code in GONE_FROM_CHAT or err.code == "ConversationBlockedByUser":
        return ChatError(err.code, kind=ports.PERSON_UNAVAILABLE)
    return err
