"""`oversight backup` and `oversight restore`: every row of every table comes back exactly, into an
empty database, on SQLite and PostgreSQL alike; anything else is refused with nothing written.

The tests that restore empty the database with Django's `flush` (what a new, migrated database
holds: content types and permissions only), so they run outside a test transaction."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.accounts.roles import Role
from oversight.audit.backup import DERIVED, SCHEDULER_APP

REBUILT = {"contenttypes.contenttype", "auth.permission"}

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def empty_the_database() -> None:
    call_command("flush", interactive=False, verbosity=0)


def snapshot() -> dict[str, list]:
    """Every row of every table Django knows, every field, ids and timestamps included. Content
    types and permissions (which `migrate` creates, with ids of its choosing) and references to
    them are given by name."""
    out: dict[str, list] = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.app_label == SCHEDULER_APP:
            continue  # the scheduler's state, not the record: `migrate` (and `flush`) remake it
        if label in DERIVED:
            continue  # worked out from the record again when asked for (tested on their own)
        if label in REBUILT:
            out[label] = sorted(obj.natural_key() for obj in model._base_manager.all())
            continue
        rows = []
        for obj in model._base_manager.order_by("pk"):
            row = {}
            for f in model._meta.concrete_fields:
                value = getattr(obj, f.attname)
                if f.is_relation and f.related_model._meta.label_lower in REBUILT and value:
                    value = getattr(obj, f.name).natural_key()
                row[f.attname] = value
            rows.append(row)
        out[label] = rows
    return out


@pytest.fixture
def rich(site, tmp_path, client):
    """The demo site (published quarter, synthetic history, open collection, a submitted figure,
    provider assignments, tokens) plus every other kind of record the product keeps."""
    from oversight.accounts.actions import issue_token, revoke_token
    from oversight.opendata.importers import import_archive
    from oversight.plans import actions as plan_actions
    from oversight.plans.actions import release_to_panel
    from oversight.plans.models import Measure, Observation, ObservationState
    from oversight.registers import demo as registers_demo
    from oversight.registers.actions import import_register, update_item
    from oversight.registers.importers import read_register
    from oversight.scrutiny import demo as scrutiny_demo
    from oversight.scrutiny.actions import import_scrutiny, update_action
    from oversight.scrutiny.importers import read_scrutiny
    from oversight.scrutiny.models import Action

    editor, admin = site.cast[Role.EDITOR], site.cast[Role.ADMIN]
    # a correction to a published figure (kept as a revision), and a commentary
    published = Observation.objects.filter(
        measure__plan=site.plan, state=ObservationState.PUBLISHED, value__isnull=False
    ).first()
    plan_actions.record_observation(
        published.measure,
        published.period.code,
        by=editor,
        value=published.value + 1,
        correction_reason="transcription error 🙂, corrected",
    )
    measure = Measure.objects.get(plan=site.plan, code="1.1")
    plan_actions.save_commentary(measure, "2013/14 Q1", text="=SUM(A1) is not a formula", by=editor)
    release_to_panel(site.collection, by=editor)
    for kind in registers_demo.ORDER:
        path = registers_demo.DATA / f"{kind}.csv"
        import_register(kind, read_register(kind, path, site.plan), by=editor, file_name=path.name)
    update_item(
        "grants", "wm-svd-2023-24-herefordshire", note="typo", by=editor, amount=Decimal("25000.50")
    )
    for path in sorted(scrutiny_demo.DATA.glob("*.yaml")):
        import_scrutiny(read_scrutiny(path), by=editor)
    update_action(Action.objects.first(), text="Asked the force for the figures", by=editor)
    revoke_token(issue_token(admin, "old system", by=admin)[0], by=admin)
    month = tmp_path / "archive" / "2019-01"
    month.mkdir(parents=True)
    (month / "2019-01-west-mercia-outcomes.csv").write_text(
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Outcome type\n"
        "abc,2019-01,A Police,A Police,-2.1,52.1,On or near X,E01000001,Worcester 001A,"
        "Local resolution\n"
    )
    import_archive(month.parent, by=editor)
    # rows that name content types and permissions, which differ in id between databases
    group = Group.objects.get(name=str(Role.EDITOR))
    group.permissions.add(Permission.objects.get(codename="view_plan"))
    editor.user_permissions.add(Permission.objects.get(codename="change_measure"))
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(type(site.plan)),
        object_id=str(site.plan.pk),
        object_repr=str(site.plan),
        action_flag=ADDITION,
    )
    client.force_login(admin)  # a session, which a backup leaves out
    return site


def test_a_restore_into_an_empty_database_gives_back_every_row_of_every_table(rich, tmp_path):
    before = snapshot()
    path = tmp_path / "backup.jsonl.gz"
    said = run("backup", "--out", str(path))
    assert f"to {path}" in said

    empty_the_database()
    assert not any(rows for label, rows in snapshot().items() if label not in REBUILT)
    said = run("restore", str(path))
    after = snapshot()

    assert said.startswith("Restored ")
    # The restore itself is the one row added: an audit entry saying what was restored.
    restored = after["audit.auditentry"].pop()
    assert restored["action"] == "restore_backup"
    assert "backup.jsonl.gz" in restored["summary"]
    assert before.pop("sessions.session") and not after.pop("sessions.session")
    for label in before:
        assert after[label] == before[label], label
    # the demo filled the tables that matter (a check that this test compares something)
    for label in ("plans.observation", "plans.publication", "plans.observationrevision",
                  "plans.commentary", "plans.measure_providers", "plans.panelrelease", "plans.historicalnarrative",
                  "registers.grant", "registers.historicalgrant", "scrutiny.actionupdate",
                  "accounts.apitoken", "auth.user", "admin.logentry", "opendata.importedfile",
                  "auth.group_permissions", "auth.user_user_permissions"):  # fmt: skip
        assert before[label], label


def test_new_rows_after_a_restore_get_new_ids_never_those_of_deleted_rows(small_plan, tmp_path):
    from oversight.plans.actions import save_commentary
    from oversight.plans.models import Commentary

    first, second = small_plan.measures.order_by("code")[:2]
    kept = save_commentary(first, "2013/14 Q1", text="Kept", by="test")
    gone = save_commentary(second, "2013/14 Q1", text="Removed", by="test")
    save_commentary(second, "2013/14 Q1", text="", by="test")  # deletes the newest row
    path = tmp_path / "backup.jsonl.gz"
    run("backup", "--out", str(path))

    empty_the_database()
    run("restore", str(path))
    new = save_commentary(second, "2013/14 Q1", text="New", by="test")

    assert list(Commentary.objects.values_list("id", flat=True)) == [kept.id, new.id]
    assert new.id > gone.id


def test_it_refuses_a_database_that_is_not_empty_and_says_how_to_start_from_an_empty_one(
    small_plan, tmp_path
):
    from oversight.plans.models import Plan

    path = tmp_path / "backup.jsonl.gz"
    run("backup", "--out", str(path))
    with pytest.raises(CommandError) as refused:
        run("restore", str(path))
    message = str(refused.value)
    assert "the database is not empty (" in message
    assert "OVERSIGHT_DATA_DIR" in message and "DATABASE_URL" in message
    assert "--replace" in message
    assert list(Plan.objects.values_list("slug", flat=True)) == ["test-plan"]


def test_replace_puts_the_backup_in_place_of_everything_and_signs_everyone_out(
    small_plan, tmp_path, client, django_user_model
):
    from oversight.plans.models import Plan

    path = tmp_path / "backup.jsonl.gz"
    run("backup", "--out", str(path))
    before = snapshot()
    small_plan.title = "Changed after the backup"
    small_plan.save()
    client.force_login(django_user_model.objects.create_user("someone"))

    run("restore", str(path), "--replace")

    assert Plan.objects.get().title == "Test Police and Crime Plan"
    assert not Session.objects.exists()
    after = snapshot()
    after["audit.auditentry"].pop()
    assert after == before


@pytest.mark.parametrize(
    "damage, why",
    [
        (lambda b: b[: len(b) // 2], "the file is damaged or cut short"),
        (
            lambda b: gzip.compress(b"".join(gzip.decompress(b).splitlines(True)[:-1])),
            "the file is cut short: it has no end line",
        ),
        (lambda b: b"measure,period\n1.1,2013/14 Q1\n", "not an Oversight backup"),
    ],
    ids=["cut-short", "no-end-line", "not-a-backup"],
)
def test_a_damaged_backup_is_refused_and_replace_then_deletes_nothing(
    small_plan, tmp_path, damage, why
):
    from oversight.plans.models import Plan

    path = tmp_path / "backup.jsonl.gz"
    run("backup", "--out", str(path))
    path.write_bytes(damage(path.read_bytes()))
    before = snapshot()

    with pytest.raises(CommandError, match=why):
        run("restore", str(path), "--replace")

    assert snapshot() == before
    assert Plan.objects.filter(slug="test-plan").exists()


def test_a_backup_from_a_newer_schema_is_refused_with_the_version_to_install(small_plan, tmp_path):
    path = tmp_path / "backup.jsonl.gz"
    run("backup", "--out", str(path))
    lines = gzip.decompress(path.read_bytes()).decode().splitlines(True)
    header = json.loads(lines[0])
    header["backup"]["oversight_version"] = "9.0"
    header["backup"]["migrations"]["plans"].append("0999_from_the_future")
    path.write_bytes(gzip.compress((json.dumps(header) + "\n" + "".join(lines[1:])).encode()))

    empty_the_database()
    with pytest.raises(CommandError) as refused:
        run("restore", str(path))

    message = str(refused.value)
    assert "made by Oversight 9.0 with a newer database schema" in message
    assert "plans 0999_from_the_future" in message
    assert "Install Oversight 9.0 or later" in message


def test_backup_needs_an_existing_folder(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("backup", "--out", str(tmp_path / "missing" / "backup.jsonl.gz"))
    assert not (tmp_path / "missing").exists()
