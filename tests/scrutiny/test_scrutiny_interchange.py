"""Interchange: the Popolo export validates against the shipped schemas; the iCalendar feed parses
and keeps Europe/London wall-clock times across the clock change."""

import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")


def popolo_validators(shared_path):
    from jsonschema import Draft3Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT3

    folder = shared_path("schemas", "popolo", "schemas")
    registry = Registry()
    schemas = {}
    for path in folder.glob("*.json"):
        schema = json.loads(path.read_text())
        uri = schema["id"].rstrip("#")
        registry = registry.with_resource(uri, Resource(contents=schema, specification=DRAFT3))
        schemas[path.stem] = schema
    return {name: Draft3Validator(s, registry=registry) for name, s in schemas.items()}


@pytest.mark.shared
def test_the_popolo_export_validates_against_the_shipped_schemas(scrutiny_records, shared_data):
    from oversight.scrutiny.popolo import export

    validators = popolo_validators(shared_data)
    doc = export()
    assert len(doc["persons"]) >= 20 and doc["events"] and doc["memberships"]
    for key, schema in [
        ("persons", "person"),
        ("organizations", "organization"),
        ("memberships", "membership"),
        ("events", "event"),
    ]:
        for obj in doc[key]:
            errors = list(validators[schema].iter_errors(obj))
            assert not errors, (key, obj, [e.message for e in errors])
    september = next(e for e in doc["events"] if e["start_date"].startswith("2019-09-10"))
    assert september["start_date"] == "2019-09-10T11:00:00+01:00"  # BST
    assert {"id": "person/julian-grubb", "name": "Julian Grubb"} in september["attendees"]
    ids = {p["id"] for p in doc["persons"]}
    assert all(m["person_id"] in ids for m in doc["memberships"])


@pytest.mark.shared
def test_the_validator_would_catch_a_bad_date(shared_data):
    validators = popolo_validators(shared_data)
    assert list(validators["event"].iter_errors({"id": "x", "start_date": "10/09/2019"}))


def test_the_calendar_feed_parses_and_keeps_london_times_across_the_clock_change(db):
    from icalendar import Calendar

    from oversight.scrutiny.ical import body_calendar
    from oversight.scrutiny.models import Body, Meeting

    body = Body.objects.create(slug="panel", name="Testshire Panel", kind="panel")
    # The clocks go back on 27 October 2019 and forward on 29 March 2020.
    for day in (date(2019, 10, 26), date(2019, 10, 28), date(2020, 3, 28), date(2020, 3, 30)):
        Meeting.objects.create(
            body=body, date=day, starts_at=time(11), ends_at=time(12, 55), venue="County Hall"
        )
    Meeting.objects.create(body=body, date=date(2020, 6, 30), date_provisional=True)
    Meeting.objects.create(body=body, date=date(2020, 7, 1))  # no time: a whole-day entry
    cal = Calendar.from_ical(body_calendar(body))
    assert cal.walk("VTIMEZONE") and str(cal.walk("VTIMEZONE")[0]["TZID"]) == "Europe/London"
    events = cal.walk("VEVENT")
    assert len(events) == 5  # the meeting known only by its month is left out
    timed = [e for e in events if isinstance(e.decoded("DTSTART"), datetime)]
    for e in timed:
        start = e.decoded("DTSTART")
        assert start.astimezone(LONDON).time() == time(11)
        assert e.decoded("DTEND").astimezone(LONDON).time() == time(12, 55)
    utc_hours = [e.decoded("DTSTART").astimezone(ZoneInfo("UTC")).hour for e in timed]
    assert utc_hours == [10, 11, 11, 10]  # BST, GMT, GMT, BST
    assert [e for e in events if e.decoded("DTSTART") == date(2020, 7, 1)]
