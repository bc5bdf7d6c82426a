"""Where police.uk data lives on disk, and the DuckDB connection that reads it.

    <OPENDATA_DIR>/raw/street/month=2019-01/part-<id>.parquet   the rows
    <OPENDATA_DIR>/agg/street/month=2019-01/part-<id>.parquet   the counts

A month is a Hive-style partition (DuckDB, Spark, Polars, pandas/pyarrow and Trino all read it as
it is) holding a few Parquet files for every force imported: the force is a column, `force`, and
each row group of a file holds exactly one force's rows, so a reader asking for one force skips
the others' row groups by their statistics, and the import can replace one force's month by
copying the other forces' row groups as they are. An import writes one raw file a thread and one
counts file for each month, not one a force: writing a file costs about as much again as the few
hundred rows of counts it holds.

Stores written before (a folder a force: `month=2019-01/force=west-mercia/data_0.parquet`) are
moved to this layout, month by month, by the data migration `0002_store_layout` and at the start
of every import (`importers.migrate_store`)."""

from __future__ import annotations

import csv
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from oversight.lib.policeuk import Kind

if TYPE_CHECKING:
    import duckdb  # imported in connect(): every command and server start would load it
    import pyarrow as pa
    import pyarrow.parquet as pq

    Opener = Callable[[Path, pa.Schema], pq.ParquetWriter]  # a new file of a layer, for a schema

SHIPPED = Path(__file__).parent / "data"
LAYERS = ("raw", "agg")
FORCE = "force"  # the column naming each row's force
LEGACY = "force="  # the folder a force had in the old layout


def root() -> Path:
    return Path(settings.OPENDATA_DIR)


def force_areas_file() -> Path:
    return Path(settings.OPENDATA_FORCE_AREAS or SHIPPED / "force_areas.csv")


def populations_file() -> Path:
    return Path(settings.OPENDATA_POPULATIONS or SHIPPED / "populations.csv")


def regions_file() -> Path:
    return Path(settings.OPENDATA_FORCE_REGIONS or SHIPPED / "force_regions.csv")


def known_forces() -> set[str]:
    """Every police.uk force id the product accepts: the 45 that police.uk publishes (the shipped
    forces.csv: 43 territorial forces, British Transport Police and Northern Ireland) and any
    other force the office names in its own force areas, populations or regions table."""
    out: set[str] = set()
    for path in (SHIPPED / "forces.csv", force_areas_file(), populations_file(), regions_file()):
        with open(path, encoding="utf-8", newline="") as fh:
            out.update((row.get("force") or "").strip() for row in csv.DictReader(fh))
    return out - {""}


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with bounded memory; data stays in the Parquet files."""
    import duckdb

    con = duckdb.connect(config={"memory_limit": "1GB", "threads": 2})
    tmp = root() / "duckdb-tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    con.execute(f"SET temp_directory = '{tmp}'")
    con.execute("SET preserve_insertion_order = false")
    return con


def month_folder(layer: str, kind: Kind | str, month: str) -> Path:
    return root() / layer / str(kind) / f"month={month}"


def part_name() -> str:
    """A new file's name, unique in its month (files written at different times sit together)."""
    return f"part-{uuid.uuid4().hex[:16]}.parquet"


def files(
    layer: str, kind: Kind | str, months: list[str], forces: list[str] | None = None
) -> list[str]:
    """The Parquet files of those months that exist. Each holds every force imported with it, so
    a query for some forces filters on the `force` column (`forces` is accepted for the callers
    that name them, and does not narrow the list)."""
    out: list[str] = []
    for month in months:
        base = month_folder(layer, kind, month)
        if base.exists():
            out.extend(str(p) for p in sorted(base.glob("*.parquet")))
    return out


def forces_in(path: Path) -> list[str]:
    """The force of each row group of a file (from the row group's statistics)."""
    import pyarrow.parquet as pq

    meta = pq.read_metadata(path)
    column = meta.schema.names.index(FORCE)
    out = []
    for i in range(meta.num_row_groups):
        stats = meta.row_group(i).column(column).statistics
        if stats is None or not stats.has_min_max or stats.min != stats.max:
            raise ValueError(f"{path}: row group {i} does not hold one force")
        out.append(stats.min if isinstance(stats.min, str) else stats.min.decode())
    return out


def stage_month(
    layer: str,
    kind: Kind,
    month: str,
    staged: Path,
    replaced: set[str],
    open_writer: Opener,
) -> None:
    """Complete `staged` (a folder holding the month's new files, if any) with the month's
    other forces: every force in the store for the month but not in `replaced` is carried over
    unchanged. A file holding none of `replaced` is linked as it is; a file holding some has its
    other forces' row groups copied into a new file; a folder of the old layout is read and
    written anew, its force as a column. Each force's rows stay one row group."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    live = month_folder(layer, kind, month)
    staged.mkdir(parents=True, exist_ok=True)
    if not live.exists():
        return
    writer: pq.ParquetWriter | None = None

    def write(table: pa.Table) -> None:
        nonlocal writer
        if writer is None:
            writer = open_writer(staged / part_name(), table.schema)
        elif table.schema != writer.schema:  # an old-layout table beside a copied one
            table = table.select(writer.schema.names).cast(writer.schema)
        writer.write_table(table, row_group_size=max(table.num_rows, 1))

    try:
        for entry in sorted(live.iterdir()):
            if entry.is_dir() and entry.name.startswith(LEGACY):
                force = entry.name[len(LEGACY) :]
                if force in replaced:
                    continue
                for path in sorted(entry.glob("*.parquet")):
                    table = pq.read_table(path, partitioning=None)
                    write(table.append_column(FORCE, pa.array([force] * len(table), pa.string())))
            elif entry.suffix == ".parquet":
                held = forces_in(entry)
                keep = [i for i, force in enumerate(held) if force not in replaced]
                if len(keep) == len(held):
                    _link(entry, staged / entry.name)
                else:
                    source = pq.ParquetFile(entry)
                    for i in keep:
                        write(source.read_row_group(i))
    finally:
        if writer is not None:
            writer.close()


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


def swap_in(staging: Path, kind: Kind, month: str) -> None:
    """Replace the month's folder of each layer with the staged one (`staging/<layer>`, complete:
    `stage_month`). The old folder is moved aside, and put back if the new one cannot be moved
    in, so a failure cannot leave the month with neither."""
    for layer in LAYERS:
        target = month_folder(layer, kind, month)
        fresh = staging / layer
        old = staging / "replaced" / layer
        empty = not fresh.exists() or not any(fresh.iterdir())  # e.g. outcomes have no counts
        if empty and not target.exists():
            continue
        fresh.mkdir(parents=True, exist_ok=True)
        if target.exists():
            old.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(target), str(old))
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.move(str(fresh), str(target))
        except OSError:
            if old.exists():  # put the old folder back before giving up
                shutil.move(str(old), str(target))
            raise
        if old.exists():
            shutil.rmtree(old)
        if empty:
            target.rmdir()


def legacy_months() -> list[tuple[Kind, str]]:
    """(kind, month) of every month still in the old layout (a folder a force), in either layer."""
    out = set()
    for layer in LAYERS:
        for kind in Kind:
            base = root() / layer / str(kind)
            if not base.exists():
                continue
            for month in base.glob("month=*"):
                if any(p.is_dir() and p.name.startswith(LEGACY) for p in month.iterdir()):
                    out.add((kind, month.name[len("month=") :]))
    return sorted(out)
