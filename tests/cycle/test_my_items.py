"""My items: each signed-in person sees what is due from them (figures to enter, actions to report
back on), latest due date first, and nobody else's."""

from __future__ import annotations

from datetime import date

import pytest
from cycle_fixtures import *  # noqa: F403 (the fixtures smtp, run and panel)

from oversight.accounts.roles import Role
from oversight.plans import actions as plans
from oversight.plans.models import Measure
from oversight.scrutiny.models import Action


@pytest.fixture
def items(small_plan, cast, panel, settings):
    settings.OVERSIGHT_TODAY = "2026-03-20"
    settings.OVERSIGHT_DUE_PROVIDERS = [
        p
        for p in settings.OVERSIGHT_DUE_PROVIDERS
        if p != STATUTORY  # noqa: F405 (see run)
    ]
    provider, panel_member = cast[Role.PROVIDER], cast[Role.PANEL]
    Measure.objects.get(plan=small_plan, code="1.1").providers.add(provider)
    plans.open_collection(small_plan, "2013/14 Q2", due=date(2026, 3, 10), by="test")
    body, owner, _ = panel
    owner.user = panel_member  # the owner signs in as the Panel member
    owner.save()
    for ref, due in (("4.1", date(2026, 2, 1)), ("4.2", date(2026, 4, 30))):
        Action.objects.create(
            body=body, ref=ref, description=f"Action {ref} text", owner="Olive Owner",
            owner_person=owner, due_date=due,
        )  # fmt: skip
    Action.objects.create(body=body, ref="9", description="Not theirs", owner="PCC",
                          due_date=date(2026, 3, 1))  # fmt: skip
    return cast


def test_a_provider_sees_their_figures_due_and_nothing_else(client, items):
    client.force_login(items[Role.PROVIDER])
    page = client.get("/my-items/").content.decode()
    assert "Figures for 2013/14 Q2 (Test Police and Crime Plan) from provider-user" in page
    assert "1 of 1 figure(s) to enter: 1.1" in page
    assert "Overdue by 10 days" in page
    assert "Action 4.1" not in page and "Not theirs" not in page


def test_an_action_owner_sees_their_actions_latest_due_first(client, items):
    client.force_login(items[Role.PANEL])
    page = client.get("/my-items/").content.decode()
    assert page.index("Action 4.2 of") < page.index("Action 4.1 of")  # 30 April before 1 Feb
    assert "Not yet due" in page and "Overdue by 47 days" in page
    assert "Figures for" not in page and "Not theirs" not in page


def test_my_items_is_for_signed_in_people_and_linked_from_the_menu(client, items):
    assert client.get("/my-items/").status_code == 302  # the public: sent to sign in
    client.force_login(items[Role.EDITOR])
    page = client.get("/my-items/").content.decode()
    assert 'href="/my-items/"' in page and "Nothing is due from you." in page
    assert 'href="/staff/reminders/"' in page


@pytest.mark.parametrize(("role", "status"), [(Role.PROVIDER, 403), (Role.PANEL, 403)])
def test_only_editors_open_the_reminders_page(client, items, role, status):
    client.force_login(items[role])
    assert client.get("/staff/reminders/").status_code == status
    assert client.get("/staff/reminders/collection/").status_code == status
