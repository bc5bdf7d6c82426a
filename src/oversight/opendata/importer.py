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


# The raw Parquet columns: police.uk's headings in snake_case.
RAW: dict[Kind, dict[str, str]] = {
    kind: {c: c.lower().replace(" ", "_").replace("-", "_") for c in columns}
    for kind, columns in COLUMNS.items()
}
MONTH_OF = {  # the expression giving the month a row says it belongs to
    Kind.STREET: "month_reported",
    Kind.OUTCOMES: "month_reported",
    Kind.STOP_AND_SEARCH: "substr(date, 1, 7)",
}
RAW[Kind.STREET]["Month"] = RAW[Kind.OUTCOMES]["Month"] = "month_reported"


def _import_batch(
    con: duckdb.DuckDBPyConnection,
    kind: Kind,
    month: str,
    batch: list[tuple[Path, ArchiveFile]],
    tmp: Path,
) -> list[FileReport]:
    reports = {str(p): FileReport(str(p), f) for p, f in batch}
    good = []
    for p, f in batch:
        problem = _check_header(p, kind)
        if problem:
            reports[str(p)].refused = problem
        else:
            good.append((str(p), f.force))
    if not good:
        return list(reports.values())
    path_of = {force: path for path, force in good}

    # One pass over the CSVs: every row to raw Parquet, partitioned by month and force.
    con.execute("CREATE OR REPLACE TEMP TABLE file_force (filename VARCHAR, force VARCHAR)")
    con.executemany("INSERT INTO file_force VALUES (?, ?)", [list(g) for g in good])
    con.execute("DROP TABLE IF EXISTS rej_scans; DROP TABLE IF EXISTS rej_errors")
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS[kind])
    files = "[" + ", ".join(_literal(path) for path, _ in good) + "]"
    select = ", ".join(f'b."{c}" AS {name}' for c, name in RAW[kind].items())
    staging = tmp / f"{kind}-{month}"
    _copy(
        con,
        f"""SELECT {select}, '{month}' AS month, ff.force
            FROM read_csv({files}, header = true, columns = {{{columns}}}, filename = true,
                          auto_detect = false, delim = ',', quote = '"', escape = '"',
                          store_rejects = true, rejects_scan = 'rej_scans',
                          rejects_table = 'rej_errors', parallel = true) b
            JOIN file_force ff USING (filename)""",
        staging / "raw",
    )
    for path, line, reason in con.execute(
        """
        SELECT s.file_path, e.line, e.error_message
        FROM rej_errors e JOIN rej_scans s USING (scan_id, file_id)
        ORDER BY s.file_path, e.line
        """
    ).fetchall():
        reports[path].rejected.append({"line": int(line), "reason": _plain(reason)})

    raw = f"read_parquet('{staging / 'raw'}/*/*/*.parquet', hive_partitioning = true, hive_types_autocast = false)"
    stats = _stats(con, raw, kind, month)
    dedupe = [f for f, v in stats.items() if v.get("duplicates_removed")]
    if dedupe:
        _drop_exact_copies(con, staging, kind, month, dedupe)
    if kind is Kind.STREET:
        outside = _street_counts(con, raw, month, staging)
        for force, v in stats.items():
            v["outside_force_area"] = outside.get(force, 0)
    elif kind is Kind.STOP_AND_SEARCH:
        _copy(
            con,
            f"""SELECT month, force, object_of_search, outcome,
                       outcome_linked_to_object_of_search AS outcome_linked, count(*) AS searches
                FROM {raw} WHERE {MONTH_OF[kind]} = '{month}' GROUP BY ALL""",
            staging / "agg",
        )
    for force, values in stats.items():
        r = reports[path_of[force]]
        r.rows = values.pop("rows") + len(r.rejected)
        wrong = values["wrong_month_skipped"] = values["rows_read"] - values.pop("right_month")
        values.pop("rows_read")
        r.kept = r.rows - len(r.rejected) - wrong - values.get("duplicates_removed", 0)
        r.quirks = values
        if r.rejected:
            r.quirks["malformed_rows_skipped"] = len(r.rejected)
    storage.swap_in(staging, kind, month, sorted(stats))
    return list(reports.values())


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _hash_all(kind: Kind) -> str:
    """A hash of every column of a row: equal for exact copies (used only for counting)."""
    return "hash(" + ", ".join(RAW[kind].values()) + ")"


def _stats(con: duckdb.DuckDBPyConnection, raw: str, kind: Kind, month: str) -> dict[str, dict]:
    """Per force (one file each in a month's batch): rows and each quirk's count."""
    common = f"""count(*) AS rows, count(*) AS rows_read,
                 count(*) FILTER ({MONTH_OF[kind]} = '{month}') AS right_month"""
    every = _hash_all(kind)
    if kind is Kind.STREET:
        extra = f"""
        count(*) FILTER (crime_id IS NULL AND crime_type = 'Anti-social behaviour') AS asb_without_crime_id,
        count(*) FILTER (crime_id IS NULL AND crime_type <> 'Anti-social behaviour') AS crimes_without_crime_id,
        count(*) FILTER (longitude IS NULL OR location = 'No location') AS no_location,
        count(*) FILTER (crime_id IS NOT NULL)
            - count(DISTINCT {every}) FILTER (crime_id IS NOT NULL) AS duplicates_removed,
        count(*) FILTER (crime_id IS NULL)
            - count(DISTINCT {every}) FILTER (crime_id IS NULL) AS duplicates_kept_no_id"""
    elif kind is Kind.OUTCOMES:
        extra = f"""
        count(*) FILTER (longitude IS NULL OR location = 'No location') AS no_location,
        count(*) FILTER (crime_id IS NULL) AS without_crime_id,
        count(*) - count(DISTINCT {every}) AS duplicates_removed"""
    else:
        extra = f"""
        count(*) FILTER (latitude IS NULL OR longitude IS NULL) AS no_location,
        count(*) - count(DISTINCT {every}) AS duplicates_kept_no_id"""
    cur = con.execute(f"SELECT force, {common}, {extra} FROM {raw} GROUP BY force")
    names = [d[0] for d in cur.description][1:]
    return {row[0]: dict(zip(names, map(int, row[1:]), strict=True)) for row in cur.fetchall()}


def _drop_exact_copies(
    con: duckdb.DuckDBPyConnection, staging: Path, kind: Kind, month: str, forces: list[str]
) -> None:
    """Rewrite these forces' raw partitions with one of each set of identical rows (street: only
    rows with a Crime ID; a row without an identifier may be a separate event)."""
    keep_all = "crime_id IS NULL" if kind is Kind.STREET else "FALSE"
    for force in forces:
        part = staging / "raw" / f"month={month}" / f"force={force}"
        fresh = staging / "dedupe"
        source = f"read_parquet('{part}/*.parquet', hive_partitioning = false)"
        _copy(
            con,
            f"""SELECT *, '{month}' AS month, {_literal(force)} AS force FROM (
                    SELECT DISTINCT * FROM {source} WHERE NOT ({keep_all})
                    UNION ALL SELECT * FROM {source} WHERE {keep_all})""",
            fresh,
        )
        shutil.rmtree(part)
        shutil.move(str(fresh / f"month={month}" / f"force={force}"), str(part))
        shutil.rmtree(fresh)


def _street_counts(
    con: duckdb.DuckDBPyConnection, raw: str, month: str, staging: Path
) -> dict[str, int]:
    """Street crimes by force, local authority, crime type, last outcome and whether the LSOA is
    in the force area; returns each force's count of rows outside its area."""
    areas = storage.force_areas_table(con)
    la = "regexp_replace(trim(lsoa_name), '\\s+[0-9]{3}[A-Z]$', '')"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE counts AS
        SELECT k.month, k.force, k.local_authority, k.crime_type, k.last_outcome,
               CASE WHEN known.force IS NULL OR k.local_authority IS NULL THEN NULL
                    ELSE a.local_authority IS NOT NULL END AS in_force_area,
               count(*) AS crimes
        FROM (SELECT month, force, {la} AS local_authority, crime_type,
                     last_outcome_category AS last_outcome
              FROM {raw} WHERE month_reported = '{month}') k
        LEFT JOIN (SELECT DISTINCT force FROM {areas}) known ON known.force = k.force
        LEFT JOIN {areas} a ON a.force = k.force AND a.local_authority = k.local_authority
        GROUP BY ALL
        """
    )
    _copy(con, "SELECT * FROM counts", staging / "agg")
    return {
        f: int(n or 0)
        for f, n in con.execute(
            "SELECT force, sum(crimes) FILTER (in_force_area = false) FROM counts GROUP BY force"
        ).fetchall()
    }


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


def _copy(con: duckdb.DuckDBPyConnection, select: str, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"COPY ({select}) TO '{target}' "
        "(FORMAT parquet, PARTITION_BY (month, force), OVERWRITE_OR_IGNORE)"
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
