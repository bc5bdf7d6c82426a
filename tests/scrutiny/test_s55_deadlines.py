"""The s.55 deadline: 56 days counting the day of publication, so due = published + 55 days."""

from datetime import date

import pytest

from oversight.lib.deadlines import parse_today, s55_days_late, s55_response_due


@pytest.mark.parametrize(
    "published, due",
    [
        (date(2023, 8, 25), date(2023, 10, 19)),  # race and policing reports (seed 003 para 89)
        (date(2023, 10, 31), date(2023, 12, 25)),  # month end to month end
        (date(2023, 11, 7), date(2024, 1, 1)),  # across the year end
        (date(2024, 1, 5), date(2024, 2, 29)),  # lands on a leap day
        (date(2023, 1, 5), date(2023, 3, 1)),  # the same dates in a common year
        (date(2024, 2, 29), date(2024, 4, 24)),  # published on a leap day
        (date(2020, 1, 1), date(2020, 2, 25)),
        (date(2019, 12, 31), date(2020, 2, 24)),
        (date(2100, 1, 5), date(2100, 3, 1)),  # 2100 is not a leap year
    ],
)
def test_the_response_is_due_on_the_56th_day_counting_publication_day(published, due):
    assert s55_response_due(published) == due
    assert (due - published).days + 1 == 56


def test_a_response_on_the_due_day_is_on_time_and_a_day_later_is_late():
    published = date(2024, 1, 5)
    assert s55_days_late(published, date(2024, 2, 29), today=date(2025, 1, 1)) == 0
    assert s55_days_late(published, date(2024, 3, 1), today=date(2025, 1, 1)) == 1


def test_a_missing_response_is_late_only_once_the_deadline_has_passed():
    published = date(2024, 1, 5)
    assert s55_days_late(published, None, today=date(2024, 2, 29)) == 0
    assert s55_days_late(published, None, today=date(2024, 3, 10)) == 10


def test_today_can_be_set_and_an_unreadable_date_is_refused():
    assert parse_today("2020-03-01", date(2030, 1, 1)) == date(2020, 3, 1)
    assert parse_today("", date(2030, 1, 1)) == date(2030, 1, 1)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_today("1 March", date(2030, 1, 1))
