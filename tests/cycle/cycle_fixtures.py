"""Fixtures for the reminder tests: a real SMTP server (aiosmtpd) on this machine that receives every
backend pointed at it, and the people and records a reminder round needs."""

from __future__ import annotations

import email
import socket
from datetime import date
from email.message import Message
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

__all__ = ["STATUTORY", "panel", "run", "smtp"]


class Inbox:
    """What the SMTP server received, in order: (envelope recipients, parsed message)."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.received.append(
            (list(envelope.rcpt_tos), email.message_from_bytes(envelope.content, policy=default))
        )
        return "250 Message accepted for delivery"

    def take(self) -> list[tuple[str, str, str]]:
        """(to, subject, body) of each message received since the last take, in order."""
        out = [
            (",".join(to), str(m["Subject"]), m.get_body().get_content())  # type: ignore[union-attr]
            for to, m in self.received
        ]
        self.received.clear()
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "oversight@testshire.example"
    try:
        yield inbox
    finally:
        controller.stop()


STATUTORY = "oversight.scrutiny.calendar.statutory_due_items"


@pytest.fixture
def run(settings):
    """Run the reminder job as of a day (the fake clock, OVERSIGHT_TODAY); returns its summary.
    The statutory calendar's dates fall due every year whatever the records hold, so they are
    left out here, where each test follows its own records (test_statutory_reminders has them)."""
    from oversight.cycle.jobs import run_reminders

    settings.OVERSIGHT_DUE_PROVIDERS = [
        p for p in settings.OVERSIGHT_DUE_PROVIDERS if p != STATUTORY
    ]

    def _run(day: date) -> str:
        settings.OVERSIGHT_TODAY = day.isoformat()
        return run_reminders()

    return _run


@pytest.fixture
def panel(db):
    """A Panel whose scrutiny officer and one action owner are people with an email."""
    from oversight.scrutiny.models import Body, BodyKind, Person

    officer = Person.objects.create(
        slug="sam-officer", name="Sam Officer", email="officer@testshire.example"
    )
    owner = Person.objects.create(slug="olive-owner", name="Olive Owner", email="olive@example.org")
    body = Body.objects.create(
        slug="panel", name="Testshire Police and Crime Panel", kind=BodyKind.PANEL,
        support_officer=officer,
    )  # fmt: skip
    return body, owner, officer
