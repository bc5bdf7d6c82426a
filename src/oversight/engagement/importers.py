"""Reading engagement and casework files (CSV or XLSX), one table per file: `oversight import
engagement FILE --table T --plan SLUG`. Every row is checked first and every problem listed
(file, row, column, reason); nothing is written while there is one. A span is named by its first
and last month (YYYY-MM) and the report period it is reported in; kinds and themes must be in
the office's vocabulary (the `vocabulary` table, or the staff page, adds to it).
"""

from __future__ import annotations

from pathlib import Path

from oversight.core.sheets import Column, Row, Table, read_sheet, too_long
from oversight.lib.problems import Problems

from . import models as m

SPAN = (
    Column("first_month", "month", True, "YYYY-MM"),
    Column("last_month", "month", True, "YYYY-MM"),
    Column("period", "period", True, 'the report period, e.g. "2023/24 Q2"'),
)
NOTE = Column("note", "long_text", help="source and caveats, e.g. seed 003 §72")

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "counts",
            "Engagement and communications counts",
            (
                *SPAN,
                Column("kind", "text", True, "a kind's code, e.g. press-releases"),
                Column("count", "count", True),
                Column(
                    "qualifier",
                    "choice",
                    help='exact (blank), about ("circa") or more_than ("more than")',
                    choices=tuple(m.Qualifier.values),
                ),
                NOTE,
            ),
            ("first_month", "last_month", "kind"),
        ),
        Table(
            "casework",
            "Casework",
            (
                *SPAN,
                Column("new", "count", help="new pieces of casework"),
                Column("closed", "count"),
                Column("open_at_end", "count"),
                Column("response_days", "days", help="mean days to respond, if kept"),
                NOTE,
            ),
            ("first_month", "last_month"),
        ),
        Table(
            "themes",
            "Casework themes",
            (
                *SPAN,
                Column("theme", "text", True, "a theme's code, e.g. road-safety"),
                Column("rank", "count", True, "1 for the most common"),
                Column("count", "count", help="pieces of casework, where given"),
                NOTE,
            ),
            ("first_month", "last_month", "theme"),
        ),
        Table(
            "vocabulary",
            "Kinds of count and casework themes",
            (
                Column("vocabulary", "choice", True, "kind or theme", choices=("kind", "theme")),
                Column("code", "text", True, "letters, digits and '-'"),
                Column("label", "text", True),
            ),
            ("vocabulary", "code"),
        ),
    ]
}


def get_table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise ValueError(f'unknown engagement table "{name}": one of {", ".join(TABLES)}') from None


def read_engagement(table_name: str, path: Path | str) -> list[Row]:
    """Every row of an engagement file, checked; raises ImportRefused listing every problem."""
    table = get_table(table_name)
    problems = Problems(Path(path).name)
    rows = read_sheet(table, path, problems)
    kinds = {k.code: k for k in m.CountKind.objects.all()}
    themes = {t.code: t for t in m.Theme.objects.all()}
    for row in rows:
        v = row.values
        if not row.checked:
            continue
        a, b = v.get("first_month"), v.get("last_month")
        if a and b and b < a:
            problems.add(row.number, "last_month", f"{b:%Y-%m} is before first_month {a:%Y-%m}")
        if table.name == "counts" and v.get("kind"):
            if v["kind"] not in kinds:
                problems.add(
                    row.number,
                    "kind",
                    f'no kind "{v["kind"]}" (kinds: {", ".join(kinds)}): add it to the '
                    "vocabulary first",
                )
            v["kind"] = kinds.get(v["kind"])
            v["qualifier"] = v.get("qualifier") or m.Qualifier.EXACT
        if table.name == "themes" and v.get("theme"):
            if v["theme"] not in themes:
                problems.add(
                    row.number,
                    "theme",
                    f'no theme "{v["theme"]}" (themes: {", ".join(themes) or "none yet"}): add '
                    "it to the vocabulary first",
                )
            v["theme"] = themes.get(v["theme"])
        if table.name == "vocabulary" and v.get("code"):
            code = v["code"]
            if not code.replace("-", "").isalnum() or len(code) > 60 or code != code.lower():
                problems.add(
                    row.number, "code", f'"{code}" must be lower-case letters, digits, "-"'
                )
            if v.get("label") and (why := too_long(m.Theme, "label", v["label"])):
                problems.add(row.number, "label", why)
        if table.name == "casework":
            figures = ("new", "closed", "open_at_end", "response_days")
            if all(v.get(f) is None for f in figures):
                problems.add(row.number, "new", "give at least one casework figure")
    problems.raise_if_any()
    return rows
