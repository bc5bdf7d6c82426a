"""The publication tracker: rules from a data file, late and missing items flagged."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.lib import publication
from oversight.lib.audience import Audience
from oversight.lib.problems import ImportRefused
from oversight.registers import tracker
from oversight.registers.actions import import_register
from oversight.registers.importers import read_register

RULES = """\
duties:
  - code: decisions
    title: A record of each decision of significant public interest
    source: SI 2011/3050 para 5
    register: decisions
    applies_when: {{significant_public_interest: true}}
    clock_starts: made_on
    deadline_days: {days}
"""


def load(kind, write, text):
    path = write(f"{kind}.csv", text)
    import_register(kind, read_register(kind, path), by="test")


@pytest.fixture
def decisions(db, write):
    load(
        "decisions",
        write,
        "id,title,made_on,published_on,significant_public_interest\n"
        "late,Published after 40 days,2023-10-01,2023-11-10,true\n"
        "prompt,Published after 10 days,2023-10-01,2023-10-11,true\n"
        "unpublished,Not yet published,2023-10-01,,true\n"
        "recent,Made yesterday,2024-01-30,,true\n"
        "private,Not of significant public interest,2023-10-01,,false\n",
    )


def standings(reports):
    return {e.item.identifier: (e.standing, e.days_late) for r in reports for e in r.entries}


def test_a_decision_published_40_days_after_it_was_made_is_flagged_when_the_rule_says_20(
    decisions, write
):
    reports = tracker.build(
        write("rules.yaml", RULES.format(days=20)), today=date(2024, 1, 31), audience=Audience.STAFF
    )
    s = standings(reports)
    assert s["late"] == (tracker.Standing.LATE, 20)
    assert s["prompt"] == (tracker.Standing.ON_TIME, None)
    assert s["unpublished"][0] is tracker.Standing.MISSING
    assert s["recent"] == (tracker.Standing.PENDING, None)
    assert "private" not in s
    entry = next(e for e in reports[0].entries if e.item.identifier == "late")
    assert (entry.due, entry.days_taken) == (date(2023, 10, 21), 40)


def test_the_deadline_comes_from_the_rules_file_not_the_code(decisions, write):
    reports = tracker.build(
        write("rules.yaml", RULES.format(days=45)), today=date(2024, 1, 31), audience=Audience.STAFF
    )
    assert standings(reports)["late"] == (tracker.Standing.ON_TIME, None)


def test_the_shipped_rules_say_20_days_for_decisions():
    duty = next(d for d in tracker.read_rules() if d.register == "decisions")
    assert duty.deadline_days == 20 and duty.clock_starts == "made_on"


def test_the_shipped_rules_flag_the_late_decision(decisions):
    assert "late" in {
        e.item.identifier
        for e in tracker.flagged_items(today=date(2024, 1, 31), audience=Audience.STAFF)
    }
    assert {e.item.identifier for e in tracker.overdue_items(today=date(2024, 1, 31))} == {
        "unpublished"
    }


def test_today_comes_from_settings_when_set(decisions, settings):
    settings.OVERSIGHT_TODAY = "2023-10-05"
    assert tracker.overdue_items() == []  # nothing was due yet on 5 October 2023


@pytest.mark.parametrize(
    "start, days, clock_from, due",
    [
        (date(2023, 10, 1), 20, "date", date(2023, 10, 21)),
        (date(2023, 10, 1), 30, "month_end", date(2023, 11, 30)),
        (date(2024, 2, 10), 0, "month_end", date(2024, 2, 29)),
    ],
)
def test_due_dates(start, days, clock_from, due):
    assert publication.due_date(start, days, clock_from) == due


D = date(2023, 10, 21)


@pytest.mark.parametrize(
    "due, published, today, expected, late",
    [
        (D, date(2023, 10, 21), date(2024, 1, 1), "on time", None),
        (D, date(2023, 11, 10), date(2024, 1, 1), "published late", 20),
        (D, None, date(2023, 10, 31), "no publication recorded, overdue", 10),
        (D, None, date(2023, 10, 21), "not yet due", None),
        (None, None, date(2024, 1, 1), "cannot be judged", None),
    ],
)
def test_standing_and_days_late(due, published, today, expected, late):
    assert publication.standing(due, published, today) == expected
    assert publication.days_late(due, published, today) == late


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2024, 3, 31), -6, date(2023, 9, 30)),
        (date(2024, 8, 31), -6, date(2024, 2, 29)),
        (date(2023, 11, 15), 3, date(2024, 2, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert publication.add_months(day, months) == expected


def test_contracts_over_the_threshold_only(db, write):
    load(
        "contracts",
        write,
        "id,title,value,starts_on,published_on\n"
        "big,Big contract,10000.01,2023-04-01,2023-06-01\n"
        "small,Small contract,10000,2023-04-01,\n"
        "unknown,No value,,2023-04-01,\n",
    )
    (report,) = [
        r
        for r in tracker.build(today=date(2024, 1, 1), audience=Audience.STAFF)
        if r.duty.register == "contracts"
    ]
    s = standings([report])
    assert s["big"] == (tracker.Standing.LATE, 31)
    assert "small" not in s
    assert s["unknown"][0] is tracker.Standing.UNKNOWN


def test_a_bad_rules_file_lists_every_problem(db, write):
    bad = write(
        "rules.yaml",
        "duties:\n"
        "  - {code: a, title: A, register: meetings, clock_starts: made_on, deadline_days: 20}\n"
        "  - {code: b, title: B, register: decisions, clock_starts: when, deadline_days: -1}\n"
        "  - {code: c, title: C, register: contracts, clock_starts: title, deadline_days: 5,\n"
        "     threshold: {field: provider, over: 10}}\n",
    )
    with pytest.raises(ImportRefused) as exc:
        tracker.read_rules(bad)
    message = exc.value.message
    assert 'duties[0].register: "meetings" is not one of' in message
    assert 'duties[1].clock_starts: "when" is not a field of decisions' in message
    assert "duties[1].deadline_days: must be a whole number of days" in message
    assert 'duties[2].clock_starts: "title" is not a date' in message
    assert "duties[2].threshold.field: must name a money field" in message


def test_the_tracker_command_prints_flags_and_refuses_bad_rules(decisions, write, capsys):
    call_command(
        "registers",
        "tracker",
        "--audience",
        "staff",
        "--rules",
        str(write("r.yaml", RULES.format(days=20))),
    )
    out = capsys.readouterr().out
    assert "FLAG late" in out and "published late, 20 days late" in out
    with pytest.raises(CommandError):
        call_command(
            "registers",
            "tracker",
            "--audience",
            "staff",
            "--rules",
            str(write("bad.yaml", "duties: 3\n")),
        )


def test_a_published_item_without_a_publication_date_is_not_recorded_not_overdue(
    decisions, client, settings
):
    from oversight.registers.actions import publish_items

    settings.OVERSIGHT_TODAY = "2024-01-31"
    publish_items("decisions", ["unpublished"], by="test")
    data = client.get("/registers/tracker.json").json()
    item = next(i for i in data["items"] if i["id"] == "unpublished")
    assert (item["standing"], item["flagged"], item["days_late"]) == (
        "publication date not recorded",
        False,
        None,
    )
    assert data["duties"][0]["publication_date_not_recorded"] == 1
    assert data["duties"][0]["missing"] == 0
    rows = list(csv.DictReader(io.StringIO(client.get("/registers/tracker.csv").text)))
    row = next(r for r in rows if r["id"] == "unpublished")
    assert row["standing"] == "publication date not recorded" and row["days_late"] == ""
    page = client.get("/registers/tracker/").text
    assert "Publication date not recorded" in page
    assert "1 published with no publication date recorded" in page
    # The draft still owed is overdue; the published one without a date is not.
    assert [e.item.identifier for e in tracker.overdue_items()] == []
    assert {e.item.identifier for e in tracker.flagged_items(audience=Audience.STAFF)} == {"late"}


def test_a_draft_past_its_deadline_is_still_overdue(decisions, settings):
    settings.OVERSIGHT_TODAY = "2024-01-31"
    grouped = tracker.by_standing()
    assert [e.item.identifier for e in grouped[tracker.Standing.MISSING]] == ["unpublished"]
    assert tracker.Standing.NOT_RECORDED not in grouped
