"""A citizen on Zalo: the whole product against the fake Zalo Bot Platform, over real HTTP,
by long polling and by webhook (the product's own web server on a free port)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any

import aiohttp
import pytest

from bot.app import Application, ComponentFactory, create_application
from bot.channels.zalo.component import zalo_component
from bot.config import AppConfig, Settings
from bot.domain.clock import FixedClock
from bot.domain.messages import OutgoingMessage
from bot.domain.model import OutboxMessage
from bot.services.context import Actor
from bot.services.sending import Destination
from bot.services.tickets import TicketService
from tests.fakes.zalo_server import SECRET_HEADER, FakeZaloServer, ZaloUser

SECRET = "zalo-webhook-secret-1"
WEBHOOK_PATH = "/zalo/webhook"
PHOTO = "https://photo-stal-1.zdn.vn/o-ga-le-duan.jpg"


def has(text: str) -> Callable[[dict[str, Any]], bool]:
    return lambda message: text in (message.get("text") or message.get("caption") or "")


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZaloServer]:
    async with FakeZaloServer() as server:
        yield server
        # Every scenario ends with the fake having seen only valid Zalo Bot API requests.
        assert server.validation_errors == []


@pytest.fixture(params=["polling", "webhook"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def product(
    zalo: FakeZaloServer,
    mode: str,
    database_url: str,
    engine: object,  # cleans PostgreSQL between tests
    app_config: AppConfig,
    clock: FixedClock,
) -> AsyncIterator[Application]:
    values: dict[str, Any] = {
        "zalo_bot_token": zalo.token,
        "zalo_api_url": zalo.url,
        "database_url": database_url,
        "web_enabled": False,
        "web_port": 0,
    }
    factories: list[ComponentFactory] = []
    if mode == "webhook":
        from bot.web import web_component

        # Port 0 in the webhook URL: the port the product's web server gets at start.
        values.update(
            web_enabled=True,
            zalo_webhook_url=f"http://127.0.0.1:0{WEBHOOK_PATH}",
            zalo_webhook_secret=SECRET,
        )
        factories.append(web_component)
    factories.append(partial(zalo_component, polling_timeout=1))
    settings = Settings(**values)
    app = await create_application(settings, app_config, clock=clock, factories=factories)
    try:
        await app.start()
        if mode == "webhook":
            assert app.web is not None
            assert zalo.webhook_url() == f"{app.web.url}{WEBHOOK_PATH}"
            assert zalo.webhook_secret() == SECRET
        yield app
    finally:
        await app.stop()
    if mode == "webhook":
        assert zalo.delivered_updates == []
        assert all(d["error"] is None for d in zalo.webhook_deliveries)
    else:
        assert zalo.webhook_deliveries == []
    assert zalo.pending_updates() == []  # nothing left behind


async def file_phan_anh(zalo: FakeZaloServer, lan: ZaloUser) -> dict[str, Any]:
    """The whole intake, typing numbers and labels; returns the confirmation message."""
    zalo.send_text(lan, "/start")
    menu = await zalo.wait_for_message(lan, has("Bạn muốn làm gì"))
    assert "Nghe dân nói" in menu["text"]  # the greeting travels with the menu
    assert "\n1. 📣 Gửi phản ánh\n2. 💡 Gửi kiến nghị\n" in menu["text"]
    zalo.send_text(lan, "1")
    step = await zalo.wait_for_message(lan, has("Bước 2/7"))
    assert "từng bước" in step["text"]  # the introduction opens the first question
    assert "\n1. Hạ tầng, giao thông\n" in step["text"]
    zalo.send_text(lan, "hạ tầng, giao thông")  # the label, as typed on a phone
    step = await zalo.wait_for_message(lan, has("Bước 3/7"))
    assert "\n1. Phường Hải Châu\n" in step["text"]
    zalo.send_text(lan, "1")
    await zalo.wait_for_message(lan, has("Bước 4/7"))
    zalo.send_text(lan, "Đường Lê Duẩn có ổ gà lớn, xe máy dễ ngã <nguy hiểm> & tối.")
    await zalo.wait_for_message(lan, has("Bước 5/7"))
    zalo.send_image(lan, PHOTO, caption="Ổ gà trước số 12")
    await zalo.wait_for_message(lan, has("Đã nhận ảnh (1/"))
    step = await zalo.wait_for_message(lan, has("Bước 5/7"))
    assert "\n1. ✅ Xong\n" in step["text"]
    zalo.send_text(lan, "1")
    step = await zalo.wait_for_message(lan, has("Bước 6/7"))
    zalo.send_text(lan, "Gửi ẩn danh")
    summary = await zalo.wait_for_message(lan, has("Bước 7/7"))
    # Plain text: no tags, and what the citizen typed comes back as typed.
    assert "<b>" not in summary["text"] and "&lt;" not in summary["text"]
    assert "<nguy hiểm> & tối" in summary["text"]
    assert "\n1. ✅ Gửi\n" in summary["text"]
    zalo.send_text(lan, "1")
    return await zalo.wait_for_message(lan, has("PA26-00001"))


async def test_file_a_phan_anh_with_a_photo_then_look_it_up(
    zalo: FakeZaloServer, product: Application
) -> None:
    lan = zalo.add_user("Lan")
    done = await file_phan_anh(zalo, lan)
    assert "UBND Phường Hải Châu" in done["text"] and "01/12/2026" in done["text"]

    async with product.deps.uow() as uow:
        ticket = await uow.tickets.by_code("PA26-00001")
    assert ticket is not None and ticket.channel == "zalo"
    [photo] = ticket.attachments
    assert (photo.kind, photo.channel, photo.file_id) == ("photo", "zalo", PHOTO)

    zalo.send_text(lan, "PA26-00001")
    lookup = await zalo.wait_for_message(lan, has("📋 PA26-00001"))
    assert "UBND Phường Hải Châu" in lookup["text"]
    assert "\n1. " in lookup["text"]  # "send more", as a number to type


async def test_a_too_long_description_is_refused_not_cut(
    zalo: FakeZaloServer, product: Application
) -> None:
    lan = zalo.add_user("Lan")
    zalo.send_text(lan, "/start pa")
    await zalo.wait_for_message(lan, has("Bước 2/7"))
    zalo.send_text(lan, "1")
    await zalo.wait_for_message(lan, has("Bước 3/7"))
    zalo.send_text(lan, "1")
    await zalo.wait_for_message(lan, has("Bước 4/7"))
    limit = product.deps.limits.description_max
    zalo.send_text(lan, "ổ gà " * (limit // 5 + 1))
    refused = await zalo.wait_for_message(lan, has("vượt quá giới hạn"))
    assert f"{limit}" in refused["text"].replace(".", "")
    zalo.send_text(lan, "Cống thoát nước bị tắc, nước tràn ra đường.")
    await zalo.wait_for_message(lan, has("Bước 5/7"))


async def test_stickers_and_files_are_answered_in_words(
    zalo: FakeZaloServer, product: Application
) -> None:
    lan = zalo.add_user("Lan")
    zalo.send_sticker(lan)
    await zalo.wait_for_message(lan, has("chưa đọc được loại tin này"))
    await zalo.wait_for_message(lan, has("Bạn muốn làm gì"))
    zalo.send_unsupported(lan)
    await zalo.wait_for_message(lan, has("chưa đọc được loại tin này"))


async def answer_the_ticket(product: Application, lan: ZaloUser) -> list[OutboxMessage]:
    """The unit accepts and resolves PA26-00001; the rows queued for the citizen."""
    tickets = TicketService(product.deps)
    async with product.deps.uow() as uow:
        ticket = await uow.tickets.by_code("PA26-00001")
    assert ticket is not None
    officer = min(product.deps.directory.unit(ticket.unit_id).officers)
    await tickets.accept(Actor.staff(officer), "PA26-00001")
    await tickets.resolve(Actor.staff(officer), "PA26-00001", "Đã vá ổ gà <ngày 17/11>.")
    async with product.deps.uow() as uow:
        rows = await uow.outbox.pending(now=product.deps.clock.now(), limit=100)
    mine = [row for row in rows if row.channel == "zalo"]
    assert len(mine) == 2 and all(row.chat_id == lan.id for row in mine)
    return mine


async def assert_the_citizen_was_told(zalo: FakeZaloServer, lan: ZaloUser) -> None:
    accepted = await zalo.wait_for_message(lan, has("thụ lý"))
    assert "<b>" not in accepted["text"] and "PA26-00001" in accepted["text"]
    resolved = await zalo.wait_for_message(lan, has("Đã vá ổ gà <ngày 17/11>."))
    assert "\n1. " in resolved["text"]  # the rating choices, numbered


async def test_queued_notifications_render_on_zalo(
    zalo: FakeZaloServer, product: Application
) -> None:
    lan = zalo.add_user("Lan")
    await file_phan_anh(zalo, lan)
    rows = await answer_the_ticket(product, lan)
    # What the delivery worker does with each row: the channel's registered sender.
    sender = product.senders["zalo"]
    for row in rows:
        await sender.send(Destination(row.chat_id), OutgoingMessage.from_dict(row.payload))
    await assert_the_citizen_was_told(zalo, lan)


async def test_the_delivery_worker_sends_notifications_to_zalo(
    zalo: FakeZaloServer, product: Application
) -> None:
    delivery = pytest.importorskip("bot.delivery")  # written in parallel
    lan = zalo.add_user("Lan")
    await file_phan_anh(zalo, lan)
    rows = await answer_the_ticket(product, lan)
    worker = delivery.DeliveryWorker(
        engine=product.engine, deps=product.deps, senders=product.senders, poll_interval=0.05
    )
    await worker.start()
    try:
        await assert_the_citizen_was_told(zalo, lan)
        ids = {row.id for row in rows}
        for _ in range(100):
            async with product.deps.uow() as uow:
                pending = await uow.outbox.pending(now=product.deps.clock.now(), limit=100)
            if not ids & {row.id for row in pending}:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the rows were sent but not marked sent")
    finally:
        await worker.stop()


@pytest.mark.parametrize("mode", ["webhook"], indirect=True)
async def test_webhook_with_a_wrong_or_missing_secret_is_refused(
    zalo: FakeZaloServer, product: Application, mode: str
) -> None:
    assert mode == "webhook"
    assert product.web is not None
    lan = zalo.add_user("Lan")
    update = {
        "event_name": "message.text.received",
        "message": {
            "from": lan.to_dict(),
            "chat": {"id": lan.id, "chat_type": "PRIVATE"},
            "message_id": "0123456789abcdef0123",
            "date": 1763258400000,
            "text": "/start",
        },
    }
    url = f"{product.web.url}{WEBHOOK_PATH}"
    async with aiohttp.ClientSession() as http:
        for headers in ({SECRET_HEADER: "not-the-secret"}, {}, {SECRET_HEADER: SECRET[:-1]}):
            async with http.post(url, json=update, headers=headers) as response:
                assert response.status == 403
    assert zalo.messages_in(lan) == []
    async with product.deps.uow() as uow:
        assert await uow.conversations.load("zalo", lan.id) is None
        assert not await uow.processed.exists("zalo", "0123456789abcdef0123")


@pytest.mark.parametrize("mode", ["webhook"], indirect=True)
async def test_the_documented_wrapped_webhook_body_works_too(
    zalo: FakeZaloServer, product: Application, mode: str
) -> None:
    assert mode == "webhook"
    zalo.webhook_shape = "wrapped"
    lan = zalo.add_user("Lan")
    zalo.send_text(lan, "/start")
    await zalo.wait_for_message(lan, has("Bạn muốn làm gì"))


async def test_typing_a_star_number_after_the_resolution_rates_the_ticket(
    zalo: FakeZaloServer, product: Application
) -> None:
    lan = zalo.add_user("Lan")
    await file_phan_anh(zalo, lan)
    rows = await answer_the_ticket(product, lan)
    sender = product.senders["zalo"]
    for row in rows:
        await sender.send(Destination(row.chat_id), OutgoingMessage.from_dict(row.payload))
    resolved = await zalo.wait_for_message(lan, has("Đã vá ổ gà"))
    assert "\n5. ⭐⭐⭐⭐⭐\n" in resolved["text"]
    await zalo.wait_for_message(lan, has("thụ lý"))
    zalo.send_text(lan, "5")
    await zalo.wait_for_message(lan, has("Cảm ơn bạn đã đánh giá"), timeout=3)
