"""Scrutiny records keep every version: a re-import that drops a resolution keeps its words, a
re-import of the same file writes no version, and two editors cannot silently undo each other's
update of an action or a finding."""

from __future__ import annotations

from django.test import Client

from oversight.accounts.roles import Role
from oversight.scrutiny.actions import import_scrutiny
from oversight.scrutiny.importers import read_scrutiny
from oversight.scrutiny.models import Action, AgendaItem, Finding, Resolution

from conftest import form_data

SCRUTINY = """\
people:
  - {id: ann-chair, name: Ann Chair, honorific: Councillor}
bodies:
  - {id: test-panel, name: Testshire Police and Crime Panel, kind: panel}
meetings:
  - body: test-panel
    date: 2019-09-10
    status: held
    items:
      - minute: 1
        title: Performance report
        minutes: The Panel discussed confidence.
        agreed:
          - text: The PCC would report back on confidence
            action: {owner: PCC, due_meeting: 2019-11}
          - text: the report was noted
  - {body: test-panel, month: 2019-11}
hmicfrs:
  - id: peel-2023
    title: PEEL 2023
    kind: peel
    published: 2023-10-31
    findings:
      - {ref: AFI1, kind: area-for-improvement, text: Answer 101 calls sooner., status: open}
"""


def load(write, text: str = SCRUTINY, name: str = "s.yaml"):
    return import_scrutiny(read_scrutiny(write(name, text)), by="test")


def test_a_reimport_keeps_the_earlier_minutes_and_a_dropped_resolutions_words(db, write):
    load(write)
    item = AgendaItem.objects.get()
    first = item.history.get()
    assert (first.history_type, first.history_actor, first.history_change_reason) == (
        "+",
        "test",
        "import of s.yaml",
    )
    versions = item.history.count() + Resolution.history.count() + Action.history.count()
    load(write)
    assert item.history.count() + Resolution.history.count() + Action.history.count() == versions
    changed = SCRUTINY.replace("          - text: the report was noted\n", "").replace(
        "The Panel discussed confidence.", "The Panel discussed public confidence."
    )
    load(write, changed, "s2.yaml")
    assert [v.minutes for v in item.history.all()] == [
        "The Panel discussed public confidence.",
        "The Panel discussed confidence.",
    ]
    assert list(Resolution.objects.values_list("text", flat=True)) == [
        "The PCC would report back on confidence"
    ]
    (removed,) = Resolution.history.filter(history_type="-")
    assert (removed.text, removed.history_actor) == ("the report was noted", "test")


def test_two_editors_update_an_action_and_the_second_is_refused_with_what_changed(
    db, write, cast, client
):
    load(write)
    action = Action.objects.get()
    url = f"/scrutiny/actions/{action.pk}/update/"
    client.force_login(cast[Role.EDITOR])
    other = Client()
    other.force_login(cast[Role.ADMIN])
    first, second = form_data(client.get(url)), form_data(other.get(url))
    first.update(text="Survey commissioned", status="in-progress")
    second.update(text="Nothing yet", status="open")
    assert client.post(url, first).status_code == 302
    page = other.post(url, second).content.decode()
    assert "This action was changed by editor-user" in page
    assert "Status: “open” when you opened it, now “in-progress”" in page
    assert "Nothing yet" in page
    action.refresh_from_db()
    assert action.status == "in-progress"
    assert [u.text for u in action.updates.all()] == ["Survey commissioned"]


def test_two_editors_update_a_finding_and_the_second_is_refused(db, write, cast, client):
    load(write)
    finding = Finding.objects.get()
    url = f"/scrutiny/findings/{finding.pk}/update/"
    client.force_login(cast[Role.EDITOR])
    other = Client()
    other.force_login(cast[Role.ADMIN])
    first, second = form_data(client.get(url)), form_data(other.get(url))
    first.update(status="signed-off", text="Audit passed")
    second.update(status="partially-compliant", text="Half done")
    assert client.post(url, first).status_code == 302
    page = other.post(url, second).content.decode()
    assert "Status: “open” when you opened it, now “signed-off”" in page
    finding.refresh_from_db()
    assert finding.status == "signed-off"
