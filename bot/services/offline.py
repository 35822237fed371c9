"""Petitions received offline (paper, phone, in person) and their link to a citizen's chat."""

from __future__ import annotations

import phonenumbers

from bot.domain.codes import find_code
from bot.domain.errors import TicketNotFound
from bot.domain.model import Origin, Ticket, TicketEvent
from bot.services.context import Actor, Deps
from bot.services.notify import Notifier


def normalize_phone(raw: str | None) -> str | None:
    """E.164 (+84...) for a valid phone number, read as Vietnamese when it has no country code."""
    if not raw:
        return None
    try:
        number = phonenumbers.parse(raw.strip(), "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def same_phone(recorded: str | None, given: str | None) -> bool:
    left, right = normalize_phone(recorded), normalize_phone(given)
    return left is not None and left == right


class OfflineLinkService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def link_offline(self, citizen_id: int, code: str, phone: str) -> Ticket:
        """Link a petition recorded offline to the chat of the citizen who knows its code and
        the phone number recorded on it; from then on they are notified like anyone else.

        Raises TicketNotFound, whatever the reason (unknown code, a chat petition, another
        phone, already linked to another chat), so the answer reveals nothing. Linking twice
        to the same chat returns the ticket.
        """
        normalized = find_code(code)
        async with self.deps.uow() as uow:
            ticket = await uow.tickets.by_code(normalized, for_update=True) if normalized else None
            citizen = await uow.citizens.get(citizen_id)
            if (
                ticket is None
                or citizen is None
                or ticket.origin == Origin.CHAT
                or not same_phone(ticket.petitioner_phone, phone)
            ):
                raise TicketNotFound(code=code)
            if ticket.citizen_id == citizen_id:
                return ticket
            if ticket.citizen_id is not None:
                raise TicketNotFound(code=code)
            now = self.deps.clock.now()
            ticket.citizen_id = citizen_id
            ticket.channel = citizen.channel
            ticket.updated_at = now
            await uow.tickets.flush()
            assert ticket.id is not None
            event = TicketEvent(
                ticket_id=ticket.id,
                at=now,
                actor_role="citizen",
                actor_id=Actor.citizen(citizen_id).audit_id,
                action="link_chat",
                data={"channel": citizen.channel},
            )
            uow.events.add(event)
            await uow.tickets.flush()
            notifier = Notifier(self.deps, uow)
            await notifier.unit(
                ticket, "officer-unit-linked", key=f"ev{event.id}:unit", code=ticket.code
            )
            await notifier.card_update(ticket, key=f"ev{event.id}:card")
            await uow.commit()
            return ticket
