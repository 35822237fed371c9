"""The python-telegram-bot sender against the fake Bot API: what it sends, how it fails."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.channels.html_text import split_html
from bot.channels.telegram_ptb import PtbSender
from bot.channels.telegram_ptb.channel import make_bot
from bot.domain.messages import Choice, OutgoingAttachment, OutgoingMessage
from bot.services.sending import (
    ChatMigrated,
    Destination,
    EditImpossible,
    NotModified,
    PermanentFailure,
    RetryLater,
    TransientFailure,
    Unreachable,
)
from tests.fakes.conftest import telegram_server  # noqa: F401
from tests.fakes.telegram_server import FakeChat, FakeTelegramServer

PHOTO = b"\x89PNG\r\n\x1a\nfake-chart"


@pytest.fixture
async def bot(telegram_server: FakeTelegramServer) -> AsyncIterator[Bot]:  # noqa: F811
    bot = make_bot(telegram_server.token, telegram_server.url)
    await bot.initialize()
    yield bot
    await bot.shutdown()
    # Whatever the sender did, it was a well-formed Bot API call.
    assert telegram_server.validation_errors == []


@pytest.fixture
def sender(bot: Bot) -> PtbSender:
    return PtbSender(bot)


@pytest.fixture
def chat(telegram_server: FakeTelegramServer) -> FakeChat:  # noqa: F811
    return telegram_server.add_private_chat(telegram_server.add_user("Lan"))


def to(chat: FakeChat, **kwargs: object) -> Destination:
    return Destination(chat_id=str(chat.id), **kwargs)  # type: ignore[arg-type]


async def test_text_in_html_with_inline_choices(
    telegram_server: FakeTelegramServer,  # noqa: F811
    sender: PtbSender,
    chat: FakeChat,
) -> None:
    message = OutgoingMessage(
        text="<b>Bước 2/7</b> &lt;lĩnh vực&gt;",
        choices=((Choice("Hạ tầng", "cat:ha-tang"), Choice("Môi trường", "cat:moi-truong")),),
    )
    sent = await sender.send(to(chat), message)
    shown = telegram_server.last_message(chat.id)
    assert shown is not None
    assert sent.message_id == str(shown["message_id"])
    assert shown["text"] == "Bước 2/7 <lĩnh vực>"
    assert shown["entities"][0]["type"] == "bold"
    keys = shown["reply_markup"]["inline_keyboard"][0]
    assert [(k["text"], k["callback_data"]) for k in keys] == [
        ("Hạ tầng", "cat:ha-tang"),
        ("Môi trường", "cat:moi-truong"),
    ]


async def test_long_text_is_split_with_reply_on_the_first_and_keys_on_the_last(
    telegram_server: FakeTelegramServer,  # noqa: F811
    sender: PtbSender,
    chat: FakeChat,
) -> None:
    asked = telegram_server.send_text(chat.user, chat, "PA26-00001")["message"]  # type: ignore[arg-type]
    text = "\n".join(f"<b>{i}</b> " + "ổ gà " * 40 for i in range(60))
    message = OutgoingMessage(
        text=text, choices=((Choice("OK", "ok"),),), reply_to_message_id=asked["message_id"]
    )
    sent = await sender.send(to(chat), message)
    pieces = telegram_server.messages_in(chat.id)
    assert len(pieces) == len(split_html(text, 4096)) > 1
    assert sent.message_id == str(pieces[0]["message_id"])
    assert pieces[0]["reply_to_message"]["message_id"] == asked["message_id"]
    assert all("reply_to_message" not in p for p in pieces[1:])
    assert ["reply_markup" in p for p in pieces] == [False] * (len(pieces) - 1) + [True]


@pytest.mark.parametrize(
    ("message", "markup"),
    [
        (
            OutgoingMessage(text="Số điện thoại?", request_contact="Gửi số"),
            {
                "keyboard": [[{"text": "Gửi số", "request_contact": True}]],
                "resize_keyboard": True,
                "one_time_keyboard": True,
            },
        ),
        (
            OutgoingMessage(text="Ở đâu?", request_location="Gửi vị trí"),
            {
                "keyboard": [[{"text": "Gửi vị trí", "request_location": True}]],
                "resize_keyboard": True,
                "one_time_keyboard": True,
            },
        ),
        (
            OutgoingMessage(text="Trả lời", force_reply=True),
            {"force_reply": True, "selective": True},
        ),
        (OutgoingMessage(text="Xong", remove_keyboard=True), {"remove_keyboard": True}),
    ],
)
async def test_reply_keyboards(
    telegram_server: FakeTelegramServer,  # noqa: F811
    sender: PtbSender,
    chat: FakeChat,
    message: OutgoingMessage,
    markup: dict[str, object],
) -> None:
    await sender.send(to(chat), message)
    (call,) = telegram_server.calls("sendMessage")
    assert call.params["reply_markup"] == markup


async def test_edits_and_their_failures(
    telegram_server: FakeTelegramServer,  # noqa: F811
    sender: PtbSender,
    chat: FakeChat,
) -> None:
    first = await sender.send(
        to(chat), OutgoingMessage(text="Bước 1", choices=((Choice("A", "a"),),))
    )
    edit = OutgoingMessage(text="<i>Đã chọn</i>", edit_message_id=int(first.message_id))
    assert (await sender.send(to(chat), edit)).message_id == first.message_id
    shown = telegram_server.last_message(chat.id)
    assert shown is not None
    assert shown["text"] == "Đã chọn" and "reply_markup" not in shown
    with pytest.raises(NotModified):
        await sender.send(to(chat), edit)
    with pytest.raises(EditImpossible):
        await sender.send(to(chat), OutgoingMessage(text="x", edit_message_id=999_999))
    theirs = telegram_server.send_text(chat.user, chat, "của tôi")["message"]  # type: ignore[arg-type]
    with pytest.raises(EditImpossible):
        await sender.send(
            to(chat), OutgoingMessage(text="x", edit_message_id=theirs["message_id"])
        )


async def test_attachments_uploaded_by_file_id_and_by_url(
    telegram_server: FakeTelegramServer,  # noqa: F811
    sender: PtbSender,
    chat: FakeChat,
) -> None:
    photo = telegram_server.send_photo(chat.user, chat)["message"]["photo"][-1]["file_id"]  # type: ignore[arg-type]
    chart = OutgoingAttachment(
        kind="photo",
        channel="inline",
        file_id="chart.png",
        caption="<b>Tuần 47</b>",
        data=base64.b64encode(PHOTO).decode(),
    )
    report = OutgoingAttachment(
        kind="document",
        channel="inline",
        file_id="bao-cao.csv",
        data=base64.b64encode(b"a,b").decode(),
    )
    message = OutgoingMessage(
        text="",
        attachments=(
            chart,
            report,
            OutgoingAttachment(kind="photo", channel="telegram", file_id=photo),
            OutgoingAttachment(kind="photo", channel="zalo", file_id="https://example.vn/a.jpg"),
        ),
    )
    sent = await sender.send(to(chat), message)
    photos, documents = telegram_server.calls("sendPhoto"), telegram_server.calls("sendDocument")
    assert len(photos) == 3 and len(documents) == 1
    assert photos[0].params["caption"] == "<b>Tuần 47</b>"
    assert photos[0].params["parse_mode"] == "HTML"
    assert photos[1].params["photo"] == photo
    assert photos[2].params["photo"] == "https://example.vn/a.jpg"
    shown = telegram_server.messages_in(chat.id)
    assert sent.message_id == str(shown[0]["message_id"])
    assert shown[0]["caption"] == "Tuần 47"
    assert shown[1]["document"]["file_name"] == "bao-cao.csv"
    with pytest.raises(PermanentFailure):
        await sender.send(
            to(chat),
            OutgoingMessage(
                text="", attachments=(OutgoingAttachment("photo", "zalo", "zalo-file-1"),)
            ),
        )


async def test_flood_limit_is_retry_later_without_a_deprecation_warning(
    telegram_server: FakeTelegramServer,  # noqa: F811
    sender: PtbSender,
    chat: FakeChat,
) -> None:
    telegram_server.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryLater) as raised:
        await sender.send(to(chat), OutgoingMessage(text="Xin chào"))
    assert raised.value.seconds == 7.0


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_are_transient(
    telegram_server: FakeTelegramServer,  # noqa: F811
    sender: PtbSender,
    chat: FakeChat,
    status: int,
) -> None:
    telegram_server.fail_next("sendMessage", status=status)
    with pytest.raises(TransientFailure):
        await sender.send(to(chat), OutgoingMessage(text="Xin chào"))
    await sender.send(to(chat), OutgoingMessage(text="Xin chào"))  # the next one goes through


async def test_a_timeout_is_transient(
    telegram_server: FakeTelegramServer,  # noqa: F811
    chat: FakeChat,
) -> None:
    impatient = Bot(
        telegram_server.token,
        base_url=f"{telegram_server.url}/bot",
        request=HTTPXRequest(read_timeout=0.2),
    )
    async with impatient:
        telegram_server.hang_next("sendMessage", seconds=2.0)
        with pytest.raises(TransientFailure):
            await PtbSender(impatient).send(to(chat), OutgoingMessage(text="Xin chào"))


async def test_blocked_user_and_unknown_chat_are_unreachable(
    telegram_server: FakeTelegramServer,  # noqa: F811
    sender: PtbSender,
    chat: FakeChat,
) -> None:
    telegram_server.block_chat(chat)
    with pytest.raises(Unreachable):
        await sender.send(to(chat), OutgoingMessage(text="Xin chào"))
    await sender.chat_action(str(chat.id))  # "typing…" to a blocked user is not an error
    with pytest.raises(Unreachable):
        await sender.send(Destination(chat_id="424242"), OutgoingMessage(text="Xin chào"))


async def test_migrated_group_names_its_new_id(
    telegram_server: FakeTelegramServer,  # noqa: F811
    sender: PtbSender,
) -> None:
    group = telegram_server.add_group("UBND Phường 1")
    new_id = telegram_server.migrate_group(group)
    with pytest.raises(ChatMigrated) as raised:
        await sender.send(to(group), OutgoingMessage(text="Đơn mới"))
    assert raised.value.new_chat_id == str(new_id)
    await sender.send(Destination(chat_id=str(new_id)), OutgoingMessage(text="Đơn mới"))


async def test_other_bad_requests_are_permanent(
    telegram_server: FakeTelegramServer,  # noqa: F811
    sender: PtbSender,
    chat: FakeChat,
) -> None:
    telegram_server.fail_next("sendMessage", status=400, description="Bad Request: TOPIC_CLOSED")
    with pytest.raises(PermanentFailure):
        await sender.send(to(chat), OutgoingMessage(text="Xin chào"))
    with pytest.raises(PermanentFailure):
        await sender.send(to(chat), OutgoingMessage(text=" "))


async def test_typing(
    telegram_server: FakeTelegramServer,  # noqa: F811
    sender: PtbSender,
    chat: FakeChat,
) -> None:
    await sender.chat_action(str(chat.id))
    assert [(a["chat_id"], a["action"]) for a in telegram_server.chat_actions] == [
        (chat.id, "typing")
    ]
