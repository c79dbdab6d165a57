"""What the file use cases decide before anything is read: a file of another kind, and where the
uploader is answered."""
from datetime import date, datetime

import pytest

from bot.workflow.core import outcome as out
from bot.workflow.core.kernel import Actor
from bot.workflow.core.refs import SpaceRef
from bot.workflow.evidence import uploads_use_cases as uploads
from bot.workflow.evidence.chronology_rows import FileRefused
from bot.workflow.evidence.chronology_use_cases import template

ACTOR = Actor(tenant_id="T1", user_id="U1")
NOW, TODAY = datetime(2026, 1, 2, 9, 0), date(2026, 1, 2)


def submit(shared):
    return uploads.submit(None, shared, ACTOR, b"%PDF", now=NOW, today=TODAY, error_report=lambda c: b"",
                          dm_space=lambda p: pytest.fail("no report for another kind"))


def test_another_kind_of_file_is_refused_in_a_dm_and_left_alone_in_a_space():
    with pytest.raises(FileRefused) as refused:
        submit(uploads.Shared("F1", "minutes.pdf", "D1", in_dm=True))
    assert refused.value.message == uploads.NOT_OURS
    assert submit(uploads.Shared("F1", "minutes.pdf", "C1", in_dm=False)) == out.NOTHING


def test_the_template_goes_to_the_persons_dm_in_both_formats_and_they_are_told():
    done = template(ACTOR, template=lambda ext: ext.encode(), dm_space=lambda person: SpaceRef(f"DM-{person.id}"))
    assert [(f.space.id, f.filename, f.content) for f in done.files] == [
        ("DM-U1", "chronology-template.xlsx", b"xlsx"), ("DM-U1", "chronology-template.csv", b"csv")]
    assert done.reply.body.words() == "I have sent you the chronology template (XLSX and CSV) in our private chat."
