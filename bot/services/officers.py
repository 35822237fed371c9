"""What the officers' group reads, and the officer actions TicketService does not cover:
a unit's lists and figures, the ticket behind a group message, a card refresh, and a reply to
the citizen that carries files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain import deadlines as dl
from bot.domain.clock import VN_TZ, local
from bot.domain.errors import InvalidInput, NotPermitted, TicketNotFound
from bot.domain.messages import OutgoingAttachment, OutgoingMessage
from bot.domain.model import OutboxMessage, Ticket, TicketEvent
from bot.domain.org import Role
from bot.domain.statuses import Status
from bot.services.cards import render_card
from bot.services.context import Actor, ActorType, Deps
from bot.services.notify import TELEGRAM, Notifier
from bot.services.ports import DeliveryFailures, UnitStats

PER_PAGE = 8


@dataclass(frozen=True, slots=True)
class Page:
    tickets: list[Ticket]
    total: int
    page: int
    per_page: int

    @property
    def has_next(self) -> bool:
        return (self.page + 1) * self.per_page < self.total


@dataclass(frozen=True, slots=True)
class MonthStats:
    year: int
    month: int
    figures: UnitStats

    @property
    def on_time_percent(self) -> float | None:
        if not self.figures.resolved:
            return None
        return 100.0 * self.figures.resolved_on_time / self.figures.resolved


@dataclass(frozen=True, slots=True)
class FileToSend:
    kind: str  # photo, document
    channel: str  # where file_id is valid
    file_id: str


class OfficerService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def get(self, ticket_id: int) -> Ticket | None:
        async with self.deps.uow() as uow:
            return await uow.tickets.get(ticket_id)

    async def at_message(self, chat_id: int, message_id: int) -> Ticket | None:
        """The ticket whose card, or a message sent about it, is this message of a group."""
        async with self.deps.uow() as uow:
            return await uow.lookups.by_message(chat_id, message_id)

    async def in_thread(self, chat_id: int, thread_id: int) -> Ticket | None:
        """The ticket whose forum topic this is."""
        async with self.deps.uow() as uow:
            return await uow.lookups.by_thread(chat_id, thread_id)

    async def open_page(self, unit_id: str, page: int, per_page: int = PER_PAGE) -> Page:
        """The unit's open tickets, soonest deadline first."""
        page = max(page, 0)
        async with self.deps.uow() as uow:
            total = await uow.lookups.count_open_of_unit(unit_id)
            tickets = await uow.tickets.open_of_unit(
                unit_id, limit=per_page, offset=page * per_page
            )
        return Page(tickets, total, page, per_page)

    async def overdue_page(self, unit_id: str, page: int, per_page: int = PER_PAGE) -> Page:
        page = max(page, 0)
        now = self.deps.clock.now()
        async with self.deps.uow() as uow:
            total = await uow.lookups.count_overdue_of_unit(unit_id, now=now)
            tickets = await uow.lookups.overdue_of_unit(
                unit_id, now=now, limit=per_page, offset=page * per_page
            )
        return Page(tickets, total, page, per_page)

    async def month_stats(self, unit_id: str) -> MonthStats:
        """This calendar month in Asia/Ho_Chi_Minh: received and resolved in it; waiting, in
        progress and overdue as of now."""
        now = self.deps.clock.now()
        today = local(now)
        start = datetime(today.year, today.month, 1, tzinfo=VN_TZ)
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        end = datetime(year, month, 1, tzinfo=VN_TZ)
        async with self.deps.uow() as uow:
            figures = await uow.lookups.unit_stats(unit_id, start=start, end=end, now=now)
        return MonthStats(today.year, today.month, figures)

    async def delivery_failures(self, actor: Actor, *, limit: int = 3) -> DeliveryFailures | None:
        """For admins only: what the delivery worker gave up on."""
        if actor.user_id is None or not self.deps.directory.is_admin(actor.user_id):
            return None
        async with self.deps.uow() as uow:
            return await uow.lookups.delivery_failures(limit=limit)

    def overdue(self, ticket: Ticket) -> bool:
        due = pending_due(ticket)
        return ticket.is_open and due is not None and due < self.deps.clock.now()

    def can_extend(self, ticket: Ticket) -> bool:
        """Whether "Gia hạn" may be offered now, so no officer writes a reason in vain."""
        if ticket.status == Status.SUBMITTED:
            name = dl.DeadlineName.DECISION
        elif ticket.status in (Status.ACCEPTED, Status.NEEDS_INFO):
            name = dl.DeadlineName.RESOLUTION
        else:
            return False
        rules = dl.KindRules.from_dict(ticket.rules)
        flags = dl.ResolutionFlags(**{k: bool(v) for k, v in ticket.flags.items()})
        return ticket.extensions.get(name.value, 0) < dl.max_extensions(rules, name, flags)

    async def refresh_card(self, ticket_id: int) -> bool:
        """Queue an edit of the card with the ticket's current buttons.

        Every change bumps the ticket's version, and a card's buttons carry the version they
        were drawn with; after a change that queues no card edit itself (a reply, a note),
        the buttons would otherwise all answer "out of date".
        """
        async with self.deps.uow() as uow:
            ticket = await uow.tickets.get(ticket_id)
            if ticket is None:
                return False
            queued = await Notifier(self.deps, uow).card_update(
                ticket, key=f"t{ticket.id}:v{ticket.version}:refresh"
            )
            await uow.commit()
            return queued

    async def retire_card(
        self, ticket_id: int, *, chat_id: int, message_id: int, thread_id: int | None = None
    ) -> bool:
        """After a transfer, edit the old unit's card: status "transferred", no buttons.

        The ticket's card ids already point to the new unit, so the row names the message:
        purpose `card_retired`, `payload.edit_message_id`, and the old topic's `thread_id`.
        """
        t = self.deps.translator
        locale = t.default_locale
        async with self.deps.uow() as uow:
            ticket = await uow.tickets.get(ticket_id)
            if ticket is None:
                return False
            card = render_card(ticket, self.deps.directory, t, locale)
            current = t(locale, "card-status", status=t(locale, f"status-{ticket.status}"))
            moved = t(locale, "card-status", status=t(locale, "status-transferred"))
            text = card.text.replace(current, moved, 1)
            text += "\n" + t(
                locale,
                "officer-card-moved",
                unit=self.deps.directory.unit(ticket.unit_id).name,
            )
            now = self.deps.clock.now()
            queued = await uow.outbox.enqueue(
                OutboxMessage(
                    channel=TELEGRAM,
                    chat_id=str(chat_id),
                    thread_id=thread_id,
                    payload=OutgoingMessage(text=text, edit_message_id=message_id).to_dict(),
                    dedupe_key=f"t{ticket.id}:m{chat_id}:{message_id}:retired",
                    purpose="card_retired",
                    ticket_id=ticket.id,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
            await uow.commit()
            return queued

    async def reply(
        self, actor: Actor, code: str, text: str, files: Sequence[FileToSend] = ()
    ) -> tuple[Ticket, bool]:
        """An officer's message, text and/or files, to the citizen, signed with the unit's
        name. Returns the ticket and whether the citizen's chat was reached (an offline
        petition not linked to a chat has none: the reply is only recorded)."""
        text = (text or "").strip()
        if not text and not files:
            raise InvalidInput("text required", field="text")
        async with self.deps.uow() as uow:
            ticket = await uow.tickets.by_code(code, for_update=True)
            if ticket is None:
                raise TicketNotFound(code=code)
            role = self._role(actor, ticket)
            if not ticket.is_open and ticket.status != Status.RESOLVED:
                raise InvalidInput("ticket closed", field="status", status=str(ticket.status))
            now = self.deps.clock.now()
            ticket.updated_at = now
            await uow.tickets.flush()
            assert ticket.id is not None
            event = TicketEvent(
                ticket_id=ticket.id,
                at=now,
                actor_role=str(role),
                actor_id=actor.audit_id,
                action="reply",
                note=text or None,
                data={"files": [f.file_id for f in files]} if files else {},
                public=True,
            )
            uow.events.add(event)
            await uow.tickets.flush()
            notifier = Notifier(self.deps, uow)
            citizen = await uow.citizens.get(ticket.citizen_id) if ticket.citizen_id else None
            # A file id is only valid on the platform that issued it.
            attachments = tuple(
                OutgoingAttachment(kind=f.kind, channel=f.channel, file_id=f.file_id)
                for f in files
                if citizen is not None and f.channel == citizen.channel
            )
            reached = await notifier.citizen(
                ticket,
                "notify-reply",
                key=f"ev{event.id}:citizen",
                code=ticket.code,
                unit=self.deps.directory.unit(ticket.unit_id).name,
                text=text or "—",
                attachments=attachments,
            )
            await notifier.card_update(ticket, key=f"ev{event.id}:card")
            await uow.commit()
            return ticket, reached

    def _role(self, actor: Actor, ticket: Ticket) -> Role:
        role = (
            self.deps.directory.role_in(actor.user_id, ticket.unit_id)
            if actor.type is ActorType.STAFF and actor.user_id is not None
            else None
        )
        if role is None:
            raise NotPermitted(code=ticket.code)
        return role


def pending_due(ticket: Ticket) -> datetime | None:
    """The deadline the unit works against now: decision while waiting, then resolution."""
    if ticket.status == Status.SUBMITTED:
        return ticket.decision_due
    return ticket.resolution_due or ticket.decision_due
