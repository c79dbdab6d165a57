"""A chat port that records what was sent, failing where told to: for the core's unit tests."""
from bot.workflow.core.chat_port import Capability
from bot.workflow.core.ports import PERSON_UNAVAILABLE, ChatError
from bot.workflow.core.refs import MessageRef, SpaceRef

EVERYTHING = frozenset(Capability)


class RecordingChat:
    def __init__(self, capabilities=EVERYTHING, fail_for=()):
        self.capabilities = frozenset(capabilities)
        self.fail_for = set(fail_for)      # person or space ids whose deliveries fail
        self.sent: list[tuple] = []

    def _check(self, ref_id):
        if ref_id in self.fail_for:
            raise ChatError("user_disabled", kind=PERSON_UNAVAILABLE)

    def post(self, space, notice, *, tag=None):
        self._check(space.id)
        self.sent.append(("post", space.id, notice))
        return MessageRef(f"m{len(self.sent)}")

    def update(self, space, message, notice):
        self.sent.append(("update", space.id, message.id))

    def pin(self, space, message):
        self.sent.append(("pin", space.id, message.id))

    def dm(self, person, notice, *, tag=None):
        self._check(person.id)
        self.sent.append(("dm", person.id, notice))

    def ephemeral(self, space, person, notice):
        self.sent.append(("ephemeral", space.id, person.id, notice))

    def upload(self, space, filename, content, title):
        self.sent.append(("upload", space.id, filename))

    def rename(self, space, name):
        self.sent.append(("rename", space.id, name))
        return name

    def archive(self, space):
        self.sent.append(("archive", space.id))

    def remove(self, space, person):
        self._check(person.id)
        self.sent.append(("remove", space.id, person.id))

    def find_post(self, space, tag):
        self.sent.append(("find_post", space.id, tag))
        return None

    def send_digest(self, space, notice, *, digest_id):
        self.sent.append(("digest", space.id, digest_id))
        return MessageRef(f"m{len(self.sent)}")

    def open_dm(self, person):
        return SpaceRef(f"D-{person.id}")

    def kinds(self) -> list[str]:
        return [s[0] for s in self.sent]
