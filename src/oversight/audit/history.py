"""Version history of the records people write, kept by django-simple-history.

A model declares `history = versions()`: every save keeps the whole row as it now is in a
historical table (and a deletion keeps the last version), credited to who made the change. Actions
run under `@versioned`, which credits every version they save to their `by` (a user, or a command's
name such as "oversight command line"), so a command's change says who made it as a web request's
does. Imports and bulk writes keep their versions set-based (`batched_versions`, `keep_versions`).

A record's *version* is the id of its newest historical row. An edit form carries the version it
started from, and the action refuses the save with `Conflict` when someone saved since
(`check_version`): the second of two editors sees what changed and loses nothing. `restore` puts an
earlier version back (the admin's revert calls it), with an audit entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.db.models import Max
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .log import actor_name, record, user_of

TEXT_LIMIT = 300  # characters of one value shown in a conflict message
FIELDS_LIMIT = 12  # changed fields listed in a conflict message


class Actor(models.Model):
    """Every historical row also keeps the changer's name: a command has no user to point to."""

    history_actor = models.CharField(max_length=150, blank=True)
    if TYPE_CHECKING:  # simple-history adds these to each historical model built on Actor
        history_user: Any
        history_user_id: int | None

    class Meta:
        abstract = True


def history_of(model: type[models.Model]) -> Any:
    """The manager of a model's earlier versions, which its `history = versions()` declares."""
    return model.history  # type: ignore[attr-defined]  # added by simple-history, which is untyped


def versions(**options: Any) -> HistoricalRecords:
    """The `history` a model declares to keep every earlier version of its rows."""
    return HistoricalRecords(
        bases=[Actor], history_id_field=models.BigAutoField(primary_key=True), **options
    )


# ---------------------------------------------------------------- who made the change

_acting: ContextVar[tuple[Any, str] | None] = ContextVar("oversight_history_actor", default=None)


@contextmanager
def credited_to(by: Any) -> Iterator[None]:
    """Versions saved inside the block are credited to `by` (a user or a name)."""
    token = _acting.set((user_of(by), actor_name(by)))
    try:
        yield
    finally:
        _acting.reset(token)


def versioned(func):
    """An action: one transaction, with every version it saves credited to its keyword `by`."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with transaction.atomic(), credited_to(kwargs.get("by")):
            return func(*args, **kwargs)

    return wrapper


def current_actor() -> tuple[Any, str]:
    """The user (or None) and name that versions saved now are credited to."""
    return _acting.get() or (None, "")


@receiver(pre_create_historical_record)
def _credit(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    if not isinstance(history_instance, Actor):
        return
    user, name = current_actor()
    if history_instance.history_user_id is None and user is not None:
        history_instance.history_user = user
    if not history_instance.history_actor:
        who = history_instance.history_user
        history_instance.history_actor = name or (who.get_username() if who else "")


_batch: ContextVar[dict | None] = ContextVar("oversight_history_batch", default=None)


@contextmanager
def batched_versions(reason: str = "") -> Iterator[None]:
    """For an import: every versioned row saved inside the block keeps its version when the block
    ends, set-based (`keep_versions`), instead of one INSERT and the library's per-row work on
    each save, which tripled the time of a scrutiny import. Deletions keep theirs at once."""
    if _batch.get() is not None:  # inside another batch, which writes them
        yield
        return
    saved: dict[type, dict[Any, tuple[Any, bool]]] = {}
    token = _batch.set(saved)
    try:
        yield
    finally:
        _batch.reset(token)
        for rows in saved.values():
            for obj, _ in rows.values():
                obj.__dict__.pop("skip_history_when_saving", None)
    for model, rows in saved.items():
        keep_versions(model, [o for o, new in rows.values() if new], created=True, reason=reason)
        keep_versions(
            model, [o for o, new in rows.values() if not new], created=False, reason=reason
        )


def _is_versioned(model: type[models.Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


@receiver(pre_save)
def _defer_version(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if _batch.get() is not None and not raw and _is_versioned(sender):
        instance.skip_history_when_saving = True  # simple-history's own switch


@receiver(post_save)
def _note_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kw: Any) -> None:
    batch = _batch.get()
    if batch is not None and not raw and _is_versioned(sender):
        batch.setdefault(sender, {}).setdefault(instance.pk, (instance, created))


CHUNK = 500  # rows named in one statement (SQLite allows 999 parameters in older builds)


def keep_versions(
    model: type[models.Model], objs: list, *, created: bool, reason: str = ""
) -> None:
    """Keep the present state of rows just written without signals (bulk writes) as their new
    versions, credited to the current actor: one INSERT ... SELECT from the live table per few
    hundred rows, and one for the many-to-many links the history follows. The rows are copied in
    the database, so a bulk import's versions cost about what a second table write costs
    (simple-history's bulk_history_create builds a model instance per row, which tripled the
    time of a 5,000-row register import)."""
    if not objs:
        return
    user, name = current_actor()
    if user is None:  # outside an action: the signed-in user of the request, if any
        request = getattr(HistoricalRecords.context, "request", None)
        signed_in = getattr(request, "user", None)
        if signed_in is not None and signed_in.is_authenticated:
            user, name = signed_in, name or signed_in.get_username()
    history = history_of(model).model
    live_table = model._meta.db_table
    tracked = {f.attname: f.column for f in model._meta.concrete_fields}
    copied = [f for f in history._meta.concrete_fields if f.attname in tracked]
    extra = {
        # As the ORM would store it (SQLite keeps datetimes as text in one format).
        history._meta.get_field("history_date").column: connection.ops.adapt_datetimefield_value(
            timezone.now()
        ),
        history._meta.get_field("history_type").column: "+" if created else "~",
        history._meta.get_field("history_user").column: getattr(user, "pk", None),
        history._meta.get_field("history_actor").column: name,
        history._meta.get_field("history_change_reason").column: reason,
    }
    newest = history_of(model).aggregate(v=Max("history_id"))["v"] or 0
    q = _quoted_name
    pk_column = model._meta.pk.column
    columns = ", ".join(q(c) for c in [*(f.column for f in copied), *extra])
    selected = ", ".join([*(q(tracked[f.attname]) for f in copied), *["%s"] * len(extra)])
    keys = [obj.pk for obj in objs]
    with connection.cursor() as cursor:
        for i in range(0, len(keys), CHUNK):
            chunk = keys[i : i + CHUNK]
            # Fixed SQL: names come from the models, quoted; values are parameters.
            cursor.execute(
                f"INSERT INTO {q(history._meta.db_table)} ({columns}) "  # noqa: S608
                f"SELECT {selected} FROM {q(live_table)} "
                f"WHERE {q(pk_column)} IN ({', '.join(['%s'] * len(chunk))})",
                [*extra.values(), *chunk],
            )
        for field in history._history_m2m_fields:
            _copy_links(model, field, keys, newest, extra, cursor)


def _quoted_name(name: str | None) -> str:
    """A table or column name quoted for SQL (every field copied here has a column)."""
    if name is None:
        raise ValueError("a field without a column cannot be copied")
    return connection.ops.quote_name(name)


def _copy_links(
    model: type[models.Model],
    field: Any,
    keys: list,
    newest: int,
    extra: dict[str, Any],
    cursor: Any,
) -> None:
    """Each new version's many-to-many links, as the link table now holds them."""
    history = history_of(model).model
    m2m_history = getattr(history, field.name).model
    through = field.remote_field.through
    own = through._meta.get_field(field.m2m_field_name()).column
    other = through._meta.get_field(field.m2m_reverse_field_name()).column
    q = _quoted_name
    date_column = history._meta.get_field("history_date").column
    link_key = m2m_history._meta.get_field("history").column
    own_copy = m2m_history._meta.get_field(field.m2m_field_name()).column
    other_copy = m2m_history._meta.get_field(field.m2m_reverse_field_name()).column
    for i in range(0, len(keys), CHUNK):
        chunk = keys[i : i + CHUNK]
        # Fixed SQL: names come from the models, quoted; values are parameters.
        cursor.execute(
            f"INSERT INTO {q(m2m_history._meta.db_table)} "  # noqa: S608
            f"({q('id')}, {q(own_copy)}, {q(other_copy)}, {q(link_key)}) "
            f"SELECT t.{q(through._meta.pk.column)}, t.{q(own)}, t.{q(other)}, h.{q('history_id')} "
            f"FROM {q(through._meta.db_table)} t JOIN {q(history._meta.db_table)} h "
            f"ON h.{q(model._meta.pk.column)} = t.{q(own)} "
            f"WHERE h.{q('history_id')} > %s AND h.{q(date_column)} = %s "
            f"AND h.{q(model._meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))})",
            [newest, extra[date_column], *chunk],
        )


# ---------------------------------------------------------------- versions and conflicts


def version_of(obj: Any) -> int:
    """The id of the record's newest version; 0 for no record or one with no history yet."""
    if obj is None or obj.pk is None:
        return 0
    found = (
        type(obj).history.filter(**{obj._meta.pk.attname: obj.pk}).aggregate(v=Max("history_id"))
    )
    return found["v"] or 0


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    started: str  # the value when the editor opened the form
    current: str  # the value saved since


class Conflict(ValueError):
    """A save refused because someone else saved (or removed) the record after the editor opened
    it. `version` is the record's version now, for the form to carry when shown again."""

    def __init__(
        self,
        model: type[models.Model],
        obj: Any,
        changes: list[Change],
        by: list[str],
        at: datetime | None,
    ):
        self.model, self.obj, self.changes, self.by, self.at = model, obj, changes, by, at
        self.removed = obj is None
        self.version = version_of(obj)
        super().__init__(self.describe())

    def describe(self) -> str:
        who = " and ".join(self.by) or "someone else"
        when = f" at {timezone.localtime(self.at):%H:%M on %-d %B %Y}" if self.at else ""
        name = self.model._meta.verbose_name
        done = "removed" if self.removed else "changed"
        head = f"This {name} was {done} by {who}{when}, after you opened it; nothing was saved."
        if not self.changes:
            return head
        shown = [
            f"{c.label}: {_quoted(c.started)} when you opened it, now {_quoted(c.current)}"
            for c in self.changes[:FIELDS_LIMIT]
        ]
        more = len(self.changes) - FIELDS_LIMIT
        if more > 0:
            shown.append(f"and {more} more")
        return f"{head} What changed: {'; '.join(shown)}."


def _quoted(text: str) -> str:
    return f"“{text}”" if text else "blank"


def _shown(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def check_version(
    obj: Any, expected: int | None, *, model: type[models.Model] | None = None
) -> None:
    """Refuse (Conflict) when `obj` has a newer version than `expected`, the version the editor
    started from (0: there was no record). None skips the check (callers without a form, e.g.
    commands). The row is locked first, so two saves cannot both pass. When the record may have
    been removed since (`obj` is None), `model` names its kind."""
    if expected is None:
        return
    model = model or type(obj)
    if obj is not None:
        list(model._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
    if version_of(obj) == expected:
        return
    started = history_of(model).filter(history_id=expected).first() if expected else None
    key = model._meta.pk.attname
    pk = obj.pk if obj is not None else getattr(started, key, None)
    newer = list(
        history_of(model).filter(**{key: pk}, history_id__gt=expected).order_by("history_id")
    )
    changes: list[Change] = []
    if obj is not None and started is not None and newer:
        delta = newer[-1].diff_against(started, foreign_keys_are_objs=True)
        changes = [
            Change(c.field, _label(model, c.field), _shown(c.old), _shown(c.new))
            for c in delta.changes
        ]
    by = list(dict.fromkeys(_who(r) for r in newer))
    raise Conflict(model, obj, changes, by, newer[-1].history_date if newer else None)


def _label(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    label = str(field.verbose_name if isinstance(field, models.Field) else field.name)
    return label[:1].upper() + label[1:]


def _who(row: Any) -> str:
    if row.history_actor:
        return row.history_actor
    return row.history_user.get_username() if row.history_user_id else "someone else"


# ---------------------------------------------------------------- restoring a version


@versioned
def restore(version: Any, *, by: Any) -> Any:
    """Put an earlier version (a historical row) back as the record's current state, its
    many-to-many links too; the restore is itself a new version and has an audit entry with the
    values before and after. A deleted record comes back with its old id."""
    model = version.instance_type
    obj = version.instance
    current = model.objects.filter(pk=obj.pk).first()
    adding = current is None
    before = _values(current) if current is not None else None
    # Saved without the automatic version, then kept as one version once its links are back.
    obj.skip_history_when_saving = True
    obj._state.adding = adding
    obj.save()
    for field in version._history_m2m_fields:
        other = field.m2m_reverse_field_name()
        getattr(obj, field.name).set(
            getattr(version, field.name).values_list(f"{other}_id", flat=True)
        )
    del obj.skip_history_when_saving
    keep_versions(model, [obj], created=adding, reason=f"restored version {version.history_id}")
    after = _values(obj)
    changed = [k for k in after if before is None or before.get(k) != after[k]]
    record(
        f"restore_{model._meta.model_name}",
        by=by,
        obj=obj,
        summary=f"{model._meta.verbose_name} {obj}: version {version.history_id} of "
        f"{version.history_date:%Y-%m-%d %H:%M} restored",
        before={k: before[k] for k in changed} if before is not None else None,
        after={k: after[k] for k in changed},
    )
    return obj


def _values(obj: Any) -> dict[str, Any]:
    """A record's fields as plain JSON values (the audit entry's before and after)."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        value = getattr(obj, f.attname)
        plain = isinstance(value, (str, int, float, bool, list, dict, type(None)))
        out[f.attname] = value if plain else str(value)
    return out


# ---------------------------------------------------------------- migrations


BEGAN = "version when history began"


def start_history(apps: Any, app_label: str, model_names: list[str], batch: int = 500) -> None:
    """For a migration that adds history to existing models: each existing row's present state
    becomes its first version, so the first change after the upgrade keeps what it replaces.
    Works on the migration's historical models only (never today's classes)."""
    now = timezone.now()
    for name in model_names:
        model = apps.get_model(app_label, name)
        history = apps.get_model(app_label, f"Historical{name}")
        names = {f.attname for f in history._meta.concrete_fields}
        fields = [f.attname for f in model._meta.concrete_fields if f.attname in names]
        rows = []
        for obj in model.objects.order_by("pk").iterator(chunk_size=2000):
            rows.append(
                history(
                    **{f: getattr(obj, f) for f in fields},
                    history_date=now,
                    history_type="+",
                    history_change_reason=BEGAN,
                )
            )
            if len(rows) >= batch:
                history.objects.bulk_create(rows)
                rows = []
        history.objects.bulk_create(rows)
