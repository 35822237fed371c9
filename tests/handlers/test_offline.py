"""/new records a petition received offline; its petitioner links it to their chat later."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.clock import FixedClock, local
from bot.domain.errors import TicketNotFound
from bot.domain.kinds import Kind
from bot.domain.model import Origin
from bot.domain.statuses import Status
from bot.services.citizens import CitizenService
from bot.services.commands import Identity, SubmitTicket
from bot.services.context import Deps
from bot.services.offline import OfflineLinkService
from bot.services.tickets import TicketService
from handlers.citizen import CitizenConversation
from handlers.dispatcher import Dispatcher
from tests.handlers.helpers import (
    HAI_CHAU_CHAT,
    HAI_CHAU_HEAD,
    HAI_CHAU_OFFICER,
    STRANGER,
    THANH_KHE_OFFICER,
    Harness,
    group_event,
    private_event,
    texts,
)

LAMP = "Đề nghị lắp đèn đường ở kiệt 45 Lê Duẩn, buổi tối rất tối."


async def record_offline(harness: Harness, user: int) -> str:
    """The whole /new form in a private chat, with a few mistakes on the way."""

    async def say(text: str | None = None, choice: str | None = None) -> list[str]:
        reply = await harness.send(private_event(user, text=text, choice=choice))
        return texts(reply)

    assert "Bước 1" in (await say("/new"))[0]
    assert "Bước 2" in (await say(choice="tn:k:kien_nghi"))[0]
    assert "Bước 3" in (await say(choice="tn:c:ha-tang"))[0]
    assert "Bước 2" in (await say(choice="tn:back"))[0]  # back, and forward again
    await say(choice="tn:c:ha-tang")
    assert "Bước 4" in (await say("1"))[0]  # typed number of the first commune: Hải Châu
    assert "cần từ 10" in (await say("ngắn"))[0]
    assert "Bước 5" in (await say(LAMP))[0]
    assert "Bước 6" in (await say("Phạm Văn Dũng"))[0]
    assert "chưa hợp lệ" in (await say("12345"))[0]
    assert "Bước 7" in (await say("0905 123 456"))[0]
    assert "Bước 8" in (await say("12 Lê Duẩn, Hải Châu"))[0]
    assert "sau ngày hôm nay" in (await say("20/11/2026"))[0]
    assert "dạng ngày/tháng/năm" in (await say("hôm qua"))[0]
    assert "Bước 9" in (await say("14/11/2026"))[0]
    summary = (await say(choice="tn:o:paper"))[0]
    assert "Phạm Văn Dũng · +84905123456" in summary and "14/11/2026 (Đơn giấy)" in summary
    done = (await say(choice="tn:ok"))[0]
    assert "Đã ghi nhận đơn" in done
    return done.split("<b>")[1].split("</b>")[0]


async def test_new_offline_petition_and_linking(
    harness: Harness, deps: Deps, citizens: CitizenService
) -> None:
    code = await record_offline(harness, HAI_CHAU_OFFICER)
    ticket = await harness.ticket(code)
    assert ticket.origin == Origin.PAPER and ticket.kind == Kind.KIEN_NGHI
    assert local(ticket.received_at).date().isoformat() == "2026-11-14"
    assert ticket.unit_id == "ubnd-hai-chau" and ticket.citizen_id is None
    assert ticket.petitioner_phone == "+84905123456"
    submit = (await harness.events(code))[0]
    assert (submit.action, submit.actor_id) == ("submit", "staff:200052")
    assert harness.private.events == []
    cards = [r for r in await harness.outbox() if r.purpose == "card"]
    assert [r.chat_id for r in cards] == [HAI_CHAU_CHAT]

    # Before linking, a reply is only recorded.
    await harness.deliver()
    card = await harness.ticket(code)
    reply = await harness.send(
        group_event(
            HAI_CHAU_CHAT, HAI_CHAU_OFFICER, text="Đã khảo sát.", reply_to=card.card_message_id
        )
    )
    assert "chưa liên kết" in texts(reply)[0]

    links = OfflineLinkService(deps)
    someone = await citizens.ensure("telegram", "6660001")
    owner = await citizens.ensure("telegram", "6660002")
    assert someone.id is not None and owner.id is not None
    with pytest.raises(TicketNotFound):
        await links.link_offline(someone.id, code, "0905 999 888")
    linked = await links.link_offline(owner.id, code.lower(), "+84 905 123 456")
    assert linked.citizen_id == owner.id and linked.channel == "telegram"
    assert (await links.link_offline(owner.id, code, "0905123456")).citizen_id == owner.id
    with pytest.raises(TicketNotFound):  # the right phone, but it is someone else's now
        await links.link_offline(someone.id, code, "0905123456")
    assert "link_chat" in await harness.actions(code)
    rows = await harness.outbox()
    assert any(
        "đã liên kết hồ sơ" in r.payload["text"] for r in rows if r.chat_id == HAI_CHAU_CHAT
    )

    # From now on the citizen is notified like anyone else.
    await harness.deliver()
    card = await harness.ticket(code)
    reply = await harness.send(
        group_event(
            HAI_CHAU_CHAT, HAI_CHAU_HEAD, text="Sẽ lắp trong tháng.", reply_to=card.card_message_id
        )
    )
    assert "Đã gửi tin nhắn" in texts(reply)[0]
    assert any(
        "Sẽ lắp trong tháng" in r.payload["text"]
        for r in await harness.outbox()
        if r.chat_id == "6660002"
    )


async def test_chat_petitions_cannot_be_claimed(
    deps: Deps, tickets: TicketService, citizens: CitizenService
) -> None:
    owner = await citizens.ensure("telegram", "6660003")
    other = await citizens.ensure("telegram", "6660004")
    assert owner.id is not None and other.id is not None
    ticket = await tickets.submit(
        SubmitTicket(
            Kind.PHAN_ANH,
            LAMP,
            citizen_id=owner.id,
            identity=Identity(name="Lan", phone="0905123456"),
            consent=True,
        )
    )
    with pytest.raises(TicketNotFound):
        await OfflineLinkService(deps).link_offline(other.id, ticket.code, "0905123456")
    with pytest.raises(TicketNotFound):
        await OfflineLinkService(deps).link_offline(other.id, "PA26-99999", "0905123456")


async def test_new_in_a_unit_group(harness: Harness, clock: FixedClock) -> None:
    async def say(user: int, text: str | None = None, choice: str | None = None) -> list[str]:
        reply = await harness.send(group_event(HAI_CHAU_CHAT, user, text=text, choice=choice))
        return texts(reply)

    # A denunciation is never typed into a group: the denouncer's name would show.
    await say(HAI_CHAU_HEAD, "/new")
    assert "tin nhắn riêng" in (await say(HAI_CHAU_HEAD, choice="tn:k:to_cao"))[0]
    assert await say(HAI_CHAU_HEAD, "Nguyễn Văn A") == []

    await say(HAI_CHAU_OFFICER, "/new")
    assert await say(STRANGER, choice="tn:k:phan_anh") == []  # not theirs to fill in
    await say(HAI_CHAU_OFFICER, choice="tn:k:phan_anh")
    await say(HAI_CHAU_OFFICER, choice="tn:c:-")
    await say(HAI_CHAU_OFFICER, choice="tn:m:hai-chau")
    await say(HAI_CHAU_OFFICER, LAMP)
    assert "Bước 8" in (await say(HAI_CHAU_OFFICER, choice="tn:skip"))[0]  # anonymous
    await say(HAI_CHAU_OFFICER, choice="tn:today")
    await say(HAI_CHAU_OFFICER, choice="tn:o:phone")
    done = (await say(HAI_CHAU_OFFICER, choice="tn:ok"))[0]
    code = done.split("<b>")[1].split("</b>")[0]
    ticket = await harness.ticket(code)
    assert ticket.origin == Origin.PHONE and ticket.anonymous
    assert ticket.received_at == clock.now() and ticket.status == Status.SUBMITTED


async def test_new_is_for_staff_only(harness: Harness) -> None:
    await harness.send(private_event(STRANGER, text="/new"))
    assert [e.text for e in harness.private.events] == ["/new"]
    reply = await harness.send(group_event(HAI_CHAU_CHAT, THANH_KHE_OFFICER, text="/new"))
    assert texts(reply) == ["Bạn không có quyền thực hiện thao tác này."]


async def test_cancel_and_khieu_nai_needs_identity(harness: Harness) -> None:
    async def say(text: str | None = None, choice: str | None = None) -> list[str]:
        return texts(await harness.send(private_event(HAI_CHAU_HEAD, text=text, choice=choice)))

    await say("/new")
    await say(choice="tn:k:khieu_nai")
    await say(choice="tn:c:dat-dai")
    await say(choice="tn:m:-")
    await say("Khiếu nại quyết định thu hồi đất số 45/QĐ-UBND.")
    asked = await harness.send(private_event(HAI_CHAU_HEAD, choice="tn:skip"))
    # No skipping the name of a complainant: asked again, without a Skip button.
    assert "Vui lòng nhập họ tên" in texts(asked)[0] and "Bước 5" in texts(asked)[1]
    assert [c.data for c in asked.messages[1].choice_list()] == ["tn:back", "tn:cancel"]
    assert await say("/cancel") == ["Đã hủy nhập đơn."]
    assert await say("Trần Văn B") == []  # the form is over; the citizen side gets it
    assert harness.private.events[-1].text == "Trần Văn B"


async def test_a_citizen_links_by_chat_and_guessing_is_limited(
    harness: Harness, deps: Deps, clock: FixedClock
) -> None:
    code = await record_offline(harness, HAI_CHAU_OFFICER)
    citizen = Dispatcher(
        deps, private=CitizenConversation(deps, link_offline=OfflineLinkService(deps).link_offline)
    )

    async def say(user: int, text: str) -> str:
        return " ".join(texts(await citizen.handle(private_event(user, text=text))))

    guesser = 700123
    for n in range(5):
        await say(guesser, "/lienket")
        await say(guesser, code)
        assert "không khớp" in await say(guesser, f"0905 000 00{n}")
    await say(guesser, "/lienket")
    await say(guesser, code)
    assert "nhiều lần" in await say(guesser, "0905 123 456")  # even the right one, for now
    assert (await harness.ticket(code)).citizen_id is None
    clock.advance(timedelta(hours=1, minutes=1))
    await say(guesser, "/lienket")
    await say(guesser, code)
    assert "Đã liên kết" in await say(guesser, "0905 123 456")
