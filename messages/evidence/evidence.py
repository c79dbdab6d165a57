"""Terms of reference, evidence requests, scoping answers, the evidence grid and family contacts,
as neutral trees (messages/tree.py); an item with its own action is a paragraph with a button beside it.
"""
from bot.workflow.core.fields import sentence_start
from bot.workflow.core.notices import EvidenceRequest, SummaryCard, TermsPosted, TermsToConfirm
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Command, Icon, Mention, Plain, SpaceLink, SpaceWord, Text, join, text
from bot.workflow.evidence import evidence_items, evidence_requests, family, family_steps, scoping_record, terms
from bot.workflow.evidence.evidence_items import Kind
from bot.workflow.evidence.evidence_use_cases import (
    GridData,
    MarkFormData,
    RequestFormData,
    ScopingFormData,
    TermsFormData,
    TermsSaved,
    answers_text,
)
from bot.workflow.evidence.family_use_cases import ContactFormData, FamilySummary, InterviewFormData, StepFormData
from messages import tree
from messages.slack.ids import EvidenceActionId, EvidenceCallbackId

ICONS = {"requested": "hourglass_flowing_sand", "overdue": "red_circle", "submitted": "inbox_tray",
         "returned": "leftwards_arrow_with_hook", "accepted": "white_check_mark",
         "not_required": "heavy_minus_sign", "": "white_small_square"}
MAX_GRID_SECTIONS = 45
PARAGRAPH_MAX = 3000    # characters in one paragraph as written out: the tightest platform's limit (Slack's)


def said(title: str, message: "str | Text") -> tree.Form:
    """What a form says once it is done with, or why it could not open: the message and Close."""
    return tree.Form(EvidenceCallbackId.RESULT, title, (tree.Paragraph(text(message)),), close="Close")


def _iso(d) -> str | None:
    return d.isoformat() if d else None


# ---------------------------------------------------------------- terms of reference

def terms_form(data: TermsFormData) -> tree.Form:
    f, current = terms.TermsForm, data.current
    if not data.agencies:
        return said("Terms of reference", text("No agencies are set up yet: a CSP admin adds them with ",
                                               Command("agencies"), "; then run ", Command("tor"), " again."))
    version = (current.version + 1) if current else 1
    lines_hint = f.lines.hint if current or not data.lines else (
        f"{f.lines.hint} A suspected suicide: suicide and coercive control are chosen to start with.")
    return tree.Form(EvidenceCallbackId.TERMS, "Terms of reference", [
        tree.Paragraph(text(Bold(data.reference), f": terms of reference. Saving records version {version}; earlier "
                            "versions are kept. Give the date agreed once the panel has agreed them: the panel is "
                            "then asked to confirm they have read them.")),
        *([tree.Context(data.readers)] if data.readers else []),
        f.scope_from.but(initial=_iso(current.scope_from) if current else None),
        f.scope_to.but(initial=_iso(current.scope_to) if current else None),
        f.agencies.but(options={str(i): n for i, n in data.agencies[:100]},
                       initial=[str(a) for a in (current.agency_ids if current else [])]),
        f.lines.but(initial=list(data.lines), hint=lines_hint),
        f.other_lines.but(initial=current.other_lines if current else None),
        f.pseudonyms.but(initial=(current.pseudonyms if current else data.pseudonyms) or None),
        f.agreed_on,
    ], submit="Save version", metadata={"review_id": data.review_id})


def terms_saved(t: TermsSaved) -> tree.Form:
    message = text(Icon("white_check_mark"), f" Version {t.version} of the terms of reference of ", Bold(t.reference),
                   " is saved")
    if t.agreed:
        message += text(f" as agreed. {t.asked} member{'s were' if t.asked != 1 else ' was'} asked to confirm they "
                        "have read it; ", Command("tor"), " shows who has.")
    else:
        message += " as a draft. Give the date agreed once the panel has agreed it."
    return said("Terms of reference", message + (f"\n{t.stage_note}" if t.stage_note else ""))


def terms_posted(n: TermsPosted) -> tree.Message:
    state = f"agreed {n.agreed_on}" if n.agreed_on else "draft"
    blocks: list[tree.Block] = [
        tree.Paragraph(text(Mention(PersonRef(n.actor)), " saved the terms of reference of ", Bold(n.reference), ".")),
        tree.Facts((("Scoping period", text(n.scope)), ("Version", text(f"{n.version} ({state})"))))]
    if n.agencies:
        blocks.append(tree.Paragraph(text(Bold("Agencies in scope"), "\n" + "\n".join(f"• {a}" for a in n.agencies))))
    lines = [f"• {x}" for x in n.lines] + [f"• {x}" for x in (n.other_lines or "").splitlines() if x.strip()]
    if lines:
        blocks.append(tree.Paragraph(text(Bold("Key lines of enquiry"), "\n" + "\n".join(lines))))
    if n.pseudonyms:
        blocks.append(tree.Paragraph(text(Bold("Pseudonyms"), "\n" + n.pseudonyms)))
    return tree.Message(blocks, text(f"Terms of reference of {n.reference}, version {n.version}"))


def terms_to_confirm(n: TermsToConfirm) -> tree.Message:
    where = [" in ", SpaceLink(SpaceRef(n.space_id))] if n.space_id else []
    said = text(Mention(PersonRef(n.asked_by)), f" recorded version {n.version} of the terms of reference of review "
                                                f"{n.reference} as agreed on {n.agreed_on}. Please read them", *where,
                " and confirm here.")
    return tree.Message([tree.Paragraph(said), tree.Actions([
        tree.Button("I have read them", EvidenceActionId.CONFIRM_TERMS, str(n.confirmation_id), style="primary")],
        id="confirm")], text(f"Please confirm you have read the terms of reference of {n.reference}"))


# ---------------------------------------------------------------- requests

def request_form(data: RequestFormData) -> tree.Form:
    f = evidence_requests.RequestForm
    return tree.Form(EvidenceCallbackId.REQUEST, "Request evidence", [
        tree.Paragraph(text(Bold(data.reference), ": ask agencies for evidence. Each agency lead gets one DM listing "
                            "what their agency owes, with a button for each item; reminders follow the due date.")),
        f.agencies.but(options={str(i): n for i, n in data.agencies}, initial=[str(a) for a in data.in_scope]),
        f.items, f.due_on.but(initial=data.due_iso),
    ], submit="Send requests", metadata={"review_id": data.review_id})


def _people(users) -> Text:
    return join(", ", [text(Mention(PersonRef(u))) for u in users])


def request_done(done: evidence_requests.Requested) -> tree.Form:
    due = evidence_requests.show_due(done.due_on)
    told = [a for a in done.agencies if a.leads]
    many = len(done.agencies)
    lines = [text(Icon("white_check_mark"), f" Requested from {many} agenc{'y' if many == 1 else 'ies'} for ",
                  Bold(done.reference), ", due ", Bold(due), ".")]
    if told:
        lines.append(text("Agency leads told by DM: ", join("; ", [
            text(f"{a.agency} (", _people(a.leads), ")") for a in told[:20]])))
    if done.without_lead:
        lines.append(text(Icon("warning"), " ", Bold("No agency lead yet"), " for " + ", ".join(done.without_lead[:20])
                          + ", so nobody there was told. Add one with ", Command("panel"), " (role: agency lead); "
                          "they can then answer from ", Command("evidence"), ". Until then reminders come to you."))
    for a in done.lead_pending[:20]:
        lines.append(text(Icon("hourglass_flowing_sand"), " ", Bold(a.agency), ": agency lead ", _people(a.pending),
                          " is added, pending: they get this request by DM once they agree to the confidentiality "
                          "statement. Until then reminders come to you."))
    return said("Request evidence", join("\n", lines))


def evidence_request(n: EvidenceRequest) -> tree.Message:
    where = text(" (", SpaceLink(SpaceRef(n.space_id)), ")") if n.space_id else ""
    blocks: list[tree.Block] = [tree.Paragraph(text(
        Mention(PersonRef(n.requested_by)), " asked ", Bold(n.agency), f" for evidence for review {n.reference}",
        where, ", due ", Bold(n.due), "."))]
    blocks += [_item(item.item_id, item.kind, item.label, item.recorded) for item in n.items[:40]]
    blocks.append(tree.Context(text("You can also find these with ", Command("evidence"), " in the review ",
                                    SpaceWord(), ".")))
    return tree.Message(blocks, text(f"Evidence requested for review {n.reference}, due {n.due}"))


BUTTONS = {Kind.SCOPING.value: ("Answer", EvidenceActionId.OPEN_SCOPING),
           Kind.CHRONOLOGY.value: ("Submit chronology", EvidenceActionId.OPEN_CHRONOLOGY),
           Kind.IMR.value: ("Submit IMR", EvidenceActionId.OPEN_IMR)}


def _item(item_id: int, kind: str, label: str, recorded: str | None = None) -> tree.Paragraph:
    """One item owed, with the button that answers it; its id ("item-<id>") tells the handler which
    items a request DM lists."""
    block_id, button = f"item-{item_id}", BUTTONS.get(kind)
    if recorded:   # settled since the request went: no button to change it from here
        return tree.Paragraph(text("• ", Bold(label), ": ", Icon("white_check_mark"), " " + recorded.lower()),
                              id=block_id)
    if button is None:   # short report: sent to the coordinator, who records it
        return tree.Paragraph(text("• ", Bold(label), ": send it to the review's coordinator."), id=block_id)
    return tree.Paragraph(text("• ", Bold(label)), id=block_id, button=tree.Button(button[0], button[1], str(item_id)))


# ---------------------------------------------------------------- scoping

def scoping_form(data: ScopingFormData, origin: dict | None = None) -> tree.Form:
    scope = f"the scoping period ({data.period})" if data.period else "the scoping period of the terms of reference"
    f = evidence_requests.ScopingForm
    return tree.Form(EvidenceCallbackId.SCOPING, "Scoping answer", [
        tree.Paragraph(text(Bold(data.reference), ": scoping answer for ", Bold(data.agency), f", about {scope}. If "
                            "your agency had no contact with any of them, its other items are marked not required "
                            "and the coordinator is told.")),
        f.victim, f.perpetrator, f.children,
    ], submit="Send answer", metadata={"item_id": data.item_id, **(origin or {})})


def scoping_recorded(rec: scoping_record.RecordedScoping) -> tree.Form:
    """What an old request's *Answer* shows once the answer is recorded: the answer, and *Revise*."""
    said = text(Bold(rec.reference), f": {rec.agency}'s scoping answer is already recorded ({rec.status.lower()})",
                f" on {rec.answered_on}: {answers_text(rec.answer)}." if rec.answer else ", with no answer to show.")
    return tree.Form(EvidenceCallbackId.RESULT, "Scoping answer", [
        tree.Paragraph(said),
        tree.Context(text("Nothing needs doing. If the answer is wrong, ", Bold("Revise"), " records a corrected one "
                          "with the reason; items already settled stay as they are.")),
        tree.Actions([tree.Button("Revise", EvidenceActionId.REVISE_SCOPING, str(rec.item_id))]),
    ], close="Close")


def scoping_revise_form(rec) -> tree.Form:
    f = scoping_record.RevisionForm
    return tree.Form(EvidenceCallbackId.SCOPING_REVISE, "Revise scoping answer", [
        tree.Paragraph(text(Bold(rec.reference), f": revise {rec.agency}'s scoping answer. The channel is told who "
                                                 "revised it and why.")),
        f.victim, f.perpetrator, f.children, f.reason,
    ], submit="Revise", metadata={"item_id": rec.item_id})


def scoping_revised(_rec) -> tree.Form:
    return said("Revise scoping answer", "The revised answer is recorded; the channel is told.")


def scoping_done(outcome: evidence_requests.ScopingOutcome) -> tree.Form:
    message = text(Icon("white_check_mark"), f" {outcome.agency}'s scoping answer is recorded.")
    if outcome.no_contact and outcome.not_required:
        message += (" No contact in the scoping period, so these are now not required: " + ", ".join(
            sentence_start(x) for x in outcome.not_required) + ". The coordinator has been told.")
    return said("Scoping answer", message)


# ---------------------------------------------------------------- the grid and the card

def _cell(kind: str, status: str) -> Text:
    icon, label = ICONS.get(status), evidence_items.LABELS.get(status, "not asked")
    return text(f"{Kind(kind).label}: ", Icon(icon) if icon else "", f" {label}")


def _written_length(value: Text) -> int:
    """About how long a paragraph is once written out (marks and icon names included), to split the
    grid before a platform would cut it."""
    return sum(len(p.text) if isinstance(p, Plain) else len(p.name) + 2 if isinstance(p, Icon)
               else len(text(p).words()) + 2 for p in value.parts)


def grid_message(data: GridData) -> tree.Message:
    """Agency x item, packed into paragraphs (a review may have 15 or more agencies)."""
    reference, rows, own_items = data.reference, data.rows, data.own_items
    blocks: list[tree.Block] = [tree.Header(f"{reference}: evidence")]
    if not rows:
        blocks.append(tree.Paragraph(text("Nothing has been requested yet. The coordinator or chair asks agencies "
                                          "with ", Command("request"), ".")))
    chunks: list[Text] = []
    current = text()
    for row in rows:
        entry = text(Bold(row.agency), "\n", join(" · ", [_cell(k, s) for k, s in row.cells.items() if s]))
        if current and _written_length(current) + _written_length(entry) + 2 > PARAGRAPH_MAX:
            chunks.append(current)
            current = text()
        current = text(current, "\n\n", entry) if current else entry
    if current:
        chunks.append(current)
    blocks += [tree.Paragraph(chunk) for chunk in chunks[:MAX_GRID_SECTIONS]]
    blocks += [_item(item.id, item.kind, f"{Kind(item.kind).label} for {agency}") for item, agency in own_items[:10]]
    blocks.append(tree.Context("Requested, overdue (past its due date), submitted, returned (changes asked for), "
                               "accepted, not required."))
    return tree.Message(blocks, text(f"{reference}: evidence"))


def card_evidence(card: SummaryCard) -> tree.Paragraph:
    """The summary card's evidence and family involvement."""
    lines: list[Text] = [text(Bold("Evidence"))]
    if card.terms_line:
        lines.append(text(f"Terms of reference: {card.terms_line}"))
    lines += [text(x) for x in card.evidence_lines]
    if card.evidence_lines:
        lines.append(text(Command("evidence"), " shows every agency and item."))
    if card.family_warning:
        lines.append(text(Icon("warning"), f" {card.family_warning}"))
    family_text = step_lines(card.family_steps, card.family_due, "Family involvement")
    if family_text:
        lines.append(family_text)
    return tree.Paragraph(join("\n", lines))


# ---------------------------------------------------------------- family, friends and colleagues

def family_view(f: FamilySummary) -> tree.Form:
    """The summary with an Update button per contact (its value the contact id: the review is the form's)."""
    blocks: list[tree.Block] = [tree.Paragraph(f.saved)] if f.saved else []
    blocks.append(tree.Paragraph(text(Bold(f.reference), ": family, friends and colleagues, recorded by "
                                                         "relationship only, never by name.")))
    blocks += [tree.Paragraph(text(Bold(line.title), "\n" + "\n".join(line.facts)), id=f"contact-{line.contact_id}",
                              button=tree.Button("Update", EvidenceActionId.FAMILY_EDIT, str(line.contact_id)))
               for line in f.contacts[:family.MAX_CONTACTS]]
    if not f.contacts:
        blocks.append(tree.Paragraph("No contacts recorded yet."))
    blocks.append(tree.Paragraph(f.interview))
    blocks.append(tree.Paragraph(step_lines(f.steps, f.due) or text(Bold("Involvement steps"),
                                                                    "\nNone recorded yet.")))
    review = str(f.review_id)
    blocks.append(tree.Actions([
        tree.Button("Add a contact", EvidenceActionId.FAMILY_ADD, review, style="primary"),
        tree.Button("Record a step", EvidenceActionId.FAMILY_STEP, review),
        tree.Button(f"{f.perpetrator_word.capitalize()} interview", EvidenceActionId.FAMILY_INTERVIEW, review),
    ], id="family-actions"))
    return tree.Form(EvidenceCallbackId.FAMILY, "Family and friends", blocks, close="Close",
                     metadata={"review_id": f.review_id})


def contact_form(data: ContactFormData) -> tree.Form:
    f, row = family.ContactForm, data.contact
    offered = None if row is None or row.advocacy_offered is None else ("yes" if row.advocacy_offered else "no")
    return tree.Form(EvidenceCallbackId.FAMILY_CONTACT, "Family contact", [
        tree.Paragraph(text(Bold(data.reference), ": " + (f"contact {row.number}." if row else "a new contact.")
                            + " Relationship only: never a name, address or date of birth.")),
        f.relationship.but(initial=row.relationship if row else None),
        f.relationship_note.but(initial=row.relationship_note if row else None),
        f.leaflet.but(initial=row.leaflet if row else None),
        f.leaflet_sent_on.but(initial=_iso(row.leaflet_sent_on) if row else None),
        f.advocacy_offered.but(initial=offered),
        f.advocacy_accepted.but(initial=row.advocacy_accepted if row else None),
        f.wishes_to_take_part.but(initial=row.wishes_to_take_part if row else None),
        f.meeting_on.but(hint=("Meetings so far: " + ", ".join(row.meetings)) if row and row.meetings else None),
        f.draft_shared_on.but(initial=_iso(row.draft_shared_on) if row else None),
        f.comments_received_on.but(initial=_iso(row.comments_received_on) if row else None),
        f.comments.but(initial=row.comments if row else None),
    ], submit="Save", metadata={"review_id": data.review_id, "contact_id": row.id if row else 0})


def step_lines(steps, due, title: str = "Involvement steps") -> Text | None:
    """Involvement steps with their dates and who recorded them, then those still due."""
    if not steps and not due:
        return None
    lines = [text(Bold(title))] + [text(f"• {x.text} (recorded by ", Mention(PersonRef(x.recorded_by)), ")")
                                   for x in steps]
    return join("\n", lines + [text(Icon("hourglass"), f" {x}") for x in due])


def step_form(data: StepFormData) -> tree.Form:
    f = family_steps.StepForm
    contact = [f.contact.but(options={str(i): t for i, t in data.contacts})] if data.contacts else []
    return tree.Form(EvidenceCallbackId.FAMILY_STEP, "Family involvement", [
        tree.Paragraph(text(Bold(data.reference), ": a step in the family's involvement. Recording a step again "
                            "replaces the earlier record (the audit log keeps it). Relationship only: never a name.")),
        f.kind, f.on, *contact, f.pseudonym, f.tribute, f.advocate,
    ], submit="Save", metadata={"review_id": data.review_id})


def interview_form(data: InterviewFormData) -> tree.Form:
    f, word = family.InterviewForm, data.perpetrator_word
    title = "Perpetrator interview" if word == "perpetrator" else "Interview"   # 24 characters at most
    return tree.Form(EvidenceCallbackId.FAMILY_INTERVIEW, title, [
        tree.Paragraph(text(Bold(data.reference), f": the chair's interview with the {word}, where possible.")),
        f.status.but(initial=data.interview.status if data.interview else None), f.on,
    ], submit="Save", metadata={"review_id": data.review_id})


# Shown only when a submitted form is shown again for a review with nothing requested (its metadata named
# another review): a choice is needed to draw the field its error goes under; it matches no item.
NOTHING_TO_MARK = {"0": "Nothing requested in this review"}


def mark_form(data: MarkFormData) -> tree.Form:
    f = evidence_requests.MarkForm
    return tree.Form(EvidenceCallbackId.MARK, "Evidence received", [
        tree.Paragraph(text(Bold(data.reference), ": record what arrived outside the bot (for example a short report "
                                                  "sent to you), accept an item, or withdraw a request the review no "
                                                  "longer needs.")),
        f.item.but(options={str(i): label for i, label in data.items[:100]} or NOTHING_TO_MARK), f.status,
    ], submit="Record", metadata={"review_id": data.review_id})


def marked(message: Text) -> tree.Form:
    return said("Evidence received", message)
