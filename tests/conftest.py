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


@pytest.fixture(autouse=True)
def _opendata_in_tmp(settings, tmp_path):
    """police.uk Parquet (which the demo writes when the sample files are at hand) goes to each
    test's own folder, never into the project's var/."""
    settings.OPENDATA_DIR = tmp_path / "opendata"


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


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser build)."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def axe_violations(page) -> list[str]:
    """Run axe-core on the page; one line per violation (empty when clean)."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {v['nodes'][0]['html'][:120]}"
        for v in result.response["violations"]
    ]
