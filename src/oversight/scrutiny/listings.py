"""The command line's plain-text listings of actions and HMICFRS reports, from the records in
exports.py (the same records the pages' .json/.csv twins carry)."""

from __future__ import annotations

import textwrap
from datetime import date
from typing import Any


def actions_table(records: list[dict[str, Any]], day: date) -> str:
    """Fixed columns; the description wraps in full under its heading, never cut."""
    if not records:
        return f"No actions match (as at {day:%-d %B %Y}).\n"
    cols = [("ref", 12), ("minute", 6), ("owner", 14), ("due_label", 26), ("status", 11)]
    indent = sum(w + 2 for _, w in cols)
    lines = ["  ".join(name.split("_")[0].upper().ljust(w) for name, w in cols) + "  DESCRIPTION"]
    for r in records:
        values = {
            **r,
            "status": "OVERDUE" if r["overdue"] else r["status"],
            "minute": r["minute"] or "",
        }
        head = "  ".join(_cut(str(values[name]), w) for name, w in cols)
        text = textwrap.wrap(" ".join(r["description"].split()), 60) or [""]
        lines.append(f"{head}  {text[0]}")
        lines += [" " * indent + more for more in text[1:]]
    lines.append(f"{len(records)} actions as at {day:%-d %B %Y}.")
    return "\n".join(lines) + "\n"


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)


def reports_text(records: list[dict[str, Any]], day: date) -> str:
    """Each HMICFRS report: its dates, whether the s.55 response was late, its findings."""
    if not records:
        return "No HMICFRS reports recorded.\n"
    lines = []
    for r in records:
        # The model's words (whether a response is recorded, and whether one is due), flagged.
        state = r["response_state"]
        if r["late"] and r["response_published"]:
            state = f"LATE by {r['days_late']} day{'s' if r['days_late'] != 1 else ''}"
        elif r["late"]:
            state = f"OVERDUE: {state}"
        due = r["response_due"] if r["response_required"] else "none (force not inspected)"
        lines.append(
            f"{r['title']}\n  published {r['published']}; response due {due}; "
            f"response published {r['response_published'] or '—'} ({state})"
        )
        if r["findings"]:
            lines.append(
                "  findings: " + ", ".join(f"{k} {v}" for k, v in sorted(r["findings"].items()))
            )
        if r["recommendations"]:
            f = r["recommendations"]
            lines.append(
                f"  recommendations: {f['total']}; {f['signed_off_percent']}% signed off, "
                f"{f['compliant_percent']}% partially or fully compliant, {f['outstanding']} outstanding"
            )
    lines.append(f"{len(records)} reports as at {day:%-d %B %Y}.")
    return "\n".join(lines) + "\n"
