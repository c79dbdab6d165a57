"""Putting people on a review the way users do: invite through the panel form, agree in the DM."""
from tests.e2e.journey import driver_of, wait


def option_value(form, key: str, label: str) -> str:
    return form.option(key, label)


def set_agencies(d, admin, space, names: list[str]) -> None:
    form = driver_of(d).open_form(admin, "agencies", space=space)
    assert form.key == "dhr.agencies"
    form.submit({"agencies": "\n".join(names)})


def invite(d, space, user, role, agency=None, by=None):
    """The coordinator adds someone through the panel form; what the form answered."""
    d = driver_of(d)
    form = d.open_form(by, "panel", space=space)
    values = {"change": "add", "person_1": user, "role_1": role}
    if agency:
        values["agency_1"] = form.option("agency_1", agency)
    return form.submit(values)


def invitations(d, user) -> list:
    return [m for m in driver_of(d).dms(user) if m.has_button("I agree")]


def invitation_for(d, user):
    return wait(lambda: invitations(d, user), what="invitation DM")[-1]


def join(d, space, user, role, agency=None, by=None) -> None:
    d = driver_of(d)
    before = len(invitations(d, user))
    invite(d, space, user, role, agency, by)
    wait(lambda: len(invitations(d, user)) > before, what="invitation")
    dm = invitation_for(d, user)
    thanked = len(_thanks(d, user))
    d.press(user, dm, "I agree")
    wait(lambda: d.person(user) in d.members(space), what=f"{user} joined")
    wait(lambda: len(_thanks(d, user)) > thanked, what=f"{user}'s thank-you")  # so no later step reads it as its reply


def _thanks(d, user) -> list:
    return [r for r in d.replies(user) if "You agreed to the confidentiality" in r.text]


def reply_text_since(d, before: int, what: str = "a reply", user=None) -> str:
    """Text of the private replies sent after the first `before` ones (to `user`, or to anyone on Slack)."""
    d = driver_of(d)
    def replies():
        return [r.text for r in (d.replies(user) if user else d.all_replies())][before:]
    return wait(lambda: " ".join(replies()) if replies() else None, what=what)
