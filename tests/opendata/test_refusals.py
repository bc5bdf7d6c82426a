"""police.uk files the import refuses whole, and what a refusal leaves: the data imported before
unchanged, the reason listed, and a non-zero exit. SYNTHETIC rows shaped like police.uk's."""

import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.lib.policeuk import COLUMNS, Kind

from conftest import shared_path

STREET = ",".join(COLUMNS[Kind.STREET]) + "\n"


def street_rows(month: str, n: int, crime_type: str = "Burglary", start: int = 0) -> str:
    return "".join(
        f"{month}-{i:06d},{month},West Mercia Police,West Mercia Police,-2.1,52.1,"
        f"On or near High Street,E01000001,Worcester 001A,{crime_type},Under investigation,\n"
        for i in range(start, start + n)
    )


def write_file(tmp_path, name: str, text: str | bytes, folder: str = "archive"):
    month = tmp_path / folder / name[:7]
    month.mkdir(parents=True, exist_ok=True)
    (month / name).write_bytes(text.encode() if isinstance(text, str) else text)
    return tmp_path / folder


def run(*args) -> str:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def run_refusing(*args) -> str:
    """The output of an import that refused something, ending with its exit message."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue() + "\n" + str(refused.value)


def burglaries(force: str = "west-mercia", month: str = "2019-01") -> int:
    from oversight.opendata.queries import counts_by_type

    return dict(counts_by_type(force, [month])).get("Burglary", 0)


def imported(month: str = "2019-01", force: str = "west-mercia"):
    from oversight.opendata.models import ImportedFile

    return ImportedFile.objects.get(month=month, force=force, kind="street")


@pytest.mark.parametrize(
    "rows, why",
    [
        ("only,three,fields\n" * 50, "no rows to keep (all 50 rows are malformed)"),
        ("", "no rows to keep (the file has a header and no rows)"),
        (street_rows("2018-12", 50), "no rows to keep (none of its 50 rows read is for 2019-01)"),
    ],
    ids=["all-malformed", "header-only", "all-another-month"],
)
def test_a_file_that_gives_no_rows_to_keep_leaves_the_month_as_it_was(db, tmp_path, rows, why):
    from oversight.opendata import storage

    archive = write_file(
        tmp_path, "2019-01-west-mercia-street.csv", STREET + street_rows("2019-01", 50)
    )
    run("opendata", "import", str(archive), "--quiet")
    assert burglaries() == 50
    before = imported()
    parquet = {p: p.read_bytes() for p in storage.root().rglob("*.parquet")}

    again = write_file(tmp_path, "2019-01-west-mercia-street.csv", STREET + rows, "again")
    out = run_refusing("opendata", "import", str(again), "--quiet")

    assert f"2019-01-west-mercia-street.csv: refused: {why}" in out
    assert (
        "the street data already imported for west-mercia in 2019-01, if any, is left as it was"
        in out
    )
    assert "1 of 1 files refused (1 no rows kept)" in out
    assert burglaries() == 50
    after = imported()
    assert (after.rows, after.kept, after.imported_at) == (
        before.rows,
        before.kept,
        before.imported_at,
    )
    assert {p: p.read_bytes() for p in storage.root().rglob("*.parquet")} == parquet


def test_the_import_exits_non_zero_when_some_or_every_file_was_refused_and_zero_when_none(
    db, tmp_path
):
    good = STREET + street_rows("2019-01", 5)
    archive = write_file(tmp_path, "2019-01-west-mercia-street.csv", good, "good")
    assert "1 files (2019-01 to 2019-01, 1 forces): 5 rows read, 5 kept" in run(
        "opendata", "import", str(archive), "--quiet"
    )

    some = write_file(
        tmp_path, "2019-02-west-mercia-street.csv", STREET + street_rows("2019-02", 5), "some"
    )
    write_file(tmp_path, "2019-02-evil-street.csv", good, "some")
    out = run_refusing("opendata", "import", str(some), "--quiet")
    assert "1 files (2019-02 to 2019-02, 1 forces): 5 rows read, 5 kept" in out
    assert out.rstrip().endswith(
        "1 of 2 files refused (1 unknown force id), each listed above; a refused file replaces "
        "nothing: its force and month keep what they had."
    )
    assert burglaries(month="2019-02") == 5  # the good file of the two is imported

    every = write_file(tmp_path, "2019-03-west-mercia-street.csv", "Crime ID,Month\n", "every")
    write_file(tmp_path, "2019-03-warwickshire-street.csv", STREET + "a,b\n", "every")
    out = run_refusing("opendata", "import", str(every), "--quiet")
    assert "0 files (no months, 0 forces)" in out
    assert "2 of 2 files refused (1 no rows kept, 1 not a police.uk file)" in out


def test_malformed_rows_skipped_make_the_exit_non_zero_though_the_file_is_imported(db, tmp_path):
    text = STREET + street_rows("2019-01", 3) + "only,three,fields\n"
    archive = write_file(tmp_path, "2019-01-west-mercia-street.csv", text)
    out = run_refusing("opendata", "import", str(archive), "--quiet")
    assert "2019-01-west-mercia-street.csv, line 5: skipped: expected 12 fields, found 3" in out
    assert out.rstrip().endswith("1 malformed rows skipped, each listed above.")
    assert burglaries() == 3


def test_a_file_with_many_malformed_rows_lists_the_first_200_and_counts_them_all(db, tmp_path):
    text = STREET + street_rows("2019-01", 3) + "only,three,fields\n" * 1000
    archive = write_file(tmp_path, "2019-01-west-mercia-street.csv", text)
    out = run_refusing("opendata", "import", str(archive), "--quiet")
    assert (
        "2019-01-west-mercia-street.csv: 1,000 malformed rows skipped, the first 200 listed" in out
    )
    assert "line 203: skipped" in out and "line 204: skipped" not in out
    assert "… and 1 more lines not listed" in out
    assert "1,000 malformed rows skipped, each listed above." in out
    f = imported()
    assert (f.rows, f.kept, f.quirks["malformed_rows_skipped"], len(f.rejected)) == (
        1003,
        3,
        1000,
        200,
    )


def test_a_file_of_an_unknown_force_is_refused_and_every_police_uk_force_is_accepted(
    db, tmp_path, settings
):
    from oversight.opendata.models import ImportedFile

    archive = tmp_path / "archive"
    for force in ("evil", "btp", "northern-ireland", "testshire"):
        write_file(tmp_path, f"2019-01-{force}-street.csv", STREET + street_rows("2019-01", 2))
    out = run_refusing("opendata", "import", str(archive), "--quiet")
    assert '2019-01-evil-street.csv: refused: "evil" is not a police.uk force id' in out
    assert '"testshire" is not a police.uk force id' in out
    assert set(ImportedFile.objects.values_list("force", flat=True)) == {"btp", "northern-ireland"}

    # a force the office adds to its own force areas table is its to import
    areas = tmp_path / "areas.csv"
    areas.write_text("force,local_authority,local_policing_area\ntestshire,Northtown,Northtown\n")
    settings.OPENDATA_FORCE_AREAS = str(areas)
    out = run_refusing("opendata", "import", str(archive), "--quiet")
    assert "1 of 4 files refused (1 unknown force id)" in out
    assert ImportedFile.objects.filter(force="testshire").exists()


def test_the_shipped_force_list_has_every_force_police_uk_lists_and_british_transport_police(
    settings,
):
    from oversight.opendata.storage import known_forces

    listed = json.loads(shared_path("police_uk", "api_json", "misc", "forces.json").read_text())
    assert len(listed) == 44
    assert known_forces() == {f["id"] for f in listed} | {"btp"}


def zip_of(path, members: dict[str, bytes], level: int = 6):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_a_zip_member_over_the_size_limit_is_refused_alone(db, tmp_path, settings):
    settings.POLICE_UK_MAX_FILE_BYTES = 100_000
    big = (STREET + street_rows("2019-02", 1000)).encode()  # about 140 KB
    archive = zip_of(
        tmp_path / "police.zip",
        {
            "2019-01/2019-01-west-mercia-street.csv": (STREET + street_rows("2019-01", 5)).encode(),
            "2019-02/2019-02-west-mercia-street.csv": big,
        },
    )
    out = run_refusing("opendata", "import", str(archive), "--quiet")
    assert (
        f"police.zip:2019-02/2019-02-west-mercia-street.csv: refused: {len(big):,} bytes, over "
        "the limit of 100,000 bytes a police.uk file may have (OVERSIGHT_POLICE_UK_MAX_FILE_BYTES)"
    ) in out
    assert "1 of 2 files refused (1 over the size limit)" in out
    assert burglaries("west-mercia", "2019-01") == 5


def test_a_file_in_a_folder_over_the_size_limit_is_refused(db, tmp_path, settings):
    settings.POLICE_UK_MAX_FILE_BYTES = 1000
    archive = write_file(
        tmp_path, "2019-01-west-mercia-street.csv", STREET + street_rows("2019-01", 20)
    )
    out = run_refusing("opendata", "import", str(archive), "--quiet")
    assert "over the limit of 1,000 bytes" in out
    assert burglaries() == 0


def test_a_zip_member_that_would_expand_like_a_zip_bomb_is_refused_alone(db, tmp_path):
    bomb = (STREET + street_rows("2019-02", 1)[:-1] + ",\n" * 2_000_000).encode()  # 4 MB of ",\n"
    archive = zip_of(
        tmp_path / "police.zip",
        {
            "2019-01/2019-01-west-mercia-street.csv": (STREET + street_rows("2019-01", 5)).encode(),
            "2019-02/2019-02-west-mercia-street.csv": bomb,
        },
        level=9,
    )
    out = run_refusing("opendata", "import", str(archive), "--quiet")
    assert "police.zip:2019-02/2019-02-west-mercia-street.csv: refused: " in out
    assert "more than 100 times (a real police.uk file expands under 10 times)" in out
    assert "1 of 2 files refused (1 compressed beyond any real file)" in out
    assert burglaries("west-mercia", "2019-01") == 5


def lie_about_size(path, declared: int) -> None:
    """Rewrite a one-member zip's uncompressed size, in its local header and its directory."""
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 22, declared)
    struct.pack_into("<I", data, data.rindex(b"PK\x01\x02") + 24, declared)
    path.write_bytes(bytes(data))


def test_a_zip_member_that_understates_its_size_is_refused_as_unreadable(db, tmp_path):
    """zipfile stops at the size the zip states, so the bytes beyond it never reach memory; the
    member then fails its check."""
    archive = zip_of(
        tmp_path / "police.zip",
        {
            "2019-01/2019-01-west-mercia-street.csv": (
                STREET + street_rows("2019-01", 9000)
            ).encode()
        },
    )
    lie_about_size(archive, 1000)
    out = run_refusing("opendata", "import", str(archive), "--quiet")
    assert "2019-01-west-mercia-street.csv: refused: could not be read: Bad CRC-32" in out


def test_an_encrypted_or_strangely_compressed_zip_member_is_refused_alone(db, tmp_path):
    archive = tmp_path / "police.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(
            "2019-01-west-mercia-street.csv",
            STREET + street_rows("2019-01", 5),
            compress_type=zipfile.ZIP_BZIP2,
        )
        z.writestr("2019-01-warwickshire-street.csv", STREET + street_rows("2019-01", 5))
    data = bytearray(archive.read_bytes())
    second = data.rindex(b"PK\x01\x02")  # the directory entry of the second member
    struct.pack_into("<H", data, second + 8, 1)  # its flags: encrypted
    archive.write_bytes(bytes(data))
    out = run_refusing("opendata", "import", str(archive), "--quiet")
    assert "west-mercia-street.csv: refused: could not be read: compressed by zip method 12" in out
    assert "warwickshire-street.csv: refused: could not be read: the zip member is encrypted" in out


def test_a_zip_whose_directory_is_broken_is_a_readable_error(db, tmp_path):
    archive = zip_of(
        tmp_path / "police.zip",
        {"2019-01-west-mercia-street.csv": (STREET + street_rows("2019-01", 5)).encode()},
    )
    data = archive.read_bytes()
    archive.write_bytes(data.replace(b"PK\x01\x02", b"PK\x01\x09"))  # the directory's mark
    with pytest.raises(CommandError, match="police.zip: not a readable zip"):
        run("opendata", "import", str(archive), "--quiet")


BOMB_IMPORT = """
import os, resource, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "oversight.settings"
import django
django.setup()
from pathlib import Path
from oversight.opendata.importers import import_archive
start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
report = import_archive(Path(sys.argv[1]))
grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start
print(f"{report.files[0].refusal}|{grew // 1024}")
"""


def zip_bomb(path, name: str, head: bytes, block: bytes, times: int):
    """A one-member zip whose member is `head` then `block` `times` times, made at once: one
    compressed copy of the block (flushed whole, so copies of it join into one valid deflate
    stream) is repeated, and the headers state the true size and checksum."""
    payload, crc = b"", 0
    for data, n in ((head, 1), (block, times)):
        co = zlib.compressobj(9, zlib.DEFLATED, -15)
        payload += (co.compress(data) + co.flush(zlib.Z_FULL_FLUSH)) * n
        for _ in range(n):
            crc = zlib.crc32(data, crc)
    payload += zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # the final, empty block
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr(name, payload)
    data = bytearray(path.read_bytes())
    for at, fields in ((0, (8, 14, 22)), (data.rindex(b"PK\x01\x02"), (10, 16, 24))):
        method, checksum, size = fields  # the local header's and the directory's fields
        struct.pack_into("<H", data, at + method, zipfile.ZIP_DEFLATED)
        struct.pack_into("<I", data, at + checksum, crc)
        struct.pack_into("<I", data, at + size, len(head) + len(block) * times)
    path.write_bytes(bytes(data))
    return path


def test_a_zip_bomb_is_refused_without_its_contents_reaching_memory(tmp_path):
    """A 600 KB member that says, truthfully, that it expands to 600 MB: refused before a byte is
    read (over the size limit and the ratio), the import growing by a few MB at most. Run in
    a process of its own so its peak memory is its own."""
    archive = zip_bomb(
        tmp_path / "bomb.zip",
        "2019-01/2019-01-west-mercia-street.csv",
        STREET.encode(),
        b",\n" * (1 << 20),
        300,
    )
    data = tmp_path / "data"
    data.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", BOMB_IMPORT, str(archive)],
        capture_output=True,
        text=True,
        env={**os.environ, "OVERSIGHT_DATA_DIR": str(data)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    refusal, grew_mb = done.stdout.strip().splitlines()[-1].split("|")
    assert refusal == "over the size limit"
    assert int(grew_mb) < 100


def test_a_zip_member_is_read_a_chunk_at_a_time_and_stopped_at_the_limit(
    db, tmp_path, settings, monkeypatch
):
    """Reading a member stops as soon as it passes the limit, whatever size it was said to be."""
    from oversight.opendata import importers as importer

    archive = zip_of(
        tmp_path / "police.zip",
        {"2019-01-west-mercia-street.csv": (STREET + street_rows("2019-01", 2000)).encode()},
    )
    settings.POLICE_UK_MAX_FILE_BYTES = 50_000
    monkeypatch.setattr(importer, "CHUNK", 4096)
    with zipfile.ZipFile(archive) as z:
        info = z.infolist()[0]
        member = importer.ZipMember(archive, info.filename, 0, info, z)
        with pytest.raises(importer.FileRefused) as refused:
            importer._contents(member)
    assert refused.value.reason.startswith(
        "more than 50,000 bytes once decompressed, over the limit a police.uk file may have"
    )
