"""The `deadlines` job: remind units of approaching legal deadlines, escalate overdue tickets,
and close answered tickets whose reopen window has passed.

Every message is an outbox row whose dedupe key names the ticket, the deadline, its due day and
the stage (threshold or overdue day). Re-running the sweep, restarting, or two schedulers
sweeping at once therefore queue each message once, and an extension (a new due day) starts a
fresh series.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bot.domain.clock import VN_TZ, local
from bot.domain.errors import ConcurrentUpdate, DomainError
from bot.domain.kinds import Kind
from bot.domain.messages import OutgoingMessage
from bot.domain.model import OutboxMessage, Ticket
from bot.domain.statuses import Status
from bot.i18n import format_date
from bot.services.cards import render_card
from bot.services.context import Actor, Deps
from bot.services.ports import DueRef, UnitOfWork
from bot.services.tickets import TicketService

__all__ = [
    "PENDING_DEADLINES",
    "SweepReport",
    "deadline_sweep",
    "queue_message",
    "reminder_stage",
]

log = logging.getLogger("nghedan.reminders")

TELEGRAM = "telegram"
OVERDUE = "overdue"

# Which deadline is pending in which status. The forward limit (5 working days) is left out on
# purpose: it binds only when the unit is not competent, which the system cannot know, and
# reminding of it for every ticket would double the traffic in groups limited to 20 messages
# a minute; the card shows it.
PENDING_DEADLINES: dict[str, tuple[Status, ...]] = {
    "decision": (Status.SUBMITTED,),
    "resolution": (Status.ACCEPTED, Status.NEEDS_INFO, Status.REOPENED),
}


@dataclass
class SweepReport:
    scanned: int = 0
    reminders: int = 0
    escalations: int = 0
    closed: int = 0
    keys: list[str] = field(default_factory=list, repr=False)  # what this run queued


@dataclass(frozen=True, slots=True)
class _Notice:
    """One message the sweep owes: to whom, about which deadline, at which stage."""

    ticket_id: int
    deadline: str
    due: datetime
    stage: str  # "3", "1"... (working days left) or "overdue"
    day: date  # the local day of the sweep; keys escalations per working day
    days: int  # working days left, or working days overdue

    def dedupe_keys(self, *, lead: bool) -> list[str]:
        """The outbox keys: one reminder, or an escalation to the unit (and the leaders)."""
        base = f"dl:{self.ticket_id}:{self.deadline}:{local(self.due).date().isoformat()}"
        if self.stage != OVERDUE:
            return [f"{base}:remind:{self.stage}"]
        overdue = f"{base}:overdue:{self.day.isoformat()}"
        return [f"{overdue}:unit", f"{overdue}:lead"] if lead else [f"{overdue}:unit"]


def reminder_stage(days_left: int, thresholds: Sequence[int]) -> int | None:
    """The tightest threshold reached with `days_left` working days to go, or None.

    With thresholds [3, 1]: 3 or 2 days left -> 3; 1 or 0 -> 1; 4 or more -> None. A ticket
    first seen with 1 day left gets the 1-day reminder only.
    """
    reached = [t for t in thresholds if t >= days_left]
    return min(reached) if reached else None


async def deadline_sweep(
    deps: Deps,
    now: datetime,
    *,
    thresholds: Sequence[int] = (3, 1),
    batch: int = 2000,
) -> SweepReport:
    """Queue the reminders and escalations due as of `now`; close expired resolved tickets.

    Only tickets whose pending deadline is at most max(thresholds) working days away, or past,
    are read, a page at a time through the (status, due) indexes; a full ticket is loaded only
    when it is owed a message not queued before.
    """
    report = SweepReport()
    today = local(now).date()
    bound = _window_end(deps, today, max(thresholds, default=0))
    for deadline, statuses in PENDING_DEADLINES.items():
        for status in statuses:
            after: DueRef | None = None
            while True:
                async with deps.uow() as uow:
                    page = await uow.tickets.due_page(
                        deadline, status.value, due_before=bound, after=after, limit=batch
                    )
                if not page:
                    break
                report.scanned += len(page)
                notices = [
                    n
                    for ref in page
                    if (n := _notice(deps, ref, deadline, now, today, thresholds)) is not None
                ]
                if notices:
                    await _deliver(deps, notices, status, report)
                if len(page) < batch:
                    break
                after = page[-1]
    report.closed = await _close_expired(deps, now, batch=batch)
    return report


def _window_end(deps: Deps, today: date, max_threshold: int) -> datetime:
    """The instant before which a due falls within `max_threshold` working days of today.

    A deadline on day D has k working days left when k working days d satisfy today < d <= D;
    so D is in the window while D < the (k+1)-th working day after today.
    """
    first_outside = deps.calendar.add_working_days(today, max_threshold + 1)
    return datetime.combine(first_outside, time(0), tzinfo=VN_TZ)


def _notice(
    deps: Deps,
    ref: DueRef,
    deadline: str,
    now: datetime,
    today: date,
    thresholds: Sequence[int],
) -> _Notice | None:
    # Groups are written to on working days only: "once per working day" repeats nothing over
    # a weekend or Tết, and a stage reached on a day off is still owed on the next working day.
    if not deps.calendar.is_working_day(today):
        return None
    due_day = local(ref.due).date()
    if now > ref.due:
        late = deps.calendar.working_days_between(due_day, today)
        return _Notice(ref.ticket_id, deadline, ref.due, OVERDUE, today, late)
    left = deps.calendar.working_days_between(today, due_day)
    stage = reminder_stage(left, thresholds)
    if stage is None:
        return None
    return _Notice(ref.ticket_id, deadline, ref.due, str(stage), today, left)


async def _deliver(
    deps: Deps, notices: list[_Notice], status: Status, report: SweepReport
) -> None:
    lead = deps.directory.escalation_chat_id is not None
    for attempt in range(3):
        try:
            async with deps.uow() as uow:
                wanted = [k for n in notices for k in n.dedupe_keys(lead=lead)]
                used = await uow.outbox.existing_keys(wanted)
                owed = [n for n in notices if not used.issuperset(n.dedupe_keys(lead=lead))]
                if not owed:
                    return
                tickets = {
                    t.id: t for t in await uow.tickets.get_many([n.ticket_id for n in owed])
                }
                queued: list[tuple[_Notice, str]] = []
                for notice in owed:
                    ticket = tickets.get(notice.ticket_id)
                    # Re-checked on the loaded row: it may have moved on since the page was read.
                    if ticket is None or ticket.status != status:
                        continue
                    if _due_of(ticket, notice.deadline) != notice.due:
                        continue
                    for key in await _queue_notice(deps, uow, ticket, notice, used):
                        queued.append((notice, key))
                await uow.commit()
        except ConcurrentUpdate:
            # Two sweeps inserting the same keys on PostgreSQL: one may be chosen as a
            # deadlock victim. Its keys are in the outbox now or will be on the retry.
            log.info("deadline sweep: batch collided with another sweep, retrying")
            if attempt == 2:
                raise
            continue
        for notice, key in queued:
            if notice.stage == OVERDUE:
                report.escalations += 1
            else:
                report.reminders += 1
            report.keys.append(key)
        return


def _due_of(ticket: Ticket, deadline: str) -> datetime | None:
    return ticket.decision_due if deadline == "decision" else ticket.resolution_due


async def _queue_notice(
    deps: Deps, uow: UnitOfWork, ticket: Ticket, notice: _Notice, used: set[str]
) -> list[str]:
    t = deps.translator
    locale = t.default_locale
    unit = deps.directory.unit(ticket.unit_id)
    card = render_card(ticket, deps.directory, t, locale)
    kind = t(locale, f"kind-{Kind(ticket.kind).value}")
    args = {
        "code": ticket.code,
        "kind": kind,
        "due": format_date(notice.due),
        "days": notice.days,
        "what": t(locale, f"reminder-what-{notice.deadline}"),
        "unit": unit.name,
    }
    lead_chat = deps.directory.escalation_chat_id
    keys = notice.dedupe_keys(lead=lead_chat is not None)
    queued: list[str] = []
    if notice.stage != OVERDUE:
        key = keys[0]
        text = t(locale, "reminder-before", **args)
        message = OutgoingMessage(text=text, choices=card.choices)
        if await queue_message(
            deps,
            uow,
            chat_id=unit.telegram_chat_id,
            message=message,
            key=key,
            purpose="reminder",
            ticket=ticket,
            thread_id=ticket.card_thread_id,
        ):
            queued.append(key)
        return queued
    unit_key = keys[0]
    if unit_key not in used:
        message = OutgoingMessage(
            text=t(locale, "reminder-overdue-unit", **args), choices=card.choices
        )
        if await queue_message(
            deps,
            uow,
            chat_id=unit.telegram_chat_id,
            message=message,
            key=unit_key,
            purpose="escalation",
            ticket=ticket,
            thread_id=ticket.card_thread_id,
        ):
            queued.append(unit_key)
    if lead_chat is not None and keys[1] not in used:
        lead_key = keys[1]
        # No buttons for the leaders: acting on a ticket is the unit's, and card buttons
        # pressed outside the unit's group would be refused anyway.
        message = OutgoingMessage(text=t(locale, "reminder-overdue-lead", **args))
        if await queue_message(
            deps,
            uow,
            chat_id=lead_chat,
            message=message,
            key=lead_key,
            purpose="escalation",
            ticket=ticket,
        ):
            queued.append(lead_key)
    return queued


async def queue_message(
    deps: Deps,
    uow: UnitOfWork,
    *,
    chat_id: int | str,
    message: OutgoingMessage,
    key: str,
    purpose: str,
    channel: str = TELEGRAM,
    ticket: Ticket | None = None,
    thread_id: int | None = None,
) -> bool:
    """Write one outbox row; False when `key` was used before (nothing queued)."""
    now = deps.clock.now()
    return await uow.outbox.enqueue(
        OutboxMessage(
            channel=channel,
            chat_id=str(chat_id),
            thread_id=thread_id,
            payload=message.to_dict(),
            dedupe_key=key,
            purpose=purpose,
            ticket_id=ticket.id if ticket else None,
            created_at=now,
            next_attempt_at=now,
        )
    )


async def _close_expired(deps: Deps, now: datetime, *, batch: int) -> int:
    """Close answered tickets the citizen neither rated nor reopened within the window."""
    service = TicketService(deps)
    before = now - timedelta(days=deps.limits.reopen_days)
    closed = 0
    while True:
        async with deps.uow() as uow:
            codes = await uow.tickets.resolved_codes_before(before, limit=batch)
        done = 0
        for code in codes:
            try:
                await service.close(Actor.system(), code)
            except DomainError:
                # Another sweep closed it first, or the citizen acted a moment ago.
                continue
            done += 1
        closed += done
        if len(codes) < batch or done == 0:
            return closed
