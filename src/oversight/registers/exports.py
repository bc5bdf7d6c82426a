"""Registers as CSV and JSON: the import columns (so an export re-imports unchanged) plus the
item's slug, web address and a few derived fields. Every CSV goes through `plans.exports.to_csv`,
whose cells cannot run as spreadsheet formulas."""

from __future__ import annotations

from typing import Any

from oversight.lib.audience import Audience
from oversight.lib.tables import number, to_csv

from .actions import plain
from .importers import EXTRA, LINKS, LIST_SEPARATOR, get_kind


def fields(kind_name: str) -> list[str]:
    """The columns of a register's export, in order."""
    return get_kind(kind_name).column_names + EXTRA[kind_name] + LINKS


def queryset(kind_name: str, *, audience: Audience):
    """The register's items `audience` may read."""
    kind = get_kind(kind_name)
    qs = kind.model.objects.for_audience(audience).prefetch_related(
        "objectives", "objectives__plan"
    )
    if kind_name == "grants":
        qs = qs.select_related("programme")
    if kind_name == "disposals":
        qs = qs.select_related("decision")
    return qs


def record(kind_name: str, item: Any, *, audience: Audience) -> dict[str, Any]:
    """One item as a JSON-ready dict: money as numbers, dates as YYYY-MM-DD, lists as lists;
    derived totals (a programme's grants) count only the items `audience` may read."""
    kind = get_kind(kind_name)
    out: dict[str, Any] = {}
    objectives = list(item.objectives.all())
    for c in kind.columns:
        if c.kind == "objectives":
            out["objectives"] = [o.code for o in objectives]
            continue
        value = getattr(item, c.attr)
        if c.kind == "money":
            out[c.name] = number(value)
        elif c.kind in {"bool", "count"}:
            out[c.name] = value
        elif c.kind == "list":
            out[c.name] = list(value)
        else:
            out[c.name] = plain(value) if value not in (None, "") else None
    if kind_name == "grants":
        from .threesixty import recipient_id

        out["summary_count"] = item.grants_count if item.summary else None
        out["programme_title"] = item.programme.title if item.programme else None
        out["recipient_org_id_360giving"] = None if item.summary else recipient_id(item)
    elif kind_name == "decisions":
        out["withheld"] = item.withheld
    elif kind_name == "contracts":
        out["extensions_left"] = item.extensions_left
        out["alert_on"] = plain(item.alert_on) or None
    elif kind_name == "programmes":
        grants = list(item.grants.for_audience(audience))
        out["grants_awarded"] = sum(g.grants_count for g in grants)
        out["amount_awarded"] = number(sum((g.amount for g in grants), start=0) if grants else None)
    elif kind_name == "disposals":
        out["decision_title"] = item.decision.title if item.decision else None
    out["slug"] = item.slug
    out["url"] = item.get_absolute_url()
    out["objective_titles"] = [f"{o.code}. {o.title}" for o in objectives]
    return out


def records(kind_name: str, *, audience: Audience, items: Any = None) -> list[dict[str, Any]]:
    found = queryset(kind_name, audience=audience) if items is None else items
    return [record(kind_name, i, audience=audience) for i in found]


def as_json(kind_name: str, *, audience: Audience, items: Any = None) -> dict[str, Any]:
    return {
        "register": kind_name,
        "title": get_kind(kind_name).title,
        "columns": fields(kind_name),
        "items": records(kind_name, audience=audience, items=items),
    }


def as_csv(kind_name: str, *, audience: Audience, items: Any = None) -> str:
    """The register as CSV in the importer's columns; lists are joined with ";" as it reads them."""
    rows = []
    for r in records(kind_name, audience=audience, items=items):
        rows.append(
            {
                k: (f"{LIST_SEPARATOR} ".join(str(x) for x in v) if isinstance(v, list) else v)
                for k, v in r.items()
            }
        )
    return to_csv(rows, fields(kind_name))
