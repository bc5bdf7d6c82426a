"""The scrutiny YAML importer: every problem listed with file, key and reason, nothing written;
safe to run twice; the state rules for actions."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.lib.audience import Audience
from oversight.lib.problems import ImportRefused, Refused
from oversight.scrutiny.actions import import_scrutiny, pin_question, update_action
from oversight.scrutiny.importers import read_scrutiny
from oversight.scrutiny.models import Action, ActionUpdate, Body, Meeting, Person

GOOD = """\
people:
  - {id: ann-chair, name: Ann Chair, formal_name: Mrs A Chair, honorific: Councillor}
  - {id: bob-member, name: Bob Member, honorific: Councillor}
  - {id: sue-sub, name: Sue Sub, honorific: Councillor}
  - {id: pcc, name: Pat Commissioner, title: Police and Crime Commissioner}
bodies:
  - id: test-panel
    name: Testshire Police and Crime Panel
    kind: panel
    organisation: Testshire County Council
    members:
      - {person: ann-chair, role: chair, representing: Testshire County Council, from: 2019-05-01}
      - {person: bob-member, role: councillor}
      - {person: sue-sub, role: substitute, substitute_for: bob-member}
meetings:
  - body: test-panel
    date: 2019-09-10
    time: "11:00"
    ends: "12:30"
    status: held
    attendance:
      present: [{person: ann-chair, role: Chairman}]
      substitutes: [{person: sue-sub, for: bob-member}]
      also_attended: [pcc]
    declarations:
      - {person: ann-chair, minute: 2, nature: a retired police officer}
    items:
      - {minute: 1, title: Welcome, minutes: The Chairman welcomed everyone.}
      - minute: 2
        title: Performance report
        minutes: "- a point\\n- another point"
        agreed:
          - text: The PCC would report back on confidence
            action: {owner: PCC, due_meeting: 2019-11}
          - text: the report was noted
  - {body: test-panel, month: 2019-11}
"""


def test_a_good_file_imports_and_a_second_run_changes_nothing(db, write):
    path = write("scrutiny.yaml", GOOD)
    first = import_scrutiny(read_scrutiny(path), by="test")
    assert first.created > 0
    second = import_scrutiny(read_scrutiny(path), by="test")
    assert (second.created, second.updated) == (0, 0)
    action = Action.objects.get()
    assert (action.ref, action.owner, action.minute, action.due_label) == (
        "2.1",
        "PCC",
        2,
        "the November 2019 meeting",
    )
    assert Meeting.objects.get(date_provisional=True).key == "test-panel/2019-11"
    assert Body.objects.get().memberships.get(role="substitute").substitute_for.slug == "bob-member"


def test_every_problem_is_listed_with_its_key_and_nothing_is_written(db, write):
    bad = GOOD.replace("role: chair", "role: boss").replace(
        "due_meeting: 2019-11", "due_meeting: 2019-12"
    )
    bad = bad.replace('time: "11:00"', 'time: "25:00"').replace(
        "person: sue-sub, for", "person: nobody, for"
    )
    bad += "  - {body: test-panel, date: 2019-13-01}\n"
    with pytest.raises(ImportRefused) as caught:
        read_scrutiny(write("bad.yaml", bad))
    text = caught.value.message
    assert "bad.yaml, bodies[0].members[0].role" in text and '"boss" is not one of' in text
    assert "meetings[0].items[1].agreed[0].action.due_meeting" in text
    assert "test-panel has no meeting on 2019-12" in text
    assert 'meetings[0].time: "25:00" is not a time' in text
    assert 'meetings[0].attendance.substitutes[0].person: no person "nobody"' in text
    assert "meetings[2].date" in text
    assert len(caught.value.problems) == 5
    assert not Person.objects.exists() and not Body.objects.exists()


def test_a_closed_action_needs_the_meeting_its_answer_was_reported_to(db, write):
    bad = GOOD.replace(
        "action: {owner: PCC, due_meeting: 2019-11}",
        "action: {owner: PCC, status: closed, answer: done}",
    )
    with pytest.raises(ImportRefused, match="closed only when its answer has been reported"):
        read_scrutiny(write("bad.yaml", bad))


def test_the_command_refuses_a_bad_file_with_a_readable_message(db, write):
    path = write("bad.yaml", "meetings:\n  - {body: nowhere, date: 2019-01-01}\n")
    with pytest.raises(CommandError, match='no body "nowhere"'):
        call_command("scrutiny", "import", str(path))
    with pytest.raises(CommandError, match="file not found"):
        call_command("scrutiny", "import", "/no/such/file.yaml")


def test_a_minute_number_cannot_be_used_twice_by_one_body(db, write):
    bad = GOOD.replace("{minute: 1, title: Welcome", "{minute: 2, title: Welcome")
    with pytest.raises(ImportRefused, match="minute 2 of test-panel is already used"):
        read_scrutiny(write("bad.yaml", bad))


@pytest.fixture
def imported(db, write):
    import_scrutiny(read_scrutiny(write("scrutiny.yaml", GOOD)), by="test")
    return Action.objects.get()


def test_an_action_closes_only_once_reported_to_a_meeting_of_its_body(imported):
    with pytest.raises(Refused, match="only with its answer"):
        update_action(imported, text="looked into it", status="answered", by="test")
    with pytest.raises(Refused, match="reported to a meeting"):
        update_action(imported, text="done", status="closed", answer="Confidence rose", by="test")
    november = Meeting.objects.get(date_provisional=True)
    update_action(
        imported,
        text="reported",
        status="closed",
        answer="Confidence rose",
        reported_at=november,
        by="test",
    )
    imported.refresh_from_db()
    assert imported.status == "closed" and imported.reported_at == november
    assert ActionUpdate.objects.filter(action=imported).count() == 1


def test_a_question_pinned_to_a_measure_appears_beside_it_in_the_report(
    imported, small_plan, settings
):
    from oversight.core.render import render
    from oversight.reports.compose import compose_report

    settings.OVERSIGHT_TODAY = "2013-08-01"
    measure = small_plan.measures.get(code="1.2")
    action = pin_question(
        measure,
        question="Why did the solved rate fall in the north?",
        body=imported.body,
        by="panel member",
    )
    assert action.kind == "question" and action.ref == "Q1" and action.measure == measure
    html = render(
        compose_report(small_plan, "2013/14 Q1", audience=Audience.STAFF), "html"
    ).decode()
    assert "Panel question: Why did the solved rate fall in the north? (PCC; open" in html
    with pytest.raises(Refused):
        pin_question(measure, question="  ", body=imported.body, by="panel member")


def test_a_work_programme_item_becomes_an_agenda_item_once_its_meeting_is_set(imported):
    from oversight.scrutiny.actions import add_to_agenda
    from oversight.scrutiny.documents import minutes_document
    from oversight.scrutiny.models import WorkProgrammeItem

    body = imported.body
    november = Meeting.objects.get(date_provisional=True)
    item = WorkProgrammeItem.objects.create(
        body=body, title="Final Rural Crime Strategy", planned_for="2019-11", meeting=november
    )
    doc = minutes_document(november)
    assert any(s.title.startswith("Work programme") for s in doc.sections)
    agenda_item = add_to_agenda(item, november, by="test")
    assert agenda_item.title == "Final Rural Crime Strategy" and agenda_item.meeting == november
    with pytest.raises(Refused, match="already on the agenda"):
        add_to_agenda(item, november, by="test")
    titles = [s.title for s in minutes_document(november).sections]
    assert "Final Rural Crime Strategy" in titles and not any(
        t.startswith("Work programme") for t in titles
    )


def test_the_documented_example_file_imports(small_plan):
    from pathlib import Path

    example = Path(__file__).parent / "fixtures" / "example.yaml"
    import_scrutiny(read_scrutiny(example), by="test")
    question = Action.objects.get(ref="Q1")
    assert question.measure.code == "1.2" and question.status == "closed"
    assert question.reported_at.key == "testshire-pcp/2019-11"
    readme = Path(__file__).resolve().parents[2] / "README.md"
    # the README's scrutiny section quotes the same file
    assert example.read_text().split("\n", 1)[1].strip() in readme.read_text()


def test_a_misspelt_key_is_a_problem_not_silently_ignored(db, write):
    bad = GOOD.replace('ends: "12:30"', 'finishes: "12:30"')
    with pytest.raises(ImportRefused, match=r"meetings\[0\]\.finishes: is not a known key here"):
        read_scrutiny(write("bad.yaml", bad))


def test_a_corrected_file_updates_in_place_and_keeps_the_actions_history(imported, write):
    from oversight.scrutiny.models import AgendaItem, Resolution

    update_action(imported, text="Looking into it", status="in-progress", by="officer")
    corrected = GOOD.replace("title: Performance report", "title: Performance monitoring report")
    corrected = corrected.replace("          - text: the report was noted\n", "")
    outcome = import_scrutiny(read_scrutiny(write("corrected.yaml", corrected)), by="test")
    assert outcome.created == 0 and outcome.updated >= 1
    assert AgendaItem.objects.get(minute=2).title == "Performance monitoring report"
    assert Resolution.objects.count() == 1
    action = Action.objects.get()
    assert action.pk == imported.pk and action.status == "in-progress"
    assert action.updates.get().text == "Looking into it"
