"""Changes to the registers: each a verb with a keyword-only `by`, one transaction and one audit
entry. The import command, the edit forms and the demo all call these, so they behave the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from oversight.audit.history import check_version, keep_versions, versioned
from oversight.audit.log import record
from oversight.lib.problems import ImportRefused, Outcome, Problem

from .importers import ItemRow, get_kind, read_register  # noqa: F401 (read_register re-exported)
from .models import ItemState


def plain(value: Any) -> Any:
    """A value as the history and exports keep it: text, numbers as exact strings, lists."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [plain(v) for v in value]
    if hasattr(value, "identifier"):
        return value.identifier
    return str(value)


def snapshot(kind_name: str, item: Any, objectives: list | None = None) -> dict[str, Any]:
    """Every imported field of an item, as plain values (what its history shows); `objectives`
    stands in for the stored links when given."""
    kind = get_kind(kind_name)
    out: dict[str, Any] = {}
    for c in kind.columns:
        if c.kind == "objectives":
            if objectives is not None:
                out["objectives"] = sorted(f"{o.plan.slug}/{o.code}" for o in objectives)
            elif item.pk:
                # .all() so that a prefetch (as the importer does) answers without a query
                out["objectives"] = sorted(f"{o.plan.slug}/{o.code}" for o in item.objectives.all())
            else:
                out["objectives"] = []
        else:
            out[c.name] = plain(getattr(item, c.attr))
    if kind_name == "grants":
        out["summary_count"] = str(item.grants_count) if item.summary else ""
    return out


def _apply(item: Any, values: dict[str, Any]) -> None:
    for attr, value in values.items():
        setattr(item, attr, value)
    item.slug = slugify(item.identifier)


@versioned
def import_register(
    kind_name: str, rows: list[ItemRow], *, by: Any, file_name: str = "", note: str = ""
) -> Outcome:
    """Write checked rows (from `read_register`): new items are created, changed ones updated
    with their earlier version kept in their history, identical ones left alone. Rows and their
    versions are written in batches, so a file of tens of thousands of rows takes seconds."""
    kind = get_kind(kind_name)
    model = kind.model
    outcome = Outcome()
    existing = {i.identifier: i for i in model.objects.prefetch_related("objectives__plan")}
    note = (note or (f"import of {file_name}" if file_name else "import"))[:500]
    new, changed, links = [], [], []
    fields: set[str] = set()
    for r in rows:
        item = existing.get(r.identifier)
        if item is None:
            item = model()
            _apply(item, r.values)
            new.append(item)
            links.append((item, r.objectives or []))
            continue
        before = snapshot(kind_name, item)
        _apply(item, r.values)
        if snapshot(kind_name, item, r.objectives) == before:
            outcome.unchanged += 1
            continue
        changed.append(item)
        fields |= set(r.values) | {"slug"}
        if r.objectives is not None:
            links.append((item, r.objectives))
    model.objects.bulk_create(new, batch_size=500)
    # One UPDATE per changed item: bulk_update's CASE expressions are far slower on SQLite. The
    # versions are written together below, once the links to objectives are in place.
    for item in changed:
        item.save_without_historical_record(update_fields=sorted(fields | {"updated_at"}))
    if new and new[0].pk is None:  # a database that does not return keys from bulk inserts
        keys = dict(model.objects.values_list("identifier", "pk"))
        for item in new:
            item.pk = keys[item.identifier]
    through = model.objectives.through
    own = f"{model._meta.model_name}_id"
    changed_pks = {item.pk for item in changed}
    relinked = [item.pk for item, _ in links if item.pk in changed_pks]
    if relinked:
        through.objects.filter(**{f"{own}__in": relinked}).delete()
    through.objects.bulk_create(
        [through(**{own: item.pk, "objective_id": o.pk}) for item, objs in links for o in objs],
        batch_size=500,
        ignore_conflicts=True,
    )
    keep_versions(model, new, created=True, reason=note)
    keep_versions(model, changed, created=False, reason=note)
    outcome.created, outcome.updated = len(new), len(changed)
    record(
        f"import_{kind_name}",
        by=by,
        summary=f"{kind.title} from {file_name or 'a file'}: {outcome}",
        after={"file": file_name, "rows": len(rows), "outcome": str(outcome)},
    )
    return outcome


@versioned
def update_item(
    kind_name: str,
    identifier: str,
    *,
    by: Any,
    note: str = "",
    expected_version: int | None = None,
    **values: Any,
) -> Any:
    """Change some fields of one item (e.g. a grant's amount), keeping its earlier version in
    its history. Unknown fields are refused; nothing is written then. With `expected_version`
    (the version an edit form started from), a save after someone else's is refused
    (`oversight.audit.history.Conflict`, saying what changed)."""
    kind = get_kind(kind_name)
    allowed = {c.attr for c in kind.columns if c.kind not in {"objectives"}} - {"identifier"}
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise ImportRefused(
            [Problem(kind_name, identifier, u, "not a field of this register") for u in unknown]
        )
    try:
        item = kind.model.objects.select_for_update().get(identifier=identifier)
    except kind.model.DoesNotExist:
        raise ImportRefused(
            [Problem(kind_name, identifier, None, "no such item in the register")]
        ) from None
    check_version(item, expected_version)
    before = snapshot(kind_name, item)
    _apply(item, values)
    item.full_clean(exclude=["objectives"], validate_unique=False)
    after = snapshot(kind_name, item)
    if after == before:
        return item
    item._change_reason = note[:500]
    item.save()
    changed = {k: after[k] for k in after if after[k] != before[k]}
    record(
        f"update_{kind_name[:-1]}",
        by=by,
        obj=item,
        summary=f"{identifier}: {', '.join(changed)} changed",
        before={k: before[k] for k in changed},
        after=changed,
    )
    return item


@dataclass(frozen=True)
class EarlierVersion:
    """One change of a register item: when, by whom, why, and the values it replaced."""

    changed_at: datetime
    changed_by_name: str
    note: str
    previous: dict[str, Any]


def history(kind_name: str, identifier: str) -> list[EarlierVersion]:
    """An item's changes, newest first, each with the values it replaced, read from its
    version history (a save that changed nothing is left out)."""
    model = get_kind(kind_name).model
    item = model.objects.filter(identifier=identifier).first()
    if item is None:
        return []
    out = []
    earlier = None
    for v in item.history.select_related("history_user").order_by("history_id"):
        links = v.objectives.select_related("objective__plan")
        shown = snapshot(kind_name, v.instance, [link.objective for link in links])
        if earlier is not None and shown != earlier:
            out.append(
                EarlierVersion(
                    changed_at=v.history_date,
                    changed_by_name=v.history_actor
                    or (v.history_user.get_username() if v.history_user else ""),
                    note=v.history_change_reason or "",
                    previous=earlier,
                )
            )
        earlier = shown
    return out[::-1]


PUBLISHABLE = ("decisions", "grants", "contracts")


def record_publication(
    kind_name: str,
    identifier: str,
    published_on: date,
    *,
    by: Any,
    expected_version: int | None = None,
) -> Any:
    """Record the day an item was published on the website (what the tracker checks)."""
    if kind_name not in PUBLISHABLE:
        raise ImportRefused(
            [
                Problem(
                    kind_name, identifier, "published_on", "this register has no publication date"
                )
            ]
        )
    return update_item(
        kind_name,
        identifier,
        by=by,
        note="publication recorded",
        expected_version=expected_version,
        published_on=published_on,
    )


@versioned
def publish_items(kind_name: str, identifiers: list[str] | None = None, *, by: Any) -> int:
    """Publish draft items of a register (the named ones, or every draft): until then the public,
    the Panel, the open data and the report do not see them. Returns how many were published."""
    model = get_kind(kind_name).model
    drafts = model.objects.filter(state=ItemState.DRAFT)
    if identifiers is not None:
        unknown = sorted(set(identifiers) - set(model.objects.values_list("identifier", flat=True)))
        if unknown:
            raise ImportRefused(
                [Problem(kind_name, i, None, "no such item in the register") for i in unknown]
            )
        drafts = drafts.filter(identifier__in=identifiers)
    now = timezone.now()
    items = list(drafts)
    model.objects.filter(pk__in=[i.pk for i in items], first_published_at__isnull=True).update(
        first_published_at=now
    )
    count = model.objects.filter(pk__in=[i.pk for i in items]).update(
        state=ItemState.PUBLISHED, updated_at=now
    )
    keep_versions(model, items, created=False, reason="published")
    record(
        f"publish_{kind_name}",
        by=by,
        summary=f"{count} {get_kind(kind_name).title.lower()} item(s) published",
        after={"identifiers": identifiers, "published": count},
    )
    return count
