"""Any bytes into any importer: either the file imports, or it is refused with its problems listed
and the database is exactly as it was (every row of every table compared). Hypothesis writes the
files, from random bytes and from a good file with a piece replaced by random text; each test is
bounded in examples and derandomised, so the run is the same every time."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.lib.problems import ImportRefused

from conftest import HEADER, SMALL_PLAN

BOUNDED = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SYNTAX = list(",:;[]{}&*!-#\"'\n\t |>%@`=.0123456789eE/Q\\\r\x00\ufeff£–")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate makes bytes that are not UTF-8


def files(template: str) -> st.SearchStrategy[bytes]:
    """Random bytes, random text, or the template with a slice replaced by random text."""
    pieces = st.text(st.sampled_from(SYNTAX) | st.characters(), max_size=24)
    mutated = st.builds(
        lambda at, cut, piece: _bytes(template[:at] + piece + template[at + cut :]),
        st.integers(0, len(template)),
        st.integers(0, 30),
        pieces,
    )
    return st.one_of(st.binary(max_size=200), pieces.map(_bytes), mutated, mutated, mutated)


def dump() -> dict[str, list[dict]]:
    """Every row of every table, in primary-key order."""
    return {
        m._meta.label: list(m.objects.order_by("pk").values())
        for m in apps.get_models()
        if not m._meta.proxy
    }


def check(read_and_import, path: Path, data: bytes) -> None:
    """Import `data` from `path`; on refusal the problems are listed and nothing changed. Each
    example runs in a savepoint that is rolled back, so every example starts from the same data."""
    path.write_bytes(data)
    with transaction.atomic():
        before = dump()
        try:
            read_and_import(path)
        except ImportRefused as exc:
            assert exc.problems and exc.total >= len(exc.problems)
            assert all(str(p).startswith(path.name) for p in exc.problems)
            assert dump() == before
        transaction.set_rollback(True)


@pytest.mark.django_db
@BOUNDED
@given(data=files(SMALL_PLAN))
def test_any_plan_yaml_imports_or_is_refused_leaving_the_database_unchanged(tmp_path, data):
    from oversight.plans.actions import import_plan
    from oversight.plans.importers import read_plan

    check(lambda p: import_plan(read_plan(p), by="test"), tmp_path / "plan.yaml", data)


OBSERVATIONS = HEADER + (
    "1.1,2013/14 Q1,,5900,,ytd,,,,,,,,\n"
    "1.2,2013/14 Q1,north,51.5,50,,48,last year,103,200,,,,\n"
    "2.1,2013/14 Q1,,,,,,,,,on_track,green,as published,Commenced\n"
)


@pytest.mark.django_db
@BOUNDED
@given(data=files(OBSERVATIONS))
def test_any_observations_csv_imports_or_is_refused_leaving_the_database_unchanged(
    small_plan, tmp_path, data
):
    from oversight.plans.actions import import_observations
    from oversight.plans.importers import read_observations

    def run(path):
        rows = read_observations(path, small_plan)
        import_observations(small_plan, rows, by="test", file_name=path.name)

    check(run, tmp_path / "figures.csv", data)


CELL = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1.1", "1.2", "2.1", "2013/14 Q1", "north", "on_track", "ytd", "g"]),
    st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12),
)


@pytest.mark.django_db
@settings(BOUNDED, max_examples=12)
@given(rows=st.lists(st.lists(CELL, max_size=16), max_size=5))
def test_any_observations_spreadsheet_imports_or_is_refused_leaving_the_database_unchanged(
    small_plan, tmp_path, rows
):
    from openpyxl import Workbook

    from oversight.plans.actions import import_observations
    from oversight.plans.importers import read_observations

    wb = Workbook()
    wb.active.append(HEADER.strip().split(","))
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)

    def run(path):
        figures = read_observations(path, small_plan)
        import_observations(small_plan, figures, by="test", file_name=path.name)

    check(run, tmp_path / "figures.xlsx", out.getvalue())


NARRATIVE = """\
---
period: "2013/14 Q1"
---
# Purpose
The purpose of this report.

# Objective 1
Crime is down.

# Activity: Audit committee
It met.
"""


@pytest.mark.django_db
@BOUNDED
@given(data=files(NARRATIVE))
def test_any_narrative_imports_or_is_refused_leaving_the_database_unchanged(
    small_plan, tmp_path, data
):
    from oversight.plans.actions import import_narrative
    from oversight.plans.importers import read_narrative

    def run(path):
        import_narrative(small_plan, read_narrative(path, small_plan), by="test")

    check(run, tmp_path / "q1.md", data)


REGISTERS = {
    "decisions": "id,reference,title,made_on,value,objectives,published_on\n"
    'd-1,PCC/D/2013/1,Estates strategy,2013-05-01,"1,200,000",1,2013-05-20\n',
    "programmes": "id,title,funder_name,funder_org_id,fund_total,opens_on,closes_on\n"
    "cgs,Grant scheme,Testshire PCC,GB-GOR-TEST,2000000,2013-04-01,2013-06-30\n",
    "grants": "id,title,purpose,recipient_name,amount,awarded_on,summary_count,currency\n"
    "g-1,Youth club,Activities,Northtown Youth Trust,5000,2013-05-02,,GBP\n",
    "contracts": "id,title,provider,value,starts_on,ends_on,extension_options,extensions_used\n"
    "c-1,Victim services,Victim Support,900000,2013-04-01,2016-03-31,2,1\n",
    "bids": "id,funder,fund,amount_requested,amount_awarded,outcome\n"
    "b-1,Home Office,Safer Streets,100000,90000,won\n",
    "disposals": "id,asset,status,value,expected_by\nx-1,Old station,marketed,500000,2014-01-01\n",
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(REGISTERS))
@settings(BOUNDED, max_examples=12)
@given(data=st.data())
def test_any_register_csv_imports_or_is_refused_leaving_the_database_unchanged(
    small_plan, tmp_path, kind, data
):
    from oversight.registers.actions import import_register
    from oversight.registers.importers import read_register

    def run(path):
        rows = read_register(kind, path, small_plan)
        import_register(kind, rows, by="test", file_name=path.name)

    check(run, tmp_path / f"{kind}.csv", data.draw(files(REGISTERS[kind])))


SCRUTINY = (Path(__file__).parent / "scrutiny" / "fixtures" / "example.yaml").read_text()


@pytest.mark.django_db
@BOUNDED
@given(data=files(SCRUTINY))
def test_any_scrutiny_yaml_imports_or_is_refused_leaving_the_database_unchanged(
    small_plan, tmp_path, data
):
    from oversight.scrutiny.actions import import_scrutiny
    from oversight.scrutiny.importers import read_scrutiny

    check(lambda p: import_scrutiny(read_scrutiny(p), by="test"), tmp_path / "s.yaml", data)
