"""Import the data.police.uk archive layout into Parquet, one month at a time, with DuckDB.

For each month, every force's file of a kind is read in one DuckDB scan (`read_csv` over the
list, with the file name kept and malformed rows set aside with their line numbers), then:

- the raw rows go to `raw/<kind>/month=YYYY-MM/force=<id>/` as Parquet (any engine reads them);
- the counts go to `agg/<kind>/month=YYYY-MM/force=<id>/`: street crime by local authority, crime
  type, last outcome and whether the LSOA lies in the force area; stop-and-search by object,
  outcome and whether the outcome was linked to the object;
- a row per file records the rows read and kept, each quirk's count and every rejected line.

Re-importing a month and force replaces its partitions (written beside them, then swapped in), so
an import is idempotent. Memory is bounded by one month of one kind, whatever the archive's size.

Rules for odd rows (all counted, none dropped without a line in the summary):
- a file whose header is not police.uk's for its kind is refused whole, with the reason;
- a malformed row (wrong number of fields, broken quoting) is skipped and listed with its line;
- a row whose Month is not the file's month is skipped and counted;
- anti-social behaviour rows have no Crime ID: kept and counted;
- rows with no location ("No location", no coordinates): kept and counted;
- rows whose LSOA lies outside the force area (by `force_areas.csv`): kept (police.uk counts
  them to the force) and counted; for a force that table does not list, not checked;
- exact duplicate rows: where the row has an identifier (a Crime ID) the copies are removed and
  counted; without one (ASB, stop-and-search) they may be separate events, so they are kept
  and counted.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from oversight.lib.policeuk import COLUMNS, ArchiveFile, Kind, header_problem, parse_file_name

from . import storage
from .models import ImportedFile


@dataclass
class FileReport:
    path: str
    file: ArchiveFile
    rows: int = 0
    kept: int = 0
    quirks: dict[str, int] = field(default_factory=dict)
    rejected: list[dict] = field(default_factory=list)
    refused: str = ""


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # names that are not archive files

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def kept(self) -> int:
        return sum(f.kept for f in self.files)

    def problems(self) -> list[str]:
        out = []
        for f in self.files:
            if f.refused:
                out.append(f"{f.path}: refused: {f.refused}")
            for r in f.rejected:
                out.append(f"{f.path}, line {r['line']}: skipped: {r['reason']}")
        return out

    def summary(self) -> str:
        done = [f for f in self.files if not f.refused]
        quirks: dict[str, int] = defaultdict(int)
        for f in done:
            for k, v in f.quirks.items():
                quirks[k] += v
        months = sorted({f.file.month for f in done})
        span = f"{months[0]} to {months[-1]}" if months else "no months"
        text = (
            f"{len(done)} files ({span}, {len({f.file.force for f in done})} forces): "
            f"{self.rows:,} rows read, {self.kept:,} kept"
        )
        if quirks:
            text += "; " + ", ".join(
                f"{v:,} {k.replace('_', ' ')}" for k, v in sorted(quirks.items()) if v
            )
        refused = [f for f in self.files if f.refused]
        skipped = sum(len(f.rejected) for f in self.files)
        if refused or skipped:
            text += (
                f"; {len(refused)} files refused, {skipped:,} malformed rows skipped (listed above)"
            )
        return text + "."


def find_files(path: Path, workdir: Path) -> tuple[list[tuple[Path, ArchiveFile]], list[str]]:
    """Archive files under a folder, or inside a zip (extracted to workdir). Returns the files
    and the names of anything else that was not an archive CSV."""
    found, ignored = [], []
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.is_dir():
                    continue
                parsed = parse_file_name(Path(info.filename).name)
                if parsed is None:
                    ignored.append(info.filename)
                    continue
                target = workdir / Path(info.filename).name
                with z.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                found.append((target, parsed))
    elif path.is_dir():
        for p in sorted(path.rglob("*")):
            if not p.is_file():
                continue
            parsed = parse_file_name(p.name)
            if parsed is None:
                if p.suffix.lower() == ".csv":
                    ignored.append(str(p))
                continue
            found.append((p, parsed))
    elif path.is_file():
        parsed = parse_file_name(path.name)
        if parsed is None:
            ignored.append(str(path))
        else:
            found.append((path, parsed))
    else:
        raise FileNotFoundError(f"{path}: no such file or folder")
    return found, ignored


def import_archive(path: Path, *, progress: bool = False) -> ImportReport:
    """Import every archive file under `path` (a folder, a zip or one CSV)."""
    report = ImportReport()
    root = storage.root()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root) as tmp:
        files, report.ignored = find_files(Path(path), Path(tmp))
        batches: dict[tuple[Kind, str], list[tuple[Path, ArchiveFile]]] = defaultdict(list)
        for p, f in files:
            batches[(f.kind, f.month)].append((p, f))
        bar = tqdm(
            total=len(files), unit="file", disable=not progress, desc="police.uk", leave=False
        )
        con = storage.connect()
        try:
            for (kind, month), batch in sorted(batches.items()):
                reports = _import_batch(con, kind, month, batch, Path(tmp))
                report.files.extend(reports)
                _record(reports)
                bar.update(len(batch))
                bar.set_postfix(rows=f"{report.rows:,}")
        finally:
            con.close()
            bar.close()
    return report


def _import_batch(
    con: duckdb.DuckDBPyConnection,
    kind: Kind,
    month: str,
    batch: list[tuple[Path, ArchiveFile]],
    tmp: Path,
) -> list[FileReport]:
    reports = {str(p): FileReport(str(p), f) for p, f in batch}
    good = []
    for p, _ in batch:
        problem = _check_header(p, kind)
        if problem:
            reports[str(p)].refused = problem
        else:
            good.append(p)
    if not good:
        return list(reports.values())

    names = {str(p): f.force for p, f in batch}
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS[kind])
    con.execute("DROP TABLE IF EXISTS rej_scans; DROP TABLE IF EXISTS rej_errors")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE batch AS
        SELECT * FROM read_csv(
            $files, header = true, columns = {{{columns}}}, filename = true, auto_detect = false,
            delim = ',', quote = '"', escape = '"', store_rejects = true,
            rejects_scan = 'rej_scans', rejects_table = 'rej_errors', parallel = true
        )
        """,
        {"files": [str(p) for p in good]},
    )
    con.execute("CREATE OR REPLACE TEMP TABLE file_force (filename VARCHAR, force VARCHAR)")
    con.executemany("INSERT INTO file_force VALUES (?, ?)", [[k, v] for k, v in names.items()])
    for path, line, reason in con.execute(
        """
        SELECT s.file_path, e.line, e.error_message
        FROM rej_errors e JOIN rej_scans s USING (scan_id, file_id)
        ORDER BY s.file_path, e.line
        """
    ).fetchall():
        reports[path].rejected.append({"line": int(line), "reason": _plain(reason)})

    staging = tmp / f"{kind}-{month}"
    if kind is Kind.STREET:
        stats = _street(con, month, staging)
    elif kind is Kind.OUTCOMES:
        stats = _outcomes(con, month, staging)
    else:
        stats = _stop_and_search(con, month, staging)
    for path, values in stats.items():
        r = reports[path]
        r.rows = values.pop("rows") + len(r.rejected)
        r.kept = values.pop("kept")
        r.quirks = values
        if r.rejected:
            r.quirks["malformed_rows_skipped"] = len(r.rejected)
    forces = sorted({names[p] for p in stats})
    storage.swap_in(staging, kind, month, forces)
    return list(reports.values())


def _every_column(kind: Kind) -> str:
    """Every column of a file (and the file name): rows equal on all of them are exact copies."""
    return ", ".join(["b.filename", *(f'b."{c}"' for c in COLUMNS[kind])])


def _check_header(path: Path, kind: Kind) -> str | None:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
    except UnicodeDecodeError:
        return "not UTF-8 text"
    if header is None:
        return "the file is empty"
    return header_problem(kind, header)


def _plain(message: str) -> str:
    """DuckDB's reject message, first line only."""
    return message.strip().splitlines()[0] if message else "malformed row"


def _street(con: duckdb.DuckDBPyConnection, month: str, staging: Path) -> dict[str, dict]:
    areas = storage.force_areas_table(con)
    every = _every_column(Kind.STREET)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE rows AS
        SELECT b.*, ff.force, b.la AS local_authority,
               CASE WHEN k.force IS NULL OR b."LSOA name" IS NULL THEN NULL
                    ELSE a.local_authority IS NOT NULL END AS in_force_area,
               b."Month" = '{month}' AS right_month,
               row_number() OVER (PARTITION BY {every}) AS copy
        FROM (SELECT *, regexp_replace(trim("LSOA name"), '\\s+[0-9]{{3}}[A-Z]$', '') AS la
              FROM batch) b
        JOIN file_force ff USING (filename)
        LEFT JOIN (SELECT DISTINCT force FROM {areas}) k ON k.force = ff.force
        LEFT JOIN {areas} a ON a.force = ff.force AND a.local_authority = b.la
        """
    )
    stats = _stats(
        con,
        """
        count(*) AS rows,
        count(*) FILTER (right_month AND (copy = 1 OR "Crime ID" IS NULL)) AS kept,
        count(*) FILTER ("Crime ID" IS NULL AND "Crime type" = 'Anti-social behaviour') AS asb_without_crime_id,
        count(*) FILTER ("Crime ID" IS NULL AND "Crime type" <> 'Anti-social behaviour') AS crimes_without_crime_id,
        count(*) FILTER ("Longitude" IS NULL OR "Location" = 'No location') AS no_location,
        count(*) FILTER (in_force_area = false) AS outside_force_area,
        count(*) FILTER (copy > 1 AND "Crime ID" IS NOT NULL) AS duplicates_removed,
        count(*) FILTER (copy > 1 AND "Crime ID" IS NULL) AS duplicates_kept_no_id,
        count(*) FILTER (NOT right_month) AS wrong_month_skipped
        """,
    )
    keep = 'WHERE right_month AND (copy = 1 OR "Crime ID" IS NULL)'
    _copy(
        con,
        f"""SELECT "Crime ID" AS crime_id, "Month" AS month_reported, "Reported by" AS reported_by,
                   "Falls within" AS falls_within, TRY_CAST("Longitude" AS DOUBLE) AS longitude,
                   TRY_CAST("Latitude" AS DOUBLE) AS latitude, "Location" AS location,
                   "LSOA code" AS lsoa_code, "LSOA name" AS lsoa_name, "Crime type" AS crime_type,
                   "Last outcome category" AS last_outcome, "Context" AS context,
                   local_authority, in_force_area, '{month}' AS month, force
            FROM rows {keep}""",
        staging / "raw",
    )
    _copy(
        con,
        f"""SELECT '{month}' AS month, force, local_authority, "Crime type" AS crime_type,
                   "Last outcome category" AS last_outcome, in_force_area, count(*) AS crimes
            FROM rows {keep} GROUP BY ALL""",
        staging / "agg",
    )
    return stats


def _outcomes(con: duckdb.DuckDBPyConnection, month: str, staging: Path) -> dict[str, dict]:
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE rows AS
        SELECT b.*, ff.force, b."Month" = '{month}' AS right_month,
               row_number() OVER (PARTITION BY {_every_column(Kind.OUTCOMES)}) AS copy
        FROM batch b JOIN file_force ff USING (filename)
        """
    )
    stats = _stats(
        con,
        """
        count(*) AS rows,
        count(*) FILTER (right_month AND copy = 1) AS kept,
        count(*) FILTER ("Longitude" IS NULL OR "Location" = 'No location') AS no_location,
        count(*) FILTER (copy > 1) AS duplicates_removed,
        count(*) FILTER ("Crime ID" IS NULL) AS without_crime_id,
        count(*) FILTER (NOT right_month) AS wrong_month_skipped
        """,
    )
    _copy(
        con,
        f"""SELECT "Crime ID" AS crime_id, "Month" AS month_reported,
                   TRY_CAST("Longitude" AS DOUBLE) AS longitude, TRY_CAST("Latitude" AS DOUBLE) AS latitude,
                   "Location" AS location, "LSOA code" AS lsoa_code, "LSOA name" AS lsoa_name,
                   "Outcome type" AS outcome_type, '{month}' AS month, force
            FROM rows WHERE right_month AND copy = 1""",
        staging / "raw",
    )
    return stats


def _stop_and_search(con: duckdb.DuckDBPyConnection, month: str, staging: Path) -> dict[str, dict]:
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE rows AS
        SELECT b.*, ff.force, substr(b."Date", 1, 7) = '{month}' AS right_month,
               row_number() OVER (PARTITION BY {_every_column(Kind.STOP_AND_SEARCH)}) AS copy
        FROM batch b JOIN file_force ff USING (filename)
        """
    )
    stats = _stats(
        con,
        """
        count(*) AS rows,
        count(*) FILTER (right_month) AS kept,
        count(*) FILTER ("Latitude" IS NULL OR "Longitude" IS NULL) AS no_location,
        count(*) FILTER (copy > 1) AS duplicates_kept_no_id,
        count(*) FILTER (NOT right_month) AS wrong_month_skipped
        """,
    )
    _copy(
        con,
        f"""SELECT "Type" AS type, "Date" AS date,
                   "Part of a policing operation" AS part_of_operation,
                   "Policing operation" AS policing_operation,
                   TRY_CAST("Latitude" AS DOUBLE) AS latitude, TRY_CAST("Longitude" AS DOUBLE) AS longitude,
                   "Gender" AS gender, "Age range" AS age_range,
                   "Self-defined ethnicity" AS self_defined_ethnicity,
                   "Officer-defined ethnicity" AS officer_defined_ethnicity,
                   "Legislation" AS legislation, "Object of search" AS object_of_search,
                   "Outcome" AS outcome, "Outcome linked to object of search" AS outcome_linked,
                   "Removal of more than just outer clothing" AS removal_of_clothing,
                   '{month}' AS month, force
            FROM rows WHERE right_month""",
        staging / "raw",
    )
    _copy(
        con,
        f"""SELECT '{month}' AS month, force, "Object of search" AS object_of_search,
                   "Outcome" AS outcome, "Outcome linked to object of search" AS outcome_linked,
                   count(*) AS searches
            FROM rows WHERE right_month GROUP BY ALL""",
        staging / "agg",
    )
    return stats


def _stats(con: duckdb.DuckDBPyConnection, expressions: str) -> dict[str, dict]:
    cur = con.execute(f"SELECT filename, {expressions} FROM rows GROUP BY filename")
    names = [d[0] for d in cur.description][1:]
    return {row[0]: dict(zip(names, map(int, row[1:]), strict=True)) for row in cur.fetchall()}


def _copy(con: duckdb.DuckDBPyConnection, select: str, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"COPY ({select}) TO '{target}' "
        "(FORMAT parquet, PARTITION_BY (month, force), OVERWRITE_OR_IGNORE, COMPRESSION zstd)"
    )


@transaction.atomic
def _record(reports: Iterable[FileReport]) -> None:
    now = timezone.now()
    for r in reports:
        if r.refused:
            continue
        ImportedFile.objects.update_or_create(
            month=r.file.month,
            force=r.file.force,
            kind=r.file.kind.value,
            defaults={
                "file_name": Path(r.path).name,
                "rows": r.rows,
                "kept": r.kept,
                "quirks": r.quirks,
                "rejected": r.rejected,
                "imported_at": now,
            },
        )
