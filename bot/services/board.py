"""A read-only list of tickets with their status and deadlines, for the local web chat's
"Tickets" tab: every open ticket, plus every ticket of one citizen whatever its status.

It shows no petitioner data at all (name, phone, address): the tab is not a unit group, and a
denouncer's identity is for the unit's heads only (Luật Tố cáo 2018, Art. 47).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.model import Ticket
from bot.domain.statuses import Status
from bot.services.context import Deps
from bot.services.officers import pending_due

PAGE = 200


@dataclass(frozen=True, slots=True)
class BoardRow:
    code: str
    kind: str
    status: str
    unit_id: str
    unit_name: str
    received_at: datetime
    decision_due: datetime | None
    resolution_due: datetime | None
    pending_due: datetime | None  # the deadline the unit works against now
    overdue: bool
    mine: bool  # filed by the citizen asked about


class TicketBoard:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def rows(
        self, *, channel: str | None = None, external_id: str | None = None, limit: int = 500
    ) -> list[BoardRow]:
        """Open tickets of every unit and all tickets of the citizen (channel, external_id),
        newest first, at most `limit`."""
        found: dict[int, tuple[Ticket, bool]] = {}
        async with self.deps.uow() as uow:
            after = 0
            while len(found) < limit:
                page = await uow.tickets.open_tickets(after_id=after, limit=PAGE)
                for ticket in page:
                    assert ticket.id is not None
                    found[ticket.id] = (ticket, False)
                if len(page) < PAGE:
                    break
                after = page[-1].id or after
            if channel and external_id:
                citizen = await uow.citizens.by_external(channel, external_id)
                if citizen is not None and citizen.id is not None:
                    for ticket in await uow.tickets.of_citizen(citizen.id, limit=limit, offset=0):
                        assert ticket.id is not None
                        found[ticket.id] = (ticket, True)
        now = self.deps.clock.now()
        rows = [self._row(ticket, mine, now) for ticket, mine in found.values()]
        rows.sort(key=lambda r: r.received_at, reverse=True)
        return rows[:limit]

    def _row(self, ticket: Ticket, mine: bool, now: datetime) -> BoardRow:
        status = Status(ticket.status)
        due = pending_due(ticket) if ticket.is_open else None
        try:
            unit_name = self.deps.directory.unit(ticket.unit_id).name
        except KeyError:  # removed from the config after the ticket was filed
            unit_name = ticket.unit_id
        return BoardRow(
            code=ticket.code,
            kind=str(ticket.kind),
            status=status.value,
            unit_id=ticket.unit_id,
            unit_name=unit_name,
            received_at=ticket.received_at,
            decision_due=ticket.decision_due,
            resolution_due=ticket.resolution_due,
            pending_due=due,
            overdue=due is not None and due < now,
            mine=mine,
        )
