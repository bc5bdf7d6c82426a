"""Any bytes at all, as a police.uk CSV, as a zip member or as the zip itself: the import either
keeps rows (and its counts add up) or refuses with a reason, exits non-zero when it refused
anything, never fails otherwise, and a refusal leaves the Parquet store and the database as they
were. Property-based (hypothesis), bounded to a few seconds each."""

import csv
import hashlib
import io
import itertools
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.lib.policeuk import COLUMNS, CRIME_TYPES, Kind

HEADER = ",".join(COLUMNS[Kind.STREET]) + "\n"
NAME = "2019-01-west-mercia-street.csv"
BOUNDED = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def good_row(n: int, month: str = "2019-01", crime_type: str = "Burglary") -> str:
    return (
        f"id-{n},{month},West Mercia Police,West Mercia Police,-2.1,52.1,On or near X,"
        f"E01000001,Worcester 001A,{crime_type},Under investigation,\n"
    )


# A field: police.uk's own values, the characters that break CSV, and any text at all
# (lone surrogates become bytes that are not UTF-8).
FIELD = st.one_of(
    st.sampled_from(["", "2019-01", "2018-12", "No location", "-2.1", "Worcester 001A"]),
    st.sampled_from(CRIME_TYPES),
    st.sampled_from(['"', '""', ",", "\r", "\n", "\x00", "\ufeff"]),
    st.text(max_size=12),
)


@st.composite
def rows(draw) -> bytes:
    """Rows of any width, quoted properly or joined raw, most of them police.uk-shaped."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):  # a police.uk row, its month and crime type varied
            month = draw(st.sampled_from(["2019-01", "2019-01", "2018-12", "", "2019-1"]))
            out.write(good_row(draw(st.integers(0, 5)), month, draw(st.sampled_from(CRIME_TYPES))))
            continue
        fields = draw(st.lists(FIELD, max_size=14))
        if draw(st.booleans()):
            writer.writerow(fields)
        else:
            out.write(",".join(fields) + "\n")
    return out.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def damaged(draw, text: bytes) -> bytes:
    """`text` with a few bytes overwritten, anywhere."""
    data = bytearray(text)
    for _ in range(draw(st.integers(1, 4))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


VALID = (HEADER + "".join(good_row(n) for n in range(8))).encode()
CSV_BYTES = st.one_of(
    st.binary(max_size=400),
    st.binary(max_size=400).map(lambda b: HEADER.encode() + b),
    rows().map(lambda b: HEADER.encode() + b),
    damaged(VALID),
)


@pytest.fixture
def store(db, tmp_path):
    """20 burglaries imported for west-mercia 2019-01; `snapshot()` is every Parquet file's digest
    and every record of the import."""
    from oversight.audit.models import AuditEntry
    from oversight.opendata import storage
    from oversight.opendata.models import ImportedFile

    folder = tmp_path / "first" / "2019-01"
    folder.mkdir(parents=True)
    (folder / NAME).write_text(HEADER + "".join(good_row(n) for n in range(20)))
    call_command("opendata", "import", str(folder.parent), "--quiet", stdout=StringIO())

    def snapshot():
        parquet = {
            str(p.relative_to(storage.root())): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in storage.root().rglob("*.parquet")
        }
        return (
            parquet,
            list(ImportedFile.objects.order_by("id").values()),
            AuditEntry.objects.count(),
        )

    return snapshot


counter = itertools.count()


def import_(path) -> tuple[bool, str]:
    """Run the command: (refused or skipped anything, its output). Any exception but the
    command's own refusal fails the test."""
    out, err = StringIO(), StringIO()
    try:
        call_command("opendata", "import", str(path), "--quiet", stdout=out, stderr=err)
    except CommandError as exc:
        return True, out.getvalue() + err.getvalue() + str(exc)
    return False, out.getvalue() + err.getvalue()


def assert_imported_or_refused(before, after, refused: bool, output: str) -> None:
    from oversight.opendata.models import ImportedFile
    from oversight.opendata.queries import counts_by_type

    if ": refused: " in output or "not a readable zip" in output:
        assert refused  # a non-zero exit
        assert after == before, output
        return
    f = ImportedFile.objects.get(month="2019-01", force="west-mercia", kind="street")
    q = f.quirks
    assert f.kept >= 1
    assert f.rows == (
        f.kept
        + q["wrong_month_skipped"]
        + q.get("duplicates_removed", 0)
        + q.get("malformed_rows_skipped", 0)
    )
    assert sum(n for _, n in counts_by_type("west-mercia", ["2019-01"])) == f.kept
    assert refused == bool(q.get("malformed_rows_skipped")), output


@BOUNDED
@given(data=CSV_BYTES)
def test_any_bytes_as_a_police_uk_csv_are_imported_or_refused_leaving_the_old_data(
    store, tmp_path, data
):
    folder = tmp_path / f"csv-{next(counter)}" / "2019-01"
    folder.mkdir(parents=True)
    (folder / NAME).write_bytes(data)
    before = store()
    refused, output = import_(folder.parent)
    assert_imported_or_refused(before, store(), refused, output)


@BOUNDED
@given(data=CSV_BYTES)
def test_any_bytes_as_a_zip_member_are_imported_or_refused_leaving_the_old_data(
    store, tmp_path, data
):
    archive = tmp_path / f"member-{next(counter)}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"2019-01/{NAME}", data)
    before = store()
    refused, output = import_(archive)
    assert_imported_or_refused(before, store(), refused, output)


def valid_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"2019-01/{NAME}", VALID)
    return out.getvalue()


@BOUNDED
@given(data=damaged(valid_zip()))
def test_a_damaged_zip_is_imported_or_refused_leaving_the_old_data(store, tmp_path, data):
    archive = tmp_path / f"damaged-{next(counter)}.zip"
    archive.write_bytes(data)
    before = store()
    refused, output = import_(archive)
    if "no police.uk archive files found" in output or "files ignored" in output:
        assert refused and store() == before  # the damage hit the member's name
        return
    assert_imported_or_refused(before, store(), refused, output)
