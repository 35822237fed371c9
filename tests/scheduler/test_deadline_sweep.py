"""The `deadlines` job against a real database (SQLite, and PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, timedelta

from bot.app import build_deps
from bot.config import AppConfig
from bot.domain.clock import FixedClock, local
from bot.domain.kinds import Kind
from bot.domain.statuses import Status
from bot.services.context import Actor, Deps
from bot.services.reminders import deadline_sweep, reminder_stage
from bot.services.tickets import TicketService
from tests.scheduler.support import days, outbox, submit_on, sweep_at, vn
from tests.support import databases

HAI_CHAU_CHAT = "-1001000000006"
LEADERS_CHAT = "-1001000000009"
HAI_CHAU_OFFICER = Actor.staff(200052)
INSPECTOR_HEAD = Actor.staff(200011)


def test_the_tightest_threshold_reached_wins() -> None:
    assert [reminder_stage(n, [3, 1]) for n in range(6)] == [1, 1, 3, 3, None, None]
    assert reminder_stage(0, [3, 1, 0]) == 0
    assert reminder_stage(2, []) is None


async def _daily(deps: Deps, clock: FixedClock, start: date, end: date) -> dict[date, list[str]]:
    """Sweep twice a day; the keys each day queued."""
    queued: dict[date, list[str]] = {}
    for day in days(start, end):
        for hour in (9, 15):
            report = await sweep_at(deps, clock, vn(day, hour))
            queued.setdefault(day, []).extend(report.keys)
    return {day: keys for day, keys in queued.items() if keys}


async def test_reminders_three_and_one_working_days_before_across_a_weekend(
    deps: Deps, clock: FixedClock
) -> None:
    ticket = await submit_on(deps, clock, date(2026, 11, 16))
    # 10 working days; Tuesday 24/11/2026 is Ngày Văn hóa Việt Nam, a day off.
    assert local(ticket.decision_due).date() == date(2026, 12, 1)
    queued = await _daily(deps, clock, date(2026, 11, 16), date(2026, 12, 8))
    base = f"dl:{ticket.id}:decision:2026-12-01"
    assert queued == {
        # Thursday: Fri 27, Mon 30 and Tue 1 are left, across the weekend.
        date(2026, 11, 26): [f"{base}:remind:3"],
        date(2026, 11, 30): [f"{base}:remind:1"],
        **{
            day: [f"{base}:overdue:{day}:unit", f"{base}:overdue:{day}:lead"]
            # Wednesday to Friday, not the weekend, then Monday and Tuesday.
            for day in [date(2026, 12, d) for d in (2, 3, 4, 7, 8)]
        },
    }


async def test_reminders_across_tet(deps: Deps, clock: FixedClock) -> None:
    ticket = await submit_on(deps, clock, date(2026, 2, 3))
    # Tết Bính Ngọ: 16-20/02/2026 off, so 10 working days end on Tuesday 24/02.
    assert local(ticket.decision_due).date() == date(2026, 2, 24)
    queued = await _daily(deps, clock, date(2026, 2, 3), date(2026, 2, 24))
    base = f"dl:{ticket.id}:decision:2026-02-24"
    assert queued == {
        # Thursday before Tết: Fri 13, Mon 23 and Tue 24 are the three left.
        date(2026, 2, 12): [f"{base}:remind:3"],
        date(2026, 2, 23): [f"{base}:remind:1"],
    }


async def test_a_ticket_first_seen_one_day_before_gets_only_the_one_day_reminder(
    deps: Deps, clock: FixedClock
) -> None:
    ticket = await submit_on(deps, clock, date(2026, 2, 3))
    report = await sweep_at(deps, clock, vn(date(2026, 2, 23), 8))
    assert report.keys == [f"dl:{ticket.id}:decision:2026-02-24:remind:1"]
    report = await sweep_at(deps, clock, vn(date(2026, 2, 24), 8))
    assert report.keys == []


async def test_the_reminder_names_the_ticket_and_carries_the_card_buttons(
    deps: Deps, clock: FixedClock
) -> None:
    ticket = await submit_on(deps, clock, date(2026, 11, 16))
    async with deps.uow() as uow:
        loaded = await uow.tickets.by_code(ticket.code)
        assert loaded is not None
        loaded.card_thread_id = 77
        await uow.commit()
    await sweep_at(deps, clock, vn(date(2026, 11, 26)))
    [row] = await outbox(deps, purpose="reminder")
    assert row["chat"] == HAI_CHAU_CHAT
    assert row["thread"] == 77
    text = row["payload"]["text"]
    assert ticket.code in text
    assert "Phản ánh" in text
    assert "01/12/2026" in text
    assert "3 ngày làm việc" in text
    buttons = [c["data"] for r in row["payload"]["choices"] for c in r]
    assert buttons and all(b.startswith("t:") and f":{ticket.id}:" in b for b in buttons)
    assert any(b.startswith("t:acc:") for b in buttons)


async def test_overdue_escalation_once_per_working_day(deps: Deps, clock: FixedClock) -> None:
    ticket = await submit_on(deps, clock, date(2026, 11, 2))
    assert local(ticket.decision_due).date() == date(2026, 11, 16)
    per_day: Counter[tuple[date, str]] = Counter()
    moment = vn(date(2026, 11, 16), 0, 5)
    while moment < vn(date(2026, 11, 26), 0):
        await sweep_at(deps, clock, moment)
        moment += timedelta(hours=3)
    for row in await outbox(deps, purpose="escalation"):
        day = date.fromisoformat(row["key"].split(":")[5])
        per_day[(day, row["chat"])] += 1
    working = [date(2026, 11, d) for d in (17, 18, 19, 20, 23, 25)]  # 21-22 weekend, 24 off
    assert per_day == Counter(
        {(day, chat): 1 for day in working for chat in (HAI_CHAU_CHAT, LEADERS_CHAT)}
    )
    lead = [r for r in await outbox(deps, purpose="escalation") if r["chat"] == LEADERS_CHAT]
    assert "UBND Phường Hải Châu" in lead[-1]["payload"]["text"]
    assert "chậm 6 ngày làm việc" in lead[-1]["payload"]["text"]
    assert lead[-1]["payload"]["choices"] == []


async def test_no_duplicate_after_a_rerun_or_a_restart(
    deps: Deps, clock: FixedClock, app_config: AppConfig, engine
) -> None:  # type: ignore[no-untyped-def]
    for day in (2, 4, 10):
        await submit_on(deps, clock, date(2026, 11, day))
    first = await sweep_at(deps, clock, vn(date(2026, 11, 20)))
    assert first.reminders and first.escalations
    before = await outbox(deps)
    again = await sweep_at(deps, clock, vn(date(2026, 11, 20), 16))
    assert (again.reminders, again.escalations) == (0, 0)
    restarted = build_deps(app_config, engine, clock=FixedClock(vn(date(2026, 11, 20), 17)))
    report = await deadline_sweep(restarted, restarted.clock.now())
    assert (report.reminders, report.escalations) == (0, 0)
    assert await outbox(deps) == before


async def test_two_concurrent_sweeps_queue_each_message_once(
    deps: Deps, clock: FixedClock, app_config: AppConfig, database_url: str
) -> None:
    for n in range(12):
        await submit_on(deps, clock, date(2026, 11, 2) + timedelta(days=n), hour=8 + n % 5)
    now = vn(date(2026, 11, 19), 10)
    others = [databases.engine_for(database_url) for _ in range(2)]
    try:
        sweepers = [build_deps(app_config, e, clock=FixedClock(now)) for e in others]
        reports = await asyncio.gather(
            *(deadline_sweep(d, now, thresholds=(3, 1), batch=4) for d in sweepers)
        )
    finally:
        for e in others:
            await e.dispose()
    rows = await outbox(deps)
    swept = [r for r in rows if r["key"].startswith("dl:")]
    assert swept
    assert sum(r.reminders + r.escalations for r in reports) == len(swept)
    assert len({r["key"] for r in swept}) == len(swept)
    single = await deadline_sweep(deps, now, thresholds=(3, 1))
    assert (single.reminders, single.escalations) == (0, 0)


async def test_an_extension_starts_a_fresh_series(deps: Deps, clock: FixedClock) -> None:
    ticket = await submit_on(deps, clock, date(2026, 11, 16), kind=Kind.TO_CAO)
    # Tố cáo: 7 working days, extendable to 10 (Luật Tố cáo 2018 Art. 24(1)).
    assert local(ticket.decision_due).date() == date(2026, 11, 26)
    report = await sweep_at(deps, clock, vn(date(2026, 11, 25)))
    assert report.keys == [f"dl:{ticket.id}:decision:2026-11-26:remind:1"]
    await TicketService(deps).extend(INSPECTOR_HEAD, ticket.code, "Cần xác minh nhiều nơi")
    report = await sweep_at(deps, clock, vn(date(2026, 11, 26)))
    assert report.keys == [f"dl:{ticket.id}:decision:2026-12-01:remind:3"]
    [row] = [r for r in await outbox(deps, purpose="reminder") if "12-01" in r["key"]]
    assert row["chat"] == "-1001000000002"  # the inspectorate's group


async def test_the_resolution_deadline_replaces_the_decision_one(
    deps: Deps, clock: FixedClock
) -> None:
    ticket = await submit_on(deps, clock, date(2026, 11, 16))
    clock.set(vn(date(2026, 11, 17)))
    accepted = await TicketService(deps).accept(HAI_CHAU_OFFICER, ticket.code)
    due = local(accepted.resolution_due).date()
    queued = await _daily(deps, clock, date(2026, 11, 17), due)
    keys = [k for day_keys in queued.values() for k in day_keys]
    assert keys == [
        f"dl:{ticket.id}:resolution:{due}:remind:3",
        f"dl:{ticket.id}:resolution:{due}:remind:1",
    ]


async def test_resolved_tickets_close_after_the_reopen_window(
    deps: Deps, clock: FixedClock
) -> None:
    ticket = await submit_on(deps, clock, date(2026, 11, 16))
    service = TicketService(deps)
    await service.accept(HAI_CHAU_OFFICER, ticket.code)
    clock.set(vn(date(2026, 11, 17), 10))
    await service.resolve(HAI_CHAU_OFFICER, ticket.code, "Đã vá ổ gà.")
    assert (await sweep_at(deps, clock, vn(date(2026, 11, 24), 9))).closed == 0
    assert (await sweep_at(deps, clock, vn(date(2026, 11, 24), 10, 15))).closed == 1
    assert (await sweep_at(deps, clock, vn(date(2026, 11, 24), 10, 30))).closed == 0
    async with deps.uow() as uow:
        closed = await uow.tickets.by_code(ticket.code)
    assert closed is not None and closed.status == Status.CLOSED
