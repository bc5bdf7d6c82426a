"""Import the data.police.uk archive layout into Parquet.

Each archive file is one force's month of one kind, and is worked on whole by one of two threads
(pyarrow's CSV reader, compute kernels and Parquet writer release the GIL):

- its rows are read as text (pyarrow; a file pyarrow refuses, e.g. one with bytes that are not
  UTF-8, or that has more lines than pyarrow read, e.g. a stray quote joining lines, is read again
  line by line, each line on its own, so that each bad line is set aside alone);
- each quirk is counted, exact copies of a crime removed;
- the raw rows go to `raw/<kind>/month=YYYY-MM/` as Parquet (any engine reads them), one file a
  thread for the month's files, each file's rows one row group with the force as a column;
- the counts go to `agg/<kind>/month=YYYY-MM/`, one file for the month's files, a row group a
  force: street crime by local authority, crime type, last outcome and whether the LSOA lies in
  the force area; stop-and-search by object, outcome and whether the outcome was linked to the
  object;
- a row per file records the rows read and kept, each quirk's count and its rejected lines (the
  first LISTED; all are counted).

Re-importing a month and force replaces that force's rows and counts for the month and nothing
else: the month's folder is made anew beside the old one (the new files, and the other forces'
row groups carried over: a file holding none of the forces imported is linked as it is) and
swapped in whole, the old folder put back if the new one cannot be moved in (`storage`), so an
import is idempotent; a file that gives no rows to keep replaces nothing. Memory is bounded by
the two files being worked on, each at most `POLICE_UK_MAX_FILE_BYTES` (a zip member is read in
chunks and stopped at that size), their rows written as they are done, whatever the archive's
size; only the counts (a few hundred rows a file) are held for the month.

Files refused whole, each with its reason, the rest of the import going on and the data already
imported for the file's force and month left as it was:
- a file whose force id is not a police.uk force (`storage.known_forces`);
- a file (or zip member) larger than `POLICE_UK_MAX_FILE_BYTES`, and a zip member that would expand
  more than `MAX_RATIO` times (no real police.uk file compresses a tenth as well), encrypted or
  compressed by a method other than deflate;
- a file whose header is not police.uk's for its kind, and a file that cannot be read at all (a
  zip member failing its check);
- a second file for a force and month already read in the same import;
- a file with no row to keep (every row malformed, or of another month, or none at all).

Rules for odd rows (all counted, none dropped without a line in the summary):
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
import sys
import tempfile
import threading
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.conf import settings
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


class Refusal(StrEnum):
    """Why a file was refused whole, in the words the summary line counts them by."""

    UNKNOWN_FORCE = "unknown force id"
    TOO_LARGE = "over the size limit"
    OVER_RATIO = "compressed beyond any real file"
    UNREADABLE = "could not be read"
    NOT_POLICE_UK = "not a police.uk file"
    SECOND_FILE = "a second file for a force and month"
    NO_ROWS_KEPT = "no rows kept"


class FileRefused(Exception):
    """A file refused whole: the short `refusal` and the full `reason`."""

    def __init__(self, refusal: Refusal, reason: str):
        super().__init__(reason)
        self.refusal = refusal
        self.reason = reason


class ArchiveUnreadable(ValueError):
    """The path given cannot be read as an archive at all (a zip whose directory is broken)."""


LISTED = 200  # malformed rows listed per file (all are counted); the command lists as many in all
MAX_RATIO = 100  # a real police.uk CSV deflates 3 to 9 times; a zip bomb, hundreds of times
RATIO_FROM = 1 << 20  # the ratio is not checked below 1 MiB, where no bomb can do harm
HEADER_BYTES = 4096  # police.uk's longest header is under 300 bytes
CHUNK = 1 << 24  # a zip member is read 16 MiB at a time, so its size is checked as it grows


@dataclass
class FileReport:
    path: str  # as the summary names it (a zip member as archive.zip:member)
    file: ArchiveFile
    name: str = ""  # the file's own name
    rows: int = 0
    kept: int = 0
    quirks: dict[str, int] = field(default_factory=dict)
    rejected: list[dict] = field(default_factory=list)  # the first LISTED malformed rows
    skipped: int = 0  # malformed rows set aside, all of them
    refused: str = ""  # why the file was refused whole (nothing of it kept, nothing replaced)
    refusal: Refusal | None = None

    def refuse(self, exc: FileRefused) -> None:
        self.refusal, self.refused = exc.refusal, _printable(exc.reason)


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # names that are not archive files

    @property
    def imported(self) -> list[FileReport]:
        return [f for f in self.files if not f.refused]

    @property
    def refused(self) -> list[FileReport]:
        return [f for f in self.files if f.refused]

    @property
    def rows(self) -> int:
        """Rows read from the files imported (a refused file's rows are in its reason)."""
        return sum(f.rows for f in self.imported)

    @property
    def kept(self) -> int:
        return sum(f.kept for f in self.imported)

    @property
    def skipped(self) -> int:
        return sum(f.skipped for f in self.files)

    def problems(self) -> list[str]:
        out = []
        for f in self.files:
            if f.refused:
                out.append(f"{f.path}: refused: {f.refused}")
            if f.skipped > len(f.rejected):
                out.append(
                    f"{f.path}: {f.skipped:,} malformed rows skipped, the first "
                    f"{len(f.rejected)} listed"
                )
            for r in f.rejected:
                out.append(f"{f.path}, line {r['line']}: skipped: {r['reason']}")
        return out

    def summary(self) -> str:
        """What was imported: files, months, forces, rows and each quirk's count."""
        done = self.imported
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
        return text + "."

    def refusals(self) -> str:
        """What was not imported, in one line ("" when everything was): how many files were
        refused and why, and how many malformed rows were skipped."""
        refused = self.refused
        if not refused and not self.skipped:
            return ""
        parts = []
        if refused:
            why = Counter(f.refusal for f in refused)
            parts.append(
                f"{len(refused)} of {len(self.files)} files refused ("
                + ", ".join(f"{n} {r}" for r, n in sorted(why.items(), key=lambda i: (-i[1], i[0])))
                + ")"
            )
        if self.skipped:
            parts.append(f"{self.skipped:,} malformed rows skipped")
        text = " and ".join(parts) + ", each listed above"
        if refused:
            text += "; a refused file replaces nothing: its force and month keep what they had"
        return text + "."


@dataclass(frozen=True, order=True)
class ZipMember:
    """A file inside a zip archive, read straight from the archive (never extracted whole)."""

    archive: Path
    member: str
    index: int  # its place in the zip: a name may be there twice
    info: zipfile.ZipInfo = field(compare=False, repr=False)
    zip: zipfile.ZipFile = field(compare=False, repr=False)

    @property
    def name(self) -> str:
        return Path(self.member).name

    def __str__(self) -> str:
        return f"{self.archive.name}:{self.member}"


Input = Path | ZipMember


@contextmanager
def _opened(source: Input) -> Iterator[IO[bytes]]:
    if isinstance(source, ZipMember):
        with source.zip.open(source.info) as fh:  # zipfile serialises reads across threads
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
    if path.is_file() and parse_file_name(path.name) is None and zipfile.is_zipfile(path):
        try:
            z = archives.enter_context(zipfile.ZipFile(path))
        except (*UNREADABLE, ValueError) as exc:
            raise ArchiveUnreadable(f"{path}: not a readable zip: {exc}") from None
        for index, info in enumerate(z.infolist()):
            if info.is_dir():
                continue
            parsed = parse_file_name(Path(info.filename).name)
            if parsed is None:
                ignored.append(_printable(info.filename))
                continue
            found.append((ZipMember(path, info.filename, index, info, z), parsed))
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
    a month is swapped in and recorded as soon as its last file is done. A refused file replaces
    nothing; the report says which were refused and why. Raises FileNotFoundError or
    ArchiveUnreadable when `path` cannot be read at all."""
    report = ImportReport()
    root = storage.root()
    root.mkdir(parents=True, exist_ok=True)
    known = storage.known_forces()
    with (
        tempfile.TemporaryDirectory(dir=root) as tmp,
        ExitStack() as archives,
        _quiet_undecodable_rows(),
    ):
        files, report.ignored = find_files(Path(path), archives)
        _migrate(Path(tmp))
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
                _start_batch(pool, kind, month, batch, Path(tmp), areas, known)
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
    # figures (cached until the audit trail moves) show the new ones; all refused, nothing changed
    if report.imported:
        summary = " ".join(filter(None, [report.summary(), report.refusals()]))
        record(
            "opendata_import",
            by=by,
            summary=f"police.uk data from {Path(path).name}: {summary}",
            after={"files": len(report.imported), "rows": report.rows, "kept": report.kept},
        )
    return report


def migrate_store() -> int:
    """Bring a store written by earlier versions to the current layout (`_migrate`); returns how
    many kind-months were moved. Run by the data migration `0002_store_layout` and, for a store
    put back from an old copy, at the start of every import."""
    if not storage.legacy_months():
        return 0
    with tempfile.TemporaryDirectory(dir=storage.root()) as tmp:
        return _migrate(Path(tmp))


def _migrate(tmp: Path) -> int:
    """Bring every month still in the store's old layout (a folder a force) to the current one (a
    few files a month, the force a column), each month swapped in whole like an import's."""
    months = storage.legacy_months()
    for kind, month in months:
        staging = tmp / f"migrate-{kind}-{month}"
        for layer in storage.LAYERS:
            opener = _raw_writer(kind) if layer == "raw" else _counts_writer
            storage.stage_month(layer, kind, month, staging / layer, set(), opener)
        storage.swap_in(staging, kind, month)
    return len(months)


@contextmanager
def _quiet_undecodable_rows() -> Iterator[None]:
    """pyarrow cannot hand a malformed row whose bytes are not UTF-8 to the row handler: it prints
    "Exception ignored …" and refuses the file, which is then read line by line and the row
    listed with its line. The message would only alarm, so it is dropped; nothing else is."""
    previous = sys.unraisablehook

    def hook(unraisable) -> None:
        ours = getattr(unraisable.object, "__qualname__", "") == "_read_fast.<locals>.invalid"
        if not (ours and isinstance(unraisable.exc_value, UnicodeDecodeError)):
            previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous


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
TEXT_CODES = pa.dictionary(pa.int32(), pa.string())  # how the import reads those columns


@dataclass
class _FileResult:
    force: str
    stats: dict[str, int]
    rejected: list[dict]
    skipped: int = 0  # malformed rows, all of them (`rejected` lists the first LISTED)
    refused: FileRefused | None = None
    counts: pa.Table | None = None  # the file's counts (street, stop and search), force added


@dataclass
class _Batch:
    """One month of one kind: its files' reports and the work submitted for those not refused.
    Its files' raw rows go into one Parquet file a thread (each file a row group), written as the
    threads go; the counts, a few hundred rows a file, are kept and written in one file at the
    end (`finish`)."""

    kind: Kind
    month: str
    staging: Path
    reports: dict[Input, FileReport]
    work: dict[Input, Future]  # the file → its _FileResult
    writers: dict[int, pq.ParquetWriter] = field(default_factory=dict)  # a thread's raw file
    lock: threading.Lock = field(default_factory=threading.Lock)

    def write_raw(self, table: pa.Table) -> None:
        """Add one force's rows, as one row group, to the calling thread's raw file."""
        writer = self.writers.get(threading.get_ident())
        if writer is None:
            folder = self.staging / "raw"
            with self.lock:
                folder.mkdir(parents=True, exist_ok=True)
            writer = _raw_writer(self.kind)(folder / storage.part_name(), table.schema)
            self.writers[threading.get_ident()] = writer
        elif table.schema != writer.schema:
            table = table.cast(writer.schema)
        writer.write_table(table, row_group_size=max(table.num_rows, 1))

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()
        self.writers.clear()

    def finish(self) -> list[FileReport]:
        try:
            results = {source: future.result() for source, future in self.work.items()}
        finally:
            self.close()
        counts = []
        for source, result in results.items():
            r = self.reports[source]
            r.rejected, r.skipped = result.rejected, result.skipped
            values = dict(result.stats)
            read = values.pop("rows", 0)
            r.rows = read + result.skipped
            if result.refused:
                r.refuse(result.refused)
                continue
            # kept: the rows counted (their month, copies removed); every other row read is a
            # copy removed or a row of another month, so read = kept + removed + other month
            r.kept = values.pop("right_month")
            values["wrong_month_skipped"] = read - r.kept - values.get("duplicates_removed", 0)
            r.quirks = values
            if result.skipped:
                r.quirks["malformed_rows_skipped"] = result.skipped
            if result.counts is not None:
                counts.append((result.force, result.counts))
        forces = {self.reports[p].file.force for p in self.work if not self.reports[p].refused}
        if forces:
            if counts:
                _write_counts([c for _, c in sorted(counts, key=lambda fc: fc[0])], self.staging)
            for layer in storage.LAYERS:
                opener = _raw_writer(self.kind) if layer == "raw" else _counts_writer
                storage.stage_month(
                    layer, self.kind, self.month, self.staging / layer, forces, opener
                )
            storage.swap_in(self.staging, self.kind, self.month)
        return list(self.reports.values())


def _start_batch(
    pool: ThreadPoolExecutor,
    kind: Kind,
    month: str,
    batch: list[tuple[Input, ArchiveFile]],
    tmp: Path,
    areas: dict[str, set[str]],
    known: set[str],
) -> _Batch:
    """Check each file's force, size and header and submit the good ones: each file is one
    force's month, read, checked, counted and written by one thread."""
    staging = tmp / f"{kind}-{month}"
    started = _Batch(kind, month, staging, {p: FileReport(str(p), f, p.name) for p, f in batch}, {})
    first: dict[str, str] = {}
    for p, f in sorted(batch, key=lambda pair: pair[0]):
        try:
            if f.force not in known:
                raise FileRefused(
                    Refusal.UNKNOWN_FORCE,
                    f'"{f.force}" is not a police.uk force id (police.uk\'s are listed in '
                    "opendata/data/forces.csv; a force the office names in its own force areas, "
                    "populations or regions table is accepted too)",
                )
            _check_size(p)
            _check_header(p, kind)
            if f.force in first:
                raise FileRefused(
                    Refusal.SECOND_FILE,
                    f"another file for {f.force} in {month} was read first: {first[f.force]}",
                )
        except FileRefused as exc:
            started.reports[p].refuse(exc)
            continue
        first[f.force] = str(p)
        started.work[p] = pool.submit(_import_file, p, f.force, kind, month, started, areas)
    return started


def _force_areas() -> dict[str, set[str]]:
    """{force: its local authorities} from force_areas.csv."""
    out: dict[str, set[str]] = defaultdict(set)
    with open(storage.force_areas_file(), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["force"]].add(row["local_authority"])
    return dict(out)


def _import_file(
    source: Input, force: str, kind: Kind, month: str, batch: _Batch, areas: dict[str, set[str]]
) -> _FileResult:
    """Read, check, count and write one file's rows into the batch's raw file (its counts are
    returned); a refused file writes nothing."""
    try:
        table, rejected, skipped = _read(source, kind, dictionary=True)
    except FileRefused as exc:  # the file, not the import, is bad
        return _FileResult(force, {}, [], refused=exc)
    stats = _stats(table, kind, month)
    if stats.get("duplicates_removed"):
        before = table.num_rows
        table = _without_exact_copies(table)
        stats["duplicates_removed"] = before - table.num_rows
        stats["right_month"] = _count(_equal(_month_of(table, kind), month))
    if not stats["right_month"]:  # replacing the force-month with nothing would lose it
        why = _nothing_kept(stats["rows"], skipped, month)
        refused = FileRefused(
            Refusal.NO_ROWS_KEPT,
            f"no rows to keep ({why}), so the {kind} data already imported for {force} in "
            f"{month}, if any, is left as it was",
        )
        return _FileResult(force, {"rows": stats["rows"]}, rejected, skipped, refused)
    rows = table
    if stats["right_month"] < table.num_rows:
        rows = table.filter(_equal(_month_of(table, kind), month))
    counts = None
    if kind is Kind.STREET:
        counts = _street_counts(rows, areas.get(force))
        stats["outside_force_area"] = _count_where(counts, pc.equal(counts["in_force_area"], False))
    elif kind is Kind.STOP_AND_SEARCH:
        keys = ["object_of_search", "outcome", "outcome_linked_to_object_of_search"]
        counts = _group_count(rows, keys, "searches").rename_columns(
            ["object_of_search", "outcome", "outcome_linked", "searches"]
        )
    if counts is not None:
        counts = counts.append_column(storage.FORCE, pa.array([force] * len(counts), pa.string()))
    batch.write_raw(table.append_column(storage.FORCE, _constant(force, table.num_rows)))
    return _FileResult(force, stats, rejected, skipped, counts=counts)


def _constant(value: str, n: int) -> pa.DictionaryArray:
    """A column of `n` copies of `value`, dictionary-encoded like the other repeating columns."""
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), pa.array([value]))


def _nothing_kept(read: int, skipped: int, month: str) -> str:
    if not read and not skipped:
        return "the file has a header and no rows"
    if not read:
        return f"all {skipped:,} rows are malformed"
    text = f"none of its {read:,} rows read is for {month}"
    return text + (f", and {skipped:,} rows are malformed" if skipped else "")


def _group_count(table: pa.Table, keys: list[str], name: str, decode: bool = True) -> pa.Table:
    """Rows by `keys`, counted in `name`. Dictionary-encoded keys are grouped by their codes and,
    with `decode`, the (few) counted rows given back as plain text."""
    counts = (
        table.select(keys)
        .group_by(keys, use_threads=False)
        .aggregate([([], "count_all")])
        .rename_columns([*keys, name])
    )
    if not decode:
        return counts
    return counts.cast(
        pa.schema(
            [
                f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f
                for f in counts.schema
            ]
        )
    )


def _street_counts(rows: pa.Table, force_area: set[str] | None) -> pa.Table:
    """Crimes by local authority (from the LSOA name), crime type, last outcome and whether the
    LSOA lies in the force area (null where the force or the LSOA is not known). The local
    authority is worked out once for each distinct LSOA name and spread to the rows by their
    codes, so the rows are grouped once, by three columns of codes."""
    lsoa = rows["lsoa_name"]
    if not pa.types.is_dictionary(lsoa.type):
        lsoa = pc.dictionary_encode(lsoa)
    lsoa = lsoa.combine_chunks()  # one dictionary (`_read`)
    names = pc.replace_substring_regex(
        pc.utf8_trim_whitespace(lsoa.dictionary), LSOA_SUFFIX.pattern, ""
    )
    names = pc.dictionary_encode(
        pc.if_else(pc.equal(names, ""), pa.scalar(None, pa.string()), names)
    )
    authority = pa.DictionaryArray.from_arrays(
        pc.take(names.indices, lsoa.indices), names.dictionary
    )
    keys = ["local_authority", "crime_type", "last_outcome"]
    counts = _group_count(
        pa.table([authority, rows["crime_type"], rows["last_outcome_category"]], names=keys),
        keys,
        "crimes",
    )
    authority = counts["local_authority"]
    if force_area is None:
        inside = pa.nulls(counts.num_rows, pa.bool_())
    else:
        inside = pc.is_in(authority, value_set=pa.array(sorted(force_area), pa.string()))
        inside = pc.if_else(pc.is_null(authority), pa.scalar(None, pa.bool_()), inside)
    return counts.add_column(3, "in_force_area", inside)


def _count_where(table: pa.Table, mask) -> int:
    return int(pc.sum(table.filter(mask)["crimes"]).as_py() or 0)


def _read(source: Input, kind: Kind, dictionary: bool = False) -> tuple[pa.Table, list[dict], int]:
    """The file's rows as text columns, the first LISTED rows set aside (each with its line and
    reason) and how many were set aside in all. Raises FileRefused for a file that cannot be
    read or is over the size limit. With `dictionary`, the columns whose values repeat
    (`DICTIONARY`) come dictionary-encoded, one dictionary for the file: each value is hashed once,
    as it is parsed, and the counts, the comparisons and the Parquet writer work on small integers
    from then on (the benchmark's read floor reads plain text, `dictionary` off).

    pyarrow reads the file whole. police.uk values never hold a line break, so if pyarrow refuses
    the file (bytes that are not UTF-8, say) or read fewer lines than the file has (a stray quote
    joins lines into one value, or swallows them), the file is read again line by line, each
    line on its own, so that only the bad lines are set aside and each is named."""
    data = _contents(source)
    table, rejected, skipped = _read_fast(data, kind, dictionary)
    octets = np.frombuffer(data, dtype=np.uint8)
    lines = int(np.count_nonzero(octets == ord("\n"))) + int(len(octets) and octets[-1] != 10)
    if table is None or lines != 1 + table.num_rows + skipped:
        table, rejected, skipped = _read_by_line(
            data if isinstance(data, bytes) else data.to_pybytes(), kind
        )
        if dictionary:
            table = pa.table(
                {
                    n: pc.dictionary_encode(c) if n in DICTIONARY[kind] else c
                    for n, c in zip(table.column_names, table.columns, strict=True)
                }
            )
    # one dictionary a column for the whole file (a file over a read block has one per block)
    return (table.unify_dictionaries() if dictionary else table), rejected, skipped


def _contents(source: Input) -> bytes | pa.Buffer:
    """The file's bytes, never more than the size limit: a zip member is decompressed a chunk at
    a time and stopped as soon as it passes the limit, whatever its header claims."""
    limit = settings.POLICE_UK_MAX_FILE_BYTES
    try:
        if isinstance(source, ZipMember):
            chunks, size = [], 0
            with _opened(source) as fh:
                while chunk := fh.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise FileRefused(
                            Refusal.TOO_LARGE,
                            f"more than {limit:,} bytes once decompressed, over the limit a "
                            f"police.uk file may have ({LIMIT_SETTING})",
                        )
                    chunks.append(chunk)
            return b"".join(chunks)
        with pa.OSFile(str(source)) as fh:  # read by pyarrow, outside the GIL
            if fh.size() > limit:
                raise FileRefused(Refusal.TOO_LARGE, _too_large(fh.size(), limit))
            return fh.read()
    except UNREADABLE as exc:
        raise FileRefused(Refusal.UNREADABLE, f"could not be read: {exc}") from None


# What reading a file, or a zip member that fails its check, may raise.
UNREADABLE = (
    OSError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,  # zipfile: a compression or encryption it does not support
    RuntimeError,  # zipfile: an encrypted member
)


LIMIT_SETTING = "OVERSIGHT_POLICE_UK_MAX_FILE_BYTES"


def _too_large(size: int, limit: int) -> str:
    return (
        f"{size:,} bytes, over the limit of {limit:,} bytes a police.uk file may have "
        f"({LIMIT_SETTING})"
    )


def _check_size(source: Input) -> None:
    """Refuse, before reading a byte, a file over the size limit, and a zip member that says it
    is, or would expand beyond any real police.uk file, or is packed in a way not read here."""
    limit = settings.POLICE_UK_MAX_FILE_BYTES
    if not isinstance(source, ZipMember):
        try:
            size = source.stat().st_size
        except OSError as exc:
            raise FileRefused(Refusal.UNREADABLE, f"could not be read: {exc}") from None
        if size > limit:
            raise FileRefused(Refusal.TOO_LARGE, _too_large(size, limit))
        return
    info = source.info
    if info.flag_bits & 0x1:
        raise FileRefused(Refusal.UNREADABLE, "could not be read: the zip member is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise FileRefused(
            Refusal.UNREADABLE,
            f"could not be read: compressed by zip method {info.compress_type} "
            "(police.uk archives use deflate, method 8)",
        )
    if info.file_size > limit:
        raise FileRefused(Refusal.TOO_LARGE, _too_large(info.file_size, limit))
    if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise FileRefused(
            Refusal.OVER_RATIO,
            f"{info.compress_size:,} bytes that would expand to {info.file_size:,}, more than "
            f"{MAX_RATIO} times (a real police.uk file expands under 10 times): refused as a "
            "possible zip bomb",
        )


def _read_fast(
    data: bytes | pa.Buffer, kind: Kind, dictionary: bool = False
) -> tuple[pa.Table | None, list[dict], int]:
    """pyarrow's reader (no Python per row); rows with the wrong number of fields set aside."""
    rejected: list[dict] = []
    skipped = 0

    def invalid(row) -> str:
        nonlocal skipped
        skipped += 1
        if skipped <= LISTED:
            rejected.append({"line": row.number, "reason": _wrong_count(row.actual_columns, kind)})
        return "skip"

    names = list(RAW[kind].values())
    repeat = DICTIONARY[kind] if dictionary else []
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=1, use_threads=False, block_size=1 << 26
            ),
            parse_options=pacsv.ParseOptions(invalid_row_handler=invalid, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: TEXT_CODES if n in repeat else pa.string() for n in names},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None, [], 0
    return table, rejected, skipped


def _read_by_line(data: bytes, kind: Kind) -> tuple[pa.Table, list[dict], int]:
    """Each line parsed on its own (Python's csv, strict about quotes); a bad line is set aside
    with its number and reason; blank lines are passed over. The rows become Arrow columns a
    block at a time, so memory stays near the file's size."""
    names = list(RAW[kind].values())
    columns: list[list[str | None]] = [[] for _ in names]
    blocks: list[pa.Table] = []
    rejected: list[dict] = []
    skipped = 0
    for number, raw in enumerate(data.splitlines(), start=1):
        if number == 1 or not raw.strip():  # the header (checked already), or a blank line
            continue
        try:
            fields = next(csv.reader([raw.decode("utf-8")], strict=True))
            reason = "" if len(fields) == len(names) else _wrong_count(len(fields), kind)
        except UnicodeDecodeError:
            reason = "bytes that are not UTF-8 text"
        except csv.Error as exc:
            reason = f"broken quoting ({exc})"
        if reason:
            skipped += 1
            if skipped <= LISTED:
                rejected.append({"line": number, "reason": reason})
            continue
        for column, value in zip(columns, fields, strict=True):
            column.append(value or None)
        if len(columns[0]) == 1 << 16:
            blocks.append(_block(names, columns))
            columns = [[] for _ in names]
    blocks.append(_block(names, columns))
    return pa.concat_tables(blocks), rejected, skipped


def _block(names: list[str], columns: list[list[str | None]]) -> pa.Table:
    return pa.table({n: pa.array(c, pa.string()) for n, c in zip(names, columns, strict=True)})


def _printable(text: str, limit: int = 300) -> str:
    """Text from a file, safe to print: control characters escaped, cut at `limit` characters."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrong_count(found: int, kind: Kind) -> str:
    return f"expected {len(RAW[kind])} fields, found {found}"


def _raw_writer(kind: Kind) -> storage.Opener:
    """A raw file's writer: each force's rows one row group, written as the import goes. The
    columns whose values repeat keep a dictionary, compressed; identifiers and coordinates are
    written plain (they neither repeat nor compress). Statistics only for `force`, which readers
    choose row groups by. The repeating columns come dictionary-encoded (`_read`), so the writer
    takes each column's dictionary and codes as they are instead of hashing every value again;
    no Arrow schema is stored, so every reader sees those columns as plain text, as the Parquet
    types say."""
    repeat = [*DICTIONARY[kind], storage.FORCE]

    def open_writer(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
        return pq.ParquetWriter(
            str(path),
            schema,
            use_dictionary=repeat,
            compression={n: "snappy" if n in repeat else "none" for n in schema.names},
            write_statistics=[storage.FORCE],
            store_schema=False,
        )

    return open_writer


def _counts_writer(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
    return pq.ParquetWriter(str(path), schema)


def _write_counts(tables: list[pa.Table], staging: Path) -> None:
    """The month's counts, in one file, a row group a force."""
    folder = staging / "agg"
    folder.mkdir(parents=True, exist_ok=True)
    writer = _counts_writer(folder / storage.part_name(), tables[0].schema)
    try:
        for table in tables:
            writer.write_table(table, row_group_size=max(table.num_rows, 1))
    finally:
        writer.close()


def _equal(column: pa.ChunkedArray, value: str) -> pa.ChunkedArray:
    """Which values equal `value` (null where the value is null). A dictionary column is compared
    on its dictionary, each distinct value once, and the answers spread to the rows."""
    if not pa.types.is_dictionary(column.type):
        return pc.equal(column, value)
    return pa.chunked_array(
        [pc.take(pc.equal(c.dictionary, value), c.indices) for c in column.chunks], pa.bool_()
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
        "right_month": _count(_equal(_month_of(table, kind), month)),
    }
    if kind is Kind.STOP_AND_SEARCH:
        stats["no_location"] = _count(
            pc.or_kleene(pc.is_null(column("latitude")), pc.is_null(column("longitude")))
        )
        stats["duplicates_kept_no_id"] = _copies(table)
        return stats
    no_id = pc.is_null(column("crime_id"))
    stats["no_location"] = _count(
        pc.or_kleene(pc.is_null(column("longitude")), _equal(column("location"), "No location"))
    )
    with_id = table.num_rows - column("crime_id").null_count
    # (the distinct values, one of them null where there are rows without an ID: `unique` is
    # about twice as quick as `count_distinct` here)
    distinct = len(pc.unique(column("crime_id"))) - (with_id < table.num_rows)
    repeated = with_id - distinct
    # a crime can have several outcomes, so a repeated ID alone is no copy: whole rows are compared
    stats["duplicates_removed"] = _copies(table, pc.invert(no_id)) if repeated else 0
    stats["duplicates_kept_no_id"] = _copies(table, no_id, skip=("crime_id",))
    if kind is Kind.OUTCOMES:
        stats["without_crime_id"] = table.num_rows - with_id
        return stats
    asb = _equal(column("crime_type"), ASB)
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
        if pa.types.is_dictionary(col.type):  # one dictionary (`_read`): it holds what occurs
            if col.null_count == 0 and all(len(c.dictionary) == 1 for c in col.chunks):
                continue
        elif col.null_count == 0 and col[0] == col[-1]:  # else it varies: no need to look
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
    return pa.concat_tables([distinct.select(table.column_names), kept]).unify_dictionaries()


def _check_header(path: Input, kind: Kind) -> None:
    """Refuse the file if its first line is not police.uk's header for its kind (the rows are
    checked as they are read). Only the first HEADER_BYTES are read."""
    try:
        with _opened(path) as fh:
            first = fh.readline(HEADER_BYTES)
    except UNREADABLE as exc:
        raise FileRefused(Refusal.UNREADABLE, f"could not be read: {exc}") from None
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(Refusal.NOT_POLICE_UK, "the header is not UTF-8 text") from None
    if not text.strip():
        raise FileRefused(Refusal.NOT_POLICE_UK, "the file is empty")
    try:
        problem = header_problem(kind, next(csv.reader([text.rstrip("\r\n")])))
    except csv.Error as exc:
        problem = f"not a police.uk {kind} file: the header cannot be read ({exc})"
    if problem:
        raise FileRefused(Refusal.NOT_POLICE_UK, problem)


@transaction.atomic
def _record(reports: Iterable[FileReport]) -> None:
    """A row per file imported, replacing the row of an earlier import of the same file (its force,
    month and kind): one statement for the month's files, not a query or two per file, as this
    runs beside the two threads working on the next files and would hold them up."""
    now = timezone.now()
    fields = ["file_name", "rows", "kept", "quirks", "rejected", "imported_at"]
    ImportedFile.objects.bulk_create(
        [
            ImportedFile(
                month=r.file.month,
                force=r.file.force,
                kind=r.file.kind.value,
                file_name=r.name,
                rows=r.rows,
                kept=r.kept,
                quirks=r.quirks,
                rejected=r.rejected,
                imported_at=now,
            )
            for r in reports
            if not r.refused
        ],
        update_conflicts=True,
        unique_fields=["month", "force", "kind"],
        update_fields=fields,
    )
