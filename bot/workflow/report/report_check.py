"""The check of a draft overview report or executive summary before it goes to the Home Office.

A pure function of the document's bytes: it says where a term on the redaction list is (the body, a
table, a header or footer, a comment, a document property) but never the term; which of the guidance's
sections are missing; and, as warnings, what looks like a date of birth or a full address. Word keeps
much outside the body (the author's name in the file's properties, a name in a footer or a comment),
so every part that holds text is read, not only the paragraphs python-docx shows.
"""
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from bot.workflow.evidence.chronology_rows import FileRefused
from bot.workflow.evidence.imr import MAX_DOCX_BYTES, check_docx_package, is_heading, open_document

MAX_BYTES = MAX_DOCX_BYTES                       # as an IMR (imr.check_docx_package)
OVERVIEW, SUMMARY, GUIDE = "overview_report", "executive_summary", "guide"
KIND_LABELS = {OVERVIEW: "overview report", SUMMARY: "executive summary", GUIDE: "one-minute guide"}

# (heading, the start its heading has once numbering is stripped, one line of guidance). In the order of
# the Home Office's guidance for the overview report (2016, annex).
OVERVIEW_SECTIONS = (
    ("Introduction", r"introduction", "Who died, when, and the CSP that commissioned this review (pseudonyms only)."),
    ("Timescales", r"timescale", "When the review was notified, decided, its terms agreed, any holds and "
     "agreed timescales, and when it was submitted (the bot offers this paragraph from the review's record)."),
    ("Confidentiality", r"confidentiality", "The pseudonyms used, and that the findings are confidential until "
     "published."),
    ("Terms of reference", r"terms of reference", "The terms of reference agreed by the panel, and the key lines "
     "of enquiry."),
    ("Methodology", r"method", "How the review was carried out: IMRs, chronologies, interviews, panel "
     "meetings."),
    ("Involvement of family", r"(involvement of )?(the )?family", "How family, friends, work colleagues and neighbours "
     "were involved, and what they said."),
    ("Contributors to the review", r"contributors", "The agencies that contributed, and what each provided."),
    ("The review panel", r"(the )?(review )?panel", "The panel's members by role and agency, and how often it met."),
    ("Author of the overview report", r"(the )?(author|chair)|.*independence", "The chair and author, and their "
     "independence from every agency involved."),
    ("Parallel reviews", r"parallel", "Criminal proceedings, the inquest, IOPC or other "
     "reviews running alongside."),
    ("Equality and diversity", r"equality (and|&) diversity", "The protected characteristics of those involved, "
     "and any barriers to seeking help."),
    ("Dissemination", r"dissemination", "Who will receive the report and its lessons."),
    ("Background information", r"background", "The facts of the homicide, in "
     "brief."),
    ("Chronology", r"chronology", "The combined chronology of the agencies' contact, in summary."),
    ("Overview", r"overview", "What was known to each agency, and to the family, friends and community."),
    ("Analysis", r"analysis", "Analysis against each term of reference and line of enquiry."),
    ("Conclusions", r"conclusion", "What the review concludes, including whether the homicide could have been "
     "predicted or prevented."),
    ("Lessons to be learnt", r"lesson", "The lessons for agencies and "
     "practitioners."),
    ("Recommendations", r"recommendation", "The recommendations, each numbered (single-agency ones are in the "
     "IMRs' action plans)."),
)
SUMMARY_SECTIONS = (
    ("Introduction", r"introduction", "The review, the CSP that commissioned it, the pseudonyms used."),
    ("Timescales", r"timescale", "When the review began and was completed (the bot offers this paragraph)."),
    ("Terms of reference", r"terms of reference", "The terms of reference in brief."),
    ("Summary of the facts", r"summary|(the )?facts", "The circumstances "
     "of the homicide, in brief."),
    ("Key issues and conclusions", r"key (issues|findings)|conclusion", "What the review found."),
    ("Lessons to be learnt", r"lesson", "The key lessons."),
    ("Recommendations", r"recommendation", "Every recommendation of the overview report."),
)
# The one-minute learning brief, in the Wakefield format, drafted once the report is published (guide.py).
GUIDE_SECTIONS = (
    ("What is a Domestic Homicide Review?", r"what is a (domestic homicide review|dhr)",
     "A review of the circumstances of a death, to learn lessons, not to blame."),
    ("The circumstances", r"(the )?circumstances", "Two lines, anonymised: pseudonyms, no dates or places."),
    ("Key learning points", r"(key )?learning|lessons", "What the review learned."),
    ("What practitioners should do differently", r"what (practitioners|you) should do|(doing|do) differently",
     "What each practitioner should do differently, from the recommendations."),
    ("Where to read more", r"where to (read|find) more|further (reading|information)",
     "Where the published report is, and local domestic abuse services."),
)
SECTIONS = {OVERVIEW: OVERVIEW_SECTIONS, SUMMARY: SUMMARY_SECTIONS, GUIDE: GUIDE_SECTIONS}

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CORE_PROPERTIES = {   # docProps/core.xml and app.xml elements, by the name Word's File > Info gives them
    "creator": "Author", "lastModifiedBy": "Last modified by", "title": "Title", "subject": "Subject",
    "keywords": "Tags (keywords)", "description": "Comments", "category": "Categories",
    "contentStatus": "Status", "Company": "Company", "Manager": "Manager"}
_NUMBERING = re.compile(r"^\s*(\d+(\.\d+)*[.):]?|([ivxlc]+|[a-z])[.):]|(section|part) \d+[.:]?)\s+", re.I)
_DATE = (r"(\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}|\d{1,2}(st|nd|rd|th)?\s+(of\s+)?(jan|feb|mar|apr|may|jun|"
         r"jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+"
         r"\d{1,2}(st|nd|rd|th)?,?\s+\d{4})")
_BIRTH = re.compile(r"\b(d\.?o\.?b\.?|date of birth|birth ?date|born( on)?)\W{0,3}(\w+\W+){0,3}?" + _DATE, re.I)
_STREET = (r"(street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|crescent|grove|place|court|terrace|gardens|"
           r"hill|park|row|walk|square|mews|rise|view)")
_ADDRESS = re.compile(r"\b\d{1,4}[a-z]?,?\s+([a-z'-]+\s+){1,4}" + _STREET
                      + r"\b\.?,?(\s*[\w' -]{0,40},)*[\s\w'-]{0,40}?\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b", re.I)
_PLACEHOLDER = re.compile(r"\[[^\]]{2,}\]")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


@dataclass(frozen=True)
class Checked:
    """What the check found: places holding a registered term (never the term), missing sections,
    and warnings (a date of birth or a full address, and where)."""

    terms: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.terms and not self.missing

    @property
    def findings(self) -> int:
        return len(self.terms) + len(self.missing) + len(self.warnings)


def report_kind(name: str) -> str | None:
    """Which report a .docx is, by its name: "overview report", "executive summary" or "one-minute guide" in it
    (the names the bot gives its templates and drafts). Anything else (an IMR) is evidence."""
    words = re.sub(r"[^a-z]+", " ", (name or "").lower())
    if re.search(r"\b(one|1) ?minute (guide|brief(ing)?)\b", words):
        return GUIDE
    if re.search(r"\boverview ?report\b", words):
        return OVERVIEW
    if re.search(r"\bexec(utive)? ?summary\b", words):
        return SUMMARY
    return None


def check(content: bytes, kind: str, redacted: Callable[[str], bool]) -> Checked:
    """Raises FileRefused for a file that is not a Word document the bot can read."""
    parts = read_parts(content)
    terms = [where for where, texts in parts if any(redacted(t) for t in texts)]
    warnings = [f"{what} in {where}" for where, texts in parts for what in _personal_details(texts)]
    return Checked(_unique(terms), missing_sections(content, kind), _unique(warnings))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _personal_details(texts: list[str]) -> list[str]:
    found = []
    if any(_BIRTH.search(t) for t in texts):
        found.append("what looks like a date of birth")
    if any(_ADDRESS.search(t) for t in texts):
        found.append("what looks like a full address")
    return found


def open_package(content: bytes) -> zipfile.ZipFile:
    check_docx_package(content, "a report")
    return zipfile.ZipFile(io.BytesIO(content))


def read_parts(content: bytes) -> list[tuple[str, list[str]]]:
    """[(where, its paragraphs' text)] for every part of the document that holds text."""
    with open_package(content) as package:
        names = package.namelist()
        parts: list[tuple[str, list[str]]] = []
        for name in sorted(names):
            where = _where(name)
            if where is None:
                continue
            root = _xml(package, name)
            if name.startswith("docProps/"):
                parts.extend(_properties(root, name))
            else:
                parts.append((where, _paragraphs(root)))
                if name == "word/document.xml":
                    parts.append(("a table", _table_texts(root)))
    return parts


def _where(name: str) -> str | None:
    if name == "word/document.xml":
        return "the body"
    if re.fullmatch(r"word/header\d*\.xml", name):
        return "a header"
    if re.fullmatch(r"word/footer\d*\.xml", name):
        return "the footer"
    if name in ("word/comments.xml", "word/commentsExtended.xml"):
        return "a comment"
    if name in ("word/footnotes.xml", "word/endnotes.xml"):
        return "a footnote"
    if name in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"):
        return "properties"
    return None


def _xml(package: zipfile.ZipFile, name: str):
    try:
        return etree.fromstring(package.read(name), _PARSER)
    except (etree.XMLSyntaxError, ValueError, KeyError, zipfile.BadZipFile):
        raise FileRefused("This Word document is damaged and can't be read. Save it again as .docx and upload "
                          "it; I have not kept it.") from None


def _paragraphs(root) -> list[str]:
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
    return [t for t in texts if t.strip()]


def _table_texts(root) -> list[str]:
    return [t for table in root.iter(f"{W}tbl") for t in _paragraphs(table)]


def _properties(root, name: str) -> list[tuple[str, list[str]]]:
    """Each filled property on its own, so the answer can say which one holds a term."""
    found = []
    if name.endswith("custom.xml"):
        values = ["".join(prop.itertext()).strip() for prop in root]
        names = [prop.get("name") or "" for prop in root]
        texts = [t for t in values + names if t]
        return [("a custom document property", texts)] if texts else []
    for element in root:
        tag = etree.QName(element).localname
        value = "".join(element.itertext()).strip()
        if tag in CORE_PROPERTIES and value:
            found.append((f"the document's {CORE_PROPERTIES[tag]} property", [value]))
    return found


def _heading_key(text: str) -> str:
    return _NUMBERING.sub("", re.sub(r"\s+", " ", text).strip().lower()).strip(" .:")


def _outline(content: bytes) -> list[tuple[str, list[str]]]:
    """[(heading, the paragraphs under it)]: a heading is a Heading style or a short line all in bold; the
    document's Title is not one."""
    document = open_document(content, "a report")
    outline: list[tuple[str, list[str]]] = [("", [])]
    for paragraph in document.paragraphs:
        said = paragraph.text.strip()
        if not said or (paragraph.style is not None and paragraph.style.name == "Title"):
            continue
        if is_heading(paragraph):
            outline.append((_heading_key(said), []))
        else:
            outline[-1][1].append(said)
    return outline


def missing_sections(content: bytes, kind: str) -> list[str]:
    """Each section of the guidance needs its heading and some text of its own under it (or under its own
    sub-headings), not only the template's [guidance]."""
    sections = SECTIONS[kind]
    written: dict[str, bool] = {}
    left: dict[str, None] = {}       # sections still holding a [what to write] line of the template
    current = None
    for key, body in _outline(content):
        label = next((label for label, pattern, _ in sections if re.match(pattern, key)), None)
        if label is not None:
            current = label
            written.setdefault(label, False)
        if current is not None and any(not _PLACEHOLDER.fullmatch(t) for t in body):
            written[current] = True
        if current is not None and any(_PLACEHOLDER.fullmatch(t) for t in body):
            left[current] = None
    missing = [f"the section \u201c{label}\u201d" for label, _, _ in sections if label not in written]
    return missing + [f"text under \u201c{label}\u201d (it is empty or still the template's guidance)"
                      for label, _, _ in sections if written.get(label) is False] + \
        [f"the template's [bracketed] line under \u201c{label}\u201d, still to be written"
         for label in left if written.get(label)]
