"""Nothing written is lost: every version of the plan's records is kept and an administrator can
restore one; imports say what they changed; two editors cannot silently undo each other."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from oversight.accounts.roles import Role
from oversight.audit.history import Conflict, version_of
from oversight.audit.log import ChangeSet
from oversight.audit.models import AuditEntry
from oversight.plans import actions
from oversight.plans.importers import read_plan
from oversight.plans.models import Commentary, Measure, Narrative, Objective

from conftest import form_data

NARRATIVE = """---
period: 2013/14 Q1
---
# Purpose
Why this report exists.

# Objective 1
Progress on crime.
"""


def import_narrative(path) -> None:
    call_command("import", "narrative", str(path), "--plan", "test-plan")


def test_a_reimported_narrative_keeps_its_old_text_and_an_administrator_restores_it(
    small_plan, write, cast, client
):
    import_narrative(write("n.md", NARRATIVE))
    import_narrative(write("n2.md", NARRATIVE.replace("Progress on crime.", "Crime fell.")))
    n = Narrative.objects.get(section="objective")
    assert n.body == "Crime fell."
    entry = AuditEntry.objects.filter(action="import_narrative").first()
    assert entry.before == {"objective 1": {"body": "Progress on crime."}}
    assert entry.after == {"objective 1": {"body": "Crime fell."}}
    old = n.history.get(body="Progress on crime.")
    assert old.history_actor == "oversight command line"  # a command's change says who made it

    admin = cast[Role.ADMIN]
    client.force_login(admin)
    url = f"/admin/plans/narrative/{n.pk}/history/{old.history_id}/"
    assert "Progress on crime." in client.get(url).content.decode()
    response = client.post(url, {"_save": "Revert"})
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.body == "Progress on crime."
    restored = AuditEntry.objects.first()
    assert (restored.action, restored.user) == ("restore_narrative", admin)
    assert restored.before["body"] == "Crime fell."
    assert restored.after["body"] == "Progress on crime."
    newest = n.history.first()
    assert newest.history_user == admin
    assert newest.history_change_reason == f"restored version {old.history_id}"
    assert n.history.filter(body="Crime fell.").exists()  # the replaced text is kept too


def test_only_an_administrator_may_restore_a_version(small_plan, write, cast, client):
    import_narrative(write("n.md", NARRATIVE))
    n = Narrative.objects.get(section="objective")
    url = f"/admin/plans/narrative/{n.pk}/history/{n.history.get().history_id}/"
    client.force_login(cast[Role.EDITOR])
    assert client.post(url, {"_save": "Revert"}).status_code == 302  # to the admin's sign-in
    assert not AuditEntry.objects.filter(action="restore_narrative").exists()


def test_a_plan_reimport_records_each_changed_field_before_and_after(small_plan, write):
    from conftest import SMALL_PLAN

    changed = SMALL_PLAN.replace("name: Solved rate,", "name: Solved crimes,").replace(
        "title: Deliver strategies", "title: Deliver the strategies"
    )
    actions.import_plan(read_plan(write("plan2.yaml", changed)), by="test")
    entry = AuditEntry.objects.filter(action="import_plan").first()
    assert entry.before == {
        "objective 2": {"title": "Deliver strategies"},
        "measure 1.2": {"name": "Solved rate"},
    }
    assert entry.after == {
        "objective 2": {"title": "Deliver the strategies"},
        "measure 1.2": {"name": "Solved crimes"},
    }
    measure = Measure.objects.get(code="1.2")
    assert [v.name for v in measure.history.all()] == ["Solved crimes", "Solved rate"]


def test_an_imports_audit_entry_is_bounded_in_size():
    changes = ChangeSet()
    for i in range(ChangeSet.RECORDS + 50):
        changes.add(f"measure {i}", {"name": "x" * 5000}, {"name": "y"})
    audit = changes.audit()
    assert len(audit["before"]) == ChangeSet.RECORDS
    assert len(audit["before"]["measure 0"]["name"]) == ChangeSet.VALUE
    assert audit["after"]["…"] == {"more records changed": 50}


def test_clearing_a_commentary_keeps_its_last_text_and_it_can_be_restored(small_plan, cast, client):
    measure = Measure.objects.get(code="1.1")
    actions.save_commentary(measure, "2013/14 Q1", text="Crime fell in the north.", by="test")
    pk = Commentary.objects.get().pk
    actions.save_commentary(measure, "2013/14 Q1", text="", by="test")
    assert not Commentary.objects.exists()
    last = Commentary.history.filter(id=pk).first()
    assert (last.history_type, last.text) == ("-", "Crime fell in the north.")

    client.force_login(cast[Role.ADMIN])
    url = f"/admin/plans/commentary/{pk}/history/{last.history_id}/"
    assert client.post(url, {"_save": "Revert"}).status_code == 302
    assert Commentary.objects.get(pk=pk).text == "Crime fell in the north."
    assert AuditEntry.objects.first().action == "restore_commentary"


def test_two_editors_edit_a_measure_and_the_second_is_refused_with_what_changed(
    small_plan, cast, client
):
    measure = Measure.objects.get(code="1.2")
    url = f"/staff/measures/{measure.pk}/"
    client.force_login(cast[Role.EDITOR])
    other = Client()
    other.force_login(cast[Role.ADMIN])
    first, second = form_data(client.get(url)), form_data(other.get(url))

    first["name"] = "Solved rate (all crime)"
    assert client.post(url, first).status_code == 302
    second["target_value"] = "55"
    response = other.post(url, second)
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed by editor-user" in page
    assert "Name: “Solved rate” when you opened it, now “Solved rate (all crime)”" in page
    assert 'value="55"' in page  # the second editor's entry is kept in the form
    measure.refresh_from_db()
    assert (measure.name, measure.target_value) == ("Solved rate (all crime)", 50)

    # Saving again, having read what changed, replaces the current version; both stay.
    again = other.post(url, form_data(response))
    assert again.status_code == 302
    measure.refresh_from_db()
    assert measure.target_value == 55
    assert measure.history.filter(name="Solved rate (all crime)").exists()


def test_two_editors_edit_a_narrative_and_the_second_is_refused(small_plan, write, cast, client):
    import_narrative(write("n.md", NARRATIVE))
    n = Narrative.objects.get(section="objective")
    url = f"/staff/narratives/{n.pk}/"
    client.force_login(cast[Role.EDITOR])
    other = Client()
    other.force_login(cast[Role.ADMIN])
    first, second = form_data(client.get(url)), form_data(other.get(url))
    first["body"], second["body"] = "Crime fell.", "Crime rose."
    assert client.post(url, {**first, "save": "1"}).status_code == 302
    page = other.post(url, {**second, "save": "1"}).content.decode()
    assert "This narrative was changed by editor-user" in page
    assert "“Progress on crime.” when you opened it, now “Crime fell.”" in page
    assert "Crime rose." in page
    n.refresh_from_db()
    assert n.body == "Crime fell."
    assert n.history.first().history_user == cast[Role.EDITOR]  # credited to the web user


def test_a_stale_objective_edit_is_refused_by_the_action_itself(small_plan):
    objective = Objective.objects.get(code="1")
    started = version_of(objective)
    actions.save_objective(small_plan, objective, by="alice", title="Cut crime")
    with pytest.raises(Conflict) as refused:
        actions.save_objective(
            small_plan, objective, by="bob", expected_version=started, title="Less crime"
        )
    assert [(c.label, c.started, c.current) for c in refused.value.changes] == [
        ("Title", "Reduce crime", "Cut crime")
    ]
    assert refused.value.by == ["alice"]
    assert Objective.objects.get(code="1").title == "Cut crime"


def test_a_commentary_removed_or_written_meanwhile_is_a_conflict(small_plan):
    measure = Measure.objects.get(code="1.1")
    # Someone wrote one after the editor opened an empty commentary (version 0).
    actions.save_commentary(measure, "2013/14 Q1", text="First words.", by="alice")
    with pytest.raises(Conflict, match="changed by alice"):
        actions.save_commentary(measure, "2013/14 Q1", text="Mine.", by="bob", expected_version=0)
    started = version_of(Commentary.objects.get())
    actions.save_commentary(measure, "2013/14 Q1", text="", by="alice")
    with pytest.raises(Conflict, match="This commentary was removed by alice"):
        actions.save_commentary(
            measure, "2013/14 Q1", text="Mine.", by="bob", expected_version=started
        )
    assert not Commentary.objects.exists()
