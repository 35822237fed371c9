"""When a ticket is next owed a deadline notice (bot/domain/notices.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.calendar import WorkingCalendar
from bot.domain.clock import VN_TZ, local
from bot.domain.deadlines import end_of_day
from bot.domain.kinds import Kind
from bot.domain.model import Ticket
from bot.domain.notices import next_notice_at, notice_owed
from bot.domain.statuses import Status

CALENDAR = WorkingCalendar()
THRESHOLDS = (3, 1)


def vn(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN_TZ)


def ticket(status: Status, due_day: date | None, *, ticket_id: int = 7) -> Ticket:
    due = end_of_day(due_day) if due_day is not None else None
    submitted = status == Status.SUBMITTED
    return Ticket(
        code="PA26-00007",
        kind=Kind.PHAN_ANH,
        description="Ổ gà trên đường.",
        unit_id="ubnd-hai-chau",
        received_at=vn(date(2026, 1, 5), 9),
        rules={},
        status=status,
        decision_due=due if submitted else end_of_day(date(2026, 1, 19)),
        resolution_due=None if submitted else due,
        id=ticket_id,
    )


def test_the_series_across_a_weekend_and_a_day_off() -> None:
    # Decision due Tuesday 01/12/2026; Tuesday 24/11 is Ngày Văn hóa Việt Nam, a day off.
    t = ticket(Status.SUBMITTED, date(2026, 12, 1))
    submitted = vn(date(2026, 11, 16), 9)
    first = next_notice_at(t, THRESHOLDS, CALENDAR, submitted)
    # Thursday 26/11: Fri 27, Mon 30 and Tue 1 are the three left.
    assert first == vn(date(2026, 11, 26))
    three = notice_owed(t, THRESHOLDS, CALENDAR, vn(date(2026, 11, 26), 0, 5))
    assert three is not None and (three.stage, three.days) == ("3", 3)
    one_day = next_notice_at(t, THRESHOLDS, CALENDAR, vn(date(2026, 11, 26), 0, 5), after=three)
    assert one_day == vn(date(2026, 11, 30))
    one = notice_owed(t, THRESHOLDS, CALENDAR, vn(date(2026, 11, 30), 0, 5))
    assert one is not None and one.stage == "1"
    # Nothing new on the due day itself; then the moment the deadline passes.
    passed = next_notice_at(t, THRESHOLDS, CALENDAR, vn(date(2026, 11, 30), 0, 5), after=one)
    assert passed == end_of_day(date(2026, 12, 1)) + timedelta(microseconds=1)
    # Overdue on Friday 04/12: the next escalation is Monday's.
    friday = notice_owed(t, THRESHOLDS, CALENDAR, vn(date(2026, 12, 4), 0, 5))
    assert friday is not None and (friday.stage, friday.days) == ("overdue", 3)
    assert next_notice_at(
        t, THRESHOLDS, CALENDAR, vn(date(2026, 12, 4), 0, 5), after=friday
    ) == vn(date(2026, 12, 7))


def test_the_series_across_tet() -> None:
    # Tết Bính Ngọ: 16-20/02/2026 off; due Tuesday 24/02.
    t = ticket(Status.SUBMITTED, date(2026, 2, 24))
    assert next_notice_at(t, THRESHOLDS, CALENDAR, vn(date(2026, 2, 3), 9)) == vn(
        date(2026, 2, 12)
    )
    three = notice_owed(t, THRESHOLDS, CALENDAR, vn(date(2026, 2, 12), 10))
    assert three is not None and three.stage == "3"
    after_three = next_notice_at(t, THRESHOLDS, CALENDAR, vn(date(2026, 2, 12), 10), after=three)
    assert after_three == vn(date(2026, 2, 23))


def test_first_seen_inside_the_window_owes_a_notice_at_once() -> None:
    t = ticket(Status.ACCEPTED, date(2026, 2, 24))
    now = vn(date(2026, 2, 23), 14, 30)
    assert next_notice_at(t, THRESHOLDS, CALENDAR, now) == now


def test_a_weekend_defers_to_the_next_working_day() -> None:
    t = ticket(Status.ACCEPTED, date(2026, 11, 10))  # overdue; Saturday 14/11
    assert next_notice_at(t, THRESHOLDS, CALENDAR, vn(date(2026, 11, 14), 11)) == vn(
        date(2026, 11, 16)
    )


def test_no_thresholds_means_escalations_only() -> None:
    t = ticket(Status.ACCEPTED, date(2026, 11, 20))
    assert next_notice_at(t, (), CALENDAR, vn(date(2026, 11, 2))) == end_of_day(
        date(2026, 11, 20)
    ) + timedelta(microseconds=1)


@pytest.mark.parametrize(
    "status",
    [Status.RESOLVED, Status.CLOSED, Status.GUIDED, Status.REJECTED, Status.TRANSFERRED],
)
def test_nothing_is_owed_once_the_unit_owes_no_decision_or_answer(status: Status) -> None:
    t = ticket(status, date(2026, 11, 20))
    assert next_notice_at(t, THRESHOLDS, CALENDAR, vn(date(2026, 11, 19))) is None


def test_a_missing_deadline_owes_nothing() -> None:
    t = ticket(Status.ACCEPTED, None)
    assert next_notice_at(t, THRESHOLDS, CALENDAR, vn(date(2026, 11, 19))) is None


def test_the_pending_deadline_follows_the_status() -> None:
    t = ticket(Status.NEEDS_INFO, date(2026, 11, 20))
    notice = notice_owed(t, THRESHOLDS, CALENDAR, vn(date(2026, 11, 19), 9))
    assert notice is not None and notice.deadline == "resolution"


# Any day of 2026-2027 (Tết twice, the swapped working Saturdays), any thresholds the config
# allows, sweeps at any gaps: reading only the tickets whose instant has come queues exactly
# what a sweep reading every ticket would.
due_days = st.dates(min_value=date(2026, 1, 5), max_value=date(2027, 12, 20))
thresholds_ = st.lists(st.integers(0, 6), max_size=3, unique=True).map(
    lambda t: tuple(sorted(t, reverse=True))
)
gaps = st.lists(st.integers(1, 60 * 40), min_size=1, max_size=80)


@settings(max_examples=300, deadline=None)
@given(
    due_day=due_days,
    thresholds=thresholds_,
    start_days=st.integers(0, 30),
    start_minute=st.integers(0, 24 * 60 - 1),
    gaps=gaps,
    status=st.sampled_from([Status.SUBMITTED, Status.ACCEPTED, Status.NEEDS_INFO]),
)
def test_reading_only_due_tickets_queues_what_a_full_scan_would(
    due_day: date,
    thresholds: tuple[int, ...],
    start_days: int,
    start_minute: int,
    gaps: list[int],
    status: Status,
) -> None:
    t = ticket(status, due_day)
    start = vn(due_day - timedelta(days=start_days)) + timedelta(minutes=start_minute)
    sweeps = []
    moment = start
    for gap in gaps:
        moment += timedelta(minutes=gap)
        sweeps.append(moment)
    full = {n.slot for m in sweeps if (n := notice_owed(t, thresholds, CALENDAR, m)) is not None}
    due_only = set()
    at = next_notice_at(t, thresholds, CALENDAR, start)
    for m in sweeps:
        if at is None or at > m:
            continue
        notice = notice_owed(t, thresholds, CALENDAR, m)
        if notice is not None:
            due_only.add(notice.slot)
        at = next_notice_at(t, thresholds, CALENDAR, m, after=notice)
        assert at is not None and at > m
    assert due_only == full


@settings(max_examples=300, deadline=None)
@given(
    due_day=due_days,
    thresholds=thresholds_,
    offset_minutes=st.integers(-40 * 24 * 60, 15 * 24 * 60),
)
def test_the_instant_is_the_first_change_that_owes_something(
    due_day: date, thresholds: tuple[int, ...], offset_minutes: int
) -> None:
    t = ticket(Status.ACCEPTED, due_day)
    now = vn(due_day) + timedelta(minutes=offset_minutes)
    at = next_notice_at(t, thresholds, CALENDAR, now)
    assert at is not None and at >= now
    assert notice_owed(t, thresholds, CALENDAR, at) is not None
    # Nothing is owed at any earlier change point: local midnights, the deadline passing.
    due = end_of_day(due_day)
    day = local(now).date()
    points = [now, due + timedelta(microseconds=1)]
    while vn(day) < at:
        points.append(vn(day))
        day += timedelta(days=1)
    for point in points:
        if now <= point < at:
            assert notice_owed(t, thresholds, CALENDAR, point) is None, point
