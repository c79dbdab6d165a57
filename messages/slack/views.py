"""Slack-only modals: the Loading view a trigger opens at once, a notice already in mrkdwn, and a
submitted view sent back with why it was refused (a submitted Block Kit view has no neutral form)."""
from messages.slack import blocks as bk
from messages.slack.ids import CallbackId

REFUSED_BLOCK = "dhr_refused"
_VIEW_KEYS = ("type", "title", "submit", "close", "callback_id", "private_metadata", "notify_on_close",
              "clear_on_close")


def loading(title: str, callback_id: str) -> dict:
    return bk.modal(title, [bk.section(":hourglass_flowing_sand: Loading…")], callback_id=callback_id)


def notice(title: str, mrkdwn: str) -> dict:
    """A modal that only says something; `mrkdwn` is already Slack's markup (a rendered refusal)."""
    return bk.modal(title, [bk.section(mrkdwn)], callback_id=CallbackId.NOTICE)


def with_refusal(submitted: dict, message: str) -> dict:
    """The submitted form again, with why it was refused (mrkdwn) at the top. Its input blocks keep
    their block and action ids, so Slack keeps what the person typed (nothing has to be typed twice)."""
    blocks = [b for b in submitted.get("blocks") or [] if b.get("block_id") != REFUSED_BLOCK]
    warning = bk.section(f":warning: {message}", block_id=REFUSED_BLOCK).to_dict()
    view = {k: submitted[k] for k in _VIEW_KEYS if submitted.get(k) is not None}
    view["blocks"] = [warning] + blocks[:99]
    return view
