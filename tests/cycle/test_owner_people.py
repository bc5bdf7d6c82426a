"""Action owners are people: the data migration matches the owner's words to one person, the
importer takes a person's id, and a Panel member's question can name who answers it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from oversight.scrutiny.actions import import_scrutiny, update_action
from oversight.scrutiny.importers import read_scrutiny
from oversight.scrutiny.models import Action, Body, BodyKind, Person

match_owners = importlib.import_module(
    "oversight.scrutiny.migrations.0005_action_owner_person"
).match_owners


@pytest.mark.django_db
def test_the_migration_matches_an_owner_to_exactly_one_person():
    body = Body.objects.create(slug="p", name="Panel", kind=BodyKind.PANEL)
    Person.objects.create(slug="jane-doe", name="Jane Doe", formal_name="Mrs J Doe")
    Person.objects.create(slug="a-smith", name="Alex Smith")
    Person.objects.create(slug="a-smith-2", name="Alex Smith")
    made = {
        ref: Action.objects.create(body=body, ref=ref, description="d", owner=owner)
        for ref, owner in (
            ("1", "jane  doe"),
            ("2", "Mrs J Doe"),
            ("3", "PCC"),
            ("4", "Alex Smith"),
        )
    }
    match_owners(apps, None)
    found = {ref: getattr(Action.objects.get(pk=a.pk).owner_person, "slug", None)
             for ref, a in made.items()}  # fmt: skip
    assert found == {"1": "jane-doe", "2": "jane-doe", "3": None, "4": None}


SCRUTINY = """\
people:
  - {id: sam, name: Sam Officer, email: sam@example.org}
  - {id: olive, name: Olive Owner, email: not-an-email}
bodies:
  - {id: panel, name: Testshire Panel, kind: panel, support_officer: sam}
actions:
  - {body: panel, ref: "1", description: Report back, owner: ACC, owner_person: olive, due: 2026-03-10}
  - {body: panel, ref: "2", description: Report back, owner: ACC, owner_person: nobody-here}
"""


@pytest.mark.django_db
def test_the_importer_takes_people_with_emails_and_action_owners_and_lists_every_problem(write):
    from oversight.lib.problems import ImportRefused

    with pytest.raises(ImportRefused) as refused:
        read_scrutiny(write("bad.yaml", SCRUTINY))
    message = refused.value.message
    assert '"not-an-email" is not an email address' in message
    assert 'no person "nobody-here"' in message
    assert Person.objects.count() == 0  # nothing written

    good = SCRUTINY.replace("not-an-email", "olive@example.org").replace("nobody-here", "sam")
    import_scrutiny(read_scrutiny(write("good.yaml", good)), by="test")
    one = Action.objects.get(ref="1")
    assert (one.owner, one.owner_person.slug, one.owner_person.contact_email) == (
        "ACC", "olive", "olive@example.org"
    )  # fmt: skip
    assert Body.objects.get(slug="panel").support_officer.email == "sam@example.org"


@pytest.mark.django_db
def test_changing_an_actions_owner_keeps_the_earlier_version(write):
    import_scrutiny(read_scrutiny(write("s.yaml", SCRUTINY.replace("not-an-email", "o@example.org")
                                        .replace("nobody-here", "sam"))), by="test")  # fmt: skip
    action = Action.objects.get(ref="1")
    update_action(
        action, text="Passed to Sam", owner_person=Person.objects.get(slug="sam"), by="test"
    )
    versions = list(
        action.history.order_by("history_id").values_list("owner_person__slug", flat=True)
    )
    assert versions[0] == "olive" and versions[-1] == "sam"


@pytest.mark.django_db
def test_a_person_is_linked_to_a_user_by_user_name(write, cast):
    linked = SCRUTINY.replace("not-an-email", "o@example.org").replace("nobody-here", "sam")
    unknown = linked.replace(
        "{id: sam, name: Sam Officer,", "{id: sam, name: Sam Officer, user: nobody,"
    )
    from oversight.lib.problems import ImportRefused

    with pytest.raises(ImportRefused, match='no user "nobody"'):
        read_scrutiny(write("u.yaml", unknown))
    known = linked.replace(
        "{id: sam, name: Sam Officer,", "{id: sam, name: Sam Officer, user: panel-user,"
    )
    import_scrutiny(read_scrutiny(write("k.yaml", known)), by="test")
    assert Person.objects.get(slug="sam").user.username == "panel-user"
