"""The registers' due items: a contract's end (reminded half a year ahead, then to an administrator
a month before), and a contract's publication deadline (done once published)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from cycle_fixtures import *  # noqa: F403 (the fixtures smtp, run and panel)

from oversight.registers.due import contract_due_items, publication_due_items
from oversight.registers.models import Contract


@pytest.fixture
def contract(db):
    return Contract.objects.create(
        identifier="C-1", slug="c-1", title="Victim support service", provider="Support Ltd",
        value=Decimal("250000.00"), starts_on=date(2026, 2, 1), ends_on=date(2026, 9, 30),
        extension_options=1, extension_months=12,
    )  # fmt: skip


def test_a_contracts_end_and_its_publication_are_due_items(contract):
    (ends,) = contract_due_items(date(2026, 3, 1))
    assert (ends.key, ends.kind, ends.due, ends.done) == (
        "contract:C-1:2026-09-30", "contract", date(2026, 9, 30), False
    )  # fmt: skip
    assert "1 extension(s) of 12 month(s) left" in ends.state
    (publish,) = [i for i in publication_due_items(date(2026, 3, 1)) if "C-1" in i.key]
    assert (publish.due, publish.done) == (date(2026, 3, 3), False)  # 30 days from the start
    contract.published_on = date(2026, 2, 20)
    contract.save()
    (publish,) = [i for i in publication_due_items(date(2026, 3, 1)) if "C-1" in i.key]
    assert publish.done


def test_a_contracts_end_goes_to_the_editors_then_an_administrator(smtp, run, contract, cast):
    contract.published_on = date(2026, 2, 20)  # its publication is done: only its end is due
    contract.save()
    run(date(2026, 3, 31))  # 183 days before the end: nothing yet
    assert smtp.take() == []
    run(date(2026, 4, 1))  # 182 days before: the editors
    assert [(to, subject) for to, subject, _ in smtp.take()] == [
        ("editor@example.org", "Reminder: Contract ends: Victim support service (Support Ltd)")
    ]
    run(date(2026, 8, 31))  # 30 days before: the administrators
    assert [(to, subject) for to, subject, _ in smtp.take()] == [
        ("administrator@example.org", "Coming up: Contract ends: Victim support service "
         "(Support Ltd)")
    ]  # fmt: skip
    run(date(2026, 10, 30))  # ended: nothing more
    assert smtp.take() == []
