"""Template filters for figures, statuses and periods (no queries)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from oversight.lib.links import safe_href as _safe_href
from oversight.lib.markdown import to_html
from oversight.lib.numbers import format_derived, format_value
from oversight.lib.periods import PeriodError, parse_period

register = template.Library()

TAG_CLASSES = {"green": "govuk-tag--green", "amber": "govuk-tag--yellow", "red": "govuk-tag--red"}


@register.filter
def rag_tag(rag) -> str:
    """A status tag that always says its word; colour is never the only signal."""
    value = str(getattr(rag, "value", rag) or "")
    if value in ("", "none"):
        return mark_safe('<strong class="govuk-tag govuk-tag--grey">No status</strong>')
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', TAG_CLASSES.get(value, ""), value.capitalize()
    )


@register.filter
def figure(value, unit: str = "count") -> str:
    return format_value(value, unit or "count")


@register.filter
def derived(value, unit: str = "count") -> str:
    return format_derived(value, unit or "count")


@register.filter
def plabel(code: str) -> str:
    try:
        return parse_period(code).label
    except PeriodError:
        return code


@register.filter
def markdown(source: str) -> str:
    return mark_safe(to_html(source))  # noqa: S308  nh3-sanitised in lib.markdown


@register.filter
def safe_href(url: str) -> str:
    """A link from the data, written only when it is a web address or a path on this site."""
    return _safe_href(url) or ""
