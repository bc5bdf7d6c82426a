"""Questions asked of the imported police.uk data. Each reads only the Parquet files of the
months it needs, and of those only the row groups of its force (each row group holds one force,
`storage`), so a report's query stays fast whatever the archive's size."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from oversight.lib.policeuk import ASB, Kind
from oversight.lib.spc import XmrResult, xmr

from . import storage
from .models import ImportedFile

if TYPE_CHECKING:
    import duckdb  # imported in _connect: every page and command would otherwise load it


def months_available(force: str | None = None, kind: Kind = Kind.STREET) -> list[str]:
    rows = ImportedFile.objects.filter(kind=kind.value)
    if force:
        rows = rows.filter(force=force)
    return sorted(set(rows.values_list("month", flat=True)))


def forces_available(kind: Kind = Kind.STREET) -> list[str]:
    return sorted(set(ImportedFile.objects.filter(kind=kind.value).values_list("force", flat=True)))


def area_table() -> list[dict[str, str]]:
    with open(storage.force_areas_file(), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def local_authorities(force: str, area: str | None) -> list[str] | None:
    """The local authorities an area name stands for: itself if it is a local authority, the
    members of a local policing area, or None (the whole force) when no area is given."""
    if not area:
        return None
    rows = [r for r in area_table() if r["force"] == force]
    lpa = [r["local_authority"] for r in rows if r["local_policing_area"] == area]
    return lpa or [area]


def _where(
    force_las: list[str] | None, crime_types: list[str] | None, params: list, force: str | None
) -> str:
    clauses = []
    if force is not None:
        clauses.append("force = ?")
        params.append(force)
    if force_las is not None:
        clauses.append("local_authority IN (SELECT unnest(?))")
        params.append(force_las)
    if crime_types:
        clauses.append("crime_type IN (SELECT unnest(?))")
        params.append(crime_types)
    return ("WHERE " + " AND ".join(clauses)) if clauses else ""


def counts_by_type(force: str, months: list[str], area: str | None = None) -> list[tuple[str, int]]:
    """Street-level crimes (and ASB) by police.uk crime type for a force's months."""
    paths = storage.files("agg", Kind.STREET, months, [force])
    if not paths:
        return []
    params: list = [paths]
    where = _where(local_authorities(force, area), None, params, force)
    # `where` is fixed text from _where; every value goes in as a ? parameter.
    with _connect() as con:
        return [
            (t, int(n))
            for t, n in con.execute(
                f"SELECT crime_type, sum(crimes) FROM read_parquet(?) {where} "  # noqa: S608
                "GROUP BY crime_type ORDER BY crime_type",
                params,
            ).fetchall()
        ]


def monthly_counts(
    force: str,
    months: list[str],
    crime_types: list[str] | None,
    area: str | None = None,
    outcomes: list[str] | None = None,
) -> dict[str, int]:
    """Crimes a month for a force (or an area of it); crime_types None/empty means all crime
    except anti-social behaviour; `outcomes` keeps only crimes whose last outcome is one of them."""
    paths = storage.files("agg", Kind.STREET, months, [force])
    if not paths:
        return {}
    params: list = [paths]
    where = _where(local_authorities(force, area), crime_types or None, params, force)
    if not crime_types:
        where += (" AND " if where else "WHERE ") + "crime_type <> ?"
        params.append(ASB)
    if outcomes:
        where += " AND last_outcome IN (SELECT unnest(?))"
        params.append(outcomes)
    # `where` is fixed text from _where; every value goes in as a ? parameter.
    with _connect() as con:
        rows = con.execute(
            f"SELECT month, sum(crimes) "  # noqa: S608
            f"FROM read_parquet(?, hive_partitioning = true) {where} GROUP BY month",
            params,
        ).fetchall()
    found = {m: int(n) for m, n in rows}
    imported = set(months_available(force))
    return {m: found.get(m, 0) for m in months if m in imported}


def counts_by_force(months: list[str], crime_types: list[str] | None) -> dict[str, int]:
    """Every imported force's crimes over the months (only forces with all the months)."""
    paths = storage.files("agg", Kind.STREET, months, None)
    if not paths:
        return {}
    params: list = [paths]
    where = _where(None, crime_types or None, params, None)
    if not crime_types:
        where += (" AND " if where else "WHERE ") + "crime_type <> ?"
        params.append(ASB)
    # `where` is fixed text from _where; every value goes in as a ? parameter.
    with _connect() as con:
        rows = con.execute(
            f"SELECT force, count(DISTINCT month), sum(crimes) "  # noqa: S608
            f"FROM read_parquet(?, hive_partitioning = true) {where} GROUP BY force",
            params,
        ).fetchall()
    return {f: int(n) for f, k, n in rows if k == len(months)}


def counts_by_area(
    force: str, months: list[str], crime_types: list[str] | None
) -> dict[str, dict[str, int]]:
    """{local policing area: {month: crimes}} for the force's areas in force_areas.csv; rows from
    outside the force area are left out."""
    table = [r for r in area_table() if r["force"] == force]
    lpa_of = {r["local_authority"]: r["local_policing_area"] for r in table}
    paths = storage.files("agg", Kind.STREET, months, [force])
    if not paths or not lpa_of:
        return {}
    params: list = [paths]
    where = _where(list(lpa_of), crime_types or None, params, force)
    if not crime_types:
        where += " AND crime_type <> ?"
        params.append(ASB)
    # `where` is fixed text from _where; every value goes in as a ? parameter.
    with _connect() as con:
        rows = con.execute(
            f"SELECT local_authority, month, sum(crimes) "  # noqa: S608
            f"FROM read_parquet(?, hive_partitioning = true) {where} GROUP BY ALL",
            params,
        ).fetchall()
    out: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(months, 0))
    for la, month, n in rows:
        out[lpa_of[la]][month] += int(n)
    return dict(sorted(out.items()))


def _tenths(limit: float | None) -> float | None:
    return None if limit is None else round(limit, 1)


@dataclass
class AreaSeries:
    area: str
    crimes: list[int]  # one a month, in month order
    result: XmrResult  # the XmR chart of them (fewer crimes is better)

    def months(self, months: list[str]) -> list[dict]:
        """A row a month: crimes, the mean and limits there, and the point's variation."""
        r = self.result
        return [
            {
                "month": m,
                "crimes": n,
                "mean": round(r.means[i], 1),
                "lower_limit": _tenths(r.lowers[i]),
                "upper_limit": _tenths(r.uppers[i]),
                "variation": r.point_types[i],
            }
            for i, (m, n) in enumerate(zip(months, self.crimes, strict=True))
        ]


def area_series(force: str, months: list[str], crime_types: list[str] | None) -> list[AreaSeries]:
    """Each local policing area's crimes a month over `months`, with its XmR result."""
    return [
        AreaSeries(area, values, xmr(values, polarity="down"))
        for area, series in counts_by_area(force, months, crime_types).items()
        for values in [[series[m] for m in months]]
    ]


@dataclass
class OutcomeCount:
    outcome_type: str
    crime_type: str | None  # None where the outcome's Crime ID is not among the imported crimes
    outcomes: int


def outcomes_by_crime_type(force: str, months: list[str]) -> list[OutcomeCount]:
    """Outcomes recorded in those months, joined to their crimes by Crime ID (from any imported
    month: outcomes lag the offence)."""
    outcome_paths = storage.files("raw", Kind.OUTCOMES, months, [force])
    if not outcome_paths:
        return []
    crime_paths = storage.files("raw", Kind.STREET, months_available(force), [force])
    with _connect() as con:
        if crime_paths:
            sql = (
                "SELECT o.outcome_type, c.crime_type, count(*) "
                "FROM (SELECT * FROM read_parquet(?) WHERE force = ?) o "
                "LEFT JOIN (SELECT DISTINCT crime_id, crime_type FROM read_parquet(?) "
                "WHERE force = ?) c USING (crime_id) GROUP BY ALL ORDER BY 3 DESC"
            )
            rows = con.execute(sql, [outcome_paths, force, crime_paths, force]).fetchall()
        else:
            rows = con.execute(
                "SELECT outcome_type, NULL, count(*) FROM read_parquet(?) WHERE force = ? "
                "GROUP BY ALL ORDER BY 3 DESC",
                [outcome_paths, force],
            ).fetchall()
    return [OutcomeCount(o, c, int(n)) for o, c, n in rows]


def stop_and_search(force: str, months: list[str]) -> list[tuple[str, str, str, int]]:
    """(object of search, outcome, outcome linked to object, searches) for a force's months."""
    paths = storage.files("agg", Kind.STOP_AND_SEARCH, months, [force])
    if not paths:
        return []
    with _connect() as con:
        rows = con.execute(
            "SELECT object_of_search, outcome, outcome_linked, sum(searches) FROM read_parquet(?) "
            "WHERE force = ? GROUP BY ALL ORDER BY 4 DESC",
            [paths, force],
        ).fetchall()
    return [(o or "", r or "", linked or "", int(n)) for o, r, linked, n in rows]


class _connect:
    def __enter__(self) -> duckdb.DuckDBPyConnection:
        import duckdb

        self.con = duckdb.connect(config={"threads": 2})
        return self.con

    def __exit__(self, *exc: object) -> None:
        self.con.close()


@dataclass(frozen=True)
class Population:
    """One row of the populations table: a force's residents in a year, and where the figure is
    from ("ONS mid-year estimate", "ONS Census (usual residents)", or the office's own words)."""

    force: str
    name: str
    population: int | None
    year: str
    source: str

    @property
    def basis(self) -> str:
        """The source and year in words, as every rate names them: "ONS mid-year estimate, 2019"."""
        return ", ".join(x for x in (self.source, self.year) if x) or "source not given"


def population_table() -> dict[str, list[Population]]:
    """{force id: its rows in the populations file, one a year} (a force without a figure has
    one row with population None)."""
    out: dict[str, list[Population]] = defaultdict(list)
    path: Path = storage.populations_file()
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            force = (row.get("force") or "").strip()
            if not force:
                continue
            pop = (row.get("population") or "").replace(",", "").strip()
            out[force].append(
                Population(
                    force,
                    (row.get("name") or "").strip() or force,
                    int(pop) if pop else None,
                    (row.get("year") or "").strip(),
                    (row.get("source") or "").strip(),
                )
            )
    return dict(out)


def population_for(rows: list[Population], when: date | None) -> Population:
    """The row whose year is nearest `when` (each year's figure taken as at 30 June, the ONS
    mid-year date; on a tie the later year), or the latest year when `when` is None. Rows without
    a figure are used only when no row has one."""
    usable = [r for r in rows if r.population] or rows
    dated = [r for r in usable if r.year.isdigit()]
    if not dated:
        return usable[-1]
    if when is None:
        return max(dated, key=lambda r: int(r.year))
    return min(dated, key=lambda r: (abs((date(int(r.year), 6, 30) - when).days), -int(r.year)))


def populations(when: date | None = None) -> dict[str, tuple[str, int | None, str]]:
    """{force id: (name, population or None, its source and year)}, each force's figure for the
    year nearest `when` (the latest year if None)."""
    out = {}
    for force, rows in population_table().items():
        row = population_for(rows, when)
        out[force] = (row.name, row.population, row.basis if row.population else "")
    return out
