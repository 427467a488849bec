"""Working days and hours: weekends and Norwegian public holidays do not count."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mentorapp.domain import clock, worktime


@pytest.mark.parametrize(("year", "easter"), [(2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)),
                                              (2027, date(2027, 3, 28))])
def test_easter(year, easter):
    assert worktime.easter_sunday(year) == easter


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 11, 25), True), (date(2026, 11, 28), False), (date(2026, 5, 17), False),
    (date(2026, 4, 2), False), (date(2026, 4, 6), False), (date(2026, 5, 14), False),
    (date(2026, 5, 25), False), (date(2026, 12, 24), True), (date(2026, 12, 25), False),
])
def test_working_days(day, working):
    assert worktime.is_working_day(day) is working


def test_working_days_between_skips_weekends_and_easter():
    assert worktime.working_days_between(date(2026, 11, 20), date(2026, 11, 23)) == 1
    assert worktime.working_days_between(date(2026, 3, 31), date(2026, 4, 7)) == 2  # 1 and 7 April


def test_working_hours_count_only_office_hours():
    def oslo(*args):
        return datetime(*args, tzinfo=clock.OSLO)

    assert worktime.working_hours_between(oslo(2026, 11, 23, 9), oslo(2026, 11, 23, 11)) == 2
    assert worktime.working_hours_between(oslo(2026, 11, 23, 15), oslo(2026, 11, 24, 9)) == 2
    assert worktime.working_hours_between(oslo(2026, 11, 20, 15), oslo(2026, 11, 23, 9)) == 2
    assert worktime.working_hours_between(oslo(2026, 11, 21, 10), oslo(2026, 11, 22, 20)) == 0
