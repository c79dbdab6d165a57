"""Steps for the family's involvement the way the chair or coordinator takes them: `/dhr family`,
then a button in the modal that swaps in a form."""
from tests.e2e.evidence_steps import form
from tests.e2e.journey import block_text, open_view, wait


def press(bot, user, view, action_id):
    """A button inside the modal: the bot swaps the view for a form (same view id, new callback)."""
    before = view.callback_id
    bot.slack.click(user, action_id, view_id=view.id)
    return wait(lambda: (v := bot.fake.open_view_for(user)) and "Loading" not in block_text(v.blocks) and
                v.callback_id != before and v, what="the next view")


def step_form(bot, user, channel):
    return press(bot, user, form(bot, user, channel, "family"), "dhr.family.open_step")


def record_step(bot, user, channel, values) -> dict:
    """Submit the step form; the ack's body ({} when saved, or the field errors)."""
    view = step_form(bot, user, channel)
    response = bot.slack.submit_view(user, view.id, values)
    return response.json() if response.text not in ("", "{}") else {}


def add_contact(bot, user, channel, relationship="mother"):
    contact = press(bot, user, form(bot, user, channel, "family"), "dhr.family.add")
    bot.slack.submit_view(user, contact.id, {"relationship": relationship, "advocacy_offered": "yes",
                                             "advocacy_accepted": "yes", "wishes_to_take_part": "yes"})


def register_name(bot, user, channel, term):
    bot.slack.command(user, channel, text="redact")
    view = open_view(bot, user, "dhr.redaction")
    return bot.slack.submit_view(user, view.id, {"kind": "name", "term": term})
