"""Helpers shared by the scheduler tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.domain.clock import VN_TZ, FixedClock
from bot.domain.kinds import Kind
from bot.domain.model import Ticket
from bot.services.commands import SubmitTicket
from bot.services.context import Deps
from bot.services.reminders import SweepReport, deadline_sweep
from bot.services.tickets import TicketService

POTHOLE = "Đường Lê Duẩn có ổ gà lớn trước số 12, xe máy rất dễ ngã."


def vn(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN_TZ)


async def submit_on(
    deps: Deps,
    clock: FixedClock,
    day: date,
    *,
    commune: str = "hai-chau",
    kind: Kind = Kind.PHAN_ANH,
    hour: int = 9,
) -> Ticket:
    clock.set(vn(day, hour))
    return await TicketService(deps).submit(
        SubmitTicket(
            kind=kind,
            description=POTHOLE,
            category="ha-tang",
            commune=commune,
            channel="telegram",
        )
    )


async def sweep_at(deps: Deps, clock: FixedClock, moment: datetime) -> SweepReport:
    clock.set(moment)
    return await deadline_sweep(deps, moment, thresholds=(3, 1))


async def outbox(deps: Deps, *, purpose: str | None = None) -> list[dict]:
    async with deps.uow() as uow:
        rows = await uow.outbox.pending(now=deps.clock.now() + timedelta(days=3650), limit=100_000)
    return [
        {
            "chat": r.chat_id,
            "purpose": r.purpose,
            "key": r.dedupe_key,
            "thread": r.thread_id,
            "payload": r.payload,
            "channel": r.channel,
        }
        for r in rows
        if purpose is None or r.purpose == purpose
    ]


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]
