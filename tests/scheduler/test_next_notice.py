"""Each ticket's `next_notice_at` follows every change of its status or deadline, the sweep
moves it on without touching the ticket's version, and the migration back-fills it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import text

from bot.app import build_deps
from bot.config import AppConfig
from bot.domain.clock import FixedClock, local
from bot.domain.kinds import Kind
from bot.domain.model import Ticket
from bot.domain.notices import next_notice_at
from bot.domain.statuses import Status
from bot.services.context import Actor, Deps
from bot.services.tickets import TicketService
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.scheduler.support import submit_on, sweep_at, vn

HAI_CHAU_HEAD = Actor.staff(200051)
HAI_CHAU_OFFICER = Actor.staff(200052)
INSPECTOR_HEAD = Actor.staff(200011)


async def stored(deps: Deps, code: str) -> Ticket:
    async with deps.uow() as uow:
        ticket = await uow.tickets.by_code(code)
    assert ticket is not None
    return ticket


def expected(deps: Deps, ticket: Ticket) -> datetime | None:
    return next_notice_at(ticket, deps.reminder_thresholds, deps.calendar, deps.clock.now())


async def test_every_step_of_the_life_cycle_reschedules(
    deps: Deps, clock: FixedClock, citizens
) -> None:  # type: ignore[no-untyped-def]
    service = TicketService(deps)
    citizen = await citizens.ensure("telegram", "5550001", locale="vi")
    owner = Actor.citizen(citizen.id)
    ticket = await submit_on(deps, clock, date(2026, 11, 16))
    async with deps.uow() as uow:
        loaded = await uow.tickets.by_code(ticket.code)
        assert loaded is not None
        loaded.citizen_id = citizen.id
        await uow.commit()
    # Decision due Tuesday 01/12: the 3-day reminder is owed from Thursday 26/11.
    assert (await stored(deps, ticket.code)).next_notice_at == vn(date(2026, 11, 26), 0)

    clock.set(vn(date(2026, 11, 17), 10))
    accepted = await stored(deps, (await service.accept(HAI_CHAU_OFFICER, ticket.code)).code)
    assert accepted.resolution_due is not None
    assert accepted.next_notice_at == expected(deps, accepted)
    assert accepted.next_notice_at is not None
    # Now the resolution deadline's series, not the decision's.
    assert local(accepted.next_notice_at).date() > date(2026, 12, 1)
    assert accepted.next_notice_at < accepted.resolution_due

    steps = [
        (lambda: service.request_info(HAI_CHAU_OFFICER, ticket.code, "Ở làn nào?"), True),
        (lambda: service.provide_info(owner, ticket.code, "Làn phải."), True),
        (lambda: service.resolve(HAI_CHAU_OFFICER, ticket.code, "Đã vá."), False),
        (lambda: service.reopen(owner, ticket.code, "Vẫn còn ổ gà."), True),
        (lambda: service.resolve(HAI_CHAU_OFFICER, ticket.code, "Đã vá lại."), False),
        (lambda: service.rate(owner, ticket.code, 5), False),
    ]
    for step, pending in steps:
        await step()
        now = await stored(deps, ticket.code)
        assert now.next_notice_at == expected(deps, now)
        assert (now.next_notice_at is not None) is pending, now.status
    assert now.status == Status.CLOSED


async def test_transfer_extend_guide_reject_and_close_reschedule(
    deps: Deps, clock: FixedClock
) -> None:
    service = TicketService(deps)
    moved = await submit_on(deps, clock, date(2026, 11, 16))
    clock.set(vn(date(2026, 11, 20), 10))
    await service.transfer(HAI_CHAU_HEAD, moved.code, "so-xay-dung", "Thuộc Sở")
    after = await stored(deps, moved.code)
    # The receiving unit's clock starts at its own receipt on Friday 20/11.
    assert after.next_notice_at == expected(deps, after)
    assert after.next_notice_at is not None
    assert local(after.next_notice_at).date() > date(2026, 11, 26)

    denunciation = await submit_on(deps, clock, date(2026, 11, 16), kind=Kind.TO_CAO)
    before = (await stored(deps, denunciation.code)).next_notice_at
    await service.extend(INSPECTOR_HEAD, denunciation.code, "Cần xác minh nhiều nơi")
    extended = await stored(deps, denunciation.code)
    assert before is not None and extended.next_notice_at is not None
    assert extended.next_notice_at > before
    assert extended.next_notice_at == expected(deps, extended)

    guided = await submit_on(deps, clock, date(2026, 11, 16))
    await service.guide(HAI_CHAU_OFFICER, guided.code, "Xin liên hệ Tòa án.")
    rejected = await submit_on(deps, clock, date(2026, 11, 16))
    await service.reject(HAI_CHAU_HEAD, rejected.code, "Đã được giải quyết.")
    closed = await submit_on(deps, clock, date(2026, 11, 16))
    await service.accept(HAI_CHAU_OFFICER, closed.code)
    await service.resolve(HAI_CHAU_OFFICER, closed.code, "Đã vá.")
    clock.set(vn(date(2026, 11, 24), 10))
    await service.close(Actor.system(), closed.code)
    for code in (guided.code, rejected.code, closed.code):
        assert (await stored(deps, code)).next_notice_at is None


async def test_the_sweep_moves_the_instant_on_and_leaves_the_version(
    deps: Deps, clock: FixedClock
) -> None:
    ticket = await submit_on(deps, clock, date(2026, 11, 16))
    version = (await stored(deps, ticket.code)).version
    quiet = await sweep_at(deps, clock, vn(date(2026, 11, 25), 9))
    assert quiet.scanned == 0  # nothing owed yet: nothing read
    report = await sweep_at(deps, clock, vn(date(2026, 11, 26), 0, 5))
    assert (report.scanned, report.reminders) == (1, 1)
    swept = await stored(deps, ticket.code)
    assert swept.next_notice_at == vn(date(2026, 11, 30), 0)
    # The reminder's buttons carry the card's version; the sweep must not make them stale.
    assert swept.version == version
    assert (await sweep_at(deps, clock, vn(date(2026, 11, 26), 0, 20))).scanned == 0


async def test_the_migration_backfills_open_tickets_for_the_first_sweep(
    app_config: AppConfig, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await upgrade(url, revision="0004")
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            for code, status in (("PA26-00001", "submitted"), ("PA26-00002", "closed")):
                await connection.execute(
                    text(
                        "INSERT INTO tickets (code, kind, status, description, unit_id, "
                        "origin, anonymous, report_only, received_at, decision_due, rules, "
                        "flags, extensions, version) VALUES (:code, 'phan_anh', :status, "
                        "'Ổ gà', 'ubnd-hai-chau', 'chat', 0, 0, '2026-11-16 02:00:00.000000', "
                        "'2026-12-01 16:59:59.000000', '{}', '{}', '{}', 1)"
                    ),
                    {"code": code, "status": status},
                )
        await upgrade(url, engine=engine)
        clock = FixedClock(vn(date(2026, 11, 20), 9))
        deps = build_deps(app_config, engine, clock=clock)
        open_, closed = [await stored(deps, c) for c in ("PA26-00001", "PA26-00002")]
        assert open_.next_notice_at == open_.received_at
        assert closed.next_notice_at is None
        report = await sweep_at(deps, clock, clock.now())
        assert (report.scanned, report.reminders) == (1, 0)
        assert (await stored(deps, "PA26-00001")).next_notice_at == vn(date(2026, 11, 26), 0)
    finally:
        await engine.dispose()
