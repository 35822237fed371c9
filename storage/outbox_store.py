"""The delivery worker's side of the outbox: claim due rows under a lease, record outcomes.

Each method is one short transaction of its own; nothing is held open while a message is on
the wire. On PostgreSQL, claims take row locks with SKIP LOCKED so several workers never pick
the same row; the lease (`locked_until`) keeps a claimed row away from the others until it is
sent, and lets a crashed worker's rows come back once it expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from bot.domain.model import Ticket
from storage import orm

_outbox = orm.outbox
_tickets = orm.tickets


@dataclass(frozen=True, slots=True)
class ClaimedRow:
    id: int
    channel: str
    chat_id: str
    thread_id: int | None
    payload: dict[str, Any]
    dedupe_key: str
    purpose: str
    ticket_id: int | None
    attempts: int


@dataclass(frozen=True, slots=True)
class CardRef:
    """Where a ticket's card is, and the unit it belongs to now."""

    unit_id: str
    chat_id: int | None
    message_id: int | None
    thread_id: int | None


@dataclass(frozen=True, slots=True)
class CardPlace:
    """Where a card (or, before it is sent, its forum topic) now is."""

    chat_id: int
    message_id: int | None
    thread_id: int | None


@dataclass(frozen=True, slots=True)
class FailedDelivery:
    id: int
    channel: str
    chat_id: str
    purpose: str
    ticket_id: int | None
    attempts: int
    failed_at: datetime
    last_error: str


@dataclass(frozen=True, slots=True)
class FailedDeliveries:
    """What admins see in /stats: how many messages were given up on, and the latest ones."""

    count: int
    recent: list[FailedDelivery]


def _pending() -> Any:
    return and_(_outbox.c.sent_at.is_(None), _outbox.c.failed_at.is_(None))


class OutboxStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def claim(
        self,
        *,
        now: datetime,
        lease: timedelta,
        limit: int,
        channels: frozenset[str] | None = None,
    ) -> list[ClaimedRow]:
        """Lease up to `limit` due rows, each the oldest unfinished row of its chat."""
        earlier = _outbox.alias("earlier")
        blocked_by_earlier = exists().where(
            earlier.c.channel == _outbox.c.channel,
            earlier.c.chat_id == _outbox.c.chat_id,
            earlier.c.id < _outbox.c.id,
            earlier.c.sent_at.is_(None),
            earlier.c.failed_at.is_(None),
        )
        conditions = [
            _pending(),
            _outbox.c.next_attempt_at <= now,
            or_(_outbox.c.locked_until.is_(None), _outbox.c.locked_until <= now),
            ~blocked_by_earlier,
        ]
        if channels is not None:
            conditions.append(_outbox.c.channel.in_(sorted(channels)))
        query = (
            select(
                _outbox.c.id,
                _outbox.c.channel,
                _outbox.c.chat_id,
                _outbox.c.thread_id,
                _outbox.c.payload,
                _outbox.c.dedupe_key,
                _outbox.c.purpose,
                _outbox.c.ticket_id,
                _outbox.c.attempts,
            )
            .where(*conditions)
            .order_by(_outbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=_outbox)
        )
        async with self.engine.begin() as connection:
            rows = (await connection.execute(query)).all()
            if not rows:
                return []
            await connection.execute(
                update(_outbox)
                .where(_outbox.c.id.in_([row.id for row in rows]))
                .values(locked_until=now + lease)
            )
        return [
            ClaimedRow(
                id=row.id,
                channel=row.channel,
                chat_id=row.chat_id,
                thread_id=row.thread_id,
                payload=row.payload,
                dedupe_key=row.dedupe_key,
                purpose=row.purpose,
                ticket_id=row.ticket_id,
                attempts=row.attempts,
            )
            for row in rows
        ]

    async def recent_calls(self, *, now: datetime, window: timedelta) -> int:
        """Rows sent within `window` before `now`, plus rows leased and unsent (perhaps on the
        wire in another worker, or in one that just died)."""
        query = select(func.count()).where(
            or_(
                _outbox.c.sent_at >= now - window,
                and_(_pending(), _outbox.c.locked_until > now),
            )
        )
        async with self.engine.connect() as connection:
            return int((await connection.execute(query)).scalar_one())

    async def release(self, row_ids: list[int]) -> None:
        """Give back rows claimed but not attempted (a clean stop), so they go out at once."""
        if not row_ids:
            return
        async with self.engine.begin() as connection:
            await connection.execute(
                update(_outbox)
                .where(_outbox.c.id.in_(row_ids), _pending())
                .values(locked_until=None)
            )

    async def card_of(self, ticket_id: int) -> CardRef | None:
        query = select(
            _tickets.c.unit_id,
            _tickets.c.card_chat_id,
            _tickets.c.card_message_id,
            _tickets.c.card_thread_id,
        ).where(_tickets.c.id == ticket_id)
        async with self.engine.connect() as connection:
            row = (await connection.execute(query)).first()
        if row is None:
            return None
        return CardRef(row.unit_id, row.card_chat_id, row.card_message_id, row.card_thread_id)

    async def ticket(self, ticket_id: int) -> Ticket | None:
        async with AsyncSession(self.engine, expire_on_commit=False) as session:
            return await session.get(Ticket, ticket_id)

    async def mark_sent(
        self,
        row_id: int,
        *,
        now: datetime,
        message_id: str | None,
        chat_id: str | None = None,
        thread_id: int | None = None,
        ticket_id: int | None = None,
        card: CardPlace | None = None,
        card_unit_id: str | None = None,
        note: str | None = None,
    ) -> bool:
        """Mark the row sent with the platform's message id and, for a card, point the
        ticket at it, in one transaction. False if the row was already finished."""
        values: dict[str, Any] = {
            "sent_at": now,
            "sent_message_id": message_id,
            "locked_until": None,
            "last_error": note,
        }
        if chat_id is not None:
            values["chat_id"] = chat_id
        if thread_id is not None:
            values["thread_id"] = thread_id
        async with self.engine.begin() as connection:
            result = await connection.execute(
                update(_outbox).where(_outbox.c.id == row_id, _pending()).values(**values)
            )
            if result.rowcount != 1:
                return False
            if card is not None and ticket_id is not None:
                await _point_ticket_at(connection, ticket_id, card, card_unit_id)
        return True

    async def set_topic(
        self, row_id: int, *, ticket_id: int, chat_id: int, thread_id: int, unit_id: str | None
    ) -> None:
        """A forum topic was just created for the ticket: remember it before anything is sent
        into it, so a retry reuses it instead of opening a second one."""
        async with self.engine.begin() as connection:
            await connection.execute(
                update(_outbox).where(_outbox.c.id == row_id).values(thread_id=thread_id)
            )
            await _point_ticket_at(
                connection, ticket_id, CardPlace(chat_id, None, thread_id), unit_id
            )

    async def reschedule(
        self, row_id: int, *, at: datetime, error: str, count_attempt: bool
    ) -> None:
        values: dict[str, Any] = {"next_attempt_at": at, "locked_until": None, "last_error": error}
        if count_attempt:
            values["attempts"] = _outbox.c.attempts + 1
        async with self.engine.begin() as connection:
            await connection.execute(
                update(_outbox).where(_outbox.c.id == row_id, _pending()).values(**values)
            )

    async def mark_failed(
        self, row_id: int, *, now: datetime, error: str, count_attempt: bool = True
    ) -> None:
        values: dict[str, Any] = {"failed_at": now, "locked_until": None, "last_error": error}
        if count_attempt:
            values["attempts"] = _outbox.c.attempts + 1
        async with self.engine.begin() as connection:
            await connection.execute(
                update(_outbox).where(_outbox.c.id == row_id, _pending()).values(**values)
            )

    async def failed_deliveries(self, *, limit: int = 5) -> FailedDeliveries:
        async with self.engine.connect() as connection:
            return await failed_deliveries(connection, limit=limit)


async def _point_ticket_at(
    connection: AsyncConnection, ticket_id: int, card: CardPlace, unit_id: str | None
) -> None:
    # A core UPDATE, not the ORM: the ticket's version is what the card's buttons carry, and
    # recording where the card went must not turn those buttons stale. The unit condition
    # keeps a card sent to a unit the ticket has since left from taking over.
    query = (
        update(_tickets)
        .where(_tickets.c.id == ticket_id)
        .values(
            card_chat_id=card.chat_id,
            card_message_id=card.message_id,
            card_thread_id=card.thread_id,
        )
    )
    if unit_id is not None:
        query = query.where(_tickets.c.unit_id == unit_id)
    await connection.execute(query)


async def failed_deliveries(
    connection: AsyncConnection | AsyncSession, *, limit: int = 5
) -> FailedDeliveries:
    """Messages delivery gave up on: their number and the `limit` most recent, newest first."""
    count = (
        await connection.execute(
            select(func.count()).select_from(_outbox).where(_outbox.c.failed_at.is_not(None))
        )
    ).scalar_one()
    rows = (
        await connection.execute(
            select(
                _outbox.c.id,
                _outbox.c.channel,
                _outbox.c.chat_id,
                _outbox.c.purpose,
                _outbox.c.ticket_id,
                _outbox.c.attempts,
                _outbox.c.failed_at,
                _outbox.c.last_error,
            )
            .where(_outbox.c.failed_at.is_not(None))
            .order_by(_outbox.c.failed_at.desc(), _outbox.c.id.desc())
            .limit(limit)
        )
    ).all()
    return FailedDeliveries(
        count=int(count),
        recent=[
            FailedDelivery(
                id=row.id,
                channel=row.channel,
                chat_id=row.chat_id,
                purpose=row.purpose,
                ticket_id=row.ticket_id,
                attempts=row.attempts,
                failed_at=row.failed_at,
                last_error=row.last_error or "",
            )
            for row in rows
        ],
    )
