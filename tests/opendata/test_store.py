"""The Parquet store's layout: a few files a month holding every force, a row group a force.
Re-importing one force's month replaces that force-month and nothing else, a failed swap leaves
the month as it was, and a store in the old layout (a folder a force) is moved to the new one by
`oversight migrate` or the next import with nothing lost."""

import hashlib
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from conftest import shared_path


@pytest.fixture(autouse=True)
def opendata_dir(settings, tmp_path):
    settings.OPENDATA_DIR = tmp_path / "opendata"
    return settings.OPENDATA_DIR


@pytest.fixture
def street():
    return shared_path("police_uk", "street_geoinformation_in_society")


def archive(tmp_path, street, name: str, files: list[str]):
    """A folder holding those real files (one folder per month, as police.uk lays them out)."""
    for f in files:
        month = tmp_path / name / f[:7]
        month.mkdir(parents=True, exist_ok=True)
        shutil.copy(street / f, month)
    return tmp_path / name


def import_(path) -> None:
    call_command("opendata", "import", str(path), "--quiet", stdout=StringIO())


def raw_rows(month: str) -> dict[str, int]:
    """{force: raw street rows stored for the month}, read straight from the Parquet."""
    import duckdb

    from oversight.opendata import storage

    paths = storage.files("raw", "street", [month])
    if not paths:
        return {}
    sql = "SELECT force, count(*) FROM read_parquet(?) GROUP BY force"
    return dict(duckdb.execute(sql, [paths]).fetchall())


def digests(month: str) -> dict[str, str]:
    from oversight.opendata import storage

    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for layer in storage.LAYERS
        for p in storage.month_folder(layer, "street", month).glob("*.parquet")
    }


def without_one_burglary(path) -> None:
    rows = path.read_text().splitlines(keepends=True)
    burglary = next(i for i, r in enumerate(rows) if ",Burglary," in r)
    path.write_text("".join(rows[:burglary] + rows[burglary + 1 :]))


def test_reimporting_one_force_replaces_its_month_and_keeps_the_other_forces(db, tmp_path, street):
    from oversight.opendata import storage
    from oversight.opendata.queries import counts_by_type

    names = [f"2019-0{m}-{f}-street.csv" for m in (1, 2) for f in ("west-mercia", "warwickshire")]
    import_(archive(tmp_path, street, "all", names))
    assert raw_rows("2019-01") == {"west-mercia": 10038, "warwickshire": 4486}
    mercia = counts_by_type("west-mercia", ["2019-01"])
    warwick = dict(counts_by_type("warwickshire", ["2019-01"]))
    february = digests("2019-02")

    again = archive(tmp_path, street, "again", ["2019-01-warwickshire-street.csv"])
    without_one_burglary(again / "2019-01" / "2019-01-warwickshire-street.csv")
    import_(again)

    assert raw_rows("2019-01") == {"west-mercia": 10038, "warwickshire": 4485}
    assert counts_by_type("west-mercia", ["2019-01"]) == mercia
    assert dict(counts_by_type("warwickshire", ["2019-01"]))["Burglary"] == warwick["Burglary"] - 1
    assert digests("2019-02") == february  # another month is not touched
    for layer in storage.LAYERS:  # still a row group a force
        for path in storage.files(layer, "street", ["2019-01"]):
            forces = storage.forces_in(path)
            assert len(forces) == len(set(forces))

    import_(again)  # idempotent
    assert raw_rows("2019-01") == {"west-mercia": 10038, "warwickshire": 4485}
    assert counts_by_type("west-mercia", ["2019-01"]) == mercia


def test_a_swap_that_fails_leaves_the_month_as_it_was(db, tmp_path, street, monkeypatch):
    from oversight.opendata import storage
    from oversight.opendata.queries import counts_by_type

    import_(archive(tmp_path, street, "first", ["2019-01-west-mercia-street.csv"]))
    before = counts_by_type("west-mercia", ["2019-01"])
    stored = digests("2019-01")

    again = archive(tmp_path, street, "again", ["2019-01-west-mercia-street.csv"])
    without_one_burglary(again / "2019-01" / "2019-01-west-mercia-street.csv")
    move = shutil.move

    moves = []

    def failing_move(source, target):
        moves.append(source)
        if Path(source).parent.name == "street-2019-01":  # the new month moving in
            raise OSError("disk full")
        return move(source, target)

    monkeypatch.setattr(storage.shutil, "move", failing_move)
    with pytest.raises(OSError, match="disk full"):
        import_(again)
    monkeypatch.undo()
    assert len(moves) == 3  # the old month aside, the new one refused, the old one put back

    assert digests("2019-01") == stored
    assert counts_by_type("west-mercia", ["2019-01"]) == before
    assert raw_rows("2019-01") == {"west-mercia": 10038}


def _to_old_layout() -> None:
    """Rewrite the store as the import wrote it before: a folder a force, no force column."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from oversight.opendata import storage

    for layer in storage.LAYERS:
        for month in (storage.root() / layer / "street").glob("month=*"):
            for path in list(month.glob("*.parquet")):
                table = pq.read_table(path)
                for force in pc.unique(table["force"]).to_pylist():
                    rows = table.filter(pc.equal(table["force"], force)).drop_columns(["force"])
                    (month / f"force={force}").mkdir()
                    pq.write_table(rows, month / f"force={force}" / "data_0.parquet")
                path.unlink()


def test_a_store_in_the_old_layout_is_moved_to_the_new_one_by_the_next_import(db, tmp_path, street):
    from oversight.opendata import storage
    from oversight.opendata.importers import migrate_store
    from oversight.opendata.queries import counts_by_force, counts_by_type, monthly_counts

    names = ["2019-01-west-mercia-street.csv", "2019-01-warwickshire-street.csv"]
    import_(archive(tmp_path, street, "first", names))
    by_type = counts_by_type("west-mercia", ["2019-01"])
    by_force = counts_by_force(["2019-01"], None)
    _to_old_layout()
    assert list((storage.root() / "raw" / "street" / "month=2019-01").glob("force=*/*.parquet"))
    assert migrate_store() == 1  # what `oversight migrate` runs
    assert not list(storage.root().rglob("force=*"))
    assert counts_by_type("west-mercia", ["2019-01"]) == by_type
    assert raw_rows("2019-01") == {"west-mercia": 10038, "warwickshire": 4486}
    assert migrate_store() == 0

    # a store put back from an old copy: an import of another month moves the old one too, and
    # an import of one of its forces keeps the other force's rows
    _to_old_layout()
    import_(archive(tmp_path, street, "next", ["2019-02-west-mercia-street.csv"]))
    assert not list(storage.root().rglob("force=*"))
    assert counts_by_type("west-mercia", ["2019-01"]) == by_type
    assert counts_by_force(["2019-01"], None) == by_force
    assert raw_rows("2019-01") == {"west-mercia": 10038, "warwickshire": 4486}
    assert set(monthly_counts("west-mercia", ["2019-01", "2019-02"], None)) == {
        "2019-01",
        "2019-02",
    }

    _to_old_layout()
    import_(archive(tmp_path, street, "again", ["2019-01-warwickshire-street.csv"]))
    assert raw_rows("2019-01") == {"west-mercia": 10038, "warwickshire": 4486}
    assert counts_by_type("west-mercia", ["2019-01"]) == by_type
