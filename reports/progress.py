"""The quarterly return's assessment of progress of a national metric, in the national template's
words, worked out from the metric's rating against its target. Pure: no Django import.

The return asks, for each national metric, whether the area is on track to meet its target.
The board pack's performance table has already rated the metric against its target by the
boards' rule (`metrics.rag`): Green "On Track", Amber "Slightly Off Track", Red "Off Track", or no
rating at all ("No Target set", "Data not available"). The assessment follows that rating, so
the return never tells NHS England something the board was not told; the analyst may choose
another with a reason (`reports.models.ReturnMetric`).
"""

from __future__ import annotations

from enum import StrEnum

from bettercare.ratings import Rag


class Assessment(StrEnum):
    ON_TRACK = "on_track"
    NOT_ON_TRACK = "not_on_track"
    NO_DATA = "no_data"

    @property
    def words(self) -> str:
        """The template's words, exactly (its drop-down list checks them)."""
        return TEMPLATE_WORDS[self]


TEMPLATE_WORDS = {
    Assessment.ON_TRACK: "On track to meet target",
    Assessment.NOT_ON_TRACK: "Not on track to meet target",
    Assessment.NO_DATA: "Data not available to assess progress",
}

# For model and form fields, in the template's order.
ASSESSMENT_CHOICES = [(assessment.value, assessment.words) for assessment in Assessment]
ASSESSMENT_VALUES = [assessment.value for assessment in Assessment]


def assessment_from_rating(rag: Rag | str | None) -> Assessment:
    """Green is on track; Amber (slightly off track) and Red (off track) are not: the template
    has no "slightly", and a target missed by a little is still missed. No rating (no figure
    for the month, no target set, a target of zero) leaves nothing to assess progress by."""
    if rag is None or rag == "":
        return Assessment.NO_DATA
    if Rag(rag) == Rag.GREEN:
        return Assessment.ON_TRACK
    return Assessment.NOT_ON_TRACK


def override_problem(
    *, worked_out: Assessment, chosen: Assessment | None, reason: str
) -> str | None:
    """Why the analyst's choice cannot be saved, or None: choosing other than the worked-out
    assessment needs a reason, which goes to NHS England with it."""
    if chosen is not None and chosen != worked_out and not reason.strip():
        return (
            f"say why the assessment is “{chosen.words}” when the rating gives "
            f"“{worked_out.words}”"
        )
    return None
