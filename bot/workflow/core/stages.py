"""The stages of a review, from notification to conclusion. A hold on an activity (clock/holds.py)
is not a stage either: the review keeps moving while a trial or inquest holds one of its activities."""
from enum import StrEnum

from bot.workflow.core.text import Command, Text, text


class Stage(StrEnum):
    NOTIFIED = "notified"
    NOT_COMMISSIONED = "not_commissioned"
    SETUP = "setup"
    EVIDENCE = "evidence"
    DRAFTING = "drafting"
    SIGN_OFF = "sign_off"        # panel sign-off, then CSP sign-off (both recorded as facts)
    SUBMITTED = "submitted"      # with the Home Office QA panel
    AMENDING = "amending"        # QA said "publish once amended"
    PUBLISHED = "published"
    MONITORING = "monitoring"
    CONCLUDED = "concluded"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def next_step(self) -> Text:
        return text(_NEXT_STEPS[self])


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)

_LABELS = {
    Stage.NOTIFIED: "Notified",
    Stage.NOT_COMMISSIONED: "Not commissioned",
    Stage.SETUP: "Set-up",
    Stage.EVIDENCE: "Evidence",
    Stage.DRAFTING: "Drafting",
    Stage.SIGN_OFF: "Sign-off",
    Stage.SUBMITTED: "With Home Office QA panel",
    Stage.AMENDING: "Amending for publication",
    Stage.PUBLISHED: "Published",
    Stage.MONITORING: "Monitoring action plan",
    Stage.CONCLUDED: "Concluded",
}

_NEXT_STEPS: dict[Stage, str | Text] = {
    Stage.NOTIFIED: text("The CSP chair decides with partner agencies whether to hold a review (use ",
                         Command("decide", quoted=False), ")."),
    Stage.NOT_COMMISSIONED: "The Home Office has been told there will be no review; record its answer when it arrives.",
    Stage.SETUP: "Appoint the independent chair, form the panel and agree the terms of reference and scoping period.",
    Stage.EVIDENCE: "Agencies send their scoping answers, chronologies and IMRs; drafting starts when nothing is "
                    "outstanding.",
    Stage.DRAFTING: "Draft the overview report, executive summary and action plan, and share the draft with the "
                    "family.",
    Stage.SIGN_OFF: "The panel signs the report off, then the CSP; then it goes to the Home Office. Once the CSP "
                    "signs off, send a copy to the Domestic Abuse Commissioner.",
    Stage.SUBMITTED: "Waiting for the Home Office QA panel; record its outcome when the letter arrives.",
    Stage.AMENDING: "Make the changes the QA panel asked for, then publish the overview report and executive "
                    "summary with the QA letter, or, agreed with the Home Office, the summary only or neither; or "
                    "defer publication.",
    Stage.PUBLISHED: "Send the copies and notices on the card, then start monitoring the action plan.",
    Stage.MONITORING: "Agencies complete their actions; each is verified, then the action plan is audited.",
    Stage.CONCLUDED: "The review is closed; nothing more is due.",
}


def stage_label(stage: Stage | str) -> str:
    return Stage(stage).label


def next_step_text(stage: Stage | str) -> Text:
    return Stage(stage).next_step


def is_open(stage: Stage | str) -> bool:
    return Stage(stage) is not Stage.CONCLUDED
