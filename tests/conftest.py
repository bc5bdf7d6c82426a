"""Shared test fixtures: paths to ../shared, the named cast of users, the demo site and the demo's
documents, and the machinery that builds each shared database state once per test session."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from oversight.accounts.roles import Role

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
def _empty_cache():
    """No page cached by one test is served in another: tests that share a database state share
    its data version, the page cache's key."""
    from django.core.cache import cache

    cache.clear()


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


# ---------------------------------------------------------------- database states built once
#
# Building the demo takes seconds (the whole demo with its PDF, ten); about a hundred tests start
# from one of a few such states. Each state is built once per session inside a transaction held
# open around the tests that use it: each test's own transaction (pytest-django's `db`) is then
# a savepoint on top, rolled back after the test, so every test starts from the state as built
# and no test sees another's writes. Tests are ordered so that those sharing a state run
# together; a test that needs another state (or none) rolls the held one back first, so the
# order changes the speed, never a result. A test needing committed rows (a live server) builds
# its state itself, as before.

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STATES: dict[str, Callable[[Path], Any]] = {}


def shared_state(build: Callable[[Path], Any]) -> Any:
    """Make `build(out_dir) -> value` a database state built once per session. Returns the
    fixture `_state_<name>`: each test gets the value with every model instance in it fetched
    afresh (so one test's changes to an instance never reach the next)."""
    name = build.__name__
    STATES[name] = build

    @pytest.fixture(name=f"_state_{name}")
    def state(request, db, tmp_path):
        if HELD.name == name:
            return fresh(HELD.value)
        return _build(build, tmp_path / "state")  # a transactional test: committed, flushed after

    return state


def _build(build: Callable[[Path], Any], out: Path) -> Any:
    from django.test import override_settings

    out.mkdir(parents=True, exist_ok=True)
    # Argon2 is deliberately slow; the cast need not be (tests/web/test_security.py checks that
    # real users get Argon2 hashes). police.uk Parquet goes to the state's own folder.
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS, OPENDATA_DIR=out / "opendata"):
        return build(out)


def fresh(value: Any, seen: dict[int, Any] | None = None) -> Any:
    """The value with each model instance in it read again from the database (the same instance
    where the value holds it twice, as `site.cast` is `cast`)."""
    from django.db.models import Model

    seen = {} if seen is None else seen
    if id(value) in seen:
        return seen[id(value)]
    if isinstance(value, Model):
        out = type(value)._base_manager.get(pk=value.pk)
    elif isinstance(value, dict):
        out = {}
        seen[id(value)] = out
        out.update({k: fresh(v, seen) for k, v in value.items()})
    elif isinstance(value, list):
        out = []
        seen[id(value)] = out
        out.extend(fresh(v, seen) for v in value)
    elif isinstance(value, tuple):
        out = tuple(fresh(v, seen) for v in value)
    elif isinstance(value, SimpleNamespace):
        out = SimpleNamespace()
        seen[id(value)] = out
        vars(out).update({k: fresh(v, seen) for k, v in vars(value).items()})
    else:
        return value
    seen[id(value)] = out
    return out


class Held:
    """The state whose transaction is open, if any."""

    name: str | None = None
    value: Any = None
    atomic: Any = None
    connection: Any = None
    blocker: Any = None

    def switch(self, name: str | None, request) -> None:
        if name == self.name:
            return
        self.release()
        if name is None:
            return
        from django.db import transaction

        self.blocker = request.getfixturevalue("django_db_blocker")
        request.getfixturevalue("_release_held_state")
        out = request.getfixturevalue("tmp_path_factory").mktemp(f"state-{name}")
        with self.blocker.unblock():
            self.connection = transaction.get_connection()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                self.value = _build(STATES[name], out)
            except BaseException:
                self.release()
                raise
        self.name = name

    def release(self) -> None:
        if self.atomic is None:
            return
        from django.db import connections, transaction

        # Rolled back on the connection it was opened on (see "browser" below).
        current, connections["default"] = connections["default"], self.connection
        try:
            with self.blocker.unblock():
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
        finally:
            connections["default"] = current
        self.name = self.value = self.atomic = self.connection = None


HELD = Held()


def _state_of(item) -> str | None:
    names = [
        n.removeprefix("_state_")
        for n in getattr(item, "fixturenames", ())
        if n.startswith("_state_")
    ]
    if len(names) > 1:
        raise pytest.UsageError(f"{item.nodeid} asks for two database states: {names}")
    if not names or _transactional(item) or "browser" in item.fixturenames:
        return None
    return names[0]


def _transactional(item) -> bool:
    """As pytest-django decides: a test whose rows must be committed (a live server reads them)."""
    from pytest_django.plugin import validate_django_db

    marker = item.get_closest_marker("django_db")
    transaction, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    names = {"transactional_db", "live_server", "django_db_reset_sequences"}
    return bool(transaction or reset_sequences or names & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # Just before a test's own transaction opens: hold the state it needs (and only that one).
    if fixturedef.argname == "_django_db_helper":
        HELD.switch(_state_of(request._pyfuncitem), request)
    elif fixturedef.argname == "browser":
        # Playwright runs an event loop in this thread, and from then on Django hands this thread
        # another database connection (asgiref's Local follows the loop's context), which cannot
        # see a transaction held open on the first: a browser test builds its state itself.
        HELD.release()
    return (yield)


@pytest.fixture(scope="session")
def _release_held_state(django_db_setup):
    # Set up after the test databases, so torn down before pytest-django drops them.
    yield
    HELD.release()


def pytest_itemcollected(item):
    """Under pytest-xdist (`make test` runs one worker per core, `--dist loadgroup`), the tests of
    one module that share a database state go to one worker together, so a worker builds a state
    once for the run of them rather than once per test; the rest are spread one by one."""
    state = _state_of(item)
    if state is not None:
        item.add_marker(pytest.mark.xdist_group(f"{state}:{item.path.name}"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's order (database tests, then transactional ones, then the rest), the
    tests of one shared state side by side, so each state is built once."""
    order = {name: i for i, name in enumerate(STATES)}

    def key(item):
        names = getattr(item, "fixturenames", ())
        tier = 0 if "db" in names or item.get_closest_marker("django_db") else 2
        if _transactional(item):
            tier = 1
        state = _state_of(item)
        return (tier, -1 if state is None else order[state])

    items.sort(key=key)


# ---------------------------------------------------------------- the cast and the demo site

PASSWORD = "correct horse battery staple 42"
DRAFT_VALUE = 987654  # a figure no public page may ever show
ROLES = [None, Role.PROVIDER, Role.PANEL, Role.EDITOR, Role.ADMIN]


def role_name(role) -> str:
    return str(role) if role else "public"


def make_cast() -> dict:
    from oversight.accounts.actions import create_user

    return {
        role: create_user(
            f"{role}-user", password=PASSWORD, role=role, email=f"{role}@example.org", by="test"
        )
        for role in (Role.PROVIDER, Role.PANEL, Role.EDITOR, Role.ADMIN)
    }


def make_site(cast: dict) -> SimpleNamespace:
    """The demo plan (2013/14 Q1 published) with a 2013/14 Q2 collection open, the provider assigned
    to every measure of objective 2, a submitted draft figure for 2.1 and a token per role."""
    from oversight.accounts.actions import issue_token
    from oversight.plans import actions
    from oversight.plans import demo as plan_demo
    from oversight.plans import demo_series as series
    from oversight.plans.models import Measure

    plan = plan_demo.load(by="test")
    series.load(plan=plan, out_dir=None, by="test")  # the synthetic monthly history, published
    provider = cast[Role.PROVIDER]
    theirs = list(Measure.objects.filter(plan=plan, objective__code="2"))
    for m in theirs:
        m.providers.add(provider)
    collection = actions.open_collection(plan, "2013/14 Q2", by=cast[Role.EDITOR])
    measure = Measure.objects.get(plan=plan, code="2.1")
    draft = actions.record_observation(
        measure, "2013/14 Q2", by=provider, value=DRAFT_VALUE, basis="ytd", state="draft"
    )
    actions.submit_figure(draft, by=provider)
    tokens = {
        role: issue_token(user, f"{role} system", by="test")[1] for role, user in cast.items()
    }
    return SimpleNamespace(
        plan=plan,
        cast=cast,
        collection=collection,
        measure=measure,
        draft=draft,
        provider_measures=theirs,
        objective=measure.objective,
        narrative=plan.narratives.first(),
        tokens=tokens,
    )


@shared_state
def site_rows(out: Path) -> dict:
    cast = make_cast()
    return {"cast": cast, "site": make_site(cast)}


@shared_state
def site_history_rows(out: Path) -> dict:
    from oversight.plans import demo_series as series

    rows = STATES["site_rows"](out)
    series.load(plan=rows["site"].plan, out_dir=None, by="test")  # loaded again: safe to repeat
    return rows


@pytest.fixture
def cast(request, db, settings):
    """One user per role: {Role.PROVIDER: …, Role.PANEL: …, Role.EDITOR: …, Role.ADMIN: …}; the
    demo site's own users when the test also uses the site."""
    settings.PASSWORD_HASHERS = FAST_HASHERS  # as the users were made (see _build)
    for name in request.fixturenames:
        if name.startswith("_state_"):
            rows = request.getfixturevalue(name)
            if isinstance(rows, dict) and "cast" in rows:
                return rows["cast"]
    return make_cast()


@pytest.fixture
def editor(cast):
    return cast[Role.EDITOR]


@pytest.fixture
def provider(cast):
    return cast[Role.PROVIDER]


@pytest.fixture
def panel_member(cast):
    return cast[Role.PANEL]


@pytest.fixture
def admin(cast):
    return cast[Role.ADMIN]


@pytest.fixture
def outsider(db):
    """A signed-in user holding no role."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("outsider", password=PASSWORD)


@pytest.fixture
def site(_state_site_rows, cast):
    """The demo site: see make_site."""
    return _state_site_rows["site"]


@pytest.fixture
def site_history(_state_site_history_rows, cast):
    """The demo site with its synthetic monthly history loaded a second time."""
    return _state_site_history_rows["site"]


def client_for(client, site, role):
    """The Django test client signed in as the role's user (anonymous for None)."""
    if role is not None:
        client.force_login(site.cast[role])
    return client


def form_data(response) -> dict:
    """What a browser would post back from a page's form untouched: each field's shown value
    (hidden ones too), a ticked box as "on", an unticked one left out."""
    from django import forms

    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    return data


# ---------------------------------------------------------------- the demo

REPORT_STEM = "police-and-crime-plan-report-2013-14-q1"


@shared_state
def demo_rows(out: Path) -> dict:
    from io import StringIO

    from django.core.management import call_command

    call_command("demo", "--out", str(out / "documents"), stdout=StringIO())
    return {"documents": out / "documents", "opendata": out / "opendata"}


@pytest.fixture
def demo(_state_demo_rows, settings, tmp_path):
    """The whole demo as `oversight demo` builds it (plan, figures, registers, scrutiny, police.uk
    sample, documents); its documents' folder, shared by the tests: read it, never write in it."""
    import shutil

    # The police.uk Parquet the demo wrote, copied into this test's folder (tests may import more).
    if _state_demo_rows["opendata"].exists():
        shutil.copytree(_state_demo_rows["opendata"], settings.OPENDATA_DIR, dirs_exist_ok=True)
    return _state_demo_rows["documents"]


@shared_state
def demo_plan_rows(out: Path):
    from oversight.plans import demo as plan_demo

    return plan_demo.load(by="test")


@pytest.fixture
def demo_plan(_state_demo_plan_rows):
    """The demo plan and its 2013/14 Q1 figures alone: no documents rendered, no registers."""
    return _state_demo_plan_rows


@shared_state
def scrutiny_rows(out: Path) -> None:
    from oversight.scrutiny.actions import import_scrutiny
    from oversight.scrutiny.demo import DATA
    from oversight.scrutiny.importers import read_scrutiny

    for path in sorted(DATA.glob("*.yaml")):
        import_scrutiny(read_scrutiny(path), by="test")


@pytest.fixture
def scrutiny_records(_state_scrutiny_rows):
    """The scrutiny demo's records alone, loaded through the importer (no documents rendered)."""


@shared_state
def scrutiny_demo_rows(out: Path) -> list[Path]:
    from oversight.scrutiny.demo import load

    return load(plan=None, out_dir=out, by="test")


@pytest.fixture
def scrutiny_demo(_state_scrutiny_demo_rows):
    """The scrutiny demo's records and the documents it wrote, their paths (shared: read only)."""
    return _state_scrutiny_demo_rows


# ---------------------------------------------------------------- finance, engagement, commissioning
# The seed 003 register items their records link to (from the registers' own transcription of
# seed 003), and the seed 003 demo figures loaded into the small plan (tests/finance).

SEED_003_ITEMS = {
    "decisions": {"pcc-d-2023-30"},
    "disposals": {
        "holmer-road-hereford",
        "hindlip-the-firs-and-the-orchards",
        "malvern-42a-albert-road",
        "evesham-community-contact-centre",
    },
    "contracts": {"wm-adult-sarc-2024", "wm-drive-dapp"},
    "bids": {"ho-safer-streets-5"},
}


@pytest.fixture
def seed003_registers(small_plan, write):
    """The register items seed 003's finance and commissioning figures link to, published, with
    their links to the demo plan's objectives dropped (the test plan has other objectives)."""
    import csv
    import io

    from oversight.registers.actions import import_register, publish_items
    from oversight.registers.demo import DATA as REGISTERS_DATA
    from oversight.registers.importers import read_register

    for kind, wanted in SEED_003_ITEMS.items():
        text = (REGISTERS_DATA / f"{kind}.csv").read_text(encoding="utf-8")
        rows = [r for r in csv.DictReader(io.StringIO(text)) if r["id"] in wanted]
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({**r, "objectives": ""})
        path = write(f"{kind}.csv", buf.getvalue())
        import_register(kind, read_register(kind, path, small_plan), by="test")
        publish_items(kind, by="test")
    return small_plan


@pytest.fixture
def seed003(seed003_registers):
    from oversight.commissioning.demo import load_seed003 as commissioning
    from oversight.engagement.demo import load_seed003 as engagement
    from oversight.finance.demo import load_seed003 as finance
    from oversight.plans.actions import publish_plan

    plan = seed003_registers
    publish_plan(plan, by="test")  # the public reads published plans only
    finance(plan, by="test")
    engagement(plan, by="test")
    commissioning(plan, by="test")
    return plan
