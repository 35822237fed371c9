"""Deadline notices: the reminders a unit gets before a legal deadline and the escalations once
it has passed (DESIGN.md "Legal deadlines"; the `deadlines` job of issue 5).

What a ticket is owed at an instant depends only on its pending deadline, the reminder
thresholds (working days before the due day) and the working-day calendar, and it changes only
at local midnight and at the instant the deadline passes. So each ticket carries the instant its
next notice falls due (`Ticket.next_notice_at`), and the sweep reads only the tickets whose
instant has come instead of every open ticket near its deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from bot.domain.calendar import WorkingCalendar
from bot.domain.clock import VN_TZ, local
from bot.domain.statuses import Status

__all__ = [
    "OVERDUE",
    "PENDING_DEADLINES",
    "Notice",
    "Scheduled",
    "next_notice_at",
    "notice_owed",
    "pending_deadline",
    "reminder_stage",
]

OVERDUE = "overdue"

# Which deadline is pending in which status. The forward limit (5 working days) is left out on
# purpose: it binds only when the unit is not competent, which the system cannot know, and
# reminding of it for every ticket would double the traffic in groups limited to 20 messages
# a minute; the card shows it.
PENDING_DEADLINES: dict[str, tuple[Status, ...]] = {
    "decision": (Status.SUBMITTED,),
    "resolution": (Status.ACCEPTED, Status.NEEDS_INFO, Status.REOPENED),
}
_DEADLINE_OF = {status: name for name, group in PENDING_DEADLINES.items() for status in group}

_ONE_DAY = timedelta(days=1)
_JUST_AFTER = timedelta(microseconds=1)  # the first instant a deadline has passed
_SEARCH_DAYS = 400  # no run of days off is this long; a guard, never reached


class Scheduled(Protocol):
    """What the schedule reads of a ticket: a whole `Ticket`, or the sweep's narrow row."""

    @property
    def id(self) -> int | None: ...
    @property
    def status(self) -> str: ...
    @property
    def decision_due(self) -> datetime | None: ...
    @property
    def resolution_due(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class Notice:
    """One message a ticket is owed: about which deadline, at which stage, on which day."""

    ticket_id: int
    deadline: str  # "decision" or "resolution"
    due: datetime
    stage: str  # a threshold ("3", "1"...) or OVERDUE
    day: date  # the local day it is owed on
    days: int  # working days left, or working days overdue

    @property
    def slot(self) -> tuple[str, datetime, str, date | None]:
        """What makes two notices the same message: a reminder is one per stage, an
        escalation one per working day."""
        return (self.deadline, self.due, self.stage, self.day if self.stage == OVERDUE else None)


def reminder_stage(days_left: int, thresholds: Sequence[int]) -> int | None:
    """The tightest threshold reached with `days_left` working days to go, or None.

    With thresholds [3, 1]: 3 or 2 days left -> 3; 1 or 0 -> 1; 4 or more -> None. A ticket
    first seen with 1 day left gets the 1-day reminder only.
    """
    reached = [t for t in thresholds if t >= days_left]
    return min(reached) if reached else None


def pending_deadline(ticket: Scheduled) -> tuple[str, datetime] | None:
    """The deadline the unit works against in the ticket's status, or None."""
    name = _DEADLINE_OF.get(Status(ticket.status))
    if name is None:
        return None
    due = ticket.decision_due if name == "decision" else ticket.resolution_due
    return (name, due) if due is not None else None


def notice_owed(
    ticket: Scheduled, thresholds: Sequence[int], calendar: WorkingCalendar, now: datetime
) -> Notice | None:
    """The notice the ticket is owed at `now`, whether or not it was queued before."""
    pending = pending_deadline(ticket)
    if pending is None:
        return None
    return _owed(ticket.id or 0, *pending, thresholds, calendar, now)


def next_notice_at(
    ticket: Scheduled,
    thresholds: Sequence[int],
    calendar: WorkingCalendar,
    now: datetime,
    *,
    after: Notice | None = None,
) -> datetime | None:
    """The first instant at or after `now` at which the ticket is owed a notice other than
    `after` (the one just queued), or None when it is owed none (no longer open).

    That is the start of the local working day on which the tightest threshold not yet passed
    is reached, then the instant the deadline passes, then each following working day.
    """
    pending = pending_deadline(ticket)
    if pending is None:
        return None
    deadline, due = pending
    ticket_id = ticket.id or 0
    skip = after.slot if after is not None else None
    moment = now
    if moment <= due:
        # Before the tightest-threshold window nothing is owed: jump to its first day.
        first = _window_start(local(due).date(), max(thresholds, default=-1), calendar)
        if first is None:
            moment = due + _JUST_AFTER
        elif local(moment).date() < first:
            moment = _start_of(first)
    for _ in range(_SEARCH_DAYS):
        notice = _owed(ticket_id, deadline, due, thresholds, calendar, moment)
        if notice is not None and notice.slot != skip:
            return moment
        moment = _next_change(moment, due)
    raise AssertionError(f"no notice within {_SEARCH_DAYS} days of {now} for {deadline} {due}")


def _owed(
    ticket_id: int,
    deadline: str,
    due: datetime,
    thresholds: Sequence[int],
    calendar: WorkingCalendar,
    now: datetime,
) -> Notice | None:
    today = local(now).date()
    # Groups are written to on working days only: "once per working day" repeats nothing over
    # a weekend or Tết, and a stage reached on a day off is still owed on the next working day.
    if not calendar.is_working_day(today):
        return None
    due_day = local(due).date()
    if now > due:
        late = calendar.working_days_between(due_day, today)
        return Notice(ticket_id, deadline, due, OVERDUE, today, late)
    left = calendar.working_days_between(today, due_day)
    stage = reminder_stage(left, thresholds)
    if stage is None:
        return None
    return Notice(ticket_id, deadline, due, str(stage), today, left)


def _window_start(due_day: date, widest: int, calendar: WorkingCalendar) -> date | None:
    """The first day with at most `widest` working days left before `due_day`: the
    (widest + 1)-th working day counting back from `due_day` itself. None without thresholds."""
    if widest < 0:
        return None
    day = due_day
    seen = 1 if calendar.is_working_day(day) else 0
    while seen <= widest:
        day -= _ONE_DAY
        if calendar.is_working_day(day):
            seen += 1
    return day


def _next_change(moment: datetime, due: datetime) -> datetime:
    """The next instant at which what is owed may change: local midnight, or the deadline
    passing."""
    midnight = _start_of(local(moment).date() + _ONE_DAY)
    passed = due + _JUST_AFTER
    return passed if moment < passed < midnight else midnight


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=VN_TZ)
