"""A complete, exact copy of the database in one file, and its restore into an empty database.

The file is gzip-compressed JSON Lines, written and read one row at a time so that memory stays
flat however large the database: a header line (the format, the Oversight version and the
migrations the database had), one line per row of every table (Django's serializer: every field
and the row's id), and an end line with the number of rows per table and each table's highest
id ever given, so that a file cut short is refused rather than half restored, and an id freed by
a deletion is not given again after a restore.

Every model Django knows is included, found at run time (no list to keep up to date), with the
join tables of many-to-many fields as rows of their own so that their ids come back too. Left
out: content types and permissions, which `migrate` rebuilds and which rows name by natural key
rather than by id; sessions (sign-ins: everyone signs in again after a restore); results worked
out from the record and kept (statistics: worked out again when first asked for); and the
scheduler's own tables (django-q2's schedules, which `migrate` makes again from OVERSIGHT_JOBS, and
its queue and task results, which are the running worker's state, not the office's record).

The same file restores on SQLite and PostgreSQL, whichever made it.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers import jsonl, python
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, connection, router, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils import timezone

import oversight

from .log import record

FORMAT = "oversight-backup"
FORMAT_VERSION = 1

# Rebuilt by `migrate` in every database; rows name them by natural key, never by id.
REBUILT = {"contenttypes.contenttype", "auth.permission"}
# Sign-ins: left out of a backup, and emptied by a replacing restore (a session names a user id).
SIGN_INS = {"sessions.session"}
# The scheduler's state (django-q2): schedules rebuilt from OVERSIGHT_JOBS, queue and task results.
SCHEDULER_APP = "django_q"
# Results worked out from the record and kept (core.Kept): worked out again when first asked for;
# `migrate`, which every restore runs first, empties them.
DERIVED = {"core.kept"}


class RestoreRefused(Exception):
    """A backup that cannot be restored here, with the reason and what to do, in words."""


@dataclass
class Summary:
    path: Path
    header: dict[str, Any]
    counts: Counter = field(default_factory=Counter)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def tables(self) -> int:
        return sum(1 for n in self.counts.values() if n)


def backed_up_models() -> list[type[Model]]:
    """Every model with a table of its own, join tables included, in the registry's order;
    content types, permissions, sessions, kept results and the scheduler's tables left out."""
    out = []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or opts.swapped:
            continue
        if opts.label_lower in REBUILT | SIGN_INS | DERIVED or opts.app_label == SCHEDULER_APP:
            continue
        if router.allow_migrate_model(connection.alias, model):
            out.append(model)
    return out


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def _has_id_sequence(model: type[Model]) -> bool:
    return model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField", "SmallAutoField"}


# ---------------------------------------------------------------------------------- writing


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds (for JavaScript); a backup keeps microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class _Serializer(jsonl.Serializer):
    """Django's JSON Lines serializer with two changes: a foreign key names a content type or a
    permission by its natural key (their ids differ between databases), every other row by id;
    and many-to-many fields are left to their join tables, which are backed up as rows."""

    def handle_fk_field(self, obj: Model, field: Any) -> None:
        self.use_natural_foreign_keys = _label(field.related_model) in REBUILT
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: Model, field: Any) -> None:
        return None


def migration_state() -> dict[str, list[str]]:
    """The migrations applied to the database, by app: {"plans": ["0001_initial", ...]}."""
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        state.setdefault(app_label, []).append(name)
    return state


def write_backup(path: Path | str) -> Summary:
    """Write every row of the database to `path` (gzip JSON Lines); return the rows per table.

    The rows are read in one transaction, so a backup taken while the site is in use is one
    moment's database (PostgreSQL is asked for a repeatable read; a SQLite reader sees one). The
    file appears under its name only when it is complete."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic(), gzip.open(partial, "wt", encoding="utf-8") as out:
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # must come before any other statement
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            summary = Summary(
                path=path,
                header={
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "oversight_version": oversight.__version__,
                    "created_at": timezone.now().isoformat(),
                    "database": connection.vendor,
                    "migrations": migration_state(),
                },
            )
            out.write(_line({"backup": summary.header}))
            serializer = _Serializer()
            models = backed_up_models()
            for model in models:
                rows = model._base_manager.order_by(model._meta.pk.name)
                summary.counts[_label(model)] += 0  # an empty table is listed too
                serializer.serialize(
                    _counted(rows.iterator(chunk_size=2000), summary.counts, _label(model)),
                    stream=out,
                    cls=ExactEncoder,
                )
            end = {"rows": dict(summary.counts), "highest_ids": _highest_ids(models)}
            out.write(_line({"end": end}))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def _line(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, cls=ExactEncoder) + "\n"


def _counted(rows: Iterator[Model], counts: Counter, label: str) -> Iterator[Model]:
    for row in rows:
        counts[label] += 1
        yield row


# The highest id each table has ever given (its sequence), which may be above the highest id
# it holds when rows were deleted. SQLite keeps it in sqlite_sequence, PostgreSQL in a sequence.


def _highest_ids(models: list[type[Model]]) -> dict[str, int]:
    out = {}
    with connection.cursor() as cursor:
        for model in filter(_has_id_sequence, models):
            table, column = model._meta.db_table, model._meta.pk.column
            if connection.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            elif connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, %s)::regclass)",
                    [connection.ops.quote_name(table), column],
                )
            else:
                return {}
            found = cursor.fetchone()
            if found and found[0]:
                out[_label(model)] = int(found[0])
    return out


def _raise_highest_ids(models: list[type[Model]], highest: dict[str, int]) -> None:
    """After the rows are in: each table's next id follows the backup's highest id ever given
    (or the highest restored id, whichever is more)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)  # PostgreSQL: past the highest restored id
        for model in filter(_has_id_sequence, models):
            value = highest.get(_label(model), 0)
            if value < 1:
                continue
            table, column = model._meta.db_table, model._meta.pk.column
            if column is None:  # a key without a column of its own has no sequence
                continue
            if connection.vendor == "sqlite":
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [value, table]
                )
                if cursor.rowcount == 0:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, value]
                    )
            elif connection.vendor == "postgresql":
                qn = connection.ops.quote_name
                # Fixed SQL: names come from the models, quoted; values are parameters.
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), "  # noqa: S608
                    f"GREATEST(%s, (SELECT COALESCE(MAX({qn(column)}), 0) FROM {qn(table)})))",
                    [qn(table), column, value],
                )


# ---------------------------------------------------------------------------------- reading


class _Reader:
    """The lines of a backup file in order, each checked, with the line number for messages."""

    def __init__(self, path: Path):
        self.path = path
        self.line = 0
        self.end: dict[str, Any] | None = None

    def refused(self, why: str) -> RestoreRefused:
        where = f", line {self.line}" if self.line > 1 else ""
        return RestoreRefused(f"{self.path.name}{where}: {why}")

    def _lines(self) -> Generator[Any, None, None]:
        try:
            with gzip.open(self.path, "rt", encoding="utf-8") as stream:
                for self.line, text in enumerate(stream, start=1):
                    yield json.loads(text)
        except FileNotFoundError:
            raise RestoreRefused(f"{self.path}: file not found") from None
        except gzip.BadGzipFile:
            raise self.refused("not an Oversight backup (not a gzip file)") from None
        except (EOFError, zlib.error):
            raise self.refused("the file is damaged or cut short") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise self.refused(f"not a line of JSON ({exc})") from None

    def header(self) -> dict[str, Any]:
        lines = self._lines()
        first = next(lines, None)
        lines.close()
        head = first.get("backup") if isinstance(first, dict) else None
        if not isinstance(head, dict) or head.get("format") != FORMAT:
            raise self.refused("not an Oversight backup (its first line is not a backup header)")
        if head.get("format_version") != FORMAT_VERSION:
            raise self.refused(
                f"backup format {head.get('format_version')} is not one this version of "
                f"Oversight ({oversight.__version__}) reads (format {FORMAT_VERSION})"
            )
        return head

    def rows(self) -> Iterator[dict[str, Any]]:
        lines = self._lines()
        next(lines)  # the header, checked by header()
        for content in lines:
            if self.end is not None:
                raise self.refused("a line after the end line")
            if isinstance(content, dict) and isinstance(content.get("end"), dict):
                self.end = content["end"]
                continue
            if not (isinstance(content, dict) and "model" in content and "fields" in content):
                raise self.refused("not a row (a row has a model and fields)")
            yield content
        if self.end is None:
            raise self.refused("the file is cut short: it has no end line")


def read_header(path: Path | str) -> dict[str, Any]:
    """A backup's header: format, Oversight version, when it was made, migrations applied."""
    return _Reader(Path(path)).header()


def occupied_tables() -> list[str]:
    """The tables a restore fills (and the sessions) that already have rows."""
    models = backed_up_models() + [apps.get_model(label) for label in SIGN_INS]
    return [_label(m) for m in models if m._base_manager.exists()]


def _listed(names: list[str], limit: int = 5) -> str:
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def _check_schema(header: dict[str, Any], reader: _Reader) -> None:
    """Refuse a backup made with a database schema other than this installation's."""
    known = set(MigrationLoader(connection, ignore_no_migrations=True).graph.nodes)
    had = {(app, name) for app, names in header.get("migrations", {}).items() for name in names}
    made_by = f"Oversight {header.get('oversight_version', '(version unknown)')}"
    newer = [f"{app} {name}" for app, name in sorted(had - known)]
    if newer:
        raise reader.refused(
            f"made by {made_by} with a newer database schema than this installation "
            f"(Oversight {oversight.__version__}) knows: its migrations {_listed(newer)} are not "
            f"here. Install {made_by} or later, then restore"
        )
    older = [f"{app} {name}" for app, name in sorted(known - had)]
    if older:
        raise reader.refused(
            f"made by {made_by} with an older database schema (before the migrations "
            f"{_listed(older)}). Restore it into an empty database with {made_by}, then install "
            f"this version and run `oversight manage migrate`"
        )


def restore_backup(path: Path | str, *, by: Any, replace: bool = False) -> Summary:
    """Load a backup into this database, in one transaction: every row with its id, each id
    sequence after the backup's highest, and one audit entry saying so. Migrates first.

    Refuses (RestoreRefused, nothing written) a file that is not a complete backup, a backup of
    another schema, and a database that already has rows, unless `replace`: then every row is
    deleted first, in the same transaction, so a failed restore deletes nothing."""
    reader = _Reader(Path(path))
    header = reader.header()
    _check_schema(header, reader)
    call_command("migrate", interactive=False, verbosity=0)
    occupied = occupied_tables()
    if occupied and not replace:
        raise RestoreRefused(
            f"the database is not empty ({_listed(occupied)} have rows): a restore needs an "
            "empty database. Start from an empty one (SQLite: set OVERSIGHT_DATA_DIR to a new "
            "folder; PostgreSQL: create a new database and point DATABASE_URL at it), or pass "
            "--replace to delete everything in this database and put the backup in its place"
        )
    summary = Summary(path=reader.path, header=header)
    with transaction.atomic():
        if replace:
            _delete_everything()
        models: dict[type[Model], None] = {}
        batch: list[Model] = []
        deferred = []
        with connection.constraint_checks_disabled():
            for obj in python.Deserializer(reader.rows(), handle_forward_references=True):
                if batch and (type(obj.object) is not type(batch[0]) or len(batch) >= BATCH):
                    _insert(batch, reader)
                    batch = []
                batch.append(obj.object)
                models.setdefault(type(obj.object))
                summary.counts[_label(type(obj.object))] += 1
                if obj.deferred_fields:
                    deferred.append(obj)
            if batch:
                _insert(batch, reader)
            for obj in deferred:
                obj.save_deferred_fields()
        try:
            connection.check_constraints(table_names=[m._meta.db_table for m in models])
        except IntegrityError as exc:
            raise reader.refused(f"a row refers to a row the backup does not have: {exc}") from exc
        end = reader.end or {}
        expected = {label: n for label, n in end.get("rows", {}).items() if n}
        if expected != {label: n for label, n in summary.counts.items() if n}:
            raise reader.refused("the rows read differ from the counts on its end line")
        _raise_highest_ids(backed_up_models(), end.get("highest_ids", {}))
        record(
            "restore_backup",
            by=by,
            summary=(
                f"restored {summary.rows} rows from {reader.path.name} (made by Oversight "
                f"{header.get('oversight_version')} on {header.get('database')} at "
                f"{header.get('created_at')})" + (", replacing every row" if replace else "")
            ),
            after={"file": reader.path.name, "header": header, "rows": dict(summary.counts)},
        )
    return summary


BATCH = 500  # rows per INSERT statement, at most (SQLite allows fewer when rows are wide)


def _insert(rows: list[Model], reader: _Reader) -> None:
    """Insert rows of one model as they are: every field as read, no save() or signals, so that
    timestamps set on save (auto_now) keep the backup's values. It is what Django's own loaddata
    does (a "raw" save), a batch at a time."""
    model = type(rows[0])
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]  # as save() does
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, rows)))
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        try:
            # Django's own loaddata path; the stubs leave the private _insert out.
            manager = model._base_manager
            manager._insert(chunk, fields=fields, raw=True)  # type: ignore[attr-defined]
        except (DatabaseError, IntegrityError, ValueError) as exc:
            ids = f"{chunk[0].pk}" if len(chunk) == 1 else f"{chunk[0].pk} to {chunk[-1].pk}"
            raise RestoreRefused(
                f"{reader.path.name}: {_label(model)} rows with ids {ids} cannot be stored: {exc}"
            ) from exc


def _delete_everything() -> None:
    """Empty every table a restore fills, and the sessions."""
    models = backed_up_models() + [apps.get_model(label) for label in SIGN_INS]
    statements = connection.ops.sql_flush(
        no_style(), [m._meta.db_table for m in models], reset_sequences=True
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
