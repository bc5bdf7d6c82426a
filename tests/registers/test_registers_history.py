"""Register items keep every version, links to objectives included: imports write them in a few
queries whatever their size; two editors cannot silently undo each other; the Revision rows of an
older installation are carried into the history on upgrade."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oversight.accounts.roles import Role
from oversight.registers.actions import history, import_register
from oversight.registers.importers import read_register
from oversight.registers.models import Grant

from conftest import form_data

HEADER = "id,title,purpose,recipient_name,amount,awarded_on,objectives\n"


def grants(n: int, amount: int = 100) -> str:
    return HEADER + "".join(
        f"g{i},Grant {i},Purpose {i},Recipient {i},{amount + i},2023-06-30,1\n" for i in range(n)
    )


def run(plan, write, text: str, name: str = "grants.csv"):
    return import_register(
        "grants", read_register("grants", write(name, text), plan), by="test", file_name=name
    )


def test_an_import_keeps_each_rows_versions_with_its_links_credited_to_who_ran_it(
    small_plan, write
):
    run(small_plan, write, grants(3))
    run(small_plan, write, grants(3, amount=200).replace(",1\n", ",1;2\n"), "grants2.csv")
    g0 = Grant.objects.get(identifier="g0")
    first, second = g0.history.order_by("history_id")
    assert (first.history_type, first.amount, first.history_actor) == ("+", 100, "test")
    assert (second.history_type, second.amount) == ("~", 200)
    assert second.history_change_reason == "import of grants2.csv"
    assert [link.objective.code for link in first.objectives.all()] == ["1"]
    assert sorted(link.objective.code for link in second.objectives.all()) == ["1", "2"]
    (change,) = history("grants", "g0")
    assert (change.previous["amount"], change.previous["objectives"]) == ("100", ["test-plan/1"])


def test_a_bulk_import_writes_its_versions_in_a_few_queries_whatever_its_size(small_plan, write):
    def queries(text: str, name: str) -> int:
        rows = read_register("grants", write(name, text), small_plan)
        with CaptureQueriesContext(connection) as captured:
            import_register("grants", rows, by="test")
        return len(captured)

    small = queries(grants(5), "a.csv")
    Grant.objects.all().delete()
    Grant.history.all().delete()
    large = queries(grants(60), "b.csv")
    assert large <= small + 4  # another batch of INSERTs at most; one per row would be 55 more
    assert Grant.history.count() == 60


def test_two_editors_record_a_publication_date_and_the_second_is_refused(
    small_plan, write, cast, client
):
    run(small_plan, write, grants(1))
    url = "/registers/grants/g0/publication/"
    client.force_login(cast[Role.EDITOR])
    other = Client()
    other.force_login(cast[Role.ADMIN])
    first, second = form_data(client.get(url)), form_data(other.get(url))
    first["published_on"], second["published_on"] = "2023-07-01", "2023-07-09"
    assert client.post(url, first).status_code == 302
    response = other.post(url, second)
    page = response.content.decode()
    assert "This grant was changed by editor-user" in page
    assert "Published on: blank when you opened it, now “2023-07-01”" in page
    assert 'value="2023-07-09"' in page
    assert Grant.objects.get().published_on == date(2023, 7, 1)


@pytest.mark.django_db(transaction=True)
def test_the_revisions_of_an_older_installation_become_versions_on_upgrade(small_plan):
    executor = MigrationExecutor(connection)
    executor.migrate([("registers", "0001_initial")])
    old = executor.loader.project_state([("registers", "0001_initial")]).apps
    programme = old.get_model("registers", "GrantProgramme").objects.create(
        identifier="p1", slug="p1", title="Scheme", funder_name="OPCC", funder_org_id="GB-X"
    )
    grant = old.get_model("registers", "Grant").objects.create(
        identifier="g1",
        slug="g1",
        programme=programme,
        title="Youth club",
        purpose="Activities",
        amount=Decimal("6000"),
        awarded_on=date(2023, 6, 1),
    )
    objective = old.get_model("plans", "Objective").objects.get(code="2")
    grant.objectives.add(objective)
    old.get_model("registers", "Revision").objects.create(
        kind="grants",
        identifier="g1",
        previous={
            "id": "g1",
            "amount": "5000",
            "awarded_on": "2023-05-01",
            "objectives": ["test-plan/1"],
        },
        changed_by_name="alice",
        note="typo",
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    grant = Grant.objects.get(identifier="g1")
    first, second = grant.history.order_by("history_id")
    assert (first.amount, first.awarded_on, first.history_type) == (5000, date(2023, 5, 1), "+")
    assert [link.objective.code for link in first.objectives.all()] == ["1"]
    assert (second.amount, second.history_actor, second.history_change_reason) == (
        6000,
        "alice",
        "typo",
    )
    assert [link.objective.code for link in second.objectives.all()] == ["2"]
    (change,) = history("grants", "g1")
    assert (change.changed_by_name, change.note, change.previous["amount"]) == (
        "alice",
        "typo",
        "5000",
    )
