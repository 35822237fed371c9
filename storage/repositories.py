"""SQLAlchemy implementations of the ports in bot/services/ports.py. Repositories never
commit: the unit of work does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import and_, bindparam, case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.model import (
    Citizen,
    ConversationState,
    OutboxMessage,
    Ticket,
    TicketEvent,
)
from bot.domain.statuses import OPEN, Status
from bot.services.ports import NoticeRef, UnitFigures
from storage import orm


def _insert(session: AsyncSession):  # type: ignore[no-untyped-def]
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    return pg_insert if dialect == "postgresql" else sqlite_insert


class SqlAlchemyTicketRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, ticket: Ticket) -> None:
        self.session.add(ticket)

    async def get(self, ticket_id: int) -> Ticket | None:
        return await self.session.get(Ticket, ticket_id)

    async def by_intake_key(self, key: str) -> Ticket | None:
        query = select(Ticket).where(orm.tickets.c.intake_key == key)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def by_code(self, code: str, *, for_update: bool = False) -> Ticket | None:
        query = select(Ticket).where(orm.tickets.c.code == code.upper())
        if for_update:
            # PostgreSQL serialises concurrent actions on one ticket here; SQLite has one
            # writer at a time anyway, and the version column catches the rest.
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def of_citizen(self, citizen_id: int, *, limit: int, offset: int) -> list[Ticket]:
        query = (
            select(Ticket)
            .where(orm.tickets.c.citizen_id == citizen_id)
            .order_by(orm.tickets.c.received_at.desc(), orm.tickets.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list((await self.session.execute(query)).scalars())

    async def count_all(self) -> int:
        return int((await self.session.execute(select(func.count(orm.tickets.c.id)))).scalar_one())

    async def count_of_citizen(self, citizen_id: int) -> int:
        query = select(func.count()).where(orm.tickets.c.citizen_id == citizen_id)
        return int((await self.session.execute(query)).scalar_one())

    async def submitted_since(self, citizen_id: int, since: datetime) -> int:
        query = select(func.count()).where(
            orm.tickets.c.citizen_id == citizen_id,
            orm.tickets.c.origin == "chat",
            orm.tickets.c.received_at >= since,
        )
        return int((await self.session.execute(query)).scalar_one())

    async def open_of_unit(self, unit_id: str, *, limit: int, offset: int) -> list[Ticket]:
        due = func.coalesce(orm.tickets.c.resolution_due, orm.tickets.c.decision_due)
        query = (
            select(Ticket)
            .where(orm.tickets.c.unit_id == unit_id, orm.tickets.c.status.in_(list(OPEN)))
            .order_by(due.asc(), orm.tickets.c.id)
            .limit(limit)
            .offset(offset)
        )
        return list((await self.session.execute(query)).scalars())

    async def open_tickets(self, *, after_id: int, limit: int) -> list[Ticket]:
        query = (
            select(Ticket)
            .where(orm.tickets.c.status.in_(list(OPEN)), orm.tickets.c.id > after_id)
            .order_by(orm.tickets.c.id)
            .limit(limit)
        )
        return list((await self.session.execute(query)).scalars())

    async def flush(self) -> None:
        await self.session.flush()

    async def owing_notice(self, now: datetime, *, limit: int) -> list[NoticeRef]:
        table = orm.tickets
        query = (
            select(table.c.id, table.c.status, table.c.decision_due, table.c.resolution_due)
            .where(table.c.next_notice_at <= now)
            .order_by(table.c.next_notice_at, table.c.id)
            .limit(limit)
            # Two sweeps split the due tickets instead of queuing behind each other, and an
            # officer acting on a ticket meanwhile waits for this batch, not the other way.
            .with_for_update(skip_locked=True)
        )
        return [NoticeRef(*row) for row in await self.session.execute(query)]

    async def set_next_notice(self, instants: Mapping[int, datetime | None]) -> None:
        if not instants:
            return
        table = orm.tickets
        statement = (
            update(table)
            .where(table.c.id == bindparam("ticket_id"))
            .values(next_notice_at=bindparam("instant"))
            .execution_options(synchronize_session=False)
        )
        await self.session.execute(
            statement, [{"ticket_id": i, "instant": at} for i, at in instants.items()]
        )

    async def get_many(self, ids: Sequence[int]) -> list[Ticket]:
        if not ids:
            return []
        query = select(Ticket).where(orm.tickets.c.id.in_(list(ids))).order_by(orm.tickets.c.id)
        return list((await self.session.execute(query)).scalars())

    async def resolved_codes_before(self, before: datetime, *, limit: int) -> list[str]:
        table = orm.tickets
        query = (
            select(table.c.code)
            .where(table.c.status == Status.RESOLVED.value, table.c.resolved_at <= before)
            .order_by(table.c.resolved_at, table.c.id)
            .limit(limit)
        )
        return list((await self.session.execute(query)).scalars())

    async def received_by_unit(self, start: datetime, end: datetime) -> dict[str, int]:
        table = orm.tickets
        query = (
            select(table.c.unit_id, func.count())
            .where(
                table.c.received_at >= start,
                table.c.received_at < end,
                table.c.status != Status.DRAFT.value,
            )
            .group_by(table.c.unit_id)
        )
        return {unit: int(n) for unit, n in await self.session.execute(query)}

    async def resolved_by_unit(self, start: datetime, end: datetime) -> dict[str, tuple[int, int]]:
        table = orm.tickets
        on_time = case(
            (
                or_(
                    table.c.resolution_due.is_(None),
                    table.c.resolved_at <= table.c.resolution_due,
                ),
                1,
            ),
            else_=0,
        )
        query = (
            select(table.c.unit_id, func.count(), func.sum(on_time))
            .where(table.c.resolved_at >= start, table.c.resolved_at < end)
            .group_by(table.c.unit_id)
        )
        rows = await self.session.execute(query)
        return {unit: (int(n), int(ok or 0)) for unit, n, ok in rows}

    async def open_figures_by_unit(
        self, *, now: datetime, range_start: datetime, range_end: datetime
    ) -> dict[str, UnitFigures]:
        table = orm.tickets
        pending = case(
            (table.c.status == Status.SUBMITTED.value, table.c.decision_due),
            else_=table.c.resolution_due,
        )
        in_range = case(
            (and_(pending >= range_start, pending < range_end), 1),
            else_=0,
        )
        overdue = case((pending < now, 1), else_=0)
        query = (
            select(table.c.unit_id, func.count(), func.sum(in_range), func.sum(overdue))
            .where(table.c.status.in_([s.value for s in OPEN]))
            .group_by(table.c.unit_id)
        )
        rows = await self.session.execute(query)
        return {
            unit: UnitFigures(int(n), int(due or 0), int(late or 0)) for unit, n, due, late in rows
        }


class SqlAlchemyCitizenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, citizen: Citizen) -> None:
        self.session.add(citizen)

    async def get(self, citizen_id: int) -> Citizen | None:
        return await self.session.get(Citizen, citizen_id)

    async def by_external(self, channel: str, external_id: str) -> Citizen | None:
        query = select(Citizen).where(
            orm.citizens.c.channel == channel, orm.citizens.c.external_id == external_id
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def subscribed(self) -> list[Citizen]:
        query = (
            select(Citizen)
            .where(orm.citizens.c.subscribed.is_(True), orm.citizens.c.unreachable_at.is_(None))
            .order_by(orm.citizens.c.id)
        )
        return list((await self.session.execute(query)).scalars())


class SqlAlchemyEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, event: TicketEvent) -> None:
        self.session.add(event)

    async def of_ticket(self, ticket_id: int) -> list[TicketEvent]:
        query = (
            select(TicketEvent)
            .where(orm.ticket_events.c.ticket_id == ticket_id)
            .order_by(orm.ticket_events.c.id)
        )
        return list((await self.session.execute(query)).scalars())


class SqlAlchemyOutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(self, message: OutboxMessage) -> bool:
        values = {
            "channel": message.channel,
            "chat_id": message.chat_id,
            "thread_id": message.thread_id,
            "payload": message.payload,
            "dedupe_key": message.dedupe_key,
            "purpose": message.purpose,
            "ticket_id": message.ticket_id,
            "attempts": 0,
            "created_at": message.created_at,
            "next_attempt_at": message.next_attempt_at,
        }
        statement = (
            _insert(self.session)(orm.outbox)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
        )
        result = await self.session.execute(statement)
        return bool(result.rowcount)

    async def pending(self, *, now: datetime, limit: int) -> list[OutboxMessage]:
        query = (
            select(OutboxMessage)
            .where(
                orm.outbox.c.sent_at.is_(None),
                orm.outbox.c.failed_at.is_(None),
                orm.outbox.c.next_attempt_at <= now,
            )
            .order_by(orm.outbox.c.id)
            .limit(limit)
        )
        return list((await self.session.execute(query)).scalars())

    async def existing_keys(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        table = orm.outbox
        query = select(table.c.dedupe_key).where(table.c.dedupe_key.in_(list(keys)))
        return set((await self.session.execute(query)).scalars())


class SqlAlchemyConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def load(self, channel: str, chat_id: str) -> ConversationState | None:
        query = select(ConversationState).where(
            orm.conversation_states.c.channel == channel,
            orm.conversation_states.c.chat_id == chat_id,
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def save(self, state: ConversationState, *, expected_version: int | None) -> None:
        """Compare-and-set on the version: a stale writer raises ConcurrentUpdate."""
        from bot.domain.errors import ConcurrentUpdate

        table = orm.conversation_states
        if expected_version is None:
            statement = (
                _insert(self.session)(table)
                .values(
                    channel=state.channel,
                    chat_id=state.chat_id,
                    payload=state.payload,
                    version=1,
                    updated_at=state.updated_at,
                )
                .on_conflict_do_nothing(index_elements=["channel", "chat_id"])
            )
            result = await self.session.execute(statement)
            if not result.rowcount:
                raise ConcurrentUpdate("conversation was created by someone else")
            state.version = 1
            return
        statement = (
            update(table)
            .where(
                table.c.channel == state.channel,
                table.c.chat_id == state.chat_id,
                table.c.version == expected_version,
            )
            .values(
                payload=state.payload, version=expected_version + 1, updated_at=state.updated_at
            )
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(statement)
        if not result.rowcount:
            raise ConcurrentUpdate("conversation moved on")
        state.version = expected_version + 1

    async def offer(
        self, channel: str, chat_id: str, choices: list[list[str]], *, at: datetime
    ) -> None:
        """Best effort: if the chat's own turn is saving at this instant, it wins."""
        from bot.domain.errors import ConcurrentUpdate

        current = await self.load(channel, chat_id)
        fresh = ConversationState(
            channel=channel,
            chat_id=chat_id,
            payload={**(current.payload if current else {}), "offered": choices},
            version=current.version if current else 0,
            updated_at=at,
        )
        try:
            await self.save(fresh, expected_version=current.version if current else None)
        except ConcurrentUpdate:
            return

    async def delete(self, channel: str, chat_id: str) -> None:
        table = orm.conversation_states
        await self.session.execute(
            delete(table)
            .where(table.c.channel == channel, table.c.chat_id == chat_id)
            .execution_options(synchronize_session=False)
        )


class SqlAlchemyProcessedUpdateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def exists(self, channel: str, update_id: str) -> bool:
        table = orm.processed_updates
        query = select(table.c.update_id).where(
            table.c.channel == channel, table.c.update_id == update_id
        )
        return (await self.session.execute(query)).first() is not None

    async def claim(self, channel: str, update_id: str, *, at: datetime) -> bool:
        statement = (
            _insert(self.session)(orm.processed_updates)
            .values(channel=channel, update_id=update_id, processed_at=at)
            .on_conflict_do_nothing(index_elements=["channel", "update_id"])
        )
        result = await self.session.execute(statement)
        return bool(result.rowcount)


class SqlAlchemySequenceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next_value(self, prefix: str, year: int) -> int:
        # One atomic upsert: the row lock it takes is held until the ticket's transaction
        # ends, so concurrent submissions queue here and a rollback returns the number.
        table = orm.ticket_sequences
        statement = (
            _insert(self.session)(table)
            .values(prefix=prefix, year=year, last_value=1)
            .on_conflict_do_update(
                index_elements=["prefix", "year"],
                set_={"last_value": table.c.last_value + 1},
            )
            .returning(table.c.last_value)
        )
        return int((await self.session.execute(statement)).scalar_one())


class SqlAlchemyJobRunRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def last_run(self, job: str) -> datetime | None:
        table = orm.job_runs
        query = select(table.c.last_run_at).where(table.c.job == job)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def record(self, job: str, at: datetime) -> None:
        table = orm.job_runs
        statement = _insert(self.session)(table).values(job=job, last_run_at=at)
        statement = statement.on_conflict_do_update(
            index_elements=["job"],
            set_={"last_run_at": statement.excluded.last_run_at},
            where=table.c.last_run_at < statement.excluded.last_run_at,
        )
        await self.session.execute(statement)
