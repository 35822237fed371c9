from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.calendar import EXTRA_DAY_OFF_NAME, WorkingCalendar

# One instance for the property tests: hypothesis refuses function-scoped fixtures, and the
# calendar only caches immutable holiday data.
CALENDAR = WorkingCalendar()

dates = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


def naive_count(calendar: WorkingCalendar, a: date, b: date) -> int:
    days = (b - a).days
    return sum(calendar.is_working_day(a + timedelta(days=i)) for i in range(1, days + 1))


def test_ten_working_days_across_tet_2026() -> None:
    # Tết Bính Ngọ: Mon 16 to Fri 20/02/2026 off.
    assert CALENDAR.add_working_days(date(2026, 2, 12), 10) == date(2026, 3, 5)
    assert all(not CALENDAR.is_working_day(date(2026, 2, d)) for d in range(16, 21))


def test_start_day_never_counts() -> None:
    assert CALENDAR.add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)
    # From a Saturday the first working day is Monday.
    assert CALENDAR.add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)


def test_swapped_saturday_is_worked_and_its_monday_is_off() -> None:
    assert CALENDAR.is_working_day(date(2026, 8, 22))
    assert not CALENDAR.is_working_day(date(2026, 8, 31))
    assert CALENDAR.holiday_name(date(2026, 8, 31)) is not None
    assert CALENDAR.holiday_name(date(2026, 8, 22)) is None


def test_ngay_van_hoa_viet_nam_is_off_from_2026() -> None:
    assert not CALENDAR.is_working_day(date(2026, 11, 24))
    assert CALENDAR.holiday_name(date(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"
    assert CALENDAR.is_working_day(date(2025, 11, 24))


def test_weekends_and_ordinary_days() -> None:
    assert CALENDAR.is_working_day(date(2026, 3, 6))  # Friday
    assert not CALENDAR.is_working_day(date(2026, 3, 7))  # Saturday
    assert not CALENDAR.is_working_day(date(2026, 3, 8))  # Sunday
    assert CALENDAR.holiday_name(date(2026, 3, 7)) is None


def test_extra_days_override_the_package() -> None:
    calendar = WorkingCalendar(
        extra_days_off=[date(2026, 8, 21), date(2026, 8, 22)],
        extra_working_days=[date(2026, 8, 31), date(2026, 11, 24)],
    )
    assert not calendar.is_working_day(date(2026, 8, 21))
    assert calendar.holiday_name(date(2026, 8, 21)) == EXTRA_DAY_OFF_NAME
    assert not calendar.is_working_day(date(2026, 8, 22))
    assert calendar.is_working_day(date(2026, 8, 31))
    assert calendar.holiday_name(date(2026, 8, 31)) is None
    assert calendar.is_working_day(date(2026, 11, 24))
    # A worked Sunday, e.g. a swap announced late.
    calendar = WorkingCalendar(extra_working_days=[date(2026, 3, 8)])
    assert calendar.is_working_day(date(2026, 3, 8))
    assert calendar.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 8)


def test_a_day_cannot_be_both_off_and_worked() -> None:
    with pytest.raises(ValueError, match="2026-08-21"):
        WorkingCalendar(extra_days_off=[date(2026, 8, 21)], extra_working_days=[date(2026, 8, 21)])


def test_next_working_day_on_or_after() -> None:
    assert CALENDAR.next_working_day_on_or_after(date(2026, 3, 6)) == date(2026, 3, 6)
    assert CALENDAR.next_working_day_on_or_after(date(2026, 2, 14)) == date(2026, 2, 23)


def test_thirty_days_ending_on_a_sunday_end_on_monday() -> None:
    # Fri 06/03/2026 + 30 days = Sun 05/04/2026 (Bộ luật Dân sự Art. 148).
    assert CALENDAR.add_calendar_days(date(2026, 3, 6), 30) == date(2026, 4, 6)


def test_thirty_days_ending_in_tet_roll_past_it() -> None:
    # Sat 17/01/2026 + 30 days = Mon 16/02/2026, the eve of Tết.
    assert CALENDAR.add_calendar_days(date(2026, 1, 17), 30) == date(2026, 2, 23)


def test_thirty_days_ending_on_gio_to_sunday_skip_the_compensatory_monday() -> None:
    # Giỗ Tổ falls on Sun 26/04/2026, compensated on Mon 27/04.
    assert CALENDAR.add_calendar_days(date(2026, 3, 27), 30) == date(2026, 4, 28)


def test_calendar_days_on_a_working_day_stay() -> None:
    assert CALENDAR.add_calendar_days(date(2026, 3, 2), 30) == date(2026, 4, 1)
    assert CALENDAR.add_calendar_days(date(2026, 3, 2), 0) == date(2026, 3, 2)


def test_working_days_between() -> None:
    assert CALENDAR.working_days_between(date(2026, 2, 12), date(2026, 3, 5)) == 10
    assert CALENDAR.working_days_between(date(2026, 3, 5), date(2026, 2, 12)) == -10
    assert CALENDAR.working_days_between(date(2026, 3, 5), date(2026, 3, 5)) == 0
    # Across New Year: 01/01/2026 is off, Fri 02/01 and Mon 05/01 are worked.
    assert CALENDAR.working_days_between(date(2025, 12, 31), date(2026, 1, 5)) == 2
    # The swapped Saturday counts, its Monday does not.
    assert CALENDAR.working_days_between(date(2026, 8, 21), date(2026, 8, 31)) == 6


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        CALENDAR.add_working_days(date(2026, 3, 2), 0)
    with pytest.raises(ValueError):
        CALENDAR.add_calendar_days(date(2026, 3, 2), -1)


@given(d=dates, n=st.integers(min_value=1, max_value=80))
def test_add_working_days_lands_on_a_working_day(d: date, n: int) -> None:
    result = CALENDAR.add_working_days(d, n)
    assert result > d
    assert CALENDAR.is_working_day(result)
    assert CALENDAR.working_days_between(d, result) == n


@given(d=dates, n=st.integers(min_value=1, max_value=80))
def test_add_working_days_is_strictly_increasing(d: date, n: int) -> None:
    assert CALENDAR.add_working_days(d, n) < CALENDAR.add_working_days(d, n + 1)


@given(a=dates, b=dates)
def test_working_days_between_matches_counting_day_by_day(a: date, b: date) -> None:
    lo, hi = min(a, b), max(a, b)
    if (hi - lo).days > 800:
        hi = lo + timedelta(days=800)
    assert CALENDAR.working_days_between(lo, hi) == naive_count(CALENDAR, lo, hi)
    assert CALENDAR.working_days_between(hi, lo) == -naive_count(CALENDAR, lo, hi)


PACKAGE = holidays.VN(language="vi", years=range(2014, 2037))


@given(d=dates)
def test_agrees_with_the_holidays_package(d: date) -> None:
    assert CALENDAR.is_working_day(d) == PACKAGE.is_working_day(d)


@given(d=dates, n=st.integers(min_value=0, max_value=120))
def test_add_calendar_days_rolls_only_over_days_off(d: date, n: int) -> None:
    result = CALENDAR.add_calendar_days(d, n)
    end = d + timedelta(days=n)
    assert result >= end
    assert CALENDAR.is_working_day(result)
    skipped = [end + timedelta(days=i) for i in range((result - end).days)]
    assert not any(CALENDAR.is_working_day(day) for day in skipped)
