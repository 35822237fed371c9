"""/open, /overdue, /ticket and /stats against hand-built data; forum topics."""

from __future__ import annotations

from datetime import datetime

from bot.domain.clock import VN_TZ, FixedClock
from bot.domain.kinds import Kind
from bot.domain.model import Ticket
from bot.services.commands import Identity, SubmitTicket
from bot.services.context import Actor, Deps
from bot.services.tickets import TicketService
from bot.services.topics import topic_closes, topic_name
from tests.handlers.helpers import (
    HAI_CHAU_CHAT,
    HAI_CHAU_OFFICER,
    STRANGER,
    THANH_KHE_CHAT,
    Harness,
    group_event,
    texts,
)

OFFICER = Actor.staff(HAI_CHAU_OFFICER)
TEXT = "Cống thoát nước trước nhà số 5 bị tắc, nước tràn ra đường."


def at(clock: FixedClock, day: str, hour: int = 9, minute: int = 0) -> None:
    year, month, dom = (int(p) for p in day.split("-"))
    clock.set(datetime(year, month, dom, hour, minute, tzinfo=VN_TZ))


async def submit(tickets: TicketService, commune: str = "hai-chau") -> Ticket:
    return await tickets.submit(SubmitTicket(Kind.PHAN_ANH, TEXT, commune=commune))


async def test_lists_and_figures_of_the_month(
    harness: Harness, tickets: TicketService, clock: FixedClock
) -> None:
    at(clock, "2026-10-20")
    t1 = await submit(tickets)  # last month, never decided: overdue
    at(clock, "2026-11-02")
    t4 = await submit(tickets)
    await tickets.accept(OFFICER, t4.code)  # resolution due 23/11
    at(clock, "2026-11-16")
    t2 = await submit(tickets)
    t3 = await submit(tickets)
    await tickets.accept(OFFICER, t2.code)
    await tickets.accept(OFFICER, t3.code)
    await submit(tickets, commune="thanh-khe")  # another unit's
    at(clock, "2026-11-17")
    await tickets.resolve(OFFICER, t3.code, "Đã thông cống.")  # on time
    at(clock, "2026-11-27", 10)
    await tickets.resolve(OFFICER, t4.code, "Đã xử lý.")  # late
    t6 = await submit(tickets)
    await tickets.guide(OFFICER, t6.code, "Liên hệ công ty cấp nước.")

    reply = await harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="/stats"))
    assert texts(reply) == [
        "📊 <b>Số liệu tháng 11/2026 — UBND Phường Hải Châu</b>\n"
        "• Tiếp nhận trong tháng: 4\n"
        "• Chờ xử lý: 1\n"
        "• Đang giải quyết: 1\n"
        "• Đã giải quyết trong tháng: 2 (đúng hạn: 1)\n"
        "• Quá hạn hiện nay: 1\n"
        "• Tỷ lệ giải quyết đúng hạn: 50%"
    ]

    reply = await harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="/open"))
    lines = texts(reply)[0].split("\n")
    assert "(2 hồ sơ, trang 1/1)" in lines[0]
    assert [line.split("<code>")[1].split("</code>")[0] for line in lines[1:]] == [
        t1.code,
        t2.code,
    ]
    assert "quá hạn" in lines[1] and "quá hạn" not in lines[2]
    assert reply.messages[0].choices == ()

    reply = await harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="/overdue"))
    lines = texts(reply)[0].split("\n")
    assert len(lines) == 2 and t1.code in lines[1]

    reply = await harness.send(group_event(THANH_KHE_CHAT, 200062, text="/overdue"))
    assert texts(reply) == ["Đơn vị không có hồ sơ quá hạn. 👍"]


async def test_month_is_counted_in_hanoi_time(
    harness: Harness, tickets: TicketService, clock: FixedClock
) -> None:
    at(clock, "2026-11-30", 23, 30)  # 16:30 UTC: still November in Đà Nẵng
    await submit(tickets)
    reply = await harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="/stats"))
    assert "tháng 11/2026" in texts(reply)[0] and "Tiếp nhận trong tháng: 1" in texts(reply)[0]
    at(clock, "2026-12-01", 0, 30)
    reply = await harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="/stats"))
    assert "tháng 12/2026" in texts(reply)[0] and "Tiếp nhận trong tháng: 0" in texts(reply)[0]
    assert "chưa có hồ sơ giải quyết" in texts(reply)[0]


async def test_open_is_paged_with_buttons(harness: Harness, tickets: TicketService) -> None:
    codes = [(await submit(tickets)).code for _ in range(10)]
    reply = await harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="/open"))
    first = reply.messages[0]
    assert "(10 hồ sơ, trang 1/2)" in first.text and codes[7] in first.text
    assert codes[8] not in first.text
    [[next_page]] = first.choices
    assert next_page.data == "tp:open:1"
    reply = await harness.send(
        group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, choice=next_page.data, message_id=77)
    )
    second = reply.messages[0]
    assert second.edit_message_id == 77 and "trang 2/2" in second.text
    assert codes[8] in second.text and codes[9] in second.text
    assert [c.data for c in second.choice_list()] == ["tp:open:0"]
    reply = await harness.send(group_event(HAI_CHAU_CHAT, STRANGER, choice="tp:open:0"))
    assert reply.alert_is_error and reply.messages == []


async def test_ticket_shows_card_and_history_of_own_unit_only(
    harness: Harness, tickets: TicketService
) -> None:
    ticket = await submit(tickets)
    await tickets.accept(OFFICER, ticket.code)
    await tickets.add_note(OFFICER, ticket.code, "Giao đội 2 kiểm tra.")
    reply = await harness.send(
        group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text=f"/ticket {ticket.code.lower()}")
    )
    card, history = reply.messages
    assert ticket.code in card.text and "Đang giải quyết" in card.text
    assert any(c.data.startswith("t:inf:") for c in card.choice_list())
    assert "Tiếp nhận đơn" in history.text and "Thụ lý (cán bộ)" in history.text
    assert "Ghi chú nội bộ (cán bộ): Giao đội 2 kiểm tra." in history.text

    reply = await harness.send(group_event(THANH_KHE_CHAT, 200061, text=f"/ticket {ticket.code}"))
    assert texts(reply) == [f"Không tìm thấy hồ sơ {ticket.code} trong số hồ sơ của đơn vị này."]
    reply = await harness.send(group_event(HAI_CHAU_CHAT, STRANGER, text=f"/ticket {ticket.code}"))
    assert texts(reply) == ["Bạn không có quyền thực hiện thao tác này."]


async def test_help_in_a_unit_group(harness: Harness) -> None:
    reply = await harness.send(group_event(HAI_CHAU_CHAT, STRANGER, text="/help@NgheDanBot"))
    assert "/open" in texts(reply)[0] and "/identity" in texts(reply)[0]


async def test_forum_topic_maps_to_its_ticket(
    harness: Harness, tickets: TicketService, deps: Deps
) -> None:
    ticket = await submit(tickets)
    await harness.deliver()
    from sqlalchemy import update

    from storage import orm

    async with deps.uow() as uow:
        await uow.session.execute(
            update(orm.tickets).where(orm.tickets.c.id == ticket.id).values(card_thread_id=555)
        )
        await uow.commit()
    reply = await harness.send(
        group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="/ticket", thread_id=555)
    )
    assert ticket.code in reply.messages[0].text
    # A plain message in a topic "replies" to the topic's first message: not to the citizen.
    reply = await harness.send(
        group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="Ai xử lý?", thread_id=555, reply_to=555)
    )
    assert reply.messages == []


async def test_topic_names(deps: Deps, tickets: TicketService) -> None:
    pothole = await submit(tickets)
    name = topic_name(pothole, deps.directory, deps.translator, "vi")
    assert name.startswith(f"🆕 {pothole.code} · Cống thoát nước") and len(name) <= 128
    denunciation = await tickets.submit(
        SubmitTicket(
            Kind.TO_CAO,
            "Ông Nguyễn Văn X, cán bộ địa chính, nhận tiền của tôi là Lê Văn Cường.",
            category="dat-dai",
            identity=Identity(name="Lê Văn Cường", phone="0911222333", address="Hải Châu"),
            consent=True,
            citizen_id=None,
        )
    )
    name = topic_name(denunciation, deps.directory, deps.translator, "vi")
    assert name == f"🆕 {denunciation.code} · Đất đai"
    assert not topic_closes(denunciation)
    guided = await tickets.guide(OFFICER, pothole.code, "Liên hệ công ty cấp nước.")
    assert topic_closes(guided)
    assert topic_name(guided, deps.directory, deps.translator, "vi").startswith("🧭")


async def test_admins_see_what_delivery_gave_up_on(
    harness: Harness, deps: Deps, tickets: TicketService, clock: FixedClock
) -> None:
    ticket = await submit(tickets)
    async with deps.uow() as uow:
        rows = await uow.outbox.pending(now=clock.now(), limit=10)
        assert rows and rows[0].ticket_id == ticket.id
        rows[0].failed_at = clock.now()
        rows[0].attempts = 8
        rows[0].last_error = "Bad Request: chat not found"
        await uow.commit()
    admin = await harness.send(group_event(HAI_CHAU_CHAT, 100001, text="/stats"))
    text = texts(admin)[0]
    assert "không gửi được" in text and "<b>1</b>" in text
    assert "card · sau 8 lần thử: Bad Request: chat not found" in text
    officer = await harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="/stats"))
    assert "không gửi được" not in texts(officer)[0]
