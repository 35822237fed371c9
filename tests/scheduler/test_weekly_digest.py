"""The `weekly-digest` job: figures against hand-built tickets, the chart, dedupe per week."""

from __future__ import annotations

import base64
import io
from datetime import date

import pytest

from bot.domain.clock import FixedClock
from bot.services.context import Actor, Deps
from bot.services.digests import Week, collect, render_chart, weekly_digest
from bot.services.tickets import TicketService
from tests.scheduler.support import outbox, submit_on, vn

OFFICER = Actor.staff(200052)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def history(deps: Deps, clock: FixedClock) -> dict[str, str]:
    """Hải Châu's last two months, and one ticket at Thanh Khê."""
    service = TicketService(deps)

    async def act(day: date, hour: int, action: str, code: str) -> None:
        clock.set(vn(day, hour))
        if action == "accept":
            await service.accept(OFFICER, code)
        else:
            await service.resolve(OFFICER, code, "Đã xử lý xong.")

    late = await submit_on(deps, clock, date(2026, 9, 28))
    await act(date(2026, 10, 1), 9, "accept", late.code)
    early = await submit_on(deps, clock, date(2026, 11, 10))
    await act(date(2026, 11, 11), 9, "accept", early.code)
    overdue = await submit_on(deps, clock, date(2026, 11, 2))
    due_soon = await submit_on(deps, clock, date(2026, 11, 10), hour=10)
    quick = await submit_on(deps, clock, date(2026, 11, 16))
    await act(date(2026, 11, 16), 11, "accept", quick.code)
    waiting = await submit_on(deps, clock, date(2026, 11, 17))
    await submit_on(deps, clock, date(2026, 11, 18), commune="thanh-khe")
    # Last week's answers: two within 15 working days of acceptance, one seven weeks late.
    await act(date(2026, 11, 17), 14, "resolve", early.code)
    await act(date(2026, 11, 18), 14, "resolve", late.code)
    await act(date(2026, 11, 20), 14, "resolve", quick.code)
    return {"overdue": overdue.code, "due_soon": due_soon.code, "waiting": waiting.code}


MONDAY_0800 = vn(date(2026, 11, 23), 8)


async def test_figures_match_the_hand_built_week(deps: Deps, history: dict[str, str]) -> None:
    week, digests = await collect(deps, MONDAY_0800)
    assert week == Week(date(2026, 11, 23))
    by_unit = {d.unit_id: d for d in digests}
    hai_chau = by_unit["ubnd-hai-chau"]
    assert (
        hai_chau.new_last_week,
        hai_chau.in_progress,
        hai_chau.due_this_week,
        hai_chau.overdue,
        hai_chau.resolved_last_week,
        hai_chau.resolved_on_time,
    ) == (2, 3, 1, 1, 3, 2)
    assert hai_chau.on_time_rate == pytest.approx(2 / 3)
    # Weeks of 28/09 ... 16/11: received and resolved.
    assert hai_chau.received_series == (1, 0, 0, 0, 0, 1, 2, 2)
    assert hai_chau.resolved_series == (0, 0, 0, 0, 0, 0, 0, 3)
    thanh_khe = by_unit["ubnd-thanh-khe"]
    assert (thanh_khe.new_last_week, thanh_khe.in_progress, thanh_khe.on_time_rate) == (1, 1, None)
    assert by_unit["cong-an"].received_series == (0,) * 8


async def test_each_unit_and_the_leaders_get_one_digest_a_week(
    deps: Deps, clock: FixedClock, history: dict[str, str]
) -> None:
    clock.set(MONDAY_0800)
    report = await weekly_digest(deps, MONDAY_0800)
    units = len(deps.directory.units)
    assert (report.week, report.queued) == ("2026-W48", units + 1)
    rows = {r["chat"]: r for r in await outbox(deps, purpose="digest")}
    text = rows["-1001000000006"]["payload"]["text"]
    assert "UBND Phường Hải Châu" in text
    assert "16/11/2026 – 22/11/2026" in text
    for line in (
        "Tiếp nhận mới: <b>2</b>",
        "Đang xử lý: <b>3</b>",
        "Đến hạn tuần này (23/11/2026 – 29/11/2026): <b>1</b>",
        "Quá hạn: <b>1</b>",
        "Đã giải quyết tuần qua: <b>3</b>",
        "Tỷ lệ đúng hạn: <b>66,7% (2/3)</b>",
    ):
        assert line in text
    summary = rows["-1001000000009"]["payload"]["text"]
    assert "UBND Phường Thanh Khê: mới 1" in summary
    assert "Tiếp nhận mới: <b>3</b>" in summary
    for row in rows.values():
        [photo] = row["payload"]["attachments"]
        assert (photo["kind"], photo["channel"]) == ("photo", "inline")
        assert base64.b64decode(photo["data"]).startswith(PNG_MAGIC)

    clock.set(vn(date(2026, 11, 23), 9))
    assert (await weekly_digest(deps, clock.now())).queued == 0
    clock.set(vn(date(2026, 11, 30), 8))
    assert (await weekly_digest(deps, clock.now())).queued == units + 1


def test_the_chart_is_a_png_matplotlib_can_read() -> None:
    from matplotlib.image import imread

    png = render_chart(
        [f"{d:02d}/11" for d in range(1, 9)],
        [1, 0, 3, 5, 2, 0, 4, 7],
        [0, 1, 2, 5, 1, 1, 3, 6],
        title="UBND Phường Hải Châu: 8 tuần gần nhất",
        received_label="Tiếp nhận",
        resolved_label="Đã giải quyết",
    )
    assert png.startswith(PNG_MAGIC)
    pixels = imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (400, 800)
