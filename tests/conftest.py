"""Shared test fixtures: paths to ../shared, the named cast of users."""

import os
from pathlib import Path

import pytest

# Sync Playwright runs beside pytest-django's live server in the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
SHARED_DATA = SHARED / "data"


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with a one-line reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/data/{'/'.join(parts)} is absent (only CI and developers have it)")
    return path


@pytest.fixture
def shared_data():
    return shared_path


SMALL_PLAN = """\
plan:
  slug: test-plan
  title: Test Police and Crime Plan
  force: Testshire
  starts: 2013-04-01
  ends: 2017-03-31
areas:
  - {code: north, name: North}
objectives:
  - code: "1"
    title: Reduce crime
    measures:
      - {code: "1.1", name: Crimes recorded, unit: count, polarity: down, headline: true,
         target: {kind: change, percent: -2, baseline: {period: "2012/13", value: 6000}, text: less 2% of 2012/13 outturn}}
      - {code: "1.2", name: Solved rate, unit: percent, polarity: up, target: {kind: value, value: 50}}
  - code: "2"
    title: Deliver strategies
    measures:
      - {code: "2.1", name: Strategy in place, unit: milestone, polarity: up, target: {kind: milestone, due: 2013-07-31}}
"""

HEADER = "measure,period,area,value,target,basis,comparator,comparator_label,numerator,denominator,status,rag,rag_reason,comment\n"


@pytest.fixture
def write(tmp_path):
    """Write a text file into the test's folder and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def small_plan(db, write):
    """A three-measure plan imported through the public importer."""
    from oversight.plans.actions import import_plan
    from oversight.plans.importers import read_plan

    plan, _ = import_plan(read_plan(write("plan.yaml", SMALL_PLAN)), by="test")
    return plan
