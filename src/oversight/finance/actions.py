"""Changes to the finance record: an import, an edit, publishing. Each is one transaction with
one audit entry, its versions credited to `by`; views, commands and the API call these."""

from __future__ import annotations

from decimal import Decimal
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


@versioned
def import_finance(
    plan: Plan, table_name: str, rows: list[Row], *, by: Any, file_name: str = ""
) -> Outcome:
    """Write checked rows (from `read_finance`): new records created, changed ones updated (their
    earlier versions kept), identical ones left alone. New records are drafts."""
    table = get_table(table_name)
    outcome = Outcome()
    with batched_versions(f"import of {file_name or 'a finance file'}"):
        sets = {b.financial_year: b for b in m.BudgetSet.objects.filter(plan=plan)}
        withdrawn: set[str] = set()
        for row in rows:
            v = dict(row.values)
            year = v.pop("financial_year")
            before = (outcome.created, outcome.updated)
            note = v.pop("note", "") or ""
            if table.name == "budget":
                sets[year] = upsert(
                    m.BudgetSet,
                    outcome,
                    {"plan": plan, "financial_year": year},
                    {**v, "note": note},
                )
                if changed(outcome, before) and back_to_draft(sets[year]):
                    withdrawn.add(f"the {year} budget")
                continue
            bs = sets[year]
            if table.name == "lines":
                code = v.pop("line")
                v["order"] = v.get("order") or 0
                upsert(m.BudgetLine, outcome, {"budget_set": bs, "code": code}, {**v, "note": note})
            elif table.name == "forecasts":
                line = bs.lines.get(code=v["line"]) if v["line"] else None
                forecast = upsert(
                    m.Forecast,
                    outcome,
                    {"budget_set": bs, "quarter": v["quarter"], "line": line},
                    {"variance": v["variance"], "note": note},
                )
                if changed(outcome, before) and back_to_draft(forecast):
                    withdrawn.add(f"the {bs.quarter_code(v['quarter'])} forecasts")
                continue
            elif table.name == "reserves":
                v.pop("closing", None)  # checked on reading; always computed
                upsert(
                    m.Reserve,
                    outcome,
                    {"budget_set": bs, "code": v.pop("reserve")},
                    {**v, "note": note},
                )
            elif table.name == "capital":
                upsert(
                    m.CapitalProject,
                    outcome,
                    {"budget_set": bs, "code": v.pop("project")},
                    {**v, "note": note},
                )
            elif table.name == "receipts":
                upsert(
                    m.CapitalReceipt,
                    outcome,
                    {"budget_set": bs, "disposal": v.pop("disposal")},
                    {**v, "note": note},
                )
            if changed(outcome, before) and back_to_draft(bs):
                withdrawn.add(f"the {year} budget")
    record(
        f"import_finance_{table.name}",
        by=by,
        obj=plan,
        summary=f"{table.title} for {plan.slug} from {file_name or 'a file'}: {outcome}"
        + (
            f"; changed, so a draft again until published: {', '.join(sorted(withdrawn))}"
            if withdrawn
            else ""
        ),
        after={"file": file_name, "rows": len(rows), "outcome": str(outcome)},
    )
    return outcome


@versioned
def publish_budget_set(budget_set: m.BudgetSet, *, by: Any) -> m.BudgetSet:
    """Publish a year's budget set (its lines, reserves, capital programme and receipts with it)."""
    if budget_set.state == State.PUBLISHED:
        raise Refused(f"the {budget_set.financial_year} budget is already published")
    budget_set.state = State.PUBLISHED
    budget_set.save(update_fields=["state", "updated_at"])
    record("publish_budget", by=by, obj=budget_set, summary=f"published {budget_set}")
    return budget_set


@versioned
def publish_forecasts(budget_set: m.BudgetSet, quarter: int, *, by: Any) -> int:
    """Publish a quarter's forecasts (every line and the total). Returns how many."""
    drafts = list(budget_set.forecasts.filter(quarter=quarter, state=State.DRAFT))
    if not drafts:
        raise Refused(f"no draft forecast for {budget_set.quarter_code(quarter)}")
    for f in drafts:
        f.state = State.PUBLISHED
        f.save(update_fields=["state", "updated_at"])
    record(
        "publish_forecasts",
        by=by,
        obj=budget_set,
        summary=f"published {len(drafts)} forecasts for {budget_set.quarter_code(quarter)}",
    )
    return len(drafts)


@versioned
def update_forecast(
    forecast: m.Forecast,
    *,
    variance: Decimal,
    note: str,
    by: Any,
    expected_version: int | None = None,
) -> m.Forecast:
    """Change a forecast's variance and note; refused (Conflict) after someone else's save."""
    check_version(forecast, expected_version)
    before = {"variance": str(forecast.variance), "note": forecast.note}
    forecast.variance, forecast.note = variance, note
    forecast.save(update_fields=["variance", "note", "updated_at"])
    back_to_draft(forecast)  # the public reads a changed forecast once it is published again
    record(
        "update_forecast",
        by=by,
        obj=forecast,
        summary=f"changed the forecast {forecast}",
        before=before,
        after={"variance": str(variance), "note": note},
    )
    return forecast
