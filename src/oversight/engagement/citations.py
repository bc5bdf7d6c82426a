"""The engagement and casework figures a narrative may cite (`{{ engagement.count:posts }}`, see
the README's narrative section), from the latest span reported in the period that the audience
may read, as `engagement_summary` gives them."""

from __future__ import annotations

from typing import Any

from oversight.lib.audience import Audience

from .report import engagement_summary

KEYS = {
    "count:CODE": 'a count by its kind\'s code, with its qualifier: "1,527", "circa 9,500"',
    "count_change:CODE": 'a count\'s change on the previous span: "up 12 on the previous span"',
    "casework_new": "new pieces of casework",
    "casework_closed": "pieces of casework closed",
    "casework_open_at_end": "pieces of casework open at the span's end",
    "span": 'the span the figures cover: "May to October 2023"',
}


def figures(plan: Any, period: str, audience: Audience) -> dict[str, str | None]:
    """The engagement keys' figures from the period's latest span `audience` may read (the spans
    are in month order); {} when there is none."""
    spans = engagement_summary(plan, period, audience=audience)
    if not spans:
        return {}
    s = spans[-1]
    out: dict[str, str | None] = {"span": s["span"]}
    for c in s["counts"]:
        out[f"count:{c['kind']}"] = c["text"] or None
        if c["previous_value"] is not None:
            out[f"count_change:{c['kind']}"] = c["change_words"]
    if case := s["casework"]:
        for f in ("new", "closed", "open_at_end"):
            out[f"casework_{f}"] = case[f]["text"] or None
    return out
