"""Changes to the commissioning record: an import, an edit of a quarter's KPIs, publishing. One
transaction and one audit entry each; versions credited to `by`."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

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
def import_commissioning(
    plan: Plan, table_name: str, rows: list[Row], *, by: Any, file_name: str = ""
) -> Outcome:
    """Write checked rows (from `read_commissioning`); new records are drafts."""
    table = get_table(table_name)
    outcome = Outcome()
    with batched_versions(f"import of {file_name or 'a commissioning file'}"):
        for row in rows:
            v = dict(row.values)
            note = v.pop("note", "") or ""
            before = (outcome.created, outcome.updated)
            obj: Model | None = None
            if table.name == "kpis":
                v["police_share_stated"] = v.pop("police_share")
                obj = upsert(
                    m.ServiceKpi,
                    outcome,
                    {"contract": v.pop("contract"), "period": v.pop("period")},
                    {**v, "note": note},
                )
            elif table.name == "reviews":
                obj = upsert(
                    m.ContractReview,
                    outcome,
                    {"contract": v.pop("contract"), "period": v.pop("period")},
                    v,
                )
            elif table.name == "outputs":
                obj = upsert(
                    m.FundedOutput, outcome, {"code": v.pop("output")}, {**v, "note": note}
                )
            # A published record that changes is a draft again until it is published again.
            if changed(outcome, before):
                back_to_draft(obj)
    record(
        f"import_commissioning_{table.name}",
        by=by,
        obj=plan,
        summary=f"{table.title} from {file_name or 'a file'}: {outcome}",
        after={"file": file_name, "rows": len(rows), "outcome": str(outcome)},
    )
    return outcome


@versioned
def publish_period(period: str, *, by: Any) -> int:
    """Publish every draft KPI, review and output recorded for `period`. Returns how many."""
    n = 0
    for model in (m.ServiceKpi, m.ContractReview, m.FundedOutput):
        for obj in model.objects.filter(period=period, state=State.DRAFT):
            obj.state = State.PUBLISHED
            obj.save(update_fields=["state", "updated_at"])
            n += 1
    if not n:
        raise Refused(f"nothing in draft for {period}")
    record("publish_commissioning", by=by, summary=f"published {n} records for {period}")
    return n


@versioned
def update_kpi(
    kpi: m.ServiceKpi, *, values: dict[str, Any], by: Any, expected_version: int | None = None
) -> m.ServiceKpi:
    """Change a KPI record's figures; refused (Conflict) after someone else's save."""
    check_version(kpi, expected_version)
    before = {k: getattr(kpi, k) for k in values}
    for k, val in values.items():
        setattr(kpi, k, val)
    if (
        kpi.referred_by_police is not None
        and kpi.base is not None
        and kpi.referred_by_police > kpi.base
    ):
        raise Refused("more were referred by the police than were referred in all")
    kpi.save()
    back_to_draft(kpi)  # the public reads the change once it is published again
    record(
        "update_kpi",
        by=by,
        obj=kpi,
        summary=f"changed {kpi}",
        before={k: str(v) for k, v in before.items()},
        after={k: str(v) for k, v in values.items()},
    )
    return kpi
