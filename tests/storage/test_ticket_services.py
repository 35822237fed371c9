"""Every ticket use case against a real database (SQLite, and PostgreSQL in CI)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.domain.clock import VN_TZ, FixedClock
from bot.domain.errors import (
    ConcurrentUpdate,
    ExtensionNotAllowed,
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    RateLimited,
    TicketNotFound,
)
from bot.domain.kinds import Kind
from bot.domain.model import Attachment, Origin, Ticket
from bot.domain.statuses import Status
from bot.services.citizens import CitizenService
from bot.services.commands import Identity, SubmitTicket
from bot.services.context import Actor, Deps
from bot.services.tickets import TicketService

HAI_CHAU_HEAD = Actor.staff(200051)
HAI_CHAU_OFFICER = Actor.staff(200052)
THANH_KHE_OFFICER = Actor.staff(200061)
INSPECTOR_HEAD = Actor.staff(200011)
ADMIN = Actor.staff(100001)
STRANGER = Actor.staff(999999)

POTHOLE = "Đường Lê Duẩn có ổ gà lớn trước số 12, xe máy rất dễ ngã."


async def outbox_rows(deps: Deps) -> list[dict]:
    async with deps.uow() as uow:
        rows = await uow.outbox.pending(now=deps.clock.now() + timedelta(days=1), limit=1000)
        return [
            {
                "chat": r.chat_id,
                "purpose": r.purpose,
                "text": r.payload["text"],
                "key": r.dedupe_key,
            }
            for r in rows
        ]


async def events_of(deps: Deps, ticket: Ticket) -> list[tuple[str, str | None, str | None]]:
    async with deps.uow() as uow:
        return [
            (e.action, e.from_status, e.to_status) for e in await uow.events.of_ticket(ticket.id)
        ]


async def reload(deps: Deps, ticket: Ticket) -> Ticket:
    async with deps.uow() as uow:
        found = await uow.tickets.by_code(ticket.code)
        assert found is not None
        return found


@pytest.fixture
async def citizen_id(citizens: CitizenService) -> int:
    citizen = await citizens.ensure("telegram", "5550001", locale="vi")
    assert citizen.id is not None
    return citizen.id


@pytest.fixture
async def pothole(tickets: TicketService, citizen_id: int) -> Ticket:
    return await tickets.submit(
        SubmitTicket(
            kind=Kind.PHAN_ANH,
            description=POTHOLE,
            citizen_id=citizen_id,
            channel="telegram",
            category="ha-tang",
            commune="hai-chau",
        )
    )


async def test_submit_numbers_routes_and_schedules(deps: Deps, pothole: Ticket) -> None:
    assert pothole.code == "PA26-00001"
    assert pothole.status == Status.SUBMITTED
    assert pothole.unit_id == "ubnd-hai-chau"
    assert pothole.anonymous is True
    # Received Monday 16/11/2026; 10 working days skip the weekends and 24/11 (Văn hóa day).
    assert pothole.decision_due is not None
    assert pothole.decision_due.astimezone(VN_TZ).date().isoformat() == "2026-12-01"
    assert await events_of(deps, pothole) == [("submit", "draft", "submitted")]
    rows = await outbox_rows(deps)
    assert [(r["chat"], r["purpose"]) for r in rows] == [("-1001000000006", "card")]
    assert "PA26-00001" in rows[0]["text"] and "ổ gà" in rows[0]["text"]


async def test_codes_are_per_prefix_and_year(tickets: TicketService, citizen_id: int) -> None:
    identity = Identity(name="Nguyễn Văn A", phone="0905123456", address="12 Lê Duẩn")
    first = await tickets.submit(SubmitTicket(Kind.PHAN_ANH, POTHOLE, citizen_id=citizen_id))
    complaint = await tickets.submit(
        SubmitTicket(
            Kind.KHIEU_NAI,
            "Khiếu nại quyết định xử phạt số 12/QĐ-XPHC.",
            citizen_id=citizen_id,
            identity=identity,
            consent=True,
        )
    )
    second = await tickets.submit(SubmitTicket(Kind.PHAN_ANH, POTHOLE, citizen_id=citizen_id))
    assert [first.code, complaint.code, second.code] == ["PA26-00001", "KN26-00001", "PA26-00002"]


async def test_khieu_nai_requires_identity_and_consent(
    tickets: TicketService, citizen_id: int
) -> None:
    text = "Khiếu nại quyết định thu hồi đất số 45/QĐ-UBND."
    with pytest.raises(InvalidInput):
        await tickets.submit(SubmitTicket(Kind.KHIEU_NAI, text, citizen_id=citizen_id))
    identity = Identity(name="Trần Thị B", phone="0905000111", address="Hòa Vang")
    with pytest.raises(InvalidInput):
        await tickets.submit(
            SubmitTicket(
                Kind.KHIEU_NAI, text, citizen_id=citizen_id, identity=identity, consent=False
            )
        )
    ticket = await tickets.submit(
        SubmitTicket(Kind.KHIEU_NAI, text, citizen_id=citizen_id, identity=identity, consent=True)
    )
    assert ticket.petitioner_name == "Trần Thị B" and not ticket.anonymous


async def test_anonymous_to_cao_is_a_report_to_check(
    deps: Deps, tickets: TicketService, citizen_id: int
) -> None:
    ticket = await tickets.submit(
        SubmitTicket(
            Kind.TO_CAO,
            "Cán bộ địa chính phường nhận tiền để làm nhanh sổ đỏ.",
            citizen_id=citizen_id,
        )
    )
    assert ticket.report_only and ticket.unit_id == "thanh-tra"
    card = (await outbox_rows(deps))[0]["text"]
    assert "Tố cáo nặc danh" in card and "được giữ bí mật" in card


async def test_to_cao_card_never_names_the_denouncer(
    deps: Deps, tickets: TicketService, citizen_id: int
) -> None:
    identity = Identity(name="Lê Văn Cường", phone="0911222333", address="45 Hùng Vương")
    await tickets.submit(
        SubmitTicket(
            Kind.TO_CAO,
            "Chủ tịch xã nhận hối lộ trong việc cấp phép xây dựng.",
            citizen_id=citizen_id,
            identity=identity,
            consent=True,
        )
    )
    card = (await outbox_rows(deps))[0]["text"]
    for secret in ("Lê Văn Cường", "0911222333", "45 Hùng Vương", "5550001"):
        assert secret not in card
    assert "Người tố cáo: được giữ bí mật" in card


async def test_description_limits(tickets: TicketService, citizen_id: int) -> None:
    with pytest.raises(InvalidInput) as short:
        await tickets.submit(SubmitTicket(Kind.PHAN_ANH, "ổ gà", citizen_id=citizen_id))
    assert short.value.args_for_message["min"] == 10
    with pytest.raises(InvalidInput):
        await tickets.submit(SubmitTicket(Kind.PHAN_ANH, "x" * 4001, citizen_id=citizen_id))
    ok = await tickets.submit(SubmitTicket(Kind.PHAN_ANH, "x" * 4000, citizen_id=citizen_id))
    assert len(ok.description) == 4000


async def test_attachments_are_kept(tickets: TicketService, citizen_id: int, deps: Deps) -> None:
    photos = [Attachment(kind="photo", channel="telegram", file_id=f"F{i}") for i in range(5)]
    ticket = await tickets.submit(
        SubmitTicket(Kind.PHAN_ANH, POTHOLE, citizen_id=citizen_id, attachments=photos)
    )
    assert [a.file_id for a in (await reload(deps, ticket)).attachments] == [
        f"F{i}" for i in range(5)
    ]
    six = [Attachment(kind="photo", channel="telegram", file_id=f"G{i}") for i in range(6)]
    with pytest.raises(InvalidInput):
        await tickets.submit(
            SubmitTicket(Kind.PHAN_ANH, POTHOLE, citizen_id=citizen_id, attachments=six)
        )


async def test_rate_limit_per_hour(
    tickets: TicketService, citizen_id: int, clock: FixedClock
) -> None:
    for _ in range(5):
        await tickets.submit(SubmitTicket(Kind.PHAN_ANH, POTHOLE, citizen_id=citizen_id))
    with pytest.raises(RateLimited):
        await tickets.submit(SubmitTicket(Kind.PHAN_ANH, POTHOLE, citizen_id=citizen_id))
    clock.advance(timedelta(minutes=61))
    await tickets.submit(SubmitTicket(Kind.PHAN_ANH, POTHOLE, citizen_id=citizen_id))


async def test_confirming_twice_files_one_ticket(tickets: TicketService, citizen_id: int) -> None:
    command = SubmitTicket(Kind.PHAN_ANH, POTHOLE, citizen_id=citizen_id, intake_key="draft-1")
    first = await tickets.submit(command)
    again = await tickets.submit(command)
    assert again.code == first.code == "PA26-00001"


async def test_accept_computes_resolution_and_notifies(
    deps: Deps, tickets: TicketService, pothole: Ticket
) -> None:
    accepted = await tickets.accept(HAI_CHAU_OFFICER, pothole.code)
    assert accepted.status == Status.ACCEPTED and accepted.resolution_due is not None
    rows = await outbox_rows(deps)
    citizen = [r for r in rows if r["chat"] == "5550001"]
    assert len(citizen) == 1 and "đã được UBND Phường Hải Châu thụ lý" in citizen[0]["text"]
    assert [r["purpose"] for r in rows if r["chat"] == "-1001000000006"] == ["card", "card_edit"]


@pytest.mark.parametrize("actor", [STRANGER, THANH_KHE_OFFICER, Actor.citizen(1)])
async def test_outsiders_change_nothing(
    deps: Deps, tickets: TicketService, pothole: Ticket, actor: Actor
) -> None:
    with pytest.raises(NotPermitted):
        await tickets.accept(actor, pothole.code)
    assert (await reload(deps, pothole)).status == Status.SUBMITTED
    assert await events_of(deps, pothole) == [("submit", "draft", "submitted")]


async def test_heads_only_for_transfer_reject_extend(
    tickets: TicketService, pothole: Ticket
) -> None:
    with pytest.raises(NotPermitted):
        await tickets.transfer(HAI_CHAU_OFFICER, pothole.code, "so-xay-dung")
    with pytest.raises(NotPermitted):
        await tickets.reject(HAI_CHAU_OFFICER, pothole.code, "Không thuộc thẩm quyền")
    with pytest.raises(NotPermitted):
        await tickets.extend(HAI_CHAU_OFFICER, pothole.code, "Cần xác minh")


async def test_transfer_moves_ticket_to_new_unit(
    deps: Deps, tickets: TicketService, pothole: Ticket
) -> None:
    moved = await tickets.transfer(HAI_CHAU_HEAD, pothole.code, "so-xay-dung", "Thuộc Sở")
    assert moved.unit_id == "so-xay-dung" and moved.status == Status.SUBMITTED
    assert await events_of(deps, pothole) == [
        ("submit", "draft", "submitted"),
        ("transfer", "submitted", "transferred"),
        ("transfer_in", "transferred", "submitted"),
    ]
    rows = await outbox_rows(deps)
    assert ("-1001000000004", "card") in [(r["chat"], r["purpose"]) for r in rows]
    assert any("Sở Xây dựng" in r["text"] for r in rows if r["chat"] == "5550001")
    with pytest.raises(NotPermitted):  # the old unit has no hold on it any more
        await tickets.accept(HAI_CHAU_OFFICER, pothole.code)
    await tickets.accept(Actor.staff(200032), pothole.code)


async def test_to_cao_is_forwarded_once(tickets: TicketService, citizen_id: int) -> None:
    ticket = await tickets.submit(
        SubmitTicket(
            Kind.TO_CAO, "Cán bộ thu tiền trái phép khi làm giấy tờ.", citizen_id=citizen_id
        )
    )
    await tickets.transfer(INSPECTOR_HEAD, ticket.code, "cong-an")
    with pytest.raises(InvalidInput):
        await tickets.transfer(Actor.staff(200041), ticket.code, "thanh-tra")


async def test_guide_and_reject_are_final(
    tickets: TicketService, citizen_id: int, deps: Deps
) -> None:
    one = await tickets.submit(
        SubmitTicket(Kind.KIEN_NGHI, POTHOLE, citizen_id=citizen_id, commune="hai-chau")
    )
    two = await tickets.submit(
        SubmitTicket(Kind.KIEN_NGHI, POTHOLE, citizen_id=citizen_id, commune="hai-chau")
    )
    guided = await tickets.guide(HAI_CHAU_OFFICER, one.code, "Xin liên hệ Tòa án nhân dân.")
    rejected = await tickets.reject(HAI_CHAU_HEAD, two.code, "Nội dung đã được giải quyết.")
    assert (guided.status, rejected.status) == (Status.GUIDED, Status.REJECTED)
    for code in (one.code, two.code):
        with pytest.raises(IllegalTransition):
            await tickets.accept(HAI_CHAU_OFFICER, code)
    with pytest.raises(InvalidInput):
        await tickets.guide(HAI_CHAU_OFFICER, one.code, "   ")


async def test_full_cycle_with_information_request(
    deps: Deps, tickets: TicketService, pothole: Ticket, citizen_id: int, clock: FixedClock
) -> None:
    owner = Actor.citizen(citizen_id)
    await tickets.accept(HAI_CHAU_OFFICER, pothole.code)
    await tickets.request_info(HAI_CHAU_OFFICER, pothole.code, "Ổ gà nằm ở làn nào?")
    with pytest.raises(TicketNotFound):
        await tickets.provide_info(Actor.citizen(citizen_id + 1000), pothole.code, "làn trái")
    back = await tickets.provide_info(owner, pothole.code, "Làn bên phải, gần cột điện.")
    assert back.status == Status.ACCEPTED
    await tickets.reply(HAI_CHAU_OFFICER, pothole.code, "Đội duy tu sẽ đến trong tuần.")
    await tickets.add_note(HAI_CHAU_OFFICER, pothole.code, "Giao anh Tâm đội 2.")
    resolved = await tickets.resolve(HAI_CHAU_OFFICER, pothole.code, "Đã vá ổ gà ngày 18/11.")
    assert resolved.status == Status.RESOLVED
    rated = await tickets.rate(owner, pothole.code, 5, "Cảm ơn")
    assert rated.status == Status.CLOSED and rated.rating == 5
    citizen_texts = [r["text"] for r in await outbox_rows(deps) if r["chat"] == "5550001"]
    assert not any("anh Tâm" in text for text in citizen_texts)  # notes stay internal
    assert any("Đội duy tu" in text and "UBND Phường Hải Châu" in text for text in citizen_texts)
    actions = [a for a, _, _ in await events_of(deps, pothole)]
    assert actions == [
        "submit",
        "accept",
        "request_info",
        "provide_info",
        "reply",
        "note",
        "resolve",
        "rate",
    ]


async def test_reopen_within_seven_days_only(
    tickets: TicketService, citizen_id: int, clock: FixedClock
) -> None:
    owner = Actor.citizen(citizen_id)
    tickets_ = []
    for _ in range(2):
        ticket = await tickets.submit(
            SubmitTicket(Kind.PHAN_ANH, POTHOLE, citizen_id=citizen_id, commune="hai-chau")
        )
        await tickets.accept(HAI_CHAU_OFFICER, ticket.code)
        await tickets.resolve(HAI_CHAU_OFFICER, ticket.code, "Đã xử lý.")
        tickets_.append(ticket)
    clock.advance(timedelta(days=6))
    reopened = await tickets.reopen(owner, tickets_[0].code, "Vẫn còn ổ gà")
    assert reopened.status == Status.ACCEPTED
    clock.advance(timedelta(days=2))
    with pytest.raises(InvalidInput):
        await tickets.reopen(owner, tickets_[1].code, "Vẫn còn")
    closed = await tickets.close(Actor.system(), tickets_[1].code)
    assert closed.status == Status.CLOSED


async def test_close_waits_for_the_reopen_window(tickets: TicketService, pothole: Ticket) -> None:
    await tickets.accept(HAI_CHAU_OFFICER, pothole.code)
    await tickets.resolve(HAI_CHAU_OFFICER, pothole.code, "Đã xử lý.")
    with pytest.raises(InvalidInput):
        await tickets.close(Actor.system(), pothole.code)


async def test_extension_where_the_law_allows(
    deps: Deps, tickets: TicketService, citizen_id: int, pothole: Ticket
) -> None:
    with pytest.raises(ExtensionNotAllowed):
        await tickets.extend(HAI_CHAU_HEAD, pothole.code, "Cần thêm thời gian")
    denunciation = await tickets.submit(
        SubmitTicket(
            Kind.TO_CAO, "Cán bộ thu tiền trái phép khi làm giấy tờ.", citizen_id=citizen_id
        )
    )
    before = denunciation.decision_due
    extended = await tickets.extend(INSPECTOR_HEAD, denunciation.code, "Xác minh nhiều nơi")
    assert extended.decision_due is not None and before is not None
    assert extended.decision_due > before
    with pytest.raises(ExtensionNotAllowed):
        await tickets.extend(INSPECTOR_HEAD, denunciation.code, "Lần nữa")
    async with deps.uow() as uow:
        events = await uow.events.of_ticket(denunciation.id)
    extend_event = next(e for e in events if e.action == "extend")
    assert extend_event.data["old_due"] != extend_event.data["new_due"]


async def test_illegal_steps_change_nothing(
    deps: Deps, tickets: TicketService, pothole: Ticket
) -> None:
    with pytest.raises(IllegalTransition):
        await tickets.resolve(HAI_CHAU_OFFICER, pothole.code, "Xong")
    with pytest.raises(IllegalTransition):
        await tickets.request_info(HAI_CHAU_OFFICER, pothole.code, "?")
    fresh = await reload(deps, pothole)
    assert fresh.status == Status.SUBMITTED and fresh.public_answer is None
    assert len(await outbox_rows(deps)) == 1


async def test_citizen_sees_only_their_own(
    tickets: TicketService, pothole: Ticket, citizen_id: int
) -> None:
    ticket, _ = await tickets.for_citizen(Actor.citizen(citizen_id), pothole.code.lower())
    assert ticket.code == pothole.code
    with pytest.raises(TicketNotFound):
        await tickets.for_citizen(Actor.citizen(citizen_id + 1), pothole.code)
    with pytest.raises(TicketNotFound):
        await tickets.for_citizen(Actor.citizen(citizen_id), "PA26-99999")


async def test_identity_view_is_audited(
    deps: Deps, tickets: TicketService, citizen_id: int
) -> None:
    identity = Identity(name="Lê Văn Cường", phone="0911222333", address="45 Hùng Vương")
    ticket = await tickets.submit(
        SubmitTicket(
            Kind.TO_CAO,
            "Chủ tịch xã nhận hối lộ khi cấp phép xây dựng.",
            citizen_id=citizen_id,
            identity=identity,
            consent=True,
        )
    )
    with pytest.raises(NotPermitted):
        await tickets.view_identity(Actor.staff(200012), ticket.code)
    seen = await tickets.view_identity(INSPECTOR_HEAD, ticket.code)
    assert seen.petitioner_name == "Lê Văn Cường"
    assert ("identity_viewed", None, None) in await events_of(deps, ticket)


async def test_admin_acts_everywhere(tickets: TicketService, pothole: Ticket) -> None:
    assert (await tickets.transfer(ADMIN, pothole.code, "cong-an")).unit_id == "cong-an"


async def test_offline_petition_needs_an_officer(
    tickets: TicketService, clock: FixedClock
) -> None:
    command = SubmitTicket(
        Kind.KIEN_NGHI,
        "Đề nghị lắp đèn đường ở kiệt 45.",
        origin=Origin.PAPER,
        identity=Identity(name="Phạm D", phone="0905999888"),
        received_at=clock.now() - timedelta(days=2),
        commune="son-tra",
    )
    with pytest.raises(NotPermitted):
        await tickets.submit(command)
    ticket = await tickets.submit(command, recorded_by=Actor.staff(200071))
    assert ticket.origin == Origin.PAPER and ticket.received_at == clock.now() - timedelta(days=2)


async def test_concurrent_accepts_one_wins(
    tickets: TicketService, pothole: Ticket, deps: Deps
) -> None:
    results = await asyncio.gather(
        tickets.accept(HAI_CHAU_OFFICER, pothole.code),
        tickets.accept(HAI_CHAU_HEAD, pothole.code),
        return_exceptions=True,
    )
    wins = [r for r in results if isinstance(r, Ticket)]
    losses = [r for r in results if isinstance(r, IllegalTransition | ConcurrentUpdate)]
    assert len(wins) == 1 and len(losses) == 1
    assert [a for a, _, _ in await events_of(deps, pothole)] == ["submit", "accept"]
