"""police.uk import against the real West Mercia and Warwickshire files: the row and ASB counts of
their provenance table, crime-type counts equal to an independent count of the CSVs, idempotent
re-import, and every odd row reported rather than dropped."""

import csv
import shutil
import zipfile
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import shared_path

# From ../shared/data/police_uk/PROVENANCE.md (rows excluding the header; ASB in brackets).
PROVENANCE = {
    ("2018-10", "west-mercia"): (11006, 3539),
    ("2018-11", "west-mercia"): (10551, 3128),
    ("2018-12", "west-mercia"): (10136, 3082),
    ("2019-01", "west-mercia"): (10038, 3020),
    ("2019-02", "west-mercia"): (9253, 2862),
    ("2018-10", "warwickshire"): (4903, 1045),
    ("2018-11", "warwickshire"): (4742, 974),
    ("2018-12", "warwickshire"): (4486, 961),
    ("2019-01", "warwickshire"): (4486, 982),
    ("2019-02", "warwickshire"): (4031, 956),
}


@pytest.fixture(autouse=True)
def opendata_dir(settings, tmp_path):
    settings.OPENDATA_DIR = tmp_path / "opendata"
    return settings.OPENDATA_DIR


@pytest.fixture
def street():
    return shared_path("police_uk", "street_geoinformation_in_society")


def run(*args) -> str:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def run_refusing(*args) -> str:
    """The output of an import that refused something: it must end with a non-zero exit."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue() + str(refused.value)


def independent_counts(path) -> Counter:
    with open(path, encoding="utf-8", newline="") as fh:
        return Counter(row["Crime type"] for row in csv.DictReader(fh))


def test_the_real_files_give_the_provenance_counts_and_the_csvs_crime_type_counts(db, street):
    from oversight.opendata.models import ImportedFile
    from oversight.opendata.queries import counts_by_type

    summary = run("opendata", "import", str(street), "--quiet")
    assert "10 files (2018-10 to 2019-02, 2 forces): 73,632 rows read, 73,632 kept" in summary
    for (month, force), (rows, asb) in PROVENANCE.items():
        f = ImportedFile.objects.get(month=month, force=force, kind="street")
        assert (f.rows, f.kept, f.quirks["asb_without_crime_id"]) == (rows, rows, asb), (
            month,
            force,
        )
        expected = independent_counts(street / f"{month}-{force}-street.csv")
        assert dict(counts_by_type(force, [month])) == dict(expected), (month, force)


def test_reimporting_a_month_replaces_it(db, street, tmp_path):
    from oversight.opendata.models import ImportedFile
    from oversight.opendata.queries import counts_by_type

    one = tmp_path / "archive" / "2019-01"
    one.mkdir(parents=True)
    shutil.copy(street / "2019-01-west-mercia-street.csv", one)
    run("opendata", "import", str(one.parent), "--quiet")
    first = counts_by_type("west-mercia", ["2019-01"])
    run("opendata", "import", str(one.parent), "--quiet")
    assert counts_by_type("west-mercia", ["2019-01"]) == first
    assert ImportedFile.objects.filter(month="2019-01").count() == 1
    # a corrected file replaces the month: one fewer burglary
    rows = (one / "2019-01-west-mercia-street.csv").read_text().splitlines(keepends=True)
    burglary = next(i for i, r in enumerate(rows) if ",Burglary," in r)
    (one / "2019-01-west-mercia-street.csv").write_text(
        "".join(rows[:burglary] + rows[burglary + 1 :])
    )
    run("opendata", "import", str(one.parent), "--quiet")
    assert (
        dict(counts_by_type("west-mercia", ["2019-01"]))["Burglary"] == dict(first)["Burglary"] - 1
    )


def test_real_quirks_are_counted(db, street):
    from oversight.opendata.models import ImportedFile

    run("opendata", "import", str(street), "--quiet")
    f = ImportedFile.objects.get(month="2019-01", force="west-mercia", kind="street")
    # the first 2019-01 row is in Amber Valley (Derbyshire); Birmingham LSOAs appear too
    with open(street / "2019-01-west-mercia-street.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    no_lsoa = sum(1 for r in rows if not r["LSOA name"])
    west_mercia = {
        "Herefordshire",
        "Shropshire",
        "Telford and Wrekin",
        "Bromsgrove",
        "Redditch",
        "Wyre Forest",
        "Malvern Hills",
        "Worcester",
        "Wychavon",
    }
    outside = sum(
        1 for r in rows if r["LSOA name"] and r["LSOA name"].rsplit(" ", 1)[0] not in west_mercia
    )
    assert outside > 0 and f.quirks["outside_force_area"] == outside
    assert f.quirks["no_location"] == sum(
        1 for r in rows if not r["Longitude"] or r["Location"] == "No location"
    )
    assert no_lsoa <= f.quirks["no_location"]
    assert f.kept == f.rows  # odd rows are counted, not dropped


def test_malformed_rows_and_files_are_reported_with_file_and_line(db, tmp_path, street):
    from oversight.opendata.queries import counts_by_type

    month = tmp_path / "archive" / "2019-01"
    month.mkdir(parents=True)
    rows = (street / "2019-01-warwickshire-street.csv").read_text().splitlines(keepends=True)
    rows.insert(5, "only,three,fields\n")  # file line 6
    (month / "2019-01-warwickshire-street.csv").write_text("".join(rows))
    (month / "2019-01-west-mercia-street.csv").write_text("Crime ID,Month\nx,2019-01\n")
    (month / "notes.csv").write_text("a,b\n")
    out = run_refusing("opendata", "import", str(month.parent), "--quiet")
    assert "2019-01-warwickshire-street.csv, line 6: skipped" in out
    assert "2019-01-west-mercia-street.csv: refused: not a police.uk street file" in out
    assert "1 files ignored" in out
    assert sum(n for _, n in counts_by_type("warwickshire", ["2019-01"])) == 4486
    assert counts_by_type("west-mercia", ["2019-01"]) == []


def test_a_zip_and_outcomes_joined_to_their_crimes_and_stop_and_search(db, tmp_path, street):
    from oversight.opendata.queries import outcomes_by_crime_type, stop_and_search

    samples = shared_path("police_uk", "outcomes_and_stop_search_mconnellyada")
    archive = tmp_path / "police.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for m in ("2018-10", "2018-11"):
            z.write(street / f"{m}-west-mercia-street.csv", f"{m}/{m}-west-mercia-street.csv")
        z.write(
            samples / "2019-01-west-mercia-outcomes.first16000chars.csv",
            "2019-01/2019-01-west-mercia-outcomes.csv",
        )
        z.write(
            samples / "2019-01-west-mercia-stop-and-search.first16000chars.csv",
            "2019-01/2019-01-west-mercia-stop-and-search.csv",
        )
    out = run("opendata", "import", str(archive), "--quiet")
    assert "4 files" in out
    outcomes = outcomes_by_crime_type("west-mercia", ["2019-01"])
    joined = sum(o.outcomes for o in outcomes if o.crime_type)
    assert joined >= 10  # PROVENANCE: at least 10 Crime IDs match 2018-10 and 2018-11 crimes
    with open(samples / "2019-01-west-mercia-outcomes.first16000chars.csv", encoding="utf-8") as fh:
        rows = [tuple(r) for r in csv.reader(fh)][1:]
    assert sum(o.outcomes for o in outcomes) == len(set(rows))  # exact copies removed, counted
    searches = stop_and_search("west-mercia", ["2019-01"])
    with open(
        samples / "2019-01-west-mercia-stop-and-search.first16000chars.csv", encoding="utf-8"
    ) as fh:
        assert sum(n for *_, n in searches) == sum(1 for _ in csv.DictReader(fh))  # all kept


def test_counts_command_prints_json_and_csv_by_area(db, street):
    import json

    run("opendata", "import", str(street), "--quiet")
    records = json.loads(
        run(
            "opendata", "counts", "--force", "west-mercia", "--month", "2019-01", "--format", "json"
        )
    )
    assert {r["crime_type"]: r["count"] for r in records}["Burglary"] == 629
    text = run(
        "opendata",
        "counts",
        "--force",
        "west-mercia",
        "--month",
        "2018/19 Q3",
        "--area",
        "Herefordshire",
        "--format",
        "csv",
    )
    assert text.startswith("force,period,area,crime_type,count\n")
    with pytest.raises(
        Exception, match="no police.uk street data imported for west-mercia in 2019-03"
    ):
        run("opendata", "counts", "--force", "west-mercia", "--month", "2019-03")


def test_the_public_pages_and_their_twins_show_the_counts(db, street, client):
    run("opendata", "import", str(street), "--quiet")
    page = client.get("/open-data/west-mercia/2019-01/")
    assert page.status_code == 200 and b"Burglary" in page.content
    data = client.get("/open-data/west-mercia/2019-01.json").json()
    assert {i["crime_type"]: i["count"] for i in data["items"]}["Burglary"] == 629
    assert client.get("/open-data/west-mercia/2019-01.csv").content.startswith(
        b"force,month,area,crime_type,count"
    )
    assert client.get("/open-data/west-mercia/2030-01/").status_code == 404
    assert b"2019-01-west-mercia-street.csv" in client.get("/open-data/").content
    compare = client.get("/open-data/compare/", {"period": "2018/19 Q3", "crime_type": "Burglary"})
    assert compare.status_code == 200 and b"West Mercia Police" in compare.content
    api = client.get("/api/v1/opendata/counts", {"force": "west-mercia", "month": "2019-01"}).json()
    assert {r["crime_type"]: r["count"] for r in api}["Burglary"] == 629


def test_a_file_with_bytes_that_are_not_utf8_loses_only_those_rows(db, tmp_path, street):
    """pyarrow refuses such a file whole; the importer then reads it with DuckDB's tolerant reader,
    which sets the bad row aside with its line and keeps the rest."""
    from oversight.opendata.models import ImportedFile
    from oversight.opendata.queries import counts_by_type

    month = tmp_path / "archive" / "2019-01"
    month.mkdir(parents=True)
    lines = (street / "2019-01-warwickshire-street.csv").read_bytes().splitlines(keepends=True)
    lines[9] = lines[9].replace(b"On or near", b"On or n\xe9ar")  # file line 10
    (month / "2019-01-warwickshire-street.csv").write_bytes(b"".join(lines))
    out = run_refusing("opendata", "import", str(month.parent), "--quiet")
    assert "2019-01-warwickshire-street.csv, line 10: skipped" in out
    f = ImportedFile.objects.get(month="2019-01", force="warwickshire", kind="street")
    assert (f.rows, f.kept, f.quirks["malformed_rows_skipped"]) == (4486, 4485, 1)
    assert sum(n for _, n in counts_by_type("warwickshire", ["2019-01"])) == 4485


def test_copies_wrong_months_and_a_second_file_for_a_month_are_counted_not_lost(
    db, tmp_path, street
):
    """An exact copy of a crime (same Crime ID, every field equal) is removed and counted; an ASB
    row repeated is kept (without an ID it may be a second incident) and counted; a row from
    another month is skipped and counted; a second file for the same force and month is refused
    with the file read first named. The raw Parquet holds what was kept."""
    import duckdb

    from oversight.opendata import storage
    from oversight.opendata.models import ImportedFile
    from oversight.opendata.queries import counts_by_type

    lines = (street / "2019-01-warwickshire-street.csv").read_text().splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    crime = next(r for r in rows if r.startswith(tuple("0123456789abcdef")) and ",Burglary," in r)
    asb = next(r for r in rows if ",Anti-social behaviour," in r)
    other_month = crime.replace(",2019-01,", ",2018-12,", 1).replace(crime[:64], "f" * 64, 1)
    month = tmp_path / "archive" / "2019-01"
    month.mkdir(parents=True)
    (month / "2019-01-warwickshire-street.csv").write_text(
        header + "".join(rows) + crime + asb + other_month
    )
    again = tmp_path / "archive" / "copy"
    again.mkdir()
    shutil.copy(street / "2019-01-warwickshire-street.csv", again)
    out = run_refusing("opendata", "import", str(tmp_path / "archive"), "--quiet")

    assert "copy/2019-01-warwickshire-street.csv: refused: another file for warwickshire" in out
    f = ImportedFile.objects.get(month="2019-01", force="warwickshire", kind="street")
    assert f.file_name == "2019-01-warwickshire-street.csv" and f.rows == 4486 + 3
    assert f.quirks["duplicates_removed"] == 1
    assert f.quirks["wrong_month_skipped"] == 1
    no_id = [r for r in csv.reader(lines[1:]) if not r[0]]
    assert f.quirks["duplicates_kept_no_id"] == len(no_id) - len(set(map(tuple, no_id))) + 1
    assert f.kept == 4486 + 1  # the ASB copy is kept
    expected = independent_counts(street / "2019-01-warwickshire-street.csv")
    expected["Anti-social behaviour"] += 1
    assert dict(counts_by_type("warwickshire", ["2019-01"])) == dict(expected)
    raw = storage.files("raw", "street", ["2019-01"])
    sql = "SELECT count(*) FROM read_parquet(?) WHERE force = 'warwickshire'"
    assert duckdb.execute(sql, [raw]).fetchall()[0][0] == 4486 + 2


def test_a_zip_is_read_member_by_member_and_bad_bytes_in_one_are_reported(db, tmp_path, street):
    from oversight.opendata.models import ImportedFile

    lines = (street / "2019-01-warwickshire-street.csv").read_bytes().splitlines(keepends=True)
    lines[9] = lines[9].replace(b"On or near", b"On or n\xe9ar")  # file line 10
    archive = tmp_path / "police.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("2019-01/2019-01-warwickshire-street.csv", b"".join(lines))
        z.write(street / "2019-01-west-mercia-street.csv", "2019-01/2019-01-west-mercia-street.csv")
    out = run_refusing("opendata", "import", str(archive), "--quiet")
    assert "police.zip:2019-01/2019-01-warwickshire-street.csv, line 10: skipped" in out
    f = ImportedFile.objects.get(month="2019-01", force="warwickshire", kind="street")
    assert (f.file_name, f.rows, f.kept) == ("2019-01-warwickshire-street.csv", 4486, 4485)
    assert ImportedFile.objects.get(month="2019-01", force="west-mercia").kept == 10038


def _street_file(tmp_path, name: str, text: bytes):
    month = tmp_path / "archive" / name[:7]
    month.mkdir(parents=True, exist_ok=True)
    (month / name).write_bytes(text)
    return month.parent


def test_bad_bytes_a_short_row_and_a_stray_quote_are_each_one_line_set_aside(db, tmp_path, street):
    """pyarrow refuses the file (bad bytes) or would let the stray quote swallow lines; then
    each line is read on its own and only the bad ones are set aside, one entry each."""
    from oversight.opendata.models import ImportedFile
    from oversight.opendata.queries import counts_by_type

    lines = (street / "2019-01-warwickshire-street.csv").read_bytes().splitlines(keepends=True)
    lines[9] = lines[9].replace(b"On or near", b"On or n\xe9ar")  # line 10: not UTF-8
    lines[19] = b"only,three,fields\n"  # line 20: a short row (replacing a real one)
    lines[29] = lines[29].replace(b"On or near", b'"On or near', 1)  # line 30: a stray quote
    archive = _street_file(tmp_path, "2019-01-warwickshire-street.csv", b"".join(lines))
    out = run_refusing("opendata", "import", str(archive), "--quiet")
    for line in (10, 20, 30):
        assert f"2019-01-warwickshire-street.csv, line {line}: skipped" in out
    f = ImportedFile.objects.get(month="2019-01", force="warwickshire", kind="street")
    assert (f.rows, f.kept, f.quirks["malformed_rows_skipped"]) == (4486, 4483, 3)
    assert sum(n for _, n in counts_by_type("warwickshire", ["2019-01"])) == 4483


def test_wrong_month_copies_are_counted_once_and_kept_never_goes_below_zero(db, tmp_path, street):
    from oversight.opendata.models import ImportedFile

    lines = (street / "2019-01-warwickshire-street.csv").read_text().splitlines(keepends=True)
    crime = next(r for r in lines[1:] if r[:1] in "0123456789abcdef" and ",Burglary," in r)
    other = crime.replace(",2019-01,", ",2018-12,", 1)
    text = lines[0] + crime + other + other  # one crime of the month, two copies of another
    archive = _street_file(tmp_path, "2019-01-warwickshire-street.csv", text.encode())
    run("opendata", "import", str(archive), "--quiet")
    f = ImportedFile.objects.get(month="2019-01", force="warwickshire", kind="street")
    assert (f.rows, f.kept) == (3, 1)
    assert (f.quirks["duplicates_removed"], f.quirks["wrong_month_skipped"]) == (1, 1)


def test_outcome_rows_without_a_crime_id_are_kept_and_counted(db, tmp_path):
    from oversight.opendata.models import ImportedFile

    header = (
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Outcome type\n"
    )
    no_id = ",2019-01,A Police,A Police,-2.1,52.1,On or near X,E01000001,Worcester 001A,Local resolution\n"
    with_id = "abc" + no_id
    text = header + no_id * 3 + with_id * 2
    month = tmp_path / "archive" / "2019-01"
    month.mkdir(parents=True)
    (month / "2019-01-west-mercia-outcomes.csv").write_text(text)
    run("opendata", "import", str(month.parent), "--quiet")
    f = ImportedFile.objects.get(month="2019-01", force="west-mercia", kind="outcomes")
    assert (f.rows, f.kept) == (5, 4)
    assert (f.quirks["duplicates_kept_no_id"], f.quirks["duplicates_removed"]) == (2, 1)


def test_a_zip_member_at_the_top_and_an_unreadable_one(db, tmp_path, street):
    """A member whose bytes fail their check is refused alone; the rest of the zip imports, and
    each file is recorded under its own name."""
    from oversight.opendata.models import ImportedFile

    archive = tmp_path / "police.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
        z.write(street / "2019-01-west-mercia-street.csv", "2019-01-west-mercia-street.csv")
        z.write(street / "2019-02-west-mercia-street.csv", "2019-02-west-mercia-street.csv")
    data = bytearray(archive.read_bytes())
    start = data.index(b"2019-02-west-mercia-street.csv") + 200  # inside the second member
    data[start] = ord("#") if data[start] != ord("#") else ord("!")
    archive.write_bytes(bytes(data))
    out = run_refusing("opendata", "import", str(archive), "--quiet")
    assert "police.zip:2019-02-west-mercia-street.csv: refused: could not be read" in out
    f = ImportedFile.objects.get(month="2019-01", force="west-mercia", kind="street")
    assert (f.file_name, f.kept) == ("2019-01-west-mercia-street.csv", 10038)
    assert not ImportedFile.objects.filter(month="2019-02").exists()


def test_an_import_is_audited_so_cached_public_pages_show_it(db, tmp_path, street, client):
    from oversight.audit.models import AuditEntry

    archive = tmp_path / "archive"
    (archive / "2019-01").mkdir(parents=True)
    shutil.copy(street / "2019-01-west-mercia-street.csv", archive / "2019-01")
    run("opendata", "import", str(archive), "--quiet")
    assert b"2019-02-west-mercia-street.csv" not in client.get("/open-data/").content
    (archive / "2019-02").mkdir()
    shutil.copy(street / "2019-02-west-mercia-street.csv", archive / "2019-02")
    run("opendata", "import", str(archive), "--quiet")
    assert b"2019-02-west-mercia-street.csv" in client.get("/open-data/").content
    entry = AuditEntry.objects.filter(action="opendata_import").latest("id")
    assert entry.after["rows"] == 10038 + 9253 and "2 files" in entry.summary
