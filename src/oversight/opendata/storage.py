"""Where police.uk data lives on disk, and the DuckDB connection that reads it.

    <OPENDATA_DIR>/raw/street/month=2019-01/force=west-mercia/data_0.parquet   the rows
    <OPENDATA_DIR>/agg/street/month=2019-01/force=west-mercia/data_0.parquet   the counts

Hive-style partitions: DuckDB, Spark, Polars, pandas/pyarrow and Trino all read them as they are.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from oversight.lib.policeuk import Kind

if TYPE_CHECKING:
    import duckdb  # imported in connect(): every command and server start would load it

SHIPPED = Path(__file__).parent / "data"


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


def partition(layer: str, kind: Kind | str, month: str, force: str) -> Path:
    return root() / layer / str(kind) / f"month={month}" / f"force={force}"


def swap_in(staging: Path, kind: Kind, month: str, forces: list[str]) -> None:
    """Replace each force's partitions for the month with the freshly written ones. The old
    partition is moved aside, and put back if the new one cannot be moved in, so a failure cannot
    leave the force-month with neither."""
    for layer in ("raw", "agg"):
        for force in forces:
            target = partition(layer, kind, month, force)
            fresh = staging / layer / f"month={month}" / f"force={force}"
            old = staging / "replaced" / layer / f"month={month}" / f"force={force}"
            if target.exists():
                old.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(target), str(old))
            if fresh.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    shutil.move(str(fresh), str(target))
                except OSError:
                    if old.exists():  # put the old partition back before giving up
                        shutil.move(str(old), str(target))
                    raise
            if old.exists():
                shutil.rmtree(old)


def files(layer: str, kind: Kind | str, months: list[str], forces: list[str] | None) -> list[str]:
    """The Parquet files of those months (and forces, or every force) that exist."""
    out: list[str] = []
    for month in months:
        base = root() / layer / str(kind) / f"month={month}"
        if not base.exists():
            continue
        dirs = [base / f"force={f}" for f in forces] if forces else sorted(base.iterdir())
        for d in dirs:
            out.extend(str(p) for p in sorted(d.glob("*.parquet")))
    return out
