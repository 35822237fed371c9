"""The `deadlines` job: remind units of approaching legal deadlines, escalate overdue tickets,
and close answered tickets whose reopen window has passed.

Each ticket stores when it is next owed a notice (`next_notice_at`, bot/domain/notices.py),
set by every change of its status or deadline; a run reads only the tickets whose instant has
come, through a partial index, queues what each is owed and moves the instant on, in one
transaction. The steady state reads a few rows, however many tickets are open.

Every message is an outbox row whose dedupe key names the ticket, the deadline, its due day and
the stage (threshold or overdue day). Re-running the sweep, restarting, or two schedulers
sweeping at once therefore queue each message once, and an extension (a new due day) starts a
fresh series.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.clock import local
from bot.domain.errors import ConcurrentUpdate, DomainError
from bot.domain.kinds import Kind
from bot.domain.messages import OutgoingMessage
from bot.domain.model import OutboxMessage, Ticket
from bot.domain.notices import (
    OVERDUE,
    PENDING_DEADLINES,
    Notice,
    next_notice_at,
    notice_owed,
    reminder_stage,
)
from bot.i18n import format_date
from bot.services.cards import render_card
from bot.services.context import Actor, Deps
from bot.services.ports import UnitOfWork
from bot.services.tickets import TicketService

__all__ = [
    "PENDING_DEADLINES",
    "SweepReport",
    "deadline_sweep",
    "dedupe_keys",
    "queue_message",
    "reminder_stage",
]

log = logging.getLogger("nghedan.reminders")

TELEGRAM = "telegram"


@dataclass
class SweepReport:
    scanned: int = 0  # tickets whose next notice had come
    reminders: int = 0
    escalations: int = 0
    closed: int = 0
    keys: list[str] = field(default_factory=list, repr=False)  # what this run queued


def dedupe_keys(notice: Notice, *, lead: bool) -> list[str]:
    """The outbox keys of a notice: one reminder, or an escalation to the unit (and the
    leaders)."""
    due_day = local(notice.due).date().isoformat()
    base = f"dl:{notice.ticket_id}:{notice.deadline}:{due_day}"
    if notice.stage != OVERDUE:
        return [f"{base}:remind:{notice.stage}"]
    overdue = f"{base}:overdue:{notice.day.isoformat()}"
    return [f"{overdue}:unit", f"{overdue}:lead"] if lead else [f"{overdue}:unit"]


async def deadline_sweep(
    deps: Deps,
    now: datetime,
    *,
    thresholds: Sequence[int] | None = None,
    batch: int = 500,
) -> SweepReport:
    """Queue the reminders and escalations due as of `now`; close expired resolved tickets.

    `thresholds` default to the ones the services schedule with (`Deps.reminder_thresholds`).
    """
    report = SweepReport()
    chosen = tuple(deps.reminder_thresholds if thresholds is None else thresholds)
    while await _sweep_batch(deps, now, chosen, batch, report) == batch:
        pass
    report.closed = await _close_expired(deps, now, batch=batch)
    return report


async def _sweep_batch(
    deps: Deps, now: datetime, thresholds: tuple[int, ...], batch: int, report: SweepReport
) -> int:
    """One transaction: the next `batch` tickets owed a notice, what they are owed queued and
    their next instant stored. The number of tickets read."""
    lead = deps.directory.escalation_chat_id is not None
    for attempt in range(3):
        try:
            async with deps.uow() as uow:
                refs = await uow.tickets.owing_notice(now, limit=batch)
                owed = [(ref, notice_owed(ref, thresholds, deps.calendar, now)) for ref in refs]
                wanted = [k for _, n in owed if n is not None for k in dedupe_keys(n, lead=lead)]
                used = await uow.outbox.existing_keys(wanted)
                # Only tickets owed a message not queued before are loaded whole to render it.
                unsent = {
                    n.ticket_id: n
                    for _, n in owed
                    if n is not None and not used.issuperset(dedupe_keys(n, lead=lead))
                }
                queued: list[tuple[Notice, str]] = []
                for ticket in await uow.tickets.get_many(list(unsent)):
                    notice = unsent[ticket.id or 0]
                    for key in await _queue_notice(deps, uow, ticket, notice, used):
                        queued.append((notice, key))
                await uow.tickets.set_next_notice(
                    {
                        ref.id: next_notice_at(ref, thresholds, deps.calendar, now, after=notice)
                        for ref, notice in owed
                    }
                )
                await uow.commit()
        except ConcurrentUpdate:
            # A deadlock victim on PostgreSQL; the rows are locked, so a retry reads the
            # batch afresh and queues only what is still missing.
            log.info("deadline sweep: batch collided with another transaction, retrying")
            if attempt == 2:
                raise
            continue
        report.scanned += len(refs)
        for notice, key in queued:
            if notice.stage == OVERDUE:
                report.escalations += 1
            else:
                report.reminders += 1
            report.keys.append(key)
        return len(refs)
    return 0


async def _queue_notice(
    deps: Deps, uow: UnitOfWork, ticket: Ticket, notice: Notice, used: set[str]
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
    keys = dedupe_keys(notice, lead=lead_chat is not None)
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
