"""The committee papers' performance section gives the headline count only for a plan with
headline measures: seed 003's plan has none, and its paper says nothing of headline measures,
so the report does not add "the plan has no headline measures" to the office's words (it
says so only where the section would otherwise be empty)."""

from datetime import date
from types import SimpleNamespace

from oversight.lib import document as d
from oversight.reports.compose import _performance
from oversight.reports.layouts import SectionLayout

LAYOUT = SectionLayout(draws="performance", heading="Performance and accountability")


def context(narrative, statuses):
    return SimpleNamespace(
        narrative=lambda s: list(narrative),
        statuses=statuses,
        period=SimpleNamespace(end=date(2023, 9, 30)),
    )


def test_without_headline_measures_the_section_is_the_offices_words_only():
    words = d.Paragraph.of("Headline findings were presented in the last report.")
    (made,) = _performance(context([words], []), LAYOUT, d.Document(title="Paper"))
    assert made.blocks == [words]


def test_without_headline_measures_or_words_the_section_says_there_are_none():
    (made,) = _performance(context([], []), LAYOUT, d.Document(title="Paper"))
    (only,) = made.blocks
    assert "".join(map(str, only.content)) == (
        "To the end of September 2023 the plan has no headline measures."
    )
