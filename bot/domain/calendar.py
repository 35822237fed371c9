"""Vietnam's working-day calendar, for counting legal deadlines.

Working days are Monday to Friday, minus public holidays and compensatory days, plus the
Saturdays the government swaps into working days (Bộ luật Lao động 2019 Art. 111-112). The
`holidays` package's Vietnam calendar knows all of these; config may add swaps announced after
the package was released (`extra_days_off`, `extra_working_days`), and config always wins.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

__all__ = ["EXTRA_DAY_OFF_NAME", "WorkingCalendar"]

EXTRA_DAY_OFF_NAME = "Ngày nghỉ (bổ sung)"

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class _Year:
    """The days of one year that break the Monday-to-Friday rule, sorted."""

    weekdays_off: tuple[date, ...]
    weekends_worked: tuple[date, ...]


class WorkingCalendar:
    """Answers "is this a working day?" and counts working and calendar days.

    Holiday years are loaded on first use and cached, so scanning many tickets costs one
    package lookup per year, not per day.
    """

    def __init__(
        self,
        *,
        extra_days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
    ) -> None:
        self._extra_off = frozenset(extra_days_off)
        self._extra_on = frozenset(extra_working_days)
        both = self._extra_off & self._extra_on
        if both:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            raise ValueError(f"days listed both as off and as working: {listed}")
        self._holidays = holidays.VN(language="vi")
        self._years: dict[int, _Year] = {}

    # -- single days -------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        year = self._year(d.year)
        if d.weekday() < 5:
            return not _contains(year.weekdays_off, d)
        return _contains(year.weekends_worked, d)

    def holiday_name(self, d: date) -> str | None:
        """The name of the holiday or swapped day off on `d`, or None on an ordinary day.

        Weekends are not holidays; a day config turned into a working day has no name.
        """
        if d in self._extra_on:
            return None
        self._year(d.year)
        name = self._holidays.get(d)
        if name is not None:
            return str(name)
        if d in self._extra_off:
            return EXTRA_DAY_OFF_NAME
        return None

    def next_working_day_on_or_after(self, d: date) -> date:
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    # -- periods -----------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (n >= 1); `start` itself never counts."""
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        d = start
        while n:
            d += _ONE_DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def add_calendar_days(self, start: date, n: int) -> date:
        """`start` + n days; if that day is off, the next working day.

        The period starts the day after `start` and one ending on a day off ends on the next
        working day (Bộ luật Dân sự 2015 Art. 147(1), 148(5)).
        """
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        return self.next_working_day_on_or_after(start + timedelta(days=n))

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days d with a < d <= b; negative if b < a."""
        if b < a:
            return -self.working_days_between(b, a)
        count = _weekdays_upto(b) - _weekdays_upto(a)
        for y in range(a.year, b.year + 1):
            year = self._year(y)
            count -= _count_in(year.weekdays_off, a, b)
            count += _count_in(year.weekends_worked, a, b)
        return count

    # -- cache -------------------------------------------------------------------------------

    def _year(self, y: int) -> _Year:
        cached = self._years.get(y)
        if cached is not None:
            return cached
        # A swap listed under year y+1 may name a Saturday of year y as the working day
        # (e.g. Sat 27/12/2014 worked for Fri 02/01/2015), so load the next year too;
        # `holidays` populates a year the first time a date in it is looked up.
        self._holidays.get(date(y, 1, 1))
        if y < date.max.year:
            self._holidays.get(date(y + 1, 1, 1))
        off = {d for d in self._holidays if d.year == y}
        on = {d for d in self._holidays.weekend_workdays if d.year == y}
        off = (off | {d for d in self._extra_off if d.year == y}) - self._extra_on
        on = (on | {d for d in self._extra_on if d.year == y}) - self._extra_off
        year = _Year(
            weekdays_off=tuple(sorted(d for d in off if d.weekday() < 5)),
            weekends_worked=tuple(sorted(d for d in on if d.weekday() >= 5)),
        )
        self._years[y] = year
        return year


def _contains(days: tuple[date, ...], d: date) -> bool:
    i = bisect_left(days, d)
    return i < len(days) and days[i] == d


def _count_in(days: tuple[date, ...], a: date, b: date) -> int:
    """How many of the sorted `days` fall in (a, b]."""
    return bisect_right(days, b) - bisect_right(days, a)


def _weekdays_upto(d: date) -> int:
    """Mondays to Fridays from 0001-01-01 (a Monday) to `d` inclusive."""
    weeks, rest = divmod(d.toordinal(), 7)
    return weeks * 5 + min(rest, 5)
