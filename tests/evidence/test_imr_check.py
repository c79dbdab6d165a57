"""The IMR document check says precisely what is missing."""
import io

import docx
import pytest

from bot.workflow.evidence.chronology_rows import FileRefused
from bot.workflow.evidence.imr import SECTIONS, check_docx
from messages.evidence.documents import imr_template


def document(paragraphs) -> bytes:
    d = docx.Document()
    for kind, text in paragraphs:
        d.add_heading(text, 1) if kind == "h" else d.add_paragraph(text)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def full(**replace):
    parts = []
    for label, _, _ in SECTIONS:
        parts.append(("h", label))
        body = {"Introduction and independence statement":
                "I was not involved with the victim, the perpetrator or their family and I am not the line "
                "manager of staff involved.",
                "Senior manager sign-off": None}.get(label, f"Text about {label}.")
        if body:
            parts.append(("p", replace.get(label, body)))
    parts += [("p", "Name: A. Manager"), ("p", replace.get("date", "Date: 01/11/2026"))]
    return parts


def test_a_complete_imr_passes():
    assert check_docx(document(full())).missing == []


def test_the_unchanged_template_fails_with_each_gap_named():
    missing = check_docx(imr_template("DHR-2026-03", "Police")).missing
    assert "text under “Good practice” (it is empty or still the template's guidance)" in missing
    assert any("placeholder" in m for m in missing) and any("senior manager's name" in m for m in missing)


def test_missing_independence_statement_and_undated_sign_off():
    missing = check_docx(document(full(**{"Introduction and independence statement": "I am the author.",
                                          "date": "Date: soon"})))
    assert missing.missing == [
        "an independence statement that the author was not involved with the victim, the perpetrator or their family",
        "a statement that the author is not the line manager of staff involved",
        "the date of the senior manager's sign-off (“Date: 14/03/2026”)"]


def test_bold_lines_count_as_headings():
    d = docx.Document()
    for kind, text in full():
        if kind == "h":
            d.add_paragraph().add_run(text).bold = True
        else:
            d.add_paragraph(text)
    out = io.BytesIO()
    d.save(out)
    assert check_docx(out.getvalue()).missing == []


@pytest.mark.parametrize("content", [b"plain text", b"PK\x03\x04broken"])
def test_not_a_docx_is_refused(content):
    with pytest.raises(FileRefused, match="not a Word document"):
        check_docx(content)


def test_an_imr_naming_a_redacted_person_is_refused_without_echoing_the_name():
    content = document(full(**{"Method": "Interviewed Zebedee Quill's GP."}))
    with pytest.raises(FileRefused, match="redaction list") as refused:
        check_docx(content, redacted=lambda text: "Zebedee" in text)
    assert "Zebedee" not in refused.value.message
