"""Officers work tickets from their unit's group; nobody else changes or sees anything."""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.kinds import Kind
from bot.domain.model import Ticket
from bot.domain.statuses import Status
from bot.services.cards import card_data
from bot.services.citizens import CitizenService
from bot.services.commands import Identity, SubmitTicket
from bot.services.context import Actor
from bot.services.tickets import TicketService
from handlers.events import IncomingAttachment
from tests.handlers.helpers import (
    ADMIN,
    HAI_CHAU_CHAT,
    HAI_CHAU_HEAD,
    HAI_CHAU_OFFICER,
    INSPECTOR,
    INSPECTOR_HEAD,
    SO_XAY_DUNG_CHAT,
    STRANGER,
    THANH_KHE_CHAT,
    THANH_KHE_OFFICER,
    THANH_TRA_CHAT,
    UNREGISTERED_CHAT,
    Harness,
    everything_sent_to_groups,
    group_event,
    private_event,
    texts,
)

POTHOLE = "Đường Lê Duẩn có ổ gà lớn trước số 12, xe máy rất dễ ngã."
CITIZEN_CHAT = "5550001"
NOT_PERMITTED = "Bạn không có quyền"
OUT_OF_DATE = "Thẻ hồ sơ này đã cũ"


@pytest.fixture
async def citizen_id(citizens: CitizenService) -> int:
    citizen = await citizens.ensure("telegram", CITIZEN_CHAT, locale="vi")
    assert citizen.id is not None
    return citizen.id


@pytest.fixture
async def pothole(tickets: TicketService, citizen_id: int, harness: Harness) -> Ticket:
    ticket = await tickets.submit(
        SubmitTicket(
            kind=Kind.PHAN_ANH,
            description=POTHOLE,
            citizen_id=citizen_id,
            channel="telegram",
            category="ha-tang",
            commune="hai-chau",
        )
    )
    await harness.deliver()
    return ticket


def citizen_texts(rows: list) -> list[str]:
    return [r.payload["text"] for r in rows if r.chat_id == CITIZEN_CHAT]


async def test_full_officer_cycle(
    harness: Harness, pothole: Ticket, tickets: TicketService, citizen_id: int
) -> None:
    code = pothole.code
    reply = await harness.press(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, code, "accept")
    assert reply.alert == f"Đã tiếp nhận hồ sơ {code}." and not reply.alert_is_error
    assert (await harness.ticket(code)).status == Status.ACCEPTED
    await harness.deliver()
    card = await harness.ticket(code)

    # A reply to the card goes to the citizen, signed by the unit, not the officer.
    reply = await harness.send(
        group_event(
            HAI_CHAU_CHAT,
            HAI_CHAU_OFFICER,
            text="Chúng tôi sẽ cử cán bộ kiểm tra hiện trường.",
            reply_to=card.card_message_id,
        )
    )
    assert "Đã gửi tin nhắn cho người dân" in texts(reply)[0]
    sent = citizen_texts(await harness.outbox())
    assert "UBND Phường Hải Châu" in sent[-1] and "cử cán bộ kiểm tra" in sent[-1]
    assert "200052" not in sent[-1] and "Cán bộ 200052" not in sent[-1]

    # Ask for more information: a force-reply prompt tied to the card, then the text.
    reply = await harness.press(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, code, "info")
    prompt = reply.messages[0]
    assert prompt.force_reply and prompt.reply_to_message_id == card.card_message_id
    reply = await harness.send(
        group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="Ổ gà ở làn nào?", reply_to=12345)
    )
    assert "Đã gửi yêu cầu bổ sung" in texts(reply)[0]
    assert (await harness.ticket(code)).status == Status.NEEDS_INFO

    # The citizen answers; the relayed message can be answered by replying to it.
    await tickets.provide_info(Actor.citizen(citizen_id), code, "Làn bên phải, gần cột điện.")
    await harness.deliver()
    relayed = [r for r in await harness.outbox() if r.purpose == "unit"][-1]
    assert relayed.chat_id == HAI_CHAU_CHAT and "Làn bên phải" in relayed.payload["text"]
    photo = IncomingAttachment(kind="photo", file_id="AgACphoto")
    await harness.send(
        group_event(
            HAI_CHAU_CHAT,
            HAI_CHAU_HEAD,
            text="Cảm ơn, đội duy tu sẽ đến trong tuần.",
            reply_to=int(relayed.sent_message_id or 0),
            attachments=(photo,),
        )
    )
    to_citizen = [r for r in await harness.outbox() if r.chat_id == CITIZEN_CHAT][-1]
    assert "đội duy tu" in to_citizen.payload["text"]
    assert [a["file_id"] for a in to_citizen.payload["attachments"]] == ["AgACphoto"]

    # An internal note never reaches the citizen; the card stays usable afterwards.
    await harness.press(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, code, "note")
    reply = await harness.send(
        group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="Giao anh Tâm đội 2.")
    )
    assert "Đã lưu ghi chú" in texts(reply)[0]
    await harness.deliver()

    await harness.press(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, code, "resolve")
    reply = await harness.send(
        group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="Đã vá ổ gà ngày 18/11.")
    )
    assert "Đã gửi kết quả" in texts(reply)[0]
    assert (await harness.ticket(code)).status == Status.RESOLVED
    await tickets.rate(Actor.citizen(citizen_id), code, 5, "Cảm ơn")

    rows = await harness.outbox()
    assert not any("anh Tâm" in text for text in citizen_texts(rows))
    assert any("⭐⭐⭐⭐⭐" in r.payload["text"] for r in rows if r.chat_id == HAI_CHAU_CHAT)
    assert await harness.actions(code) == [
        "submit",
        "accept",
        "reply",
        "request_info",
        "provide_info",
        "reply",
        "note",
        "resolve",
        "rate",
    ]


async def test_transfer_to_another_unit(harness: Harness, pothole: Ticket) -> None:
    code = pothole.code
    before = await harness.ticket(code)
    reply = await harness.press(HAI_CHAU_CHAT, HAI_CHAU_HEAD, code, "transfer")
    picker = reply.messages[0]
    options = {c.label: c.data for c in picker.choice_list()}
    assert "UBND Phường Hải Châu" not in options
    assert all(len(data.encode()) <= 64 for data in options.values())
    reply = await harness.send(
        group_event(HAI_CHAU_CHAT, HAI_CHAU_HEAD, choice=options["Sở Xây dựng"])
    )
    assert reply.alert == f"Đã chuyển hồ sơ {code} đến Sở Xây dựng."
    assert reply.messages[0].edit_message_id is not None

    moved = await harness.ticket(code)
    assert moved.unit_id == "so-xay-dung" and moved.status == Status.SUBMITTED
    rows = await harness.outbox()
    new_cards = [r for r in rows if r.chat_id == SO_XAY_DUNG_CHAT and r.purpose == "card"]
    assert len(new_cards) == 1 and code in new_cards[0].payload["text"]
    retired = [r for r in rows if r.purpose == "card_retired"]
    assert len(retired) == 1 and retired[0].chat_id == HAI_CHAU_CHAT
    assert retired[0].payload["edit_message_id"] == before.card_message_id
    assert retired[0].payload["choices"] == []
    assert "Đã chuyển đơn" in retired[0].payload["text"]
    assert any("Sở Xây dựng" in text for text in citizen_texts(rows))

    # The old group's card is dead: its buttons change nothing any more.
    old_accept = card_data("accept", before)
    reply = await harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, choice=old_accept))
    assert reply.alert_is_error and NOT_PERMITTED in (reply.alert or "")
    await harness.deliver()
    reply = await harness.press(SO_XAY_DUNG_CHAT, 200032, code, "accept")
    assert not reply.alert_is_error


ACTIONS_ON_SUBMITTED = ["accept", "transfer", "guide", "reject", "extend", "note"]


@pytest.mark.parametrize("action", [*ACTIONS_ON_SUBMITTED, "info", "resolve"])
@pytest.mark.parametrize(
    ("chat", "user"),
    [(HAI_CHAU_CHAT, STRANGER), (HAI_CHAU_CHAT, THANH_KHE_OFFICER), (THANH_KHE_CHAT, 200061)],
    ids=["non-officer", "officer-of-another-unit", "from-another-unit-group"],
)
async def test_outsiders_change_nothing(
    harness: Harness, pothole: Ticket, action: str, chat: str, user: int
) -> None:
    code = pothole.code
    if action in ("info", "resolve"):
        await harness.press(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, code, "accept")
        await harness.deliver()
    before = await harness.ticket(code)
    rows_before = len(await harness.outbox())
    reply = await harness.send(
        group_event(chat, user, choice=card_data(action, before), message_id=1)
    )
    assert reply.alert_is_error and (reply.alert or "").startswith(NOT_PERMITTED)
    assert reply.messages == []
    after = await harness.ticket(code)
    assert (after.status, after.version) == (before.status, before.version)
    assert len(await harness.outbox()) == rows_before
    # No pending action was stored for them either: their next text does nothing.
    reply = await harness.send(group_event(chat, user, text="Từ chối vì không rõ ràng"))
    assert reply.messages == []
    assert (await harness.ticket(code)).version == before.version


@pytest.mark.parametrize("action", ["transfer", "reject", "extend"])
async def test_heads_only_actions(harness: Harness, pothole: Ticket, action: str) -> None:
    reply = await harness.press(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, pothole.code, action)
    assert reply.alert_is_error and (reply.alert or "").startswith(NOT_PERMITTED)
    assert "lãnh đạo" in (reply.alert or "")
    assert reply.messages == []
    assert (await harness.ticket(pothole.code)).version == pothole.version


async def test_officer_actions_allowed_for_officers(harness: Harness, pothole: Ticket) -> None:
    reply = await harness.press(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, pothole.code, "guide")
    assert reply.messages[0].force_reply
    reply = await harness.send(
        group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="Xin liên hệ Công ty Môi trường.")
    )
    assert (await harness.ticket(pothole.code)).status == Status.GUIDED


async def test_extension_not_offered_where_the_law_allows_none(
    harness: Harness, pothole: Ticket
) -> None:
    reply = await harness.press(HAI_CHAU_CHAT, HAI_CHAU_HEAD, pothole.code, "extend")
    assert reply.alert_is_error and "không cho phép gia hạn" in (reply.alert or "")
    assert reply.messages == []


async def test_admin_acts_in_any_unit_group(harness: Harness, pothole: Ticket) -> None:
    reply = await harness.press(HAI_CHAU_CHAT, ADMIN, pothole.code, "accept")
    assert not reply.alert_is_error
    assert (await harness.ticket(pothole.code)).status == Status.ACCEPTED


async def test_forged_press_in_a_private_chat(harness: Harness, pothole: Ticket) -> None:
    for user in (HAI_CHAU_HEAD, STRANGER):
        reply = await harness.send(private_event(user, choice=card_data("accept", pothole)))
        assert reply.alert_is_error and NOT_PERMITTED in (reply.alert or "")
        reply = await harness.send(private_event(user, choice=f"tx:{pothole.id}:1:0"))
        assert reply.alert_is_error
    assert harness.private.events == []
    assert (await harness.ticket(pothole.code)).status == Status.SUBMITTED


async def test_unregistered_group_gets_no_ticket_data(harness: Harness, pothole: Ticket) -> None:
    reply = await harness.send(
        group_event(UNREGISTERED_CHAT, ADMIN, choice=card_data("accept", pothole))
    )
    assert reply.alert_is_error and reply.messages == []
    for command in ("/open", "/overdue", f"/ticket {pothole.code}", "/stats", "/new"):
        reply = await harness.send(group_event(UNREGISTERED_CHAT, ADMIN, text=command))
        assert reply.messages == [], command
    reply = await harness.send(group_event(UNREGISTERED_CHAT, ADMIN, text="/help"))
    assert texts(reply) == [
        "Nhóm này chưa được đăng ký là nhóm làm việc của đơn vị nào, nên bot không hiển thị "
        "hồ sơ tại đây. Vui lòng liên hệ quản trị viên."
    ]
    assert (await harness.ticket(pothole.code)).status == Status.SUBMITTED


async def test_replayed_old_card_changes_nothing(harness: Harness, pothole: Ticket) -> None:
    old_guide = card_data("guide", pothole)
    old_accept = card_data("accept", pothole)
    await harness.press(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, pothole.code, "accept")
    accepted = await harness.ticket(pothole.code)
    rows_before = len(await harness.outbox())
    for data in (old_accept, old_guide, "t:acc:notanumber:1", "t:zzz:1:1"):
        reply = await harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, choice=data))
        assert reply.alert_is_error and (reply.alert or "").startswith(OUT_OF_DATE), data
        assert reply.messages == []
    after = await harness.ticket(pothole.code)
    assert (after.status, after.version) == (Status.ACCEPTED, accepted.version)
    assert await harness.actions(pothole.code) == ["submit", "accept"]
    # The stale card is redrawn once with the current buttons, and nothing else is queued.
    new_rows = (await harness.outbox())[rows_before:]
    assert [r.purpose for r in new_rows] == ["card_edit"]
    assert f"t:inf:{accepted.id}:{accepted.version}" in str(new_rows[0].payload["choices"])


async def test_text_after_the_ticket_changed_is_not_applied(
    harness: Harness, pothole: Ticket
) -> None:
    await harness.press(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, pothole.code, "guide")
    await harness.press(HAI_CHAU_CHAT, HAI_CHAU_HEAD, pothole.code, "accept")
    reply = await harness.send(
        group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="Xin liên hệ Tòa án.")
    )
    assert "vừa thay đổi" in texts(reply)[0]
    assert (await harness.ticket(pothole.code)).status == Status.ACCEPTED


async def test_cancel_drops_the_pending_action(harness: Harness, pothole: Ticket) -> None:
    await harness.press(HAI_CHAU_CHAT, HAI_CHAU_HEAD, pothole.code, "reject")
    reply = await harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_HEAD, text="/cancel"))
    assert texts(reply) == ["Đã hủy thao tác đang dở."]
    reply = await harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_HEAD, text="Không rõ"))
    assert reply.messages == []
    assert (await harness.ticket(pothole.code)).status == Status.SUBMITTED


async def test_each_officer_has_their_own_pending_action(
    harness: Harness, pothole: Ticket
) -> None:
    await harness.press(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, pothole.code, "note")
    # A colleague chatting in the group does not complete someone else's prompt.
    reply = await harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_HEAD, text="Ai đi kiểm tra?"))
    assert reply.messages == []
    reply = await harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="Tôi đi."))
    assert "Đã lưu ghi chú" in texts(reply)[0]
    notes = [e for e in await harness.events(pothole.code) if e.action == "note"]
    assert [(n.note, n.actor_id) for n in notes] == [("Tôi đi.", "staff:200052")]


async def test_concurrent_accepts_one_wins_the_other_is_told(
    harness: Harness, pothole: Ticket
) -> None:
    data = card_data("accept", pothole)
    replies = await asyncio.gather(
        harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, choice=data)),
        harness.send(group_event(HAI_CHAU_CHAT, HAI_CHAU_HEAD, choice=data)),
    )
    wins = [r for r in replies if not r.alert_is_error]
    losses = [r for r in replies if r.alert_is_error]
    assert len(wins) == 1 and len(losses) == 1
    assert (losses[0].alert or "").startswith(("Hồ sơ vừa được cán bộ khác", OUT_OF_DATE))
    assert await harness.actions(pothole.code) == ["submit", "accept"]


async def test_reply_to_an_unknown_message_is_just_group_chatter(
    harness: Harness, pothole: Ticket
) -> None:
    rows_before = len(await harness.outbox())
    reply = await harness.send(
        group_event(HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="Đồng ý.", reply_to=424242)
    )
    assert reply.messages == []
    assert len(await harness.outbox()) == rows_before


async def test_non_officer_reply_to_the_card_is_not_relayed(
    harness: Harness, pothole: Ticket
) -> None:
    card = await harness.ticket(pothole.code)
    reply = await harness.send(
        group_event(HAI_CHAU_CHAT, STRANGER, text="Xin chào", reply_to=card.card_message_id)
    )
    assert reply.messages == []
    assert citizen_texts(await harness.outbox()) == []


async def test_to_cao_never_shows_the_denouncer_to_a_group(
    harness: Harness, tickets: TicketService, citizens: CitizenService
) -> None:
    citizen = await citizens.ensure("telegram", "7771234567", locale="vi")
    assert citizen.id is not None
    secrets = ("Lê Văn Cường", "0911222333", "45 Hùng Vương", "7771234567", "cuong_le")
    ticket = await tickets.submit(
        SubmitTicket(
            Kind.TO_CAO,
            "Chủ tịch xã nhận hối lộ trong việc cấp phép xây dựng.",
            citizen_id=citizen.id,
            channel="telegram",
            identity=Identity(name=secrets[0], phone=secrets[1], address=secrets[2]),
            consent=True,
        )
    )
    await harness.deliver()
    code = ticket.code
    await harness.press(THANH_TRA_CHAT, INSPECTOR, code, "accept")
    await harness.deliver()
    await tickets.citizen_message(Actor.citizen(citizen.id), code, "Tôi có thêm chứng cứ.")
    await harness.deliver()
    card = await harness.ticket(code)
    await harness.send(
        group_event(
            THANH_TRA_CHAT,
            INSPECTOR,
            text="Mời anh/chị đến làm việc.",
            reply_to=card.card_message_id,
        )
    )
    for command in (f"/ticket {code}", "/open", "/overdue", "/stats", f"/identity {code}"):
        await harness.send(group_event(THANH_TRA_CHAT, INSPECTOR_HEAD, text=command))
    await harness.press(THANH_TRA_CHAT, INSPECTOR, code, "note")
    await harness.send(group_event(THANH_TRA_CHAT, INSPECTOR, text="Đã xác minh sơ bộ."))
    await harness.deliver()

    # The head sees the identity only in a private chat, and the view is audited.
    reply = await harness.send(private_event(INSPECTOR_HEAD, text=f"/identity {code}"))
    assert secrets[0] in texts(reply)[0] and secrets[1] in texts(reply)[0]

    seen = everything_sent_to_groups(await harness.outbox(), harness.replies)
    assert "Người tố cáo: được giữ bí mật" in seen and code in seen
    for secret in secrets:
        assert secret not in seen, secret
    assert "identity_viewed" in await harness.actions(code)


async def test_identity_is_for_the_unit_heads_only_and_audited(
    harness: Harness, tickets: TicketService, citizen_id: int
) -> None:
    ticket = await tickets.submit(
        SubmitTicket(
            Kind.TO_CAO,
            "Cán bộ thu tiền trái phép khi làm giấy tờ đất.",
            citizen_id=citizen_id,
            identity=Identity(name="Phan Thị Hoa", phone="0905111222", address="Sơn Trà"),
            consent=True,
        )
    )
    refused = "Bạn không có quyền xem thông tin người gửi của hồ sơ này."
    for user in (INSPECTOR, HAI_CHAU_HEAD, STRANGER):
        reply = await harness.send(private_event(user, text=f"/identity {ticket.code}"))
        assert texts(reply) == [refused], user
    reply = await harness.send(private_event(INSPECTOR_HEAD, text="/identity TC26-09999"))
    assert texts(reply) == [refused]
    assert "identity_viewed" not in await harness.actions(ticket.code)

    reply = await harness.send(private_event(INSPECTOR_HEAD, text=f"/identity {ticket.code}"))
    shown = texts(reply)[0]
    assert "Phan Thị Hoa" in shown and "0905111222" in shown and "Sơn Trà" in shown
    viewed = [e for e in await harness.events(ticket.code) if e.action == "identity_viewed"]
    assert [(e.actor_id, e.actor_role) for e in viewed] == [("staff:200011", "head")]
    assert harness.private.events == []

    reply = await harness.send(group_event(THANH_TRA_CHAT, INSPECTOR_HEAD, text="/identity"))
    assert "tin nhắn riêng" in texts(reply)[0]
