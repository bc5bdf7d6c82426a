"""Observations CSV/XLSX: each bad input named in the issue is refused with file, row, column and
reason, and the database is left exactly as it was."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.audit.models import AuditEntry
from oversight.plans.models import Observation, ObservationRevision

from conftest import HEADER

GOOD = HEADER + (
    "1.1,2013/14 Q1,,1517,,ytd,,,,,,,,\n"
    "1.2,2013/14 Q1,north,54.9,,,,,,,,,,\n"
    "2.1,2013/14 Q1,,,,,,,,,on track,,,Commenced\n"
)


def run_import(path):
    call_command("import", "observations", str(path), "--plan", "test-plan")


def state():
    return (
        sorted(
            Observation.objects.values_list(
                "measure__code", "period__code", "area__code", "value", "status"
            )
        ),
        ObservationRevision.objects.count(),
    )


def test_good_figures_import_with_their_area_basis_and_status(small_plan, write):
    run_import(write("q1.csv", GOOD))
    o = Observation.objects.get(measure__code="1.1")
    assert (f"{o.value.normalize()}", o.basis, o.area.code, o.source) == (
        "1517",
        "ytd",
        "force",
        "q1.csv",
    )
    assert Observation.objects.get(measure__code="1.2").area.code == "north"
    assert Observation.objects.get(measure__code="2.1").status == "on_track"


BAD_ROWS = [
    ("9.9,2013/14 Q1,,10,,,,,,,,,,", "measure", 'unknown measure code "9.9"'),
    ("1.1,2013/14 Q5,,10,,,,,,,,,,", "period", "not a period"),
    ("1.1,Q1 2013,,10,,,,,,,,,,", "period", "not a period"),
    ("1.1,2013/14 Q1,,ten,,,,,,,,,,", "value", '"ten" is not a number'),
    ("1.2,2013/14 Q1,,101,,,,,,,,,,", "value", "not a percentage between 0 and 100"),
    ("1.1,2013/14 Q1,,-5,,,,,,,,,,", "value", "cannot be negative"),
    ("1.1,2013/14 Q1,,10.5,,,,,,,,,,", "value", "must be a whole number"),
    ("2.1,2013/14 Q1,,,,,,,,,nearly done,,,", "status", '"nearly done" is not a status'),
    ("1.1,2013/14 Q1,,10,,,,,,,,green,,", "rag_reason", "needs a reason"),
    ("1.1,2013/14 Q1,,10,,,,,,,,purple,x,", "rag", "use green, amber, red or none"),
    ("2.1,2013/14 Q1,,,,,,,,,on track,none,,", "rag_reason", "needs a reason"),
    ("1.1,2013/14 Q1,south,10,,,,,,,,,,", "area", 'unknown area "south"'),
    ("1.1,2013/14 Q1,,10,,fortnightly,,,,,,,,", "basis", "not a basis"),
    ("1.1,2013/14 Q1,,,,,,,,,,,,", "value", "needs a value"),
    ("1.2,2013/14 Q1,,40,,,,,50,40,,,,", "numerator", "more than denominator"),
    ("1.1,2013/14 Q1,,1.1234567,,,,,,,,,,", "value", "more than 6 decimal places"),
]


@pytest.mark.parametrize("row, column, reason", BAD_ROWS)
def test_a_bad_row_is_refused_with_row_column_and_reason_and_nothing_changes(
    small_plan, write, row, column, reason
):
    run_import(write("q1.csv", GOOD))
    before, audits = state(), AuditEntry.objects.count()
    with pytest.raises(CommandError) as err:
        run_import(write("q2.csv", GOOD.replace("1517", "1600") + row + "\n"))
    message = str(err.value)
    assert f"q2.csv, row 5, column {column}: " in message
    assert reason in message
    assert "nothing was imported" in message
    assert state() == before  # the good rows in the same file were not written either
    assert AuditEntry.objects.count() == audits


def test_a_duplicate_row_is_refused_naming_both_rows(small_plan, write):
    with pytest.raises(CommandError, match="q1.csv, row 5: duplicate of row 2"):
        run_import(write("q1.csv", GOOD + "1.1,2013/14 Q1,,1520,,ytd,,,,,,,,\n"))
    assert state() == ([], 0)


def test_every_problem_in_the_file_is_listed_at_once(small_plan, write):
    with pytest.raises(CommandError) as err:
        run_import(write("q1.csv", HEADER + "9.9,2013/14 Q1,,1,,,,,,,,,,\n1.1,bad,,x,,,,,,,,,,\n"))
    assert "3 problems found" in str(err.value)
    assert "row 2" in str(err.value) and "row 3" in str(err.value)


@pytest.mark.parametrize(
    "content, reason",
    [
        ("", "the file is empty"),
        (HEADER, "no rows"),
        ("measure,value\n1.1,10\n", 'needs a "period" column'),
        ("measure,period,value,colour\n1.1,2013/14 Q1,1,red\n", 'unknown column "colour"'),
    ],
)
def test_an_empty_or_malformed_file_is_refused(small_plan, write, content, reason):
    with pytest.raises(CommandError, match=reason):
        run_import(write("q1.csv", content))
    assert state() == ([], 0)


def test_an_unreadable_file_is_refused(small_plan, tmp_path):
    path = tmp_path / "q1.csv"
    path.write_bytes(b"\x81\x00binary\xff")  # not UTF-8, and no byte-order mark naming UTF-16
    with pytest.raises(CommandError, match="cannot read the file"):
        run_import(path)
    assert state() == ([], 0)


def test_an_unknown_plan_is_refused(small_plan, write):
    with pytest.raises(CommandError, match='no plan "nope"'):
        call_command("import", "observations", str(write("q1.csv", GOOD)), "--plan", "nope")


def test_a_clean_reimport_changes_nothing(small_plan, write, capsys):
    path = write("q1.csv", GOOD)
    run_import(path)
    first = state()
    run_import(path)
    assert "0 new, 0 changed, 3 unchanged" in capsys.readouterr().out
    assert state() == first


def test_a_changed_value_updates_and_keeps_the_old_one_with_who_and_when(small_plan, write):
    run_import(write("q1.csv", GOOD))
    run_import(write("q1-corrected.csv", GOOD.replace("1517", "1520")))
    o = Observation.objects.get(measure__code="1.1")
    assert o.value == 1520
    rev = o.revisions.get()
    assert rev.previous["value"] == "1517"
    assert rev.changed_by_name == "oversight command line"
    assert rev.changed_at is not None
    assert "q1-corrected.csv" in rev.note


def test_an_override_needs_its_reason_and_keeps_the_engines_status(small_plan, write):
    run_import(
        write(
            "q1.csv",
            GOOD.replace(
                "1.2,2013/14 Q1,north,54.9,,,,,,,,,,",
                "1.2,2013/14 Q1,,40,,,,,,,,green,as published,",
            ),
        )
    )
    o = Observation.objects.get(measure__code="1.2", area__code="force")
    assert (o.rag_override, o.rag_reason) == ("green", "as published")


def test_a_status_published_with_none_shows_no_colour_and_keeps_the_rules_status(
    small_plan, write, capsys
):
    import json

    run_import(
        write(
            "q1.csv",
            GOOD.replace(
                "2.1,2013/14 Q1,,,,,,,,,on track,,,Commenced",
                "2.1,2013/14 Q1,,,,,,,,,on track,none,as published,On target for July",
            ),
        )
    )
    capsys.readouterr()
    call_command(
        "export",
        "measures",
        "--plan",
        "test-plan",
        "--period",
        "2013/14 Q1",
        "--format",
        "json",
        "--audience",
        "staff",
    )
    records = json.loads(capsys.readouterr().out)
    r = next(r for r in records if r["measure"] == "2.1" and r["area"] == "force")
    assert (r["rag"], r["rag_computed"], r["rag_reason"]) == (None, "green", "as published")


def test_xlsx_files_import_like_csv(small_plan, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for line in GOOD.strip().split("\n"):
        ws.append(
            [
                int(c)
                if c.isdigit()
                else (float(c) if c.replace(".", "", 1).isdigit() else c or None)
                for c in line.split(",")
            ]
        )
    path = tmp_path / "q1.xlsx"
    wb.save(path)
    run_import(path)
    assert f"{Observation.objects.get(measure__code='1.2').value.normalize()}" == "54.9"
    assert Observation.objects.count() == 3


def test_thousands_separators_are_read_as_typed(small_plan, write):
    run_import(write("q1.csv", HEADER + '1.1,2013/14 Q1,,"1,517",,,,,,,,,,\n'))
    assert Observation.objects.get().value == 1517


def test_a_published_figure_changes_only_as_a_correction_with_a_reason(small_plan, write):
    from oversight.plans.actions import publish_period

    run_import(write("q1.csv", GOOD))
    publish_period(small_plan, "2013/14 Q1", by="test")
    changed = write("q1-fix.csv", GOOD.replace("1517", "1520"))
    with pytest.raises(CommandError, match="is published: a correction needs a reason"):
        run_import(changed)
    assert Observation.objects.get(measure__code="1.1").value == 1517
    call_command(
        "import",
        "observations",
        str(changed),
        "--plan",
        "test-plan",
        "--correction-reason",
        "late-recorded crimes added",
    )
    o = Observation.objects.get(measure__code="1.1")
    assert (o.value, o.state, o.correction_reason) == (
        1520,
        "published",
        "late-recorded crimes added",
    )
    assert o.corrected_at is not None and o.revisions.get().previous["value"] == "1517"
