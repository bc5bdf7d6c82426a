"""The Panel's own records on its pages: minutes confirmed as a correct record at a later meeting,
each member's attendance over a span, the register of members' interests (published entries only
for the public) beside the declarations, and the forward work programme; each page with .json and
.csv twins carrying the same records."""

import csv
import io
from datetime import date

import pytest

from oversight.lib.audience import Audience
from oversight.lib.problems import ImportRefused, Refused

PANEL = "/scrutiny/bodies/west-mercia-pcp"

REGISTER = """\
people:
  - {id: ann-chair, name: Ann Chair, honorific: Councillor}
  - {id: bob-member, name: Bob Member, honorific: Councillor}
bodies:
  - id: testshire-pcp
    name: Testshire Police and Crime Panel
    kind: panel
    members:
      - {person: ann-chair, role: chair}
      - {person: bob-member, role: councillor}
interests:
  - {body: testshire-pcp, person: ann-chair, kind: employment, description: Solicitor at Chair and Co (synthetic),
     registered_on: 2024-05-20, last_reviewed_on: 2025-05-19, state: published}
  - {body: testshire-pcp, person: bob-member, kind: land, description: DRAFT-ENTRY-NOT-PUBLISHED,
     registered_on: 2024-06-01}
  - {body: testshire-pcp, person: bob-member, kind: securities, description: Shares in Testshire Water (synthetic),
     registered_on: 2024-06-01, state: published}
"""


@pytest.fixture
def register(db, write):
    from oversight.scrutiny.actions import import_scrutiny
    from oversight.scrutiny.importers import read_scrutiny

    import_scrutiny(read_scrutiny(write("register.yaml", REGISTER)), by="test")


def test_the_minutes_of_18_june_2019_show_they_were_confirmed_at_minute_309(
    client, scrutiny_records
):
    from oversight.scrutiny.models import Meeting

    june = Meeting.objects.get(date="2019-06-18")
    page = client.get(f"/scrutiny/meetings/{june.pk}/").text
    assert "Confirmed as a correct record at the meeting of 10 September 2019 (minute 309)" in page
    data = client.get(f"/scrutiny/meetings/{june.pk}.json").json()
    assert data["minutes_confirmed"] == {
        "meeting": "west-mercia-pcp/2019-09-10",
        "minute": 309,
        "item": "Confirmation of the Minutes of the previous meeting",
    }
    html = client.get(f"/scrutiny/meetings/{june.pk}/minutes.html").text
    assert "Confirmed as a correct record at the meeting of 10 September 2019" in html
    september = Meeting.objects.get(date="2019-09-10")
    assert (
        "Minutes not yet confirmed as a correct record"
        in client.get(f"/scrutiny/meetings/{september.pk}/").text
    )
    assert client.get(f"/scrutiny/meetings/{september.pk}.json").json()["minutes_confirmed"] is None


def test_minutes_are_confirmed_only_at_a_later_meeting_of_the_same_body(scrutiny_records, write):
    from oversight.scrutiny.actions import confirm_minutes
    from oversight.scrutiny.importers import read_scrutiny
    from oversight.scrutiny.models import AgendaItem, Meeting

    june = Meeting.objects.get(date="2019-06-18")
    minute_309 = AgendaItem.objects.get(minute=309)
    september = minute_309.meeting
    with pytest.raises(Refused, match="later meeting"):
        confirm_minutes(september, AgendaItem.objects.filter(meeting=september).first(), by="t")
    aa_item = AgendaItem.objects.filter(meeting__body__slug="west-mercia-aa").first()
    with pytest.raises(Refused, match="same body"):
        confirm_minutes(june, aa_item, by="t")
    bad = write(
        "bad.yaml",
        "meetings:\n  - body: west-mercia-pcp\n    date: 2019-09-10\n    status: held\n"
        "    items:\n      - {minute: 309, title: Minutes, confirms_minutes_of: 2019-10-01}\n"
        "      - {minute: 310, title: Later, confirms_minutes_of: 2019-11-05}\n",
    )
    with pytest.raises(ImportRefused) as refused:
        read_scrutiny(bad)
    text = str(refused.value)
    assert "has no meeting on 2019-10-01" in text and "2019-11-05" in text


def test_each_members_attendance_over_a_span_with_its_twins(client, scrutiny_records):
    page = client.get(f"{PANEL}/attendance/")
    assert page.status_code == 200 and "Members' attendance" in page.text
    data = client.get(f"{PANEL}/attendance.json").json()
    rows = {r["person"]: r for r in data["items"]}
    # Three held Panel meetings: December 2018 and 18 June 2019 (no attendance recorded) and
    # 10 September 2019 (seed 001).
    assert [m["key"] for m in data["meetings"]] == [
        "west-mercia-pcp/2018-12",
        "west-mercia-pcp/2019-06-18",
        "west-mercia-pcp/2019-09-10",
    ]
    mackay, durkin = rows["steve-mackay"], rows["barry-durkin"]
    assert (mackay["present"], mackay["apologies"], mackay["not_recorded"]) == (1, 0, 2)
    assert (durkin["present"], durkin["apologies"]) == (0, 1)
    assert "west-mercia-pcp/2019-09-10: apologies" in durkin["per_meeting"]
    assert "john-campion" not in rows  # the PCC attended; he is not a member
    span = client.get(f"{PANEL}/attendance.json?start=2019-09-01&end=2019-12-31").json()
    assert [m["key"] for m in span["meetings"]] == ["west-mercia-pcp/2019-09-10"]
    assert {r["person"]: r["present"] for r in span["items"]}["steve-mackay"] == 1
    table = list(csv.DictReader(io.StringIO(client.get(f"{PANEL}/attendance.csv").text)))
    assert {r["person"]: r["apologies"] for r in table}["barry-durkin"] == "1"
    assert "Barry Durkin" in page.text


def test_a_bad_span_lists_its_problems_linked_to_the_fields(client, scrutiny_records):
    page = client.get(f"{PANEL}/attendance/?start=2019-13-01&end=2019-01-01")
    assert page.status_code == 400
    assert 'href="#id_start"' in page.text and "There is a problem" in page.text
    backwards = client.get(f"{PANEL}/attendance.json?start=2020-01-01&end=2019-01-01")
    assert backwards.status_code == 400 and "must not be before its start" in backwards.text


def test_the_work_programme_across_meetings_with_its_twins(client, scrutiny_records):
    page = client.get(f"{PANEL}/work-programme/")
    assert page.status_code == 200 and "Final Rural Crime Strategy" in page.text
    rows = client.get(f"{PANEL}/work-programme.json").json()["items"]
    rural = next(r for r in rows if r["title"] == "Final Rural Crime Strategy")
    assert rural["planned_for"] == "2020-02" and rural["state"] == "planned"
    assert rural["meeting"] == "west-mercia-pcp/2020-02"
    assert rows == sorted(rows, key=lambda r: (r["planned_for"] or "9999", r["title"]))
    table = list(csv.DictReader(io.StringIO(client.get(f"{PANEL}/work-programme.csv").text)))
    assert [r["title"] for r in table] == [r["title"] for r in rows]


def test_the_public_sees_published_interests_and_staff_the_drafts_too(client, register, editor):
    url = "/scrutiny/bodies/testshire-pcp/interests"
    public = client.get(f"{url}/").text
    assert "Solicitor at Chair and Co" in public and "Shares in Testshire Water" in public
    for twin in (".json", ".csv"):
        assert "DRAFT-ENTRY-NOT-PUBLISHED" not in client.get(url + twin).text
    assert "DRAFT-ENTRY-NOT-PUBLISHED" not in public
    items = client.get(f"{url}.json").json()["items"]
    ann = next(i for i in items if i["person"] == "ann-chair")
    # A year after the last review.
    assert (ann["last_reviewed_on"], ann["review_due"]) == ("2025-05-19", "2026-05-19")
    client.force_login(editor)
    staff = client.get(f"{url}/").text
    assert "DRAFT-ENTRY-NOT-PUBLISHED" in staff and "Draft – not published" in staff
    assert len(client.get(f"{url}.json").json()["items"]) == 3


def test_declarations_sit_beside_the_register(client, scrutiny_records):
    page = client.get(f"{PANEL}/interests/").text
    assert "Declarations at meetings" in page
    assert "a retired Police Officer in receipt of a Police Pension" in page
    data = client.get(f"{PANEL}/interests.json").json()
    assert {d["person"] for d in data["declarations"]} >= {"julian-grubb", "steve-mackay"}
    # The demo's seeds give no standing register: it is empty, and says so.
    assert data["items"] == [] and "No register of interests entries" in page


def test_review_due_items_name_each_member_once_on_their_earliest_review(register, settings):
    from oversight.lib.due import DueItem
    from oversight.scrutiny.due_interests import interest_review_due_items

    assert (
        "oversight.scrutiny.due_interests.interest_review_due_items"
        in settings.OVERSIGHT_DUE_PROVIDERS
    )
    items = list(interest_review_due_items(date(2026, 1, 1)))
    assert all(isinstance(i, DueItem) for i in items)
    by_key = {i.key: i for i in items}
    assert set(by_key) == {
        "interests-review:testshire-pcp:ann-chair",
        "interests-review:testshire-pcp:bob-member",
    }
    bob = by_key["interests-review:testshire-pcp:bob-member"]
    assert bob.due == date(2025, 6, 1) and bob.days_overdue(date(2026, 1, 1)) == 214
    assert bob.chain[0][0].name == "Bob Member" and bob.url.endswith("/interests/")
    assert "Localism Act 2011" in bob.source


def test_a_review_moves_the_next_review_a_year_on_and_keeps_the_old_version(register):
    from oversight.scrutiny.actions import publish_interests, review_interest
    from oversight.scrutiny.models import Body, Interest
    from oversight.scrutiny.panel_records import interests

    entry = Interest.objects.get(kind="securities")
    review_interest(entry, on=date(2025, 6, 2), by="test")
    entry.refresh_from_db()
    assert entry.review_due == date(2026, 6, 2)
    assert entry.history.count() == 2
    with pytest.raises(Refused):
        review_interest(entry, on=date(2020, 1, 1), by="test")
    body = Body.objects.get(slug="testshire-pcp")
    assert len(interests(body, date(2026, 1, 1), audience=Audience.PUBLIC)) == 2
    assert publish_interests(body, by="test") == 1
    assert len(interests(body, date(2026, 1, 1), audience=Audience.PUBLIC)) == 3
    with pytest.raises(TypeError):
        interests(body, date(2026, 1, 1), audience="public")  # type: ignore[arg-type]


def test_staff_publish_drafts_and_mark_reviews_from_the_register_page(
    client, register, editor, settings
):
    from oversight.scrutiny.models import Interest

    settings.OVERSIGHT_TODAY = "2026-01-15"
    url = "/scrutiny/bodies/testshire-pcp/interests/"
    draft = Interest.objects.get(kind="land")
    assert client.post(f"/scrutiny/interests/{draft.pk}/reviewed/").status_code == 302  # to login
    client.force_login(editor)
    page = client.get(url).text
    assert "1 entry is a draft" in page and "Reviewed today" in page
    client.post(f"/scrutiny/interests/{draft.pk}/reviewed/")
    draft.refresh_from_db()
    assert (draft.last_reviewed_on, draft.review_due) == (date(2026, 1, 15), date(2027, 1, 15))
    client.post("/scrutiny/bodies/testshire-pcp/interests/publish/")
    client.logout()
    assert "DRAFT-ENTRY-NOT-PUBLISHED" in client.get(url).text
