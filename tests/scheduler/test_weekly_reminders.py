"""The `weekly-reminders` job: subscribers only, in their language, once per ISO week."""

from __future__ import annotations

from datetime import date, time

from bot.config import AppConfig
from bot.domain.clock import FixedClock
from bot.scheduler import JobSettings
from bot.services.citizens import CitizenService
from bot.services.context import Deps
from bot.services.weekly import ReceptionSession, upcoming, weekly_reminders
from tests.scheduler.support import outbox, vn

WEDNESDAY_1700 = vn(date(2026, 11, 18), 17)


def test_sessions_are_listed_by_their_next_date() -> None:
    tue = ReceptionSession(1, time(8), {"vi": "Phường Thanh Khê"})
    thu = ReceptionSession(3, time(7, 30), {"vi": "Ban Tiếp công dân"})
    wed = ReceptionSession(2, time(18), {"vi": "Nhà văn hóa"})
    assert upcoming([tue, thu, wed], date(2026, 11, 18)) == [
        (date(2026, 11, 18), wed),
        (date(2026, 11, 19), thu),
        (date(2026, 11, 24), tue),
    ]


async def test_subscribers_get_the_schedule_in_their_language_once_a_week(
    deps: Deps, clock: FixedClock, citizens: CitizenService, app_config: AppConfig
) -> None:
    sessions = JobSettings.from_config(app_config).sessions
    vi = await citizens.ensure("telegram", "7001", locale="vi")
    en = await citizens.ensure("zalo", "abc7002", locale="en")
    quiet = await citizens.ensure("telegram", "7003", locale="vi")
    blocked = await citizens.ensure("telegram", "7004", locale="vi")
    for citizen in (vi, en, blocked):
        assert citizen.id is not None
        await citizens.set_subscribed(citizen.id, True)
    await citizens.mark_unreachable("telegram", "7004")
    assert quiet.id is not None

    clock.set(WEDNESDAY_1700)
    report = await weekly_reminders(deps, WEDNESDAY_1700, sessions)
    assert (report.week, report.subscribers, report.queued) == ("2026-W47", 2, 2)
    rows = {(r["channel"], r["chat"]): r for r in await outbox(deps, purpose="weekly")}
    assert set(rows) == {("telegram", "7001"), ("zalo", "abc7002")}
    text_vi = rows[("telegram", "7001")]["payload"]["text"]
    text_en = rows[("zalo", "abc7002")]["payload"]["text"]
    assert "Lịch tiếp công dân" in text_vi
    assert "Thứ Năm 19/11/2026, 07:30: Trụ sở Ban Tiếp công dân thành phố" in text_vi
    # Tuesday 24/11/2026 is Ngày Văn hóa Việt Nam: the session is flagged.
    assert "Thứ Ba 24/11/2026, 08:00: Hội trường UBND phường Thanh Khê" in text_vi
    assert "Trùng ngày nghỉ lễ" in text_vi
    assert text_vi.index("19/11/2026") < text_vi.index("20/11/2026") < text_vi.index("24/11")
    assert "Thursday 19/11/2026, 07:30: City Citizen Reception Board" in text_en
    assert "Dialogue with residents" in text_en

    clock.set(vn(date(2026, 11, 19), 9))
    assert (await weekly_reminders(deps, clock.now(), sessions)).queued == 0
    await citizens.set_subscribed(vi.id, False)  # type: ignore[arg-type]
    clock.set(vn(date(2026, 11, 25), 17))
    report = await weekly_reminders(deps, clock.now(), sessions)
    assert (report.subscribers, report.queued) == (1, 1)
    assert [r["chat"] for r in await outbox(deps, purpose="weekly")] == [
        "7001",
        "abc7002",
        "abc7002",
    ]


async def test_no_schedule_sends_nothing(deps: Deps, citizens: CitizenService) -> None:
    citizen = await citizens.ensure("telegram", "7001", locale="vi")
    assert citizen.id is not None
    await citizens.set_subscribed(citizen.id, True)
    assert (await weekly_reminders(deps, WEDNESDAY_1700, ())).queued == 0
