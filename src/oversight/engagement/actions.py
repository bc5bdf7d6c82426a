"""Changes to the engagement record: an import, an edit of a count, publishing a span, adding to
the vocabulary. One transaction and one audit entry each; versions credited to `by`."""

from __future__ import annotations

from typing import Any

from oversight.audit.history import batched_versions, check_version, versioned
from oversight.audit.log import record
from oversight.core.publishing import State, back_to_draft, changed
from oversight.core.records import upsert
from oversight.core.sheets import Row
from oversight.lib.problems import Outcome, Refused
from oversight.plans.models import Plan

from . import models as m
from .importers import get_table


def _span(plan: Plan, v: dict, outcome: Outcome, spans: dict) -> m.Span:
    key = (v.pop("first_month"), v.pop("last_month"))
    period = v.pop("period")
    if key not in spans:
        spans[key] = upsert(
            m.Span,
            Outcome(),
            {"plan": plan, "first_month": key[0], "last_month": key[1]},
            {"period": period},
        )
    return spans[key]


@versioned
def import_engagement(
    plan: Plan, table_name: str, rows: list[Row], *, by: Any, file_name: str = ""
) -> Outcome:
    """Write checked rows (from `read_engagement`); spans are created as drafts when new."""
    table = get_table(table_name)
    outcome = Outcome()
    spans: dict = {}
    with batched_versions(f"import of {file_name or 'an engagement file'}"):
        for row in rows:
            v = dict(row.values)
            if table.name == "vocabulary":
                model = m.CountKind if v["vocabulary"] == "kind" else m.Theme
                upsert(model, outcome, {"code": v["code"]}, {"label": v["label"]})
                continue
            span = _span(plan, v, outcome, spans)
            note = v.pop("note", "") or ""
            before = (outcome.created, outcome.updated)
            if table.name == "counts":
                upsert(
                    m.Count,
                    outcome,
                    {"span": span, "kind": v["kind"]},
                    {"value": v["count"], "qualifier": v["qualifier"], "note": note},
                )
            elif table.name == "casework":
                upsert(m.Casework, outcome, {"span": span}, {**v, "note": note})
            elif table.name == "themes":
                upsert(
                    m.ThemeCount,
                    outcome,
                    {"span": span, "theme": v["theme"]},
                    {"rank": v["rank"], "value": v["count"], "note": note},
                )
            # A published span that changes is a draft again until it is published again.
            if changed(outcome, before):
                back_to_draft(span)
    record(
        f"import_engagement_{table.name}",
        by=by,
        obj=plan,
        summary=f"{table.title} for {plan.slug} from {file_name or 'a file'}: {outcome}",
        after={"file": file_name, "rows": len(rows), "outcome": str(outcome)},
    )
    return outcome


@versioned
def publish_span(span: m.Span, *, by: Any) -> m.Span:
    """Publish a span's counts, casework and themes."""
    if span.state == State.PUBLISHED:
        raise Refused(f"{span.label} is already published")
    span.state = State.PUBLISHED
    span.save(update_fields=["state", "updated_at"])
    record("publish_engagement", by=by, obj=span, summary=f"published {span}")
    return span


@versioned
def update_count(
    count: m.Count,
    *,
    value: int,
    qualifier: str,
    note: str,
    by: Any,
    expected_version: int | None = None,
) -> m.Count:
    """Change one count; refused (Conflict) after someone else's save."""
    check_version(count, expected_version)
    if qualifier not in m.Qualifier.values:
        raise Refused(f'"{qualifier}" is not one of {", ".join(m.Qualifier.values)}')
    before = {"value": count.value, "qualifier": count.qualifier, "note": count.note}
    count.value, count.qualifier, count.note = value, qualifier, note
    count.save()
    back_to_draft(count.span)  # the public reads the change once the span is published again
    record(
        "update_engagement_count",
        by=by,
        obj=count,
        summary=f"changed {count}",
        before=before,
        after={"value": value, "qualifier": qualifier, "note": note},
    )
    return count


@versioned
def add_to_vocabulary(vocabulary: str, code: str, label: str, *, by: Any) -> Any:
    """Add a kind of count or a casework theme (the office's vocabulary)."""
    model = m.CountKind if vocabulary == "kind" else m.Theme
    if model.objects.filter(code=code).exists():
        raise Refused(f'"{code}" is already in the vocabulary')
    obj = model.objects.create(code=code, label=label)
    record("add_vocabulary", by=by, obj=obj, summary=f"added {vocabulary} {code}: {label}")
    return obj
