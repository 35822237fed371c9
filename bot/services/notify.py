"""Queue what a state change implies, in the same transaction (the outbox, DESIGN.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.messages import OutgoingAttachment, OutgoingMessage
from bot.domain.model import Attachment, Citizen, OutboxMessage, Ticket
from bot.services.cards import render_card
from bot.services.context import Deps
from bot.services.ports import UnitOfWork

TELEGRAM = "telegram"


class Notifier:
    def __init__(self, deps: Deps, uow: UnitOfWork) -> None:
        self.deps = deps
        self.uow = uow

    @property
    def now(self) -> datetime:
        return self.deps.clock.now()

    async def _queue(
        self,
        *,
        channel: str,
        chat_id: str,
        message: OutgoingMessage,
        key: str,
        purpose: str,
        ticket: Ticket | None = None,
        thread_id: int | None = None,
    ) -> bool:
        now = self.now
        return await self.uow.outbox.enqueue(
            OutboxMessage(
                channel=channel,
                chat_id=chat_id,
                thread_id=thread_id,
                payload=message.to_dict(),
                dedupe_key=key,
                purpose=purpose,
                ticket_id=ticket.id if ticket else None,
                created_at=now,
                next_attempt_at=now,
            )
        )

    async def citizen(
        self,
        ticket: Ticket,
        message_id: str,
        *,
        key: str,
        choices: Any = (),
        attachments: tuple[OutgoingAttachment, ...] = (),
        **args: Any,
    ) -> bool:
        """Tell the ticket's citizen, in their language, on the channel they filed on."""
        if ticket.citizen_id is None:
            return False  # filed offline and not linked to a chat yet
        citizen = await self.uow.citizens.get(ticket.citizen_id)
        if citizen is None or citizen.unreachable_at is not None:
            return False
        return await self.to_citizen(
            citizen,
            message_id,
            key=key,
            ticket=ticket,
            choices=choices,
            attachments=attachments,
            **args,
        )

    async def to_citizen(
        self,
        citizen: Citizen,
        message_id: str,
        *,
        key: str,
        ticket: Ticket | None = None,
        choices: Any = (),
        purpose: str = "citizen",
        attachments: tuple[OutgoingAttachment, ...] = (),
        **args: Any,
    ) -> bool:
        t = self.deps.translator
        text = t(citizen.locale, message_id, **args)
        message = OutgoingMessage(text=text, choices=choices, attachments=attachments)
        queued = await self._queue(
            channel=citizen.channel,
            chat_id=citizen.external_id,
            message=message,
            key=key,
            purpose=purpose,
            ticket=ticket,
        )
        if queued and message.choices:
            # Where there are no buttons (Zalo) the citizen answers a notification by typing
            # its number or label: those must be the chat's offered choices from now on.
            await self.uow.conversations.offer(
                citizen.channel,
                citizen.external_id,
                [[c.label, c.data] for c in message.choice_list()],
                at=self.now,
            )
        return queued

    def unit_locale(self) -> str:
        return self.deps.translator.default_locale

    async def card(self, ticket: Ticket, *, key: str, purpose: str = "card") -> bool:
        """A new card in the unit's group (on submission and on transfer in)."""
        unit = self.deps.directory.unit(ticket.unit_id)
        message = render_card(
            ticket, self.deps.directory, self.deps.translator, self.unit_locale()
        )
        return await self._queue(
            channel=TELEGRAM,
            chat_id=str(unit.telegram_chat_id),
            message=message,
            key=key,
            purpose=purpose,
            ticket=ticket,
        )

    async def card_update(self, ticket: Ticket, *, key: str) -> bool:
        """Edit the card in place; the delivery worker finds the card's message id."""
        return await self.card(ticket, key=key, purpose="card_edit")

    async def unit(
        self,
        ticket: Ticket,
        message_id: str,
        *,
        key: str,
        unit_id: str | None = None,
        attachments: Sequence[Attachment] = (),
        **args: Any,
    ) -> bool:
        """A message to the unit's group about a ticket, as a reply to its card."""
        unit = self.deps.directory.unit(unit_id or ticket.unit_id)
        text = self.deps.translator(self.unit_locale(), message_id, **args)
        files = tuple(
            OutgoingAttachment(kind=a.kind, channel=a.channel, file_id=a.file_id)
            for a in attachments
        )
        return await self._queue(
            channel=TELEGRAM,
            chat_id=str(unit.telegram_chat_id),
            message=OutgoingMessage(text=text, attachments=files),
            key=key,
            purpose="unit",
            ticket=ticket,
            thread_id=ticket.card_thread_id if unit.id == ticket.unit_id else None,
        )

    async def chat(
        self, chat_id: int, message_id: str, *, key: str, ticket: Ticket | None = None, **args: Any
    ) -> bool:
        """A message to any Telegram chat (the leaders' escalation group, a unit)."""
        text = self.deps.translator(self.unit_locale(), message_id, **args)
        return await self._queue(
            channel=TELEGRAM,
            chat_id=str(chat_id),
            message=OutgoingMessage(text=text),
            key=key,
            purpose="chat",
            ticket=ticket,
        )
