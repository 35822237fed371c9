"""Events in, replies and outbox rows out: what the officer tests build on."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from bot.domain.messages import Reply
from bot.domain.model import OutboxMessage, Ticket, TicketEvent
from bot.services.cards import ACTION_CODES
from bot.services.context import Deps
from handlers.context import Turn
from handlers.dispatcher import Dispatcher
from handlers.events import ChatKind, IncomingAttachment, IncomingEvent, Sender
from storage import orm

HAI_CHAU_CHAT = "-1001000000006"
THANH_KHE_CHAT = "-1001000000007"
THANH_TRA_CHAT = "-1001000000002"
SO_XAY_DUNG_CHAT = "-1001000000004"
UNREGISTERED_CHAT = "-1009999999999"
HAI_CHAU_HEAD = 200051
HAI_CHAU_OFFICER = 200052
THANH_KHE_OFFICER = 200061
INSPECTOR_HEAD = 200011
INSPECTOR = 200012
ADMIN = 100001
STRANGER = 999999

_update_ids = itertools.count(1)
_message_ids = itertools.count(10_000)


class PrivateStub:
    """Stands in for the citizen conversation (handlers/citizen.py): records what reached it."""

    def __init__(self) -> None:
        self.events: list[IncomingEvent] = []

    async def __call__(self, turn: Turn) -> None:
        self.events.append(turn.event)


def group_event(
    chat: str,
    user: int,
    *,
    text: str | None = None,
    choice: str | None = None,
    message_id: int | None = None,
    reply_to: int | None = None,
    thread_id: int | None = None,
    attachments: tuple[IncomingAttachment, ...] = (),
) -> IncomingEvent:
    return IncomingEvent(
        channel="telegram",
        chat_id=chat,
        sender=Sender(str(user), display_name=f"Cán bộ {user}", username=f"officer{user}"),
        chat_kind=ChatKind.GROUP,
        update_id=str(next(_update_ids)),
        text=text,
        choice=choice,
        message_id=message_id if message_id is not None else next(_message_ids),
        reply_to_message_id=reply_to,
        thread_id=thread_id,
        attachments=attachments,
    )


def private_event(
    user: int, *, text: str | None = None, choice: str | None = None
) -> IncomingEvent:
    return IncomingEvent(
        channel="telegram",
        chat_id=str(user),
        sender=Sender(str(user), display_name=f"User {user}"),
        chat_kind=ChatKind.PRIVATE,
        update_id=str(next(_update_ids)),
        text=text,
        choice=choice,
        message_id=next(_message_ids),
    )


@dataclass
class Harness:
    deps: Deps
    dispatcher: Dispatcher
    private: PrivateStub
    replies: list[tuple[IncomingEvent, Reply]] = field(default_factory=list)

    async def send(self, event: IncomingEvent) -> Reply:
        reply = await self.dispatcher.handle(event)
        self.replies.append((event, reply))
        return reply

    async def outbox(self) -> list[OutboxMessage]:
        async with self.deps.uow() as uow:
            query = select(OutboxMessage).order_by(orm.outbox.c.id)
            return list((await uow.session.execute(query)).scalars())

    async def deliver(self) -> None:
        """What the delivery worker does: mark rows sent with a message id and record each
        card's message on its ticket (without bumping the ticket's version)."""
        async with self.deps.uow() as uow:
            session = uow.session
            rows = (
                await session.execute(
                    select(orm.outbox.c.id, orm.outbox.c.purpose, orm.outbox.c.ticket_id)
                    .where(orm.outbox.c.sent_at.is_(None))
                    .order_by(orm.outbox.c.id)
                )
            ).all()
            now = self.deps.clock.now()
            for row_id, purpose, ticket_id in rows:
                message_id = next(_message_ids)
                chat_id = (
                    await session.execute(
                        select(orm.outbox.c.chat_id).where(orm.outbox.c.id == row_id)
                    )
                ).scalar_one()
                if purpose == "card_edit" and ticket_id is not None:
                    existing = (
                        await session.execute(
                            select(orm.tickets.c.card_message_id).where(
                                orm.tickets.c.id == ticket_id
                            )
                        )
                    ).scalar_one()
                    message_id = existing or message_id
                await session.execute(
                    update(orm.outbox)
                    .where(orm.outbox.c.id == row_id)
                    .values(sent_at=now, sent_message_id=str(message_id))
                )
                if purpose in ("card", "card_edit") and ticket_id is not None:
                    await session.execute(
                        update(orm.tickets)
                        .where(
                            orm.tickets.c.id == ticket_id,
                            orm.tickets.c.card_message_id.is_(None),
                        )
                        .values(card_chat_id=int(chat_id), card_message_id=message_id)
                    )
            await uow.commit()

    async def ticket(self, code: str) -> Ticket:
        async with self.deps.uow() as uow:
            found = await uow.tickets.by_code(code)
            assert found is not None
            return found

    async def events(self, code: str) -> list[TicketEvent]:
        ticket = await self.ticket(code)
        async with self.deps.uow() as uow:
            return await uow.events.of_ticket(ticket.id or 0)

    async def actions(self, code: str) -> list[str]:
        return [e.action for e in await self.events(code)]

    async def card_buttons(self, code: str) -> dict[str, str]:
        """The buttons of the newest card queued for the ticket: action -> callback data."""
        ticket = await self.ticket(code)
        cards = [
            r
            for r in await self.outbox()
            if r.ticket_id == ticket.id and r.purpose in ("card", "card_edit")
        ]
        assert cards, f"no card queued for {code}"
        by_code = {v: k for k, v in ACTION_CODES.items()}
        buttons: dict[str, str] = {}
        for row in cards[-1].payload["choices"]:
            for choice in row:
                buttons[by_code[choice["data"].split(":")[1]]] = choice["data"]
        return buttons

    async def press(self, chat: str, user: int, code: str, action: str) -> Reply:
        ticket = await self.ticket(code)
        data = (await self.card_buttons(code))[action]
        return await self.send(
            group_event(chat, user, choice=data, message_id=ticket.card_message_id)
        )


def texts(reply: Reply) -> list[str]:
    return [m.text for m in reply.messages]


def everything_sent_to_groups(
    rows: list[OutboxMessage], replies: list[tuple[IncomingEvent, Reply]]
) -> str:
    """All text queued for a group or answered in one, buttons and alerts included."""
    parts: list[str] = []
    for row in rows:
        if row.chat_id.startswith("-"):
            parts.append(_payload_text(row.payload))
    for event, reply in replies:
        if event.is_private:
            continue
        parts.append(reply.alert or "")
        for message in reply.messages:
            parts.append(_payload_text(message.to_dict()))
    return "\n".join(parts)


def _payload_text(payload: dict[str, Any]) -> str:
    labels = [c["label"] + " " + c["data"] for row in payload.get("choices", ()) for c in row]
    return "\n".join([payload["text"], *labels])


def later(deps: Deps, **delta: float) -> None:
    deps.clock.advance(timedelta(**delta))  # type: ignore[attr-defined]
