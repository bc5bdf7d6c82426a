"""Import the data.police.uk archive layout into Parquet.

Each archive file is one force's month of one kind, and is worked on whole by one of two threads
(pyarrow's CSV reader, compute kernels and Parquet writer release the GIL):

- its rows are read as text (pyarrow; a file pyarrow refuses, e.g. one with bytes that are not
  UTF-8, or that has more lines than pyarrow read, e.g. a stray quote joining lines, is read again
  line by line, each line on its own, so that each bad line is set aside alone);
- each quirk is counted, exact copies of a crime removed;
- the raw rows go to `raw/<kind>/month=YYYY-MM/force=<id>/` as Parquet (any engine reads them);
- the counts go to `agg/<kind>/month=YYYY-MM/force=<id>/`: street crime by local authority, crime
  type, last outcome and whether the LSOA lies in the force area; stop-and-search by object,
  outcome and whether the outcome was linked to the object;
- a row per file records the rows read and kept, each quirk's count and every rejected line.

Re-importing a month and force replaces its partitions (written beside them, then swapped in), so
an import is idempotent. Memory is bounded by the two files being worked on, whatever the
archive's size.

Rules for odd rows (all counted, none dropped without a line in the summary):
- a file whose header is not police.uk's for its kind is refused whole, with the reason; so is a
  second file for a force and month already read in the same import, and a file that cannot be
  read at all (a zip member failing its check), the rest of the import going on;
- a malformed row (wrong number of fields, broken quoting, bytes that are not UTF-8) is skipped
  and listed with its line (the row's number in the file, counting the header as line 1);
- a row whose Month is not the file's month is kept in the raw rows but left out of the counts,
  and counted (`wrong_month_skipped`);
- anti-social behaviour rows have no Crime ID: kept and counted;
- rows with no location ("No location", no coordinates): kept and counted;
- rows whose LSOA lies outside the force area (by `force_areas.csv`): kept (police.uk counts
  them to the force) and counted; for a force that table does not list, not checked;
- exact duplicate rows: where the row has an identifier (a Crime ID: street crimes, outcomes)
  the copies are removed and counted; without one (ASB, an outcome without an ID,
  stop-and-search) they may be separate events, so they are kept and counted.
"""

from __future__ import annotations

import csv
import tempfile
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from oversight.audit.log import record
from oversight.lib.policeuk import (
    ASB,
    COLUMNS,
    LSOA_SUFFIX,
    ArchiveFile,
    Kind,
    header_problem,
    parse_file_name,
)

from . import storage
from .models import ImportedFile


@dataclass
class FileReport:
    path: str  # as the summary names it (a zip member as archive.zip:member)
    file: ArchiveFile
    name: str = ""  # the file's own name
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


@dataclass(frozen=True, order=True)
class ZipMember:
    """A file inside a zip archive, read straight from the archive (never extracted whole)."""

    archive: Path
    member: str
    zip: zipfile.ZipFile = field(compare=False, repr=False)

    @property
    def name(self) -> str:
        return Path(self.member).name

    def __str__(self) -> str:
        return f"{self.archive.name}:{self.member}"


Input = Path | ZipMember


@contextmanager
def _opened(source: Input) -> Iterator[BinaryIO]:
    if isinstance(source, ZipMember):
        with source.zip.open(source.member) as fh:  # zipfile serialises reads across threads
            yield fh
    else:
        with open(source, "rb") as fh:
            yield fh


def find_files(
    path: Path, archives: ExitStack
) -> tuple[list[tuple[Input, ArchiveFile]], list[str]]:
    """Archive files under a folder, or inside a zip (kept open on `archives`, read member by
    member). Returns the files and the names of anything else that was not an archive CSV."""
    found: list[tuple[Input, ArchiveFile]] = []
    ignored: list[str] = []
    if path.is_file() and zipfile.is_zipfile(path):
        z = archives.enter_context(zipfile.ZipFile(path))
        for info in z.infolist():
            if info.is_dir():
                continue
            parsed = parse_file_name(Path(info.filename).name)
            if parsed is None:
                ignored.append(info.filename)
                continue
            found.append((ZipMember(path, info.filename, z), parsed))
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


def import_archive(
    path: Path, *, progress: bool = False, by: object = "oversight opendata import"
) -> ImportReport:
    """Import every archive file under `path` (a folder, a zip or one CSV).

    Files are worked on two at a time, in month order, without waiting at the end of each month:
    a month is swapped in and recorded as soon as its last file is done."""
    report = ImportReport()
    root = storage.root()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root) as tmp, ExitStack() as archives:
        files, report.ignored = find_files(Path(path), archives)
        batches: dict[tuple[Kind, str], list[tuple[Input, ArchiveFile]]] = defaultdict(list)
        for p, f in files:
            batches[(f.kind, f.month)].append((p, f))
        bar = tqdm(
            total=len(files), unit="file", disable=not progress, desc="police.uk", leave=False
        )
        areas = _force_areas()
        pool = ThreadPoolExecutor(THREADS)
        try:
            started = [
                _start_batch(pool, kind, month, batch, Path(tmp), areas)
                for (kind, month), batch in sorted(batches.items())
            ]
            for batch in started:
                reports = batch.finish()
                report.files.extend(reports)
                _record(reports)
                bar.update(len(reports))
                bar.set_postfix(rows=f"{report.rows:,}")
        finally:
            pool.shutdown(cancel_futures=True)
            bar.close()
    # a change of state like any other: the audit trail has it, and public pages showing police.uk
    # figures (cached until the audit trail moves) show the new ones
    record(
        "opendata_import",
        by=by,
        summary=f"police.uk data from {Path(path).name}: {report.summary()}",
        after={"files": len(report.files), "rows": report.rows, "kept": report.kept},
    )
    return report


THREADS = 2  # files worked on at once: the machines this is budgeted for have two cores

# The raw Parquet columns: police.uk's headings in snake_case.
RAW: dict[Kind, dict[str, str]] = {
    kind: {c: c.lower().replace(" ", "_").replace("-", "_") for c in columns}
    for kind, columns in COLUMNS.items()
}
RAW[Kind.STREET]["Month"] = RAW[Kind.OUTCOMES]["Month"] = "month_reported"
# Columns whose values repeat, where a Parquet dictionary (and compression) pay; identifiers,
# coordinates and dates are nearly all distinct, so they are written plain.
DICTIONARY = {
    kind: [n for n in names.values() if n not in {"crime_id", "longitude", "latitude", "date"}]
    for kind, names in RAW.items()
}


@dataclass
class _FileResult:
    force: str
    stats: dict[str, int]
    rejected: list[dict]
    refused: str = ""  # why the file could not be read at all


@dataclass
class _Batch:
    """One month of one kind: its files' reports and the work submitted for those not refused."""

    kind: Kind
    month: str
    staging: Path
    reports: dict[str, FileReport]
    work: dict[str, Future]  # path → the file's _FileResult

    def finish(self) -> list[FileReport]:
        for path, future in self.work.items():
            result: _FileResult = future.result()
            r = self.reports[path]
            if result.refused:
                r.refused = result.refused
                continue
            values = dict(result.stats)
            r.rejected = result.rejected
            read = values.pop("rows")
            r.rows = read + len(r.rejected)
            # kept: the rows counted (their month, copies removed); every other row read is a
            # copy removed or a row of another month, so read = kept + removed + other month
            r.kept = values.pop("right_month")
            values["wrong_month_skipped"] = read - r.kept - values.get("duplicates_removed", 0)
            r.quirks = values
            if r.rejected:
                r.quirks["malformed_rows_skipped"] = len(r.rejected)
        forces = sorted(
            self.reports[p].file.force for p in self.work if not self.reports[p].refused
        )
        if forces:
            storage.swap_in(self.staging, self.kind, self.month, forces)
        return list(self.reports.values())


def _start_batch(
    pool: ThreadPoolExecutor,
    kind: Kind,
    month: str,
    batch: list[tuple[Input, ArchiveFile]],
    tmp: Path,
    areas: dict[str, set[str]],
) -> _Batch:
    """Check each file's header and submit the good ones: each file is one force's month, read,
    checked, counted and written by one thread."""
    staging = tmp / f"{kind}-{month}"
    started = _Batch(
        kind, month, staging, {str(p): FileReport(str(p), f, p.name) for p, f in batch}, {}
    )
    first: dict[str, str] = {}
    for p, f in sorted(batch):
        problem = _check_header(p, kind)
        if not problem and f.force in first:
            problem = f"another file for {f.force} in {month} was read first: {first[f.force]}"
        if problem:
            started.reports[str(p)].refused = problem
            continue
        first[f.force] = str(p)
        started.work[str(p)] = pool.submit(_import_file, p, f.force, kind, month, staging, areas)
    return started


def _force_areas() -> dict[str, set[str]]:
    """{force: its local authorities} from force_areas.csv."""
    out: dict[str, set[str]] = defaultdict(set)
    with open(storage.force_areas_file(), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["force"]].add(row["local_authority"])
    return dict(out)


def _import_file(
    source: Input, force: str, kind: Kind, month: str, staging: Path, areas: dict[str, set[str]]
) -> _FileResult:
    try:
        table, rejected = _read(source, kind)
    except (OSError, zipfile.BadZipFile, zlib.error) as exc:  # the file, not the import, is bad
        return _FileResult(force, {}, [], refused=f"could not be read: {exc}")
    stats = _stats(table, kind, month)
    if stats.get("duplicates_removed"):
        before = table.num_rows
        table = _without_exact_copies(table)
        stats["duplicates_removed"] = before - table.num_rows
        stats["right_month"] = _count(pc.equal(_month_of(table, kind), month))
    rows = table
    if stats["right_month"] < table.num_rows:
        rows = table.filter(pc.equal(_month_of(table, kind), month))
    if kind is Kind.STREET:
        counts = _street_counts(rows, areas.get(force))
        stats["outside_force_area"] = _count_where(counts, pc.equal(counts["in_force_area"], False))
        _write(counts, staging / "agg", month, force)
    elif kind is Kind.STOP_AND_SEARCH:
        keys = ["object_of_search", "outcome", "outcome_linked_to_object_of_search"]
        counts = _group_count(rows, keys, "searches").rename_columns(
            ["object_of_search", "outcome", "outcome_linked", "searches"]
        )
        _write(counts, staging / "agg", month, force)
    _write(table, staging / "raw", month, force, raw=kind)
    return _FileResult(force, stats, rejected)


def _group_count(table: pa.Table, keys: list[str], name: str) -> pa.Table:
    return (
        table.select(keys)
        .group_by(keys, use_threads=False)
        .aggregate([([], "count_all")])
        .rename_columns([*keys, name])
    )


def _street_counts(rows: pa.Table, force_area: set[str] | None) -> pa.Table:
    """Crimes by local authority (from the LSOA name), crime type, last outcome and whether the
    LSOA lies in the force area (null where the force or the LSOA is not known)."""
    by_lsoa = _group_count(rows, ["lsoa_name", "crime_type", "last_outcome_category"], "crimes")
    lsoa = pc.dictionary_encode(by_lsoa["lsoa_name"]).combine_chunks()
    names = pc.replace_substring_regex(
        pc.utf8_trim_whitespace(lsoa.dictionary), LSOA_SUFFIX.pattern, ""
    )  # on each distinct LSOA name once
    names = pc.if_else(pc.equal(names, ""), pa.scalar(None, pa.string()), names)
    authority = pc.take(names, lsoa.indices)
    if force_area is None:
        inside = pa.nulls(by_lsoa.num_rows, pa.bool_())
    else:
        inside = pc.is_in(authority, value_set=pa.array(sorted(force_area), pa.string()))
        inside = pc.if_else(pc.is_null(authority), pa.scalar(None, pa.bool_()), inside)
    table = pa.table(
        {
            "local_authority": authority,
            "crime_type": by_lsoa["crime_type"],
            "last_outcome": by_lsoa["last_outcome_category"],
            "in_force_area": inside,
            "crimes": by_lsoa["crimes"],
        }
    )
    keys = ["local_authority", "crime_type", "last_outcome", "in_force_area"]
    return (
        table.group_by(keys, use_threads=False)
        .aggregate([("crimes", "sum")])
        .rename_columns([*keys, "crimes"])
    )


def _count_where(table: pa.Table, mask) -> int:
    return int(pc.sum(table.filter(mask)["crimes"]).as_py() or 0)


def _read(source: Input, kind: Kind) -> tuple[pa.Table, list[dict]]:
    """The file's rows as text columns, and the rows set aside, each with its line and reason.

    pyarrow reads the file whole. police.uk values never hold a line break, so if pyarrow refuses
    the file (bytes that are not UTF-8, say) or read fewer lines than the file has (a stray quote
    joins lines into one value, or swallows them), the file is read again line by line, each
    line on its own, so that only the bad lines are set aside and each is named."""
    if isinstance(source, ZipMember):
        with _opened(source) as fh:
            data: bytes | pa.Buffer = fh.read()
    else:  # read by pyarrow, outside the GIL
        data = pa.input_stream(str(source)).read()
    table, rejected = _read_fast(data, kind)
    octets = np.frombuffer(data, dtype=np.uint8)
    lines = int(np.count_nonzero(octets == ord("\n"))) + int(len(octets) and octets[-1] != 10)
    if table is None or lines != 1 + table.num_rows + len(rejected):
        return _read_by_line(memoryview(data).tobytes(), kind)
    return table, rejected


def _read_fast(data: bytes | pa.Buffer, kind: Kind) -> tuple[pa.Table | None, list[dict]]:
    """pyarrow's reader (no Python per row); rows with the wrong number of fields set aside."""
    rejected: list[dict] = []

    def invalid(row) -> str:
        rejected.append({"line": row.number, "reason": _wrong_count(row.actual_columns, kind)})
        return "skip"

    names = list(RAW[kind].values())
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=1, use_threads=False, block_size=1 << 26
            ),
            parse_options=pacsv.ParseOptions(invalid_row_handler=invalid, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None, []
    return table, rejected


def _read_by_line(data: bytes, kind: Kind) -> tuple[pa.Table, list[dict]]:
    """Each line parsed on its own (Python's csv, strict about quotes); a bad line is set aside
    with its number and reason; blank lines are passed over."""
    names = list(RAW[kind].values())
    columns: list[list[str | None]] = [[] for _ in names]
    rejected = []
    for number, raw in enumerate(data.splitlines(), start=1):
        if number == 1 or not raw.strip():  # the header (checked already), or a blank line
            continue
        try:
            fields = next(csv.reader([raw.decode("utf-8")], strict=True))
        except UnicodeDecodeError:
            rejected.append({"line": number, "reason": "bytes that are not UTF-8 text"})
            continue
        except csv.Error as exc:
            rejected.append({"line": number, "reason": f"broken quoting ({exc})"})
            continue
        if len(fields) != len(names):
            rejected.append({"line": number, "reason": _wrong_count(len(fields), kind)})
            continue
        for column, value in zip(columns, fields, strict=True):
            column.append(value or None)
    table = pa.table({n: pa.array(c, pa.string()) for n, c in zip(names, columns, strict=True)})
    return table, rejected


def _wrong_count(found: int, kind: Kind) -> str:
    return f"expected {len(RAW[kind])} fields, found {found}"


def _write(table: pa.Table, layer: Path, month: str, force: str, raw: Kind | None = None) -> None:
    """One partition's file (the Hive layout: month=…/force=…/data_0.parquet). Raw rows keep a
    dictionary, compressed, for the columns whose values repeat, and write identifiers and
    coordinates plain (they neither repeat nor compress); no column statistics, as readers
    choose files by their partition."""
    target = layer / f"month={month}" / f"force={force}"
    target.mkdir(parents=True, exist_ok=True)
    if raw is None:
        pq.write_table(table, target / "data_0.parquet")
        return
    repeat = DICTIONARY[raw]
    pq.write_table(
        table,
        target / "data_0.parquet",
        use_dictionary=repeat,
        compression={n: "snappy" if n in repeat else "none" for n in table.column_names},
        write_statistics=False,
    )


def _month_of(table: pa.Table, kind: Kind) -> pa.ChunkedArray:
    """The month each row says it belongs to."""
    if kind is Kind.STOP_AND_SEARCH:
        return pc.utf8_slice_codeunits(table.column("date"), 0, 7)
    return table.column("month_reported")


def _count(mask) -> int:
    """How many of a boolean column are true (a null is not)."""
    return int(pc.sum(mask).as_py() or 0)


def _stats(table: pa.Table, kind: Kind, month: str) -> dict[str, int]:
    """The file's rows and each quirk's count. Exact copies share their Crime ID, so the rows are
    compared whole only where an ID repeats (and always among rows without one)."""
    column = table.column
    stats = {
        "rows": table.num_rows,
        "right_month": _count(pc.equal(_month_of(table, kind), month)),
    }
    if kind is Kind.STOP_AND_SEARCH:
        stats["no_location"] = _count(
            pc.or_kleene(pc.is_null(column("latitude")), pc.is_null(column("longitude")))
        )
        stats["duplicates_kept_no_id"] = _copies(table)
        return stats
    no_id = pc.is_null(column("crime_id"))
    stats["no_location"] = _count(
        pc.or_kleene(pc.is_null(column("longitude")), pc.equal(column("location"), "No location"))
    )
    with_id = table.num_rows - column("crime_id").null_count
    repeated = with_id - pc.count_distinct(column("crime_id"), mode="only_valid").as_py()
    # a crime can have several outcomes, so a repeated ID alone is no copy: whole rows are compared
    stats["duplicates_removed"] = _copies(table, pc.invert(no_id)) if repeated else 0
    stats["duplicates_kept_no_id"] = _copies(table, no_id, skip=("crime_id",))
    if kind is Kind.OUTCOMES:
        stats["without_crime_id"] = table.num_rows - with_id
        return stats
    asb = pc.equal(column("crime_type"), ASB)
    stats["asb_without_crime_id"] = _count(pc.and_kleene(no_id, asb))
    stats["crimes_without_crime_id"] = _count(pc.and_kleene(no_id, pc.invert(asb)))
    return stats


def _copies(table: pa.Table, mask=None, skip=()) -> int:
    """How many of the rows (those `mask` selects) are exact copies of an earlier one. Columns
    that are the same on every row cannot tell rows apart, nor can those in `skip` (the same on
    every selected row), so they are left out of the comparison."""
    varying = []
    for name in table.column_names:
        col = table.column(name)
        if name in skip or col.null_count == len(col):
            continue
        if col.null_count == 0 and col[0] == col[-1]:  # else it varies: no need to look
            low, high = pc.min_max(col).values()
            if low == high:
                continue
        varying.append(name)
    rows = table.select(varying)
    if mask is not None:
        rows = rows.filter(mask)
    if rows.num_rows < 2:
        return 0
    if not varying:
        return rows.num_rows - 1
    return rows.num_rows - rows.group_by(varying, use_threads=False).aggregate([]).num_rows


def _without_exact_copies(table: pa.Table) -> pa.Table:
    """One of each set of identical rows with a Crime ID (street crimes and outcomes); a row
    without an identifier may be a separate event, so it is kept."""
    no_id = pc.is_null(table.column("crime_id"))
    kept, checked = table.filter(no_id), table.filter(pc.invert(no_id))
    distinct = checked.group_by(checked.column_names, use_threads=False).aggregate([])
    return pa.concat_tables([distinct.select(table.column_names), kept])


def _check_header(path: Input, kind: Kind) -> str | None:
    """Why the file's first line is not police.uk's header for its kind (the rows are checked
    as they are read)."""
    try:
        with _opened(path) as fh:
            first = fh.readline()
    except (OSError, zipfile.BadZipFile, zlib.error) as exc:
        return f"could not be read: {exc}"
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "the header is not UTF-8 text"
    if not text.strip():
        return "the file is empty"
    header = next(csv.reader([text]))
    return header_problem(kind, header)


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
                "file_name": r.name,
                "rows": r.rows,
                "kept": r.kept,
                "quirks": r.quirks,
                "rejected": r.rejected,
                "imported_at": now,
            },
        )
