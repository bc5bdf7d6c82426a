"""A status as a tag that always says its word: colour is never the only signal (WCAG 1.4.1)."""

from django import template
from django.utils.html import format_html

from oversight.delivery.models import Status

register = template.Library()

STATUS_CLASSES: dict[str, str] = {
    Status.NOT_STARTED: "govuk-tag--grey",
    Status.ON_TRACK: "govuk-tag--green",
    Status.AT_RISK: "govuk-tag--yellow",
    Status.OFF_TRACK: "govuk-tag--red",
    Status.COMPLETE: "govuk-tag--blue",
}
BAND_CLASSES = {
    "Low": "govuk-tag--green",
    "Medium": "govuk-tag--yellow",
    "High": "govuk-tag--orange",
    "Very high": "govuk-tag--red",
}


@register.filter
def status_tag(status: str) -> str:
    words = Status(status).label if status in Status.values else "No status"
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', STATUS_CLASSES.get(status, ""), words
    )


NOT_RECORDED = "Not recorded"


@register.filter
def percent_words(percent: int | None) -> str:
    """A percent complete as a page prints it: "45%", or "Not recorded" where none is recorded
    (never a 0 the office did not give)."""
    return NOT_RECORDED if percent is None else f"{percent}%"


@register.filter
def band_tag(band: str) -> str:
    return format_html('<strong class="govuk-tag {}">{}</strong>', BAND_CLASSES.get(band, ""), band)
