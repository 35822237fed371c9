"""The Zalo adapter in pieces: parsing updates, rendering messages, mapping the platform's
errors, and the polling loop's promise never to drop a handed-out update."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.channels.zalo import ZaloApi, ZaloChannel, ZaloSender
from bot.channels.zalo.sender import TEXT_LIMIT, render_text, split_text
from bot.channels.zalo.updates import event_from_update, unwrap
from bot.domain.messages import Choice, OutgoingAttachment, OutgoingMessage, Reply
from bot.i18n import Translator
from bot.services.sending import (
    Destination,
    PermanentFailure,
    RetryLater,
    TransientFailure,
    Unreachable,
)
from handlers.events import ChatKind, IncomingEvent
from tests.fakes.zalo_server import FakeZaloServer

# -- updates ---------------------------------------------------------------------------------


def update(event_name: str | None, **content: Any) -> dict[str, Any]:
    message = {
        "from": {"id": "u1", "display_name": "Lan", "is_bot": False},
        "chat": {"id": "c1", "chat_type": "PRIVATE"},
        "message_id": "16f6366b3f02645a3d15",
        "date": 1766619597466,
        **content,
    }
    body: dict[str, Any] = {"message": message}
    if event_name is not None:
        body["event_name"] = event_name
    return body


def test_a_text_message() -> None:
    event = event_from_update(update("message.text.received", text="Xin chào"))
    assert event is not None
    assert (event.channel, event.chat_id, event.sender.id) == ("zalo", "c1", "u1")
    assert (event.text, event.update_id, event.chat_kind) == (
        "Xin chào",
        "16f6366b3f02645a3d15",
        ChatKind.PRIVATE,
    )
    assert event.sender.display_name == "Lan" and not event.unsupported


def test_an_image_is_a_photo_attachment_with_its_url() -> None:
    url = "https://photo-stal-1.zdn.vn/a.jpg"
    event = event_from_update(
        update("message.image.received", photo_url=url, caption="Ổ gà trước nhà")
    )
    assert event is not None
    assert event.text == "Ổ gà trước nhà"
    [attachment] = event.attachments
    assert (attachment.kind, attachment.file_id) == ("photo", url)


def test_an_image_without_caption_has_no_text() -> None:
    event = event_from_update(update("message.image.received", photo_url="https://e.org/a"))
    assert event is not None and event.text is None and len(event.attachments) == 1


@pytest.mark.parametrize(
    "body",
    [
        update("message.sticker.received", sticker="0e078a2fb66a5f34067b"),
        update("message.unsupported.received"),
        update("message.image.received"),  # no photo_url: nothing to keep
        update("message.something.new"),
    ],
)
def test_what_arrives_without_content_is_unsupported(body: dict[str, Any]) -> None:
    event = event_from_update(body)
    assert event is not None and event.unsupported and event.text is None


def test_the_documented_sample_without_event_name_is_text() -> None:
    event = event_from_update(update(None, text="Xin chào"))
    assert event is not None and event.text == "Xin chào"


def test_a_bot_and_a_message_without_chat_are_ignored() -> None:
    bot = update("message.text.received", text="x")
    bot["message"]["from"]["is_bot"] = True
    assert event_from_update(bot) is None
    assert event_from_update({"event_name": "message.text.received"}) is None
    assert event_from_update({"message": {"text": "x"}}) is None


def test_webhook_bodies_flat_or_wrapped() -> None:
    flat = update("message.text.received", text="x")
    assert unwrap(flat) == flat
    assert unwrap({"ok": True, "result": flat}) == flat
    assert unwrap({"ok": True}) is None
    assert unwrap(["not", "a", "dict"]) is None


def test_a_group_chat() -> None:
    body = update("message.text.received", text="x")
    body["message"]["chat"]["chat_type"] = "GROUP"
    event = event_from_update(body)
    assert event is not None and event.chat_kind is ChatKind.GROUP


# -- rendering -------------------------------------------------------------------------------


def test_choices_become_a_numbered_list_in_the_same_message() -> None:
    message = OutgoingMessage(
        text="<b>Bước 2/7</b>\nChọn lĩnh vực &amp; nơi xảy ra:",
        choices=(
            (Choice("Hạ tầng, giao thông", "i:a:category:ha-tang"), Choice("Môi trường", "x")),
            (Choice("⬅️ Quay lại", "back"), Choice("✖️ Hủy", "cancel")),
        ),
    )
    assert render_text(message) == (
        "Bước 2/7\nChọn lĩnh vực & nơi xảy ra:\n\n"
        "1. Hạ tầng, giao thông\n2. Môi trường\n3. ⬅️ Quay lại\n4. ✖️ Hủy"
    )


def test_keyboard_hints_are_dropped() -> None:
    message = OutgoingMessage(
        text="Số điện thoại của bạn?",
        request_contact="📱 Gửi số điện thoại",
        force_reply=True,
        remove_keyboard=True,
    )
    assert render_text(message) == "Số điện thoại của bạn?"


def test_split_prefers_paragraphs_and_keeps_everything() -> None:
    paragraph = ("Nước ngập sâu nửa mét. " * 40).strip()  # about 900 characters
    text = "\n\n".join([paragraph] * 5)
    pieces = split_text(text)
    assert len(pieces) == 3
    assert all(len(piece) <= TEXT_LIMIT for piece in pieces)
    assert all(piece.startswith("Nước") and piece.endswith("mét.") for piece in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


def test_split_cuts_a_text_without_spaces() -> None:
    pieces = split_text("a" * 4500)
    assert [len(p) for p in pieces] == [2000, 2000, 500]


def test_split_short_and_empty() -> None:
    assert split_text("  xin chào  ") == ["xin chào"]
    assert split_text("   ") == []


# -- the sender against the fake platform ----------------------------------------------------


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZaloServer]:
    async with FakeZaloServer() as server:
        yield server


@pytest.fixture
async def api(zalo: FakeZaloServer) -> AsyncIterator[ZaloApi]:
    client = ZaloApi(zalo.token, zalo.url, request_timeout=5)
    yield client
    await client.close()


async def test_a_long_message_is_split_never_refused(zalo: FakeZaloServer, api: ZaloApi) -> None:
    lan = zalo.add_user("Lan")
    text = "\n".join(f"Dòng {i}: " + "chi tiết " * 20 for i in range(40))  # ~7,000 chars
    choices = ((Choice("✅ Gửi", "ok"),),)
    sent = await ZaloSender(api).send(Destination(lan.id), OutgoingMessage(text, choices))
    messages = zalo.messages_in(lan)
    assert len(messages) == 4 and sent.message_id == messages[0]["message_id"]
    assert messages[-1]["text"].endswith("\n\n1. ✅ Gửi")
    assert zalo.validation_errors == []


async def test_photos_go_by_url_other_files_are_skipped(
    zalo: FakeZaloServer, api: ZaloApi, caplog: pytest.LogCaptureFixture
) -> None:
    lan = zalo.add_user("Lan")
    message = OutgoingMessage(
        text="Ảnh hiện trường:",
        attachments=(
            OutgoingAttachment("photo", "zalo", "https://e.org/a.jpg", caption="<b>Trước</b>"),
            OutgoingAttachment("photo", "telegram", "AgACAgQAAxkBAAIB"),
            OutgoingAttachment("document", "telegram", "BQACAgQAAxkBAAIC"),
            OutgoingAttachment("photo", "inline", "chart.png", data="iVBORw0KGgo="),
        ),
    )
    with caplog.at_level(logging.INFO, logger="nghedan.zalo"):
        await ZaloSender(api).send(Destination(lan.id), message)
    kinds = [(m["type"], m["photo"], m["caption"]) for m in zalo.messages_in(lan)]
    assert kinds == [("text", None, None), ("photo", "https://e.org/a.jpg", "Trước")]
    assert sum("skipped" in r.message for r in caplog.records) == 3
    assert zalo.validation_errors == []


async def test_a_message_with_nothing_to_show_is_permanent(
    zalo: FakeZaloServer, api: ZaloApi
) -> None:
    lan = zalo.add_user("Lan")
    only_telegram = OutgoingMessage(
        text=" ", attachments=(OutgoingAttachment("voice", "telegram", "AwACAgQ"),)
    )
    with pytest.raises(PermanentFailure):
        await ZaloSender(api).send(Destination(lan.id), only_telegram)


@pytest.mark.parametrize(
    ("error_code", "description", "expected"),
    [
        (429, "Too Many Requests: retry after 7", RetryLater),
        (500, "Internal Server Error", TransientFailure),
        (502, "Bad Gateway", TransientFailure),
        (401, "Unauthorized", TransientFailure),
        (400, "Bad Request: something", PermanentFailure),
    ],
)
async def test_platform_errors_map_to_the_sending_port(
    zalo: FakeZaloServer,
    api: ZaloApi,
    error_code: int,
    description: str,
    expected: type[Exception],
) -> None:
    lan = zalo.add_user("Lan")
    zalo.fail_next("sendMessage", error_code=error_code, description=description)
    with pytest.raises(expected) as raised:
        await ZaloSender(api).send(Destination(lan.id), OutgoingMessage("Chào"))
    if isinstance(raised.value, RetryLater):
        assert raised.value.seconds == 7


async def test_blocked_and_unknown_users_are_unreachable(
    zalo: FakeZaloServer, api: ZaloApi
) -> None:
    lan = zalo.add_user("Lan")
    zalo.block_user(lan)
    sender = ZaloSender(api)
    with pytest.raises(Unreachable):
        await sender.send(Destination(lan.id), OutgoingMessage("Chào"))
    with pytest.raises(Unreachable):
        await sender.send(Destination("0000"), OutgoingMessage("Chào"))


async def test_no_server_is_transient() -> None:
    api = ZaloApi("1:x", "http://127.0.0.1:9", request_timeout=2)
    try:
        with pytest.raises(TransientFailure):
            await ZaloSender(api).send(Destination("c1"), OutgoingMessage("Chào"))
    finally:
        await api.close()


# -- the polling loop ------------------------------------------------------------------------


class StubCore:
    """Stands in for handlers.dispatcher.Dispatcher: records events, fails or waits on demand."""

    def __init__(self, *, failures: int = 0, delay: float = 0.0) -> None:
        self.events: list[IncomingEvent] = []
        self.failures = failures
        self.delay = delay
        self.calls = 0

    async def handle(self, event: IncomingEvent) -> Reply:
        self.calls += 1
        await asyncio.sleep(self.delay)
        if self.calls <= self.failures:
            raise ConnectionError("database is down")
        self.events.append(event)
        return Reply(messages=[OutgoingMessage(text=f"Đã nhận: {event.text}")])


def channel_for(zalo: FakeZaloServer, core: StubCore) -> ZaloChannel:
    return ZaloChannel(
        token=zalo.token,
        api_url=zalo.url,
        core=core,  # type: ignore[arg-type]
        translator=Translator(),
        polling_timeout=1,
    )


async def test_polling_answers_and_a_quiet_poll_is_not_an_error(
    zalo: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    core = StubCore()
    channel = channel_for(zalo, core)
    lan = zalo.add_user("Lan")
    with caplog.at_level(logging.WARNING, logger="nghedan.zalo"):
        await channel.start()
        try:
            await asyncio.sleep(1.3)  # one getUpdates ends in 408
            zalo.send_text(lan, "một")
            await zalo.wait_for_message(lan, lambda m: m["text"] == "Đã nhận: một")
        finally:
            await channel.stop()
    assert any(r.response.get("error_code") == 408 for r in zalo.calls("getUpdates"))
    assert caplog.records == []
    assert zalo.calls("deleteWebhook") and zalo.validation_errors == []


async def test_when_the_core_keeps_failing_the_citizen_is_asked_to_resend(
    zalo: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    core = StubCore(failures=3)
    channel = channel_for(zalo, core)
    lan = zalo.add_user("Lan")
    await channel.start()
    try:
        update = zalo.send_text(lan, "Cống bị tắc")
        apology = await zalo.wait_for_message(lan)
    finally:
        await channel.stop()
    assert apology["text"] == Translator()(None, "error-generic")
    assert core.calls == 3
    message_id = update["message"]["message_id"]
    assert any(message_id in r.getMessage() for r in caplog.records if r.levelname == "ERROR")
    assert all(lan.id not in r.getMessage() for r in caplog.records)  # no account in logs


async def test_a_passing_failure_is_retried_without_the_citizen_noticing(
    zalo: FakeZaloServer,
) -> None:
    core = StubCore(failures=1)
    channel = channel_for(zalo, core)
    lan = zalo.add_user("Lan")
    await channel.start()
    try:
        zalo.send_text(lan, "hai")
        reply = await zalo.wait_for_message(lan)
    finally:
        await channel.stop()
    assert reply["text"] == "Đã nhận: hai"


async def test_stopping_finishes_the_update_in_hand(zalo: FakeZaloServer) -> None:
    core = StubCore(delay=0.5)
    channel = channel_for(zalo, core)
    lan = zalo.add_user("Lan")
    await channel.start()
    zalo.send_text(lan, "ba")
    await zalo.wait_for(lambda: zalo.delivered_updates, description="the update handed out")
    await channel.stop()
    assert [e.text for e in core.events] == ["ba"]
    assert [m["text"] for m in zalo.messages_in(lan)] == ["Đã nhận: ba"]


async def test_order_is_kept_within_a_chat(zalo: FakeZaloServer) -> None:
    core = StubCore(delay=0.05)
    channel = channel_for(zalo, core)
    lan = zalo.add_user("Lan")
    await channel.start()
    try:
        for word in ("một", "hai", "ba", "bốn"):
            zalo.send_text(lan, word)
        await zalo.wait_for(lambda: len(zalo.messages_in(lan)) == 4, description="4 replies")
    finally:
        await channel.stop()
    assert [e.text for e in core.events] == ["một", "hai", "ba", "bốn"]
