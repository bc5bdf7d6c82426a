"""The scheduler is django-q2: schedules created once from OVERSIGHT_JOBS, the reminder job run
through django-q2's own scheduler, `oversight worker` as a real process, the broker chosen by
setting."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from cycle_fixtures import *  # noqa: F403 (the fixtures smtp, run and panel)
from django.utils import timezone
from django_q.models import Schedule

from oversight.cycle.schedules import ensure_schedules
from oversight.scrutiny.models import Action

OVERSIGHT = Path(sys.executable).parent / "oversight"


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "OVERSIGHT_DATA_DIR": str(tmp_path), **extra}
    env.pop("DATABASE_URL", None)  # its own SQLite file
    return env


@pytest.mark.django_db
def test_the_schedules_are_created_once_however_often_they_are_ensured(settings):
    # The test database was migrated, which created them; ensuring again adds nothing.
    made = set(Schedule.objects.values_list("name", "func", "schedule_type"))
    assert made == {
        ("oversight:reminders", "oversight.cycle.jobs.run_reminders", "H"),
        ("oversight:subscription-digest", "oversight.subscriptions.jobs.send_digests", "D"),
    }
    ensure_schedules()
    ensure_schedules()
    assert Schedule.objects.count() == 2
    # A job another part of the product appends is added once, and a changed schedule followed.
    settings.OVERSIGHT_JOBS = [
        ("reminders", "oversight.cycle.jobs.run_reminders", 30),
        ("digest", "oversight.cycle.jobs.run_reminders", "daily"),
    ]
    ensure_schedules()
    ensure_schedules()
    assert dict(Schedule.objects.values_list("name", "schedule_type")) == {
        "oversight:reminders": "I",
        "oversight:subscription-digest": "D",  # no longer listed: kept, not deleted
        "oversight:digest": "D",
    }
    assert Schedule.objects.get(name="oversight:reminders").minutes == 30


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("job", "reason"),
    [
        (("x", "oversight.cycle.jobs.run_reminders", "fortnightly"), "not 'fortnightly'"),
        (("x", "oversight.cycle.jobs.no_such_job", "daily"), "no_such_job"),
    ],
)
def test_a_misspelt_job_is_refused_when_the_schedules_are_made(job, reason):
    with pytest.raises(ImportError if "no_such" in job[1] else ValueError, match=reason):
        ensure_schedules([job])


def test_django_q2s_scheduler_runs_the_reminder_job_when_it_is_due(
    smtp, panel, settings, monkeypatch
):
    from django_q.conf import Conf
    from django_q.scheduler import scheduler

    body, owner, _ = panel
    Action.objects.create(
        body=body, ref="3", description="Answer the question on 101 calls",
        owner="Olive Owner", owner_person=owner, due_date=date(2026, 3, 10),
    )  # fmt: skip
    settings.OVERSIGHT_TODAY = "2026-03-04"
    settings.OVERSIGHT_DUE_PROVIDERS = [
        p
        for p in settings.OVERSIGHT_DUE_PROVIDERS
        if p != STATUTORY  # noqa: F405 (see run)
    ]
    monkeypatch.setattr(Conf, "SYNC", True)  # run the task in this process, not a worker's
    Schedule.objects.update(next_run=timezone.now() - timedelta(minutes=1))
    scheduler()
    received = smtp.take()
    assert [(to, subject) for to, subject, _ in received] == [
        ("olive@example.org", "Reminder: Action 3 of Testshire Police and Crime Panel: Answer "
         "the question on 101 calls")
    ]  # fmt: skip
    # Not due again until its next hourly run; and that run sends nothing new.
    assert Schedule.objects.get(name="oversight:reminders").next_run > timezone.now()
    Schedule.objects.update(next_run=timezone.now() - timedelta(minutes=1))
    scheduler()
    assert smtp.take() == []


def test_oversight_worker_help_says_what_it_runs(tmp_path):
    done = subprocess.run(
        [str(OVERSIGHT), "worker", "--help"],
        capture_output=True, text=True, env=env_for(tmp_path), timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Run the scheduler: reminders and the other scheduled jobs." in done.stdout
    assert "--once" in done.stdout and "--settings" not in done.stdout


def test_oversight_serve_offers_to_leave_the_worker_out(tmp_path):
    done = subprocess.run(
        [str(OVERSIGHT), "serve", "--help"],
        capture_output=True, text=True, env=env_for(tmp_path), timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "--no-worker" in done.stdout


@pytest.mark.parametrize(
    ("extra", "broker"),
    [({}, "ORM"), ({"OVERSIGHT_QUEUE_REDIS_URL": "redis://127.0.0.1:1/0"}, "Redis")],
)
def test_the_database_is_the_broker_unless_a_redis_server_is_named(tmp_path, extra, broker):
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'oversight.settings');"
        " django.setup(); from django_q.brokers import get_broker;"
        " print(type(get_broker()).__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, env=env_for(tmp_path, **extra), timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == broker


def test_a_running_worker_takes_the_reminder_job_and_stops_on_sigterm(tmp_path):
    """`oversight worker` as `oversight serve` starts it: a real cluster on its own SQLite file
    takes the job the migration scheduled, records its result, and stops cleanly."""
    env = env_for(tmp_path, OVERSIGHT_TODAY="2026-03-04")
    worker = subprocess.Popen(
        [str(OVERSIGHT), "worker"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, env=env,
    )  # fmt: skip
    database = tmp_path / "oversight.sqlite3"
    results: list = []
    try:
        # Migrating a new database takes a while on a busy machine.
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and len(results) < 2:
            time.sleep(1)
            if database.exists():
                with sqlite3.connect(database) as db:
                    try:
                        results = db.execute(
                            "select func, success from django_q_task where func like 'oversight.%'"
                        ).fetchall()
                    except sqlite3.OperationalError:  # not migrated yet
                        pass
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=60)
    assert sorted(results) == [
        ("oversight.cycle.jobs.run_reminders", 1),
        ("oversight.subscriptions.jobs.send_digests", 1),
    ], output[-3000:]
    assert (
        "Scheduler started (oversight:reminders, oversight:subscription-digest; broker: the database)"
        in output
    )
    assert worker.returncode == 0, output[-3000:]
