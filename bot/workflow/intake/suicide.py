"""A suspected suicide (asked when the review is opened). Since 2016 the guidance expects a review
where a victim dies by suicide and there are concerns such as coercive control, even with no charge
or an acquittal; the terms of reference then name suicide and coercive control; the person is an
"alleged" perpetrator; and the coroner's inquest runs alongside, so the coordinator liaises with
the coroner."""
from storage.models import Review

GUIDANCE_TEST = ("Suspected suicide: the statutory guidance expects a review where the victim died by suicide "
                 "and there are concerns such as coercive control, even when no one has been charged or the "
                 "alleged perpetrator was acquitted.")
CORONER_LINE = ("Suspected suicide: liaise with the coroner about the inquest (timing, disclosure and what the "
                "review shares), and record the inquest as a parallel process.")
PRESELECTED_LINES = ("suicide", "coercive_control")


def perpetrator_word(review: Review) -> str:
    return "alleged perpetrator" if review.suspected_suicide else "perpetrator"


def default_lines(review: Review, current) -> list[str]:
    """The lines of enquiry the terms of reference form starts from: the current version's, or for a
    suspected suicide's first version, suicide and coercive control."""
    if current is not None:
        return list(current.lines_of_enquiry)
    return list(PRESELECTED_LINES) if review.suspected_suicide else []


def card_lines(review: Review, decided: bool) -> list[str]:
    if not review.suspected_suicide:
        return []
    return [GUIDANCE_TEST] + ([CORONER_LINE] if decided else [])
