"""Where files go on Teams: to whoever asked, unless the workflow addressed one to a person's own 1:1 chat."""
from bot.workflow.core import outcome as out
from bot.workflow.core.refs import SpaceRef
from handlers.teams.platform.files_out import PERSON_PREFIX, to_requester

ASKER = SpaceRef("a:asker", name=PERSON_PREFIX + "asker")
CHAIR = SpaceRef("a:chair", name=PERSON_PREFIX + "chair")


def test_an_export_goes_to_whoever_asked_and_a_chairs_draft_to_the_chair():
    done = to_requester(out.upload(SpaceRef("19:review-chat"), "plan.xlsx", b"x", "Plan")
                        + out.upload(CHAIR, "guide.docx", b"y", "Guide"), ASKER)
    assert [(f.filename, f.space.name) for f in done.files] == [("plan.xlsx", ASKER.name), ("guide.docx", CHAIR.name)]
