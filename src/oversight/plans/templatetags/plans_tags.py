"""Template filters in the plans' own words: a figure's workflow state as a tag."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from oversight.plans.models import ObservationState

register = template.Library()

STATE_WORDS: dict[str, str] = dict(ObservationState.choices)
STATE_CLASSES: dict[str, str] = {
    ObservationState.DRAFT: "govuk-tag--grey",
    ObservationState.SUBMITTED: "govuk-tag--blue",
    ObservationState.RETURNED: "govuk-tag--orange",
    ObservationState.APPROVED: "govuk-tag--turquoise",
    ObservationState.PUBLISHED: "govuk-tag--green",
}


@register.filter
def state_tag(state) -> str:
    value = str(getattr(state, "value", state) or "")
    words = STATE_WORDS.get(value, "Not entered")
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        STATE_CLASSES.get(value, "govuk-tag--grey"),
        words,
    )
