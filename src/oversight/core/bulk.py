"""Inserting many new records at once, the way each database takes them fastest.

Django's `bulk_create` compiles every value of every row through the ORM and, on SQLite, splits
the rows into statements of at most 999 parameters (about 40 rows of a 24-field model), so a
40,000-row import spends most of its time building SQL. Here the values are prepared once per
field kind and sent set-based:

- SQLite: one prepared single-row INSERT run by `executemany` (the sqlite3 module loops in C, and
  no statement carries more than one row's parameters, so SQLite's limit never applies);
- PostgreSQL: `COPY … FROM STDIN` through psycopg, in one stream;
- any other database: `bulk_create`, batched by Django for it.

Always inside the caller's transaction. Rows are plain dicts, not model instances (building
40,000 instances costs more than writing them), and get no primary keys back (callers that need
them use `bulk_create`); defaults, `auto_now` and `auto_now_add` are applied as `save()` would.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.db import connections, models
from django.utils import timezone

# For each field kind, the Python types sqlite3 and psycopg both take as they are, without the
# field's own preparation (Django registers Decimal with sqlite3; psycopg knows it).
_TEXT, _INT = (str,), (int,)
_TAKEN_AS_IS: dict[type, tuple[type, ...]] = {
    models.CharField: _TEXT,
    models.TextField: _TEXT,
    models.IntegerField: _INT,
    models.BigIntegerField: _INT,
    models.PositiveIntegerField: _INT,
    models.PositiveSmallIntegerField: _INT,
    models.SmallIntegerField: _INT,
    models.BooleanField: (bool,),
    models.ForeignKey: _INT,
    models.DecimalField: (Decimal,),
}


def insert_new(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, using: str = "default"
) -> int:
    """INSERT new records of `model` set-based, each given as {field attname: value} (a foreign
    key by its id, `measure_id`); a field not given takes its default. Returns how many."""
    if not rows:
        return 0
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not f.generated and not _auto_pk(f)]
    if connection.vendor not in ("sqlite", "postgresql"):
        model._default_manager.using(using).bulk_create([model(**row) for row in rows])
        return len(rows)
    values = _values(fields, rows, connection)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields if f.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            # Names from the model, quoted by the backend; every value is a parameter.
            insert = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(insert, values)
    return len(rows)


def _values(fields: list[models.Field], rows: Sequence[dict[str, Any]], connection: Any) -> list:
    """Each row as a tuple of database values, in the order of `fields`, as `save()` would write
    them. Values of the types a driver takes as they are pass straight through (a merge and an
    itemgetter per row, both in C); only the others go through the field's own preparation."""
    now = timezone.now()
    defaults: dict[str, Any] = {}
    per_row: list[models.Field] = []  # callable defaults, evaluated for each row
    taken = [(*_TAKEN_AS_IS.get(type(f), ()), type(None)) for f in fields]
    stamps: dict[str, Any] = {}  # auto_now and auto_now_add: one time for every row, prepared once
    for i, f in enumerate(fields):
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            stamps[f.attname] = f.get_db_prep_save(now, connection)
            taken[i] = (type(stamps[f.attname]),)
        elif f.has_default() and callable(f.default):
            per_row.append(f)
        else:
            defaults[f.attname] = f.get_default()
    pick = itemgetter(*[f.attname for f in fields])
    # Rows share a handful of type signatures: each is judged once.
    to_prepare: dict[tuple[type, ...], list[int]] = {}
    # An empty list or mapping (a JSON column with nothing in it, most rows') is prepared once.
    empties: dict[tuple[int, type], Any] = {}
    out = []
    for row in rows:
        full = {**defaults, **row, **stamps}
        for f in per_row:
            if f.attname not in row:
                full[f.attname] = f.get_default()
        values = pick(full)
        kinds = tuple(map(type, values))
        odd = to_prepare.get(kinds)
        if odd is None:
            odd = to_prepare[kinds] = [i for i, t in enumerate(kinds) if t not in taken[i]]
        if odd:
            listed = list(values)
            for i in odd:
                value = listed[i]
                if type(value) in (list, dict) and not value:
                    key = (i, type(value))
                    if key not in empties:
                        empties[key] = fields[i].get_db_prep_save(value, connection)
                    listed[i] = empties[key]
                else:
                    listed[i] = fields[i].get_db_prep_save(value, connection)
            values = tuple(listed)
        out.append(values)
    return out


def _auto_pk(f: models.Field) -> bool:
    return f.primary_key and isinstance(f, models.AutoField)
