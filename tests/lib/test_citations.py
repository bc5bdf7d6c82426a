"""Reading, checking and filling the figure keys a narrative cites (lib.citations), as plain
text with plain figures: no record, no Django."""

from __future__ import annotations

import pytest

from oversight.lib.citations import NOT_RECORDED, KeySpec, citations, fill, problems

KNOWN = [
    KeySpec("finance", "forecast_variance", False, "the variance"),
    KeySpec("commissioning", "output_target", True, "an output's target"),
]
FIGURES = {
    "finance": {"forecast_variance": "£1.337m"},
    "commissioning": {"output_target:ss5": "14", "output_target:blank": None},
}


@pytest.mark.parametrize(
    ("text", "filled"),
    [
        ("of {{ finance.forecast_variance }}.", "of £1.337m."),
        ("of {{finance.forecast_variance}}.", "of £1.337m."),
        ("deliver {{ commissioning.output_target:ss5 }} initiatives", "deliver 14 initiatives"),
        ("deliver {{ commissioning.output_target:other }}", f"deliver {NOT_RECORDED}"),
        ("deliver {{ commissioning.output_target:blank }}", f"deliver {NOT_RECORDED}"),
        ("{{ engagement.casework_new }} cases", f"{NOT_RECORDED} cases"),  # family not read
        ("no key here: {braces} stay", "no key here: {braces} stay"),
    ],
)
def test_it_fills_each_key_with_its_figure_or_the_marker(text, filled):
    assert fill(text, FIGURES) == filled


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        ("one\n{{ finance.nope }}", 2, 'unknown figure key "finance.nope"'),
        ("{{ commissioning.output_target }}", 1, "needs the code"),
        ("{{ finance.forecast_variance:x }}", 1, "names no item"),
        ("{{ Finance Variance }}", 1, "is not a figure key"),
        ("a\nb\n{{ finance.forecast_variance", 3, "not closed"),
    ],
)
def test_it_refuses_a_key_it_does_not_know_or_that_is_written_wrongly(text, line, why):
    ((at, reason),) = problems(text, KNOWN)
    assert at == line and why in reason


def test_each_refusal_lists_the_known_keys_with_their_code():
    ((_, reason),) = problems("{{ finance.nope }}", KNOWN)
    assert reason.endswith(
        "the known keys are: commissioning.output_target:CODE, finance.forecast_variance"
    )


def test_known_keys_written_rightly_pass_and_are_read_in_order():
    text = "{{ finance.forecast_variance }} and {{ commissioning.output_target:ss5 }}"
    assert problems(text, KNOWN) == []
    assert [str(c) for c in citations(text)] == [
        "finance.forecast_variance",
        "commissioning.output_target:ss5",
    ]
