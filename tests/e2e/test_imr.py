"""IMRs end to end: the template, the document check, declarations, the chair's decision, versions kept."""
import io
import zipfile

import docx
import pytest
from sqlmodel import select

from bot.workflow.evidence import evidence_items
from bot.workflow.evidence.imr import SECTIONS
from storage.chronology import ImrVersion
from storage.evidence import EvidenceItem
from storage.panel import Agency
from tests.e2e.chronology_steps import bot_dm_count, dm_reply, ready_review, review_id, text_of
from tests.e2e.driver import AUTHOR, CHAIR, COORDINATOR, HEALTH, OUTSIDER, POLICE
from tests.e2e.journey import block_text, driver_of, open_view, wait
from tests.e2e.server import AUTHOR as S_AUTHOR
from tests.e2e.server import COORDINATOR as S_COORDINATOR
from tests.e2e.server import HEALTH as S_HEALTH
from tests.e2e.server import OUTSIDER as S_OUTSIDER
from tests.e2e.server import POLICE as S_POLICE

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def review(driver):
    general = driver.add_space("general-imr", [COORDINATOR, CHAIR, OUTSIDER, POLICE, HEALTH, AUTHOR])
    return ready_review(driver, general)


def complete_imr(skip: str | None = None, sign_off_date: str = "02/11/2026") -> bytes:
    document = docx.Document()
    document.add_heading("Individual Management Review", 0)
    for label, _, _ in SECTIONS:
        if label == skip:
            continue
        document.add_heading(label, 1)
        if label.startswith("Introduction"):
            document.add_paragraph("Author: J. Reviewer, Head of Quality, Northshire Police.")
            document.add_paragraph("I have not been involved with the victim, the perpetrator or their family, "
                                   "and I am not the line manager of any staff involved.")
        elif label.startswith("Senior manager"):
            document.add_paragraph("Name: A. Senior, Chief Superintendent")
            document.add_paragraph(f"Date: {sign_off_date}")
        else:
            document.add_paragraph(f"Findings on {label.lower()} for Adult A.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload_imr(driver, user, content, name="imr.docx"):
    before = bot_dm_count(driver, user)
    driver_of(driver).share_file(user, name, content)
    return dm_reply(driver, user, before, what="the IMR check")


def versions(driver, reference):
    with driver.db.session() as s:
        return list(s.exec(select(ImrVersion).where(ImrVersion.review_id == review_id(driver, reference))
                           .order_by(ImrVersion.version)))


def imr_cell(driver, reference):
    with driver.db.session() as s:
        return s.exec(select(EvidenceItem.status).where(EvidenceItem.review_id == review_id(driver, reference),
                                                        EvidenceItem.kind == "imr")).first()


def test_the_template_has_every_section_and_fails_the_check_until_written(driver, review):
    reference, channel = review
    files_before, stored = len(driver.shared_files()), len(versions(driver, reference))
    driver.command(AUTHOR, "imr", space=channel)
    sent = wait(lambda: driver.shared_files()[files_before:] or None)[0]
    assert sent.name == f"{reference}-IMR-template.docx"
    headings = [p.text for p in docx.Document(io.BytesIO(sent.content)).paragraphs if p.style.name.startswith("Heading")]
    assert [label for label, _, _ in SECTIONS] == headings
    assert "Northshire Police" in "\n".join(p.text for p in docx.Document(io.BytesIO(sent.content)).paragraphs)
    text = text_of(upload_imr(driver, AUTHOR, sent.content))
    assert "not complete yet" in text and "text under “Method”" in text
    assert "the senior manager's name in the sign-off" in text and "a [placeholder] is still there" in text
    assert len(versions(driver, reference)) == stored


def test_a_document_missing_a_section_and_the_sign_off_date_is_told_precisely(driver, review):
    reference, _ = review
    stored = len(versions(driver, reference))
    text = text_of(upload_imr(driver, AUTHOR, complete_imr(skip="Lessons learned", sign_off_date="")))
    assert "the section “Lessons learned”" in text and "the date of the senior manager's sign-off" in text
    assert "Method" not in text and len(versions(driver, reference)) == stored


@pytest.mark.parametrize("content, expected", [
    (b"This is just text saved with a .docx name", "not a Word document"),
    (None, "ZIP bomb"),
])
def test_not_a_docx_and_a_zip_bomb_are_refused_before_parsing(driver, review, content, expected):
    reference, _ = review
    stored = len(versions(driver, reference))
    if content is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))   # ~60 KB that expands to 60 MB
        content = out.getvalue()
    assert expected in text_of(upload_imr(driver, AUTHOR, content))
    assert len(versions(driver, reference)) == stored


def test_declarations_submission_return_and_acceptance_keep_every_version(driver, review):
    reference, channel = review
    ready = upload_imr(driver, AUTHOR, complete_imr())
    assert "IMR version 1 has every section" in text_of(ready)
    driver.press(AUTHOR, ready, "dhr.imr.open_declare")
    form = open_view(driver, AUTHOR, "dhr.imr.declare")
    refused = form.submit({"declarations": ["not_involved"], "senior_manager": "A. Senior", "feedback_held": "yes"})
    assert "Both declarations are needed" in refused.errors["declarations"]
    ok = form.submit({"declarations": ["not_involved", "not_line_manager"],
                      "senior_manager": "A. Senior, Chief Superintendent", "feedback_held": "yes"})
    assert ok.kind == "closed", ok.pair()
    notice = wait(lambda: [m for m in driver.messages(channel) if "submitted *Northshire Police*'s IMR"
                           in "\n".join(part.text for part in m.sections)] or None)[-1]
    assert imr_cell(driver, reference) == "submitted"

    before = len(driver.replies(AUTHOR))
    driver.press(AUTHOR, notice, "dhr.imr.accept")    # not the author's call
    assert "Only the review's coordinator or chair can review IMRs" in wait(
        lambda: " ".join(r.preview for r in driver.replies(AUTHOR)[before:]) or None)
    assert versions(driver, reference)[0].status == "submitted"

    driver.press(CHAIR, notice, "dhr.imr.open_return")
    form = open_view(driver, CHAIR, "dhr.imr.return")
    form.submit({"comments": "Analyse the missed MARAC referral in more depth."})
    wait(lambda: versions(driver, reference)[0].status == "returned", what="returned")
    assert imr_cell(driver, reference) == "returned"
    assert wait(lambda: [m for m in driver.dms(AUTHOR) if "was returned with comments" in m.preview])
    assert "missed MARAC referral" in " ".join(m.text for m in driver.messages(channel))

    ready = upload_imr(driver, AUTHOR, complete_imr() + b"")
    assert "IMR version 2" in text_of(ready)
    driver.press(AUTHOR, ready, "dhr.imr.open_declare")
    form = open_view(driver, AUTHOR, "dhr.imr.declare")
    form.submit({"declarations": ["not_involved", "not_line_manager"], "senior_manager": "A. Senior",
                 "feedback_held": "no"})
    notice = wait(lambda: [m for m in driver.messages(channel) if "version 2, for" in m.text] or None)[-1]
    driver.press(CHAIR, notice, "dhr.imr.accept")
    wait(lambda: versions(driver, reference)[-1].status == "accepted", what="accepted")
    rows = versions(driver, reference)
    assert [(r.version, r.status) for r in rows] == [(1, "returned"), (2, "accepted")]
    assert all(len(r.sha256) == 64 and r.size > 0 for r in rows) and rows[0].comments.startswith("Analyse")
    assert rows[0].senior_manager == "A. Senior, Chief Superintendent" and rows[0].feedback_held is True
    assert imr_cell(driver, reference) == "accepted"


def request_dm(bot, user, item_id: int, action_id: str):
    """A request DM with its button for one evidence item, posted straight into the fake Slack."""
    ch = bot.fake.ws.im_for(user)
    return bot.fake.ws.post_as_bot(ch, text="Evidence requested", blocks=[{
        "type": "actions", "block_id": "req", "elements": [{
            "type": "button", "action_id": action_id, "value": str(item_id),
            "text": {"type": "plain_text", "text": "Open"}}]}])


@pytest.mark.slack_only    # posts its own button into the fake Slack's DM, bypassing the bot
def test_the_request_buttons_open_the_forms_only_for_the_agencys_own_people(bot, review):
    reference, _ = review
    from datetime import date, datetime, timezone
    with bot.db.session() as s:
        police = s.exec(select(Agency.id).where(Agency.name == "Northshire Police")).first()
        now = datetime.now(timezone.utc)
        chron = evidence_items.request(s, review_id(bot, reference), police, "chronology", date(2027, 1, 8),
                                       S_COORDINATOR, now)
        imr_item = evidence_items.find(s, review_id(bot, reference), police, "imr") or evidence_items.request(
            s, review_id(bot, reference), police, "imr", date(2027, 1, 8), S_COORDINATOR, now)
        s.flush()
        chron_id, imr_id = chron.id, imr_item.id
    msg = request_dm(bot, S_POLICE, chron_id, "dhr.evidence.open_chronology")
    bot.slack.click(S_POLICE, "dhr.evidence.open_chronology", message=(msg.channel, msg.ts))
    assert "Agency*: Northshire Police" in block_text(open_view(bot, S_POLICE, "dhr.chronology.entry").blocks)

    msg = request_dm(bot, S_HEALTH, chron_id + 1000, "dhr.evidence.open_chronology")
    bot.slack.click(S_HEALTH, "dhr.evidence.open_chronology", message=(msg.channel, msg.ts), forged_value=str(chron_id))
    assert "for your own agency" in block_text(open_view(bot, S_HEALTH).blocks)

    msg = request_dm(bot, S_AUTHOR, imr_id, "dhr.evidence.open_imr")
    bot.slack.click(S_AUTHOR, "dhr.evidence.open_imr", message=(msg.channel, msg.ts))
    assert "Send me the IMR template" in block_text(open_view(bot, S_AUTHOR, "dhr.imr.info").blocks)

    msg = request_dm(bot, S_OUTSIDER, imr_id, "dhr.evidence.open_imr")
    bot.slack.click(S_OUTSIDER, "dhr.evidence.open_imr", message=(msg.channel, msg.ts))
    assert "You are not a member of this review" in block_text(open_view(bot, S_OUTSIDER).blocks)
