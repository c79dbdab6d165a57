"""The shape of each kind of body Slack sends, as far as Bolt and our listeners read it.

A signed body can still be nonsense (a replayed fixture, a broken proxy, a test harness); one that
does not fit is refused before Bolt sees it, so no listener meets a string where it reads a dict.
A rule is (path, types, required). In a path, `[]` is every item of a list, `{}` every value of a dict.
A parent that is missing or of another type is its own rule's business, so rules stay one-liners.
"""
NoneType = type(None)
TEXT = (str,)
OPT_TEXT = (str, NoneType)

ELEMENT = [  # one input's state, as forms.state_values reads it
    ("view.state.values{}{}", (dict,), True),
    ("view.state.values{}{}.type", TEXT, False),
    ("view.state.values{}{}.value", OPT_TEXT, False),
    ("view.state.values{}{}.selected_option", (dict, NoneType), False),
    ("view.state.values{}{}.selected_option.value", OPT_TEXT, False),
    ("view.state.values{}{}.selected_options", (list, NoneType), False),
    ("view.state.values{}{}.selected_options[]", (dict,), True),
    ("view.state.values{}{}.selected_options[].value", OPT_TEXT, False),
    ("view.state.values{}{}.selected_date", OPT_TEXT, False),
    ("view.state.values{}{}.selected_user", OPT_TEXT, False),
    ("view.state.values{}{}.selected_users", (list, NoneType), False),
    ("view.state.values{}{}.selected_users[]", TEXT, True),
]
VIEW = [
    ("view", (dict,), True), ("view.id", TEXT, True), ("view.callback_id", TEXT, False),
    ("view.private_metadata", OPT_TEXT, False), ("view.state", (dict,), False),
    ("view.state.values", (dict,), False), *ELEMENT,
]
INTERACTIVE = [
    ("type", TEXT, True), ("user", (dict,), True), ("user.id", TEXT, True),
    ("team", (dict, str, NoneType), False), ("team.id", OPT_TEXT, False),
    ("trigger_id", TEXT, False), ("response_url", TEXT, False),
    ("enterprise", (dict, str, NoneType), False), ("is_enterprise_install", (bool, str), False),
    ("authorizations", (list,), False), ("authorizations[]", (dict,), True),
    ("channel", (dict, NoneType), False), ("channel.id", OPT_TEXT, False),
    ("container", (dict, NoneType), False), ("container.type", OPT_TEXT, False),
    ("message", (dict, NoneType), False), ("message.ts", OPT_TEXT, False),
    ("view", (dict, NoneType), False), ("view.id", TEXT, False),
    ("view.private_metadata", OPT_TEXT, False), ("view.callback_id", TEXT, False),
    ("view.app_installed_team_id", OPT_TEXT, False), ("view.team_id", OPT_TEXT, False),
]
RULES = {
    "block_actions": [*INTERACTIVE, ("trigger_id", TEXT, True), ("actions", (list,), True),
                      ("actions[]", (dict,), True), ("actions[].action_id", TEXT, True),
                      ("actions[].block_id", TEXT, False), ("actions[].value", OPT_TEXT, False)],
    "view_submission": [*INTERACTIVE, *VIEW, ("view.callback_id", TEXT, True),
                        ("response_urls", (list,), False), ("response_urls[]", (dict,), True)],
    "view_closed": [*INTERACTIVE, *VIEW],
    "event_callback": [("team_id", TEXT, True), ("event_id", TEXT, True), ("event", (dict,), True),
                       ("event.type", TEXT, True), ("event.user", TEXT, False), ("event.tab", TEXT, False),
                       ("event.user_id", TEXT, False), ("event.file_id", TEXT, False),
                       ("event.channel_id", TEXT, False), ("authorizations", (list,), False),
                       ("authorizations[]", (dict,), True), ("is_ext_shared_channel", (bool,), False)],
    "url_verification": [("challenge", TEXT, True)],
}
COMMAND = [("command", TEXT, True), ("user_id", TEXT, True), ("team_id", TEXT, True)]


def shape_fault(body: dict) -> str | None:
    """What is wrong with a parsed body, in words that quote nothing from it; None if it fits."""
    if "ssl_check" in body:
        return None
    if "type" not in body and "command" in body:
        return _first_fault(body, COMMAND, "slash command")
    kind = body.get("type")
    if not isinstance(kind, str):
        return "payload without a type"
    rules = RULES.get(kind, INTERACTIVE if "user" in body else [("type", TEXT, True)])
    return _first_fault(body, rules, "payload" if kind not in RULES else kind.replace("_", " "))


def _first_fault(body: dict, rules, what: str) -> str | None:
    for path, types, required in rules:
        if not _fits(body, path.replace("[]", ".[]").replace("{}", ".{}").split("."), types, required):
            return f"{what}: {path} is missing or of the wrong type"
    return None


def _fits(node, steps: list[str], types: tuple, required: bool) -> bool:
    """`required` asks for the last step wherever its parent exists; each parent has its own rule."""
    step, rest = steps[0], steps[1:]
    if step in ("[]", "{}"):
        kind = list if step == "[]" else dict
        if not isinstance(node, kind):
            return True
        children = node if kind is list else node.values()
        return all(isinstance(c, types) if not rest else _fits(c, rest, types, required) for c in children)
    if not isinstance(node, dict):
        return True
    if step not in node:
        return not (required and not rest)
    return isinstance(node[step], types) if not rest else _fits(node[step], rest, types, required)
