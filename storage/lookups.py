"""Read-side queries of the officers' group: which ticket a message or topic belongs to, a
unit's open and overdue lists, and its monthly figures. Implements `bot.services.ports.
TicketLookups`; like the repositories, it never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.model import Ticket
from bot.domain.statuses import OPEN, Status
from bot.services.ports import DeliveryFailure, DeliveryFailures, UnitStats
from storage import orm
from storage.outbox_store import failed_deliveries

_OPEN = [s.value for s in OPEN]
_IN_PROGRESS = [s.value for s in OPEN if s is not Status.SUBMITTED]


def _pending_due():  # type: ignore[no-untyped-def]
    # The deadline the unit is working against now: the decision while the ticket waits,
    # the resolution once it is accepted.
    table = orm.tickets
    return case(
        (table.c.status == Status.SUBMITTED.value, table.c.decision_due),
        else_=func.coalesce(table.c.resolution_due, table.c.decision_due),
    )


class SqlAlchemyTicketLookups:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_message(self, chat_id: int, message_id: int) -> Ticket | None:
        tickets = orm.tickets
        query = select(Ticket).where(
            tickets.c.card_chat_id == chat_id, tickets.c.card_message_id == message_id
        )
        found = (await self.session.execute(query)).scalars().first()
        if found is not None:
            return found
        outbox = orm.outbox
        ticket_id = (
            await self.session.execute(
                select(outbox.c.ticket_id)
                .where(
                    outbox.c.chat_id == str(chat_id),
                    outbox.c.sent_message_id == str(message_id),
                    outbox.c.ticket_id.is_not(None),
                )
                .order_by(outbox.c.id.desc())
                .limit(1)
            )
        ).scalar_one_or_none()
        return await self.session.get(Ticket, ticket_id) if ticket_id is not None else None

    async def by_thread(self, chat_id: int, thread_id: int) -> Ticket | None:
        tickets = orm.tickets
        query = select(Ticket).where(
            tickets.c.card_chat_id == chat_id, tickets.c.card_thread_id == thread_id
        )
        return (await self.session.execute(query)).scalars().first()

    async def count_open_of_unit(self, unit_id: str) -> int:
        tickets = orm.tickets
        query = select(func.count()).where(
            tickets.c.unit_id == unit_id, tickets.c.status.in_(_OPEN)
        )
        return int((await self.session.execute(query)).scalar_one())

    async def overdue_of_unit(
        self, unit_id: str, *, now: datetime, limit: int, offset: int
    ) -> list[Ticket]:
        tickets = orm.tickets
        due = _pending_due()
        query = (
            select(Ticket)
            .where(tickets.c.unit_id == unit_id, tickets.c.status.in_(_OPEN), due < now)
            .order_by(due.asc(), tickets.c.id)
            .limit(limit)
            .offset(offset)
        )
        return list((await self.session.execute(query)).scalars())

    async def count_overdue_of_unit(self, unit_id: str, *, now: datetime) -> int:
        tickets = orm.tickets
        query = select(func.count()).where(
            tickets.c.unit_id == unit_id, tickets.c.status.in_(_OPEN), _pending_due() < now
        )
        return int((await self.session.execute(query)).scalar_one())

    async def unit_stats(
        self, unit_id: str, *, start: datetime, end: datetime, now: datetime
    ) -> UnitStats:
        tickets = orm.tickets
        mine = tickets.c.unit_id == unit_id

        def count_where(*conditions):  # type: ignore[no-untyped-def]
            return func.sum(case((and_(*conditions), 1), else_=0))

        resolved_in_month = and_(tickets.c.resolved_at >= start, tickets.c.resolved_at < end)
        query = select(
            count_where(
                tickets.c.received_at >= start,
                tickets.c.received_at < end,
                tickets.c.status != Status.DRAFT.value,
            ),
            count_where(tickets.c.status == Status.SUBMITTED.value),
            count_where(tickets.c.status.in_(_IN_PROGRESS)),
            count_where(resolved_in_month),
            count_where(
                resolved_in_month,
                tickets.c.resolution_due.is_not(None),
                tickets.c.resolved_at <= tickets.c.resolution_due,
            ),
            count_where(tickets.c.status.in_(_OPEN), _pending_due() < now),
        ).where(mine)
        row = (await self.session.execute(query)).one()
        received, waiting, in_progress, resolved, on_time, overdue = (int(v or 0) for v in row)
        return UnitStats(
            received=received,
            waiting=waiting,
            in_progress=in_progress,
            resolved=resolved,
            resolved_on_time=on_time,
            overdue=overdue,
        )

    async def delivery_failures(self, *, limit: int) -> DeliveryFailures:
        found = await failed_deliveries(self.session, limit=limit)
        return DeliveryFailures(
            count=found.count,
            recent=[
                DeliveryFailure(f.purpose, f.attempts, f.failed_at, (f.last_error or "")[:200])
                for f in found.recent
            ],
        )
