"""The check of a draft overview report or executive summary, on crafted Word documents: where a registered
term hides (footer, first-page header, comment, the Author property, a custom property), the guidance's
sections, dates of birth and addresses, and files that are not Word documents."""
import io
import re
import zipfile

import docx
import pytest

from bot.workflow.evidence.chronology_rows import FileRefused
from bot.workflow.report import report_check
from bot.workflow.report.guide import GuideDraft
from bot.workflow.report.report_check import (
    GUIDE,
    OVERVIEW,
    OVERVIEW_SECTIONS,
    SUMMARY,
    SUMMARY_SECTIONS,
    check,
)
from messages.report.report_documents import one_minute_guide, overview_template, summary_template

NAME = "Jane Smith"


def redacted(text: str) -> bool:
    return NAME.lower() in text.lower()


def clean(kind=OVERVIEW, skip=(), body=None) -> docx.Document:
    document = docx.Document()
    document.add_heading("Overview report into the death of Adult A", 0)
    for number, (label, _, _) in enumerate(OVERVIEW_SECTIONS if kind == OVERVIEW else SUMMARY_SECTIONS, 1):
        if label in skip:
            continue
        document.add_heading(f"{number}. {label}", 1)
        document.add_paragraph(body or f"What the review found on {label.lower()} about Adult A.")
    return document


def saved(document, edit=None) -> bytes:
    out = io.BytesIO()
    document.save(out)
    if edit is None:
        return out.getvalue()
    return rezipped(out.getvalue(), edit)


def rezipped(content: bytes, edit) -> bytes:
    """The package with parts changed: edit({name: bytes}) -> {name: bytes}."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts = edit(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def test_a_clean_report_with_every_section_passes():
    result = check(saved(clean()), OVERVIEW, redacted)
    assert result.passed and result.terms == [] and result.missing == [] and result.warnings == []


def test_a_name_in_the_footer_is_found_and_said_to_be_in_the_footer():
    document = clean()
    document.sections[0].footer.paragraphs[0].text = f"Draft for {NAME}'s family"
    result = check(saved(document), OVERVIEW, redacted)
    assert not result.passed and result.terms == ["the footer"]
    assert NAME not in " ".join(result.terms + result.missing + result.warnings)


def test_a_name_in_a_first_page_header_is_found():
    document = clean()
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = f"Re: {NAME}"
    assert check(saved(document), OVERVIEW, redacted).terms == ["a header"]


def test_the_documents_author_and_custom_properties_are_read():
    document = clean()
    document.core_properties.author = NAME
    assert check(saved(document), OVERVIEW, redacted).terms == ["the document's Author property"]
    document = clean()
    document.core_properties.last_modified_by = NAME
    document.core_properties.keywords = "DHR"
    assert check(saved(document), OVERVIEW, redacted).terms == ["the document's Last modified by property"]

    custom = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats'
              '.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
              '2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Victim">'
              f'<vt:lpwstr>{NAME}</vt:lpwstr></property></Properties>')
    content = saved(clean(), lambda parts: {**parts, "docProps/custom.xml": custom.encode()})
    assert check(content, OVERVIEW, redacted).terms == ["a custom document property"]


def test_a_name_in_a_comment_or_a_table_is_found():
    comments = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="http://schemas.'
                'openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0" w:author="Chair"><w:p><w:r>'
                f'<w:t>Check with {NAME.split()[0]} </w:t></w:r><w:r><w:t>{NAME.split()[1]} first</w:t></w:r></w:p>'
                '</w:comment></w:comments>')
    content = saved(clean(), lambda parts: {**parts, "word/comments.xml": comments.encode()})
    assert check(content, OVERVIEW, redacted).terms == ["a comment"]   # a name split over two runs too
    document = clean()
    document.add_table(rows=1, cols=2).rows[0].cells[1].text = NAME
    assert check(saved(document), OVERVIEW, redacted).terms == ["the body", "a table"]


def test_missing_sections_are_named_and_numbering_and_case_do_not_matter():
    document = clean(skip=("Timescales", "Dissemination"))
    document.add_heading("ii) EQUALITY AND DIVERSITY", 2)   # a second time, differently written
    result = check(saved(document), OVERVIEW, redacted)
    assert result.missing == ["the section “Timescales”", "the section “Dissemination”"] and not result.passed
    summary = check(saved(clean(SUMMARY, skip=("Recommendations",))), SUMMARY, redacted)
    assert summary.missing == ["the section “Recommendations”"]
    bold = docx.Document()
    for label, _, _ in SUMMARY_SECTIONS:      # bold lines used as headings count as headings
        bold.add_paragraph().add_run(label.upper()).bold = True
        bold.add_paragraph("Text.")
    assert check(saved(bold), SUMMARY, redacted).passed


@pytest.mark.parametrize("line, flagged", [
    ("Adult A (DOB 03/04/1980) lived alone.", "date of birth"),
    ("She was born on 3 April 1980 in Leeds.", "date of birth"),
    ("Date of birth: April 3, 1980.", "date of birth"),
    ("They lived at 12 Acacia Avenue, Northtown, NT1 2AB until 2020.", "full address"),
    ("Police attended 4b High Street NT12 9ZZ.", "full address"),
    ("On 03/04/2021 police attended the address in Northtown.", None),
    ("The review met 12 times between 2024 and 2025.", None),
])
def test_dates_of_birth_and_full_addresses_are_warnings_that_do_not_fail(line, flagged):
    document = clean()
    document.add_paragraph(line)
    result = check(saved(document), OVERVIEW, redacted)
    assert result.passed
    assert result.warnings == ([f"what looks like a {flagged} in the body"] if flagged else [])


@pytest.mark.parametrize("content, words", [
    (b"%PDF-1.7 this is a PDF saved with a .docx name", "not a Word document"),
    (b"Just some text", "not a Word document"),
])
def test_files_that_are_not_word_documents_are_refused(content, words):
    with pytest.raises(FileRefused) as refused:
        check(content, OVERVIEW, redacted)
    assert words in refused.value.message


def test_a_zip_that_is_not_a_word_document_and_a_zip_bomb_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "hello")
    with pytest.raises(FileRefused) as refused:
        check(out.getvalue(), OVERVIEW, redacted)
    assert "ZIP file but not an Office document" in refused.value.message
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
    with pytest.raises(FileRefused) as refused:
        check(out.getvalue(), OVERVIEW, redacted)
    assert "ZIP bomb" in refused.value.message
    with pytest.raises(FileRefused) as refused:
        check(b"PK\x03\x04" + b"\0" * (report_check.MAX_BYTES + 1), OVERVIEW, redacted)
    assert "at most 10 MB" in refused.value.message


def test_an_xml_entity_is_not_expanded():
    bomb = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY n "Jane Smith">]><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&n;</w:t></w:r></w:p></w:body>'
            '</w:document>')
    content = saved(clean(), lambda parts: {**parts, "word/footer9.xml": bomb.encode()})
    assert check(content, OVERVIEW, redacted).terms == []


def test_the_templates_have_the_guidance_headings_in_order_which_the_check_finds():
    for build, sections, kind in ((overview_template, OVERVIEW_SECTIONS, OVERVIEW),
                                  (summary_template, SUMMARY_SECTIONS, SUMMARY)):
        document = docx.Document(io.BytesIO(build("DHR-2026-01")))
        headings = [re.sub(r"^\d+\. ", "", p.text) for p in document.paragraphs if p.style.name == "Heading 1"]
        assert headings == [label for label, _, _ in sections]
        assert check(build("DHR-2026-01"), kind, redacted).missing == [
            f"text under “{label}” (it is empty or still the template's guidance)" for label, _, _ in sections]


def test_a_section_written_under_its_own_sub_headings_counts_as_written():
    document = clean(skip=("Analysis",), body="[guidance]")
    document.add_heading("Analysis", 1)
    document.add_heading("Risk assessment", 2)
    document.add_paragraph("The risk assessment of Adult A in 2023 was not shared.")
    missing = check(saved(document), OVERVIEW, redacted).missing
    assert "text under “Analysis” (it is empty or still the template's guidance)" not in missing
    assert "text under “Introduction” (it is empty or still the template's guidance)" in missing


def test_which_report_a_file_is_by_its_name():
    assert report_check.report_kind("DHR-2026-01-overview-report.docx") == OVERVIEW
    assert report_check.report_kind("Overview Report v3 FINAL.docx") == OVERVIEW
    assert report_check.report_kind("DHR-2026-01-executive-summary.docx") == SUMMARY
    assert report_check.report_kind("exec_summary draft.docx") == SUMMARY
    assert report_check.report_kind("IMR police.docx") is None
    assert report_check.report_kind("Police IMR - overview of contact.docx") is None


def test_the_one_minute_guides_draft_is_checked_by_its_own_headings():
    draft = GuideDraft("DHR-2026-01", "Adult A", "Adult B", ["Share DASH risk assessments."], "the CSP's website")
    content = one_minute_guide(draft)
    assert report_check.report_kind("DHR-2026-01 One-Minute Guide v2.docx") == GUIDE
    result = check(content, GUIDE, redacted)
    assert result.terms == [] and result.missing == [
        "text under “Key learning points” (it is empty or still the template's guidance)",
        "the template's [bracketed] line under “The circumstances”, still to be written",
        "the template's [bracketed] line under “Where to read more”, still to be written"]
    themed = one_minute_guide(GuideDraft("DHR-2026-01", "Adult A", None, ["Ask."], "the CSP's website",
                                         themes=["Coercive control."]))
    assert len(check(themed, GUIDE, redacted).missing) == 2      # the chair has still to write two lines
    assert check(_written(themed), GUIDE, redacted).passed
    assert check(one_minute_guide(GuideDraft("R", NAME, None, [], None, ["x"])), GUIDE, redacted).terms == ["the body"]


def _written(content: bytes) -> bytes:
    """The chair's edit: every [what to write] line written."""
    document = docx.Document(io.BytesIO(content))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("["):
            paragraph.text = "Written by the chair."
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
