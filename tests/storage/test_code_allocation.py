"""Ticket codes are allocated in the database: concurrent submissions get distinct numbers
with no gaps per prefix and year (issue 2)."""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.kinds import Kind
from bot.domain.routing import RoutingRule
from bot.services.commands import SubmitTicket
from bot.services.context import Deps
from bot.services.tickets import TicketService

CONCURRENT = 200


async def test_200_concurrent_submissions_get_200_gap_free_codes(tickets: TicketService) -> None:
    results = await asyncio.gather(
        *(
            tickets.submit(SubmitTicket(Kind.PHAN_ANH, f"Phản ánh số {n}: cống bị tắc gây ngập."))
            for n in range(CONCURRENT)
        )
    )
    codes = sorted(ticket.code for ticket in results)
    assert codes == [f"PA26-{n:05d}" for n in range(1, CONCURRENT + 1)]


async def test_a_failed_submission_returns_its_number(deps: Deps, tickets: TicketService) -> None:
    first = await tickets.submit(SubmitTicket(Kind.KIEN_NGHI, "Đề nghị lắp thêm đèn đường."))
    routing = deps.routing
    # A unit missing from the directory fails the card, after the number was drawn.
    deps.routing = [RoutingRule(unit="ghost-unit")]
    with pytest.raises(KeyError):
        await tickets.submit(SubmitTicket(Kind.KIEN_NGHI, "Đề nghị lắp thêm đèn đường."))
    deps.routing = routing
    second = await tickets.submit(SubmitTicket(Kind.KIEN_NGHI, "Đề nghị sửa vỉa hè."))
    assert (first.code, second.code) == ("KG26-00001", "KG26-00002")
    async with deps.uow() as uow:
        assert await uow.tickets.count_all() == 2
