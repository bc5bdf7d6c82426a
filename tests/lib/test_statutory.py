"""The statutory calendar's date rules (lib/statutory.py): the precept timetable, the two-thirds
veto of the members in office, confirmation hearings and the states an item passes through."""

from datetime import date

import pytest

from oversight.lib import statutory as law


def test_the_precept_timetable_falls_in_february_and_march_of_the_year_it_starts():
    steps = {s.step: s for s in law.precept_timetable(2027)}
    assert [s.due for s in law.precept_timetable(2027)] == [
        date(2027, 2, 1),
        date(2027, 2, 8),
        date(2027, 2, 15),
        date(2027, 2, 22),
        date(2027, 3, 1),
        date(2027, 3, 31),
    ]
    assert "2027/28" in steps[law.PreceptStep.PROPOSED].title
    assert steps[law.PreceptStep.PROPOSED].holder is law.Holder.PCC
    assert steps[law.PreceptStep.PANEL_REPORT].holder is law.Holder.PANEL
    assert [s.step for s in law.precept_timetable(2027) if s.after_veto] == [
        law.PreceptStep.REVISED,
        law.PreceptStep.REVISED_REPORT,
    ]


def test_every_precept_step_cites_its_source_with_a_link():
    for step in law.precept_timetable(2030):
        assert step.source.citation and step.source.url.startswith("http")
    regulations = [s for s in law.precept_timetable(2030) if "reg. 4(1)" in s.source.citation]
    assert regulations and regulations[0].source.checked is law.Checked.LAW
    guidance = {
        s.step for s in law.precept_timetable(2030) if s.source.checked is law.Checked.GUIDANCE
    }
    assert guidance == {law.PreceptStep.REVISED_REPORT, law.PreceptStep.ISSUED}


def test_a_leap_year_does_not_move_the_precept_dates():
    assert [s.due for s in law.precept_timetable(2028)][-2:] == [
        date(2028, 3, 1),
        date(2028, 3, 31),
    ]


@pytest.mark.parametrize(
    "members, needed",
    [(1, 1), (2, 2), (3, 2), (9, 6), (10, 7), (11, 8), (12, 8), (13, 9), (15, 10), (20, 14)],
)
def test_a_veto_needs_two_thirds_of_the_members_in_office_rounded_up(members, needed):
    assert law.veto_threshold(members) == needed
    assert law.veto_carries(members, needed)
    assert not law.veto_carries(members, needed - 1)


def test_ten_members_in_office_need_seven_votes_whoever_is_present():
    # 10 in office, 8 present, 6 vote for a veto: 6 is three-quarters of those present, but the
    # Act counts the members in office, so it fails; absences and abstentions count against it.
    assert not law.veto_carries(10, 6)
    assert law.veto_carries(10, 7)


def test_a_vacant_seat_is_not_a_member_in_office():
    # A Panel of 12 seats with two vacant has 10 members in office: 7 votes carry the veto.
    assert law.veto_carries(12 - 2, 7)
    assert not law.veto_carries(12, 7)


@pytest.mark.parametrize(
    "members, votes, problem",
    [
        (0, 0, "at least 1"),
        (10, 11, "more than the 10 members"),
        (10, -1, "cannot be negative"),
        (None, 5, "record both"),
        (10, None, "record both"),
    ],
)
def test_an_impossible_vote_is_named_and_refused(members, votes, problem):
    assert any(problem in p for p in law.veto_problems(members, votes))
    if members is not None and votes is not None:
        with pytest.raises(ValueError, match=problem):
            law.veto_carries(members, votes)


def test_a_veto_reported_after_8_february_lapses():
    assert not law.veto_lapsed(date(2027, 2, 8), 2027)
    assert law.veto_lapsed(date(2027, 2, 9), 2027)
    assert not law.veto_lapsed(None, 2027)


@pytest.mark.parametrize(
    "notified, due",
    [
        (date(2026, 6, 1), date(2026, 6, 21)),  # day 1 is the day of notification
        (date(2026, 2, 20), date(2026, 3, 12)),
        (date(2028, 2, 20), date(2028, 3, 11)),  # across a leap day
        (date(2026, 12, 22), date(2027, 1, 11)),
    ],
)
def test_the_confirmation_report_is_due_on_the_21st_day_counting_notification(notified, due):
    assert law.confirmation_report_due(notified) == due
    assert (due - notified).days + 1 == 21


def test_the_chief_constable_rule_is_read_and_the_senior_staff_rule_is_marked_unchecked():
    assert law.confirmation_source(law.Post.CHIEF_CONSTABLE).checked is law.Checked.LAW
    assert "Sch 8 para 4(6)" in law.confirmation_source(law.Post.CHIEF_CONSTABLE).citation
    for post in (law.Post.DEPUTY_PCC, law.Post.CHIEF_EXECUTIVE, law.Post.CHIEF_FINANCE_OFFICER):
        assert law.confirmation_source(post).checked is law.Checked.UNCHECKED


@pytest.mark.parametrize(
    "done_on, today, applies, state",
    [
        (None, date(2027, 2, 1), True, law.State.DUE),  # the last day is still on time
        (None, date(2027, 2, 2), True, law.State.OVERDUE),
        (date(2027, 2, 3), date(2027, 2, 5), True, law.State.DONE),  # done late is still done
        (None, date(2027, 3, 1), False, law.State.NOT_APPLICABLE),
    ],
)
def test_an_item_is_due_then_overdue_until_done_or_not_applicable(done_on, today, applies, state):
    assert law.state_of(date(2027, 2, 1), done_on, today, applies=applies) is state


def test_the_annual_report_has_no_date_in_law_so_the_calendar_shows_september():
    assert law.annual_report_expected(2026) == date(2027, 9, 30)
