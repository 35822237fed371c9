"""The fake Bot API driven by the real clients: aiogram 3 and python-telegram-bot 22."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
import telegram
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
)
from aiohttp import web

from tests.fakes.telegram_server import (
    DEFAULT_TOKEN,
    FakeTelegramServer,
    FloodLimits,
    format_text,
    parse_html,
)

Json = dict[str, Any]


@pytest_asyncio.fixture
async def aiobot(telegram_server: FakeTelegramServer) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(telegram_server.url))
    bot = Bot(DEFAULT_TOKEN, session=session)
    try:
        yield bot
    finally:
        await session.close()


@pytest_asyncio.fixture
async def ptb(telegram_server: FakeTelegramServer) -> AsyncIterator[telegram.Bot]:
    bot = telegram.Bot(
        DEFAULT_TOKEN,
        base_url=f"{telegram_server.url}/bot",
        base_file_url=f"{telegram_server.url}/file/bot",
    )
    async with bot:
        yield bot


async def raw_call(
    server: FakeTelegramServer, method: str, token: str = DEFAULT_TOKEN, **params: Any
) -> tuple[int, Json]:
    """POST a JSON body, as a hand-written client would."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{server.url}/bot{token}/{method}", json=params) as response,
    ):
        return response.status, await response.json()


def keyboard(*data: str) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(text=d.upper(), callback_data=d) for d in data]
    return InlineKeyboardMarkup(inline_keyboard=[buttons])


# --------------------------------------------------------------------------- aiogram


async def test_aiogram_send_edit_and_buttons(telegram_server: FakeTelegramServer, aiobot: Bot):
    user = telegram_server.add_user("Trần Thị Lan")
    chat = telegram_server.add_private_chat(user)

    me = await aiobot.get_me()
    assert me.is_bot and me.username == telegram_server.bot_user["username"]

    sent = await aiobot.send_message(
        chat.id,
        "<b>Đơn số 7</b> của <i>Lan</i> &lt;đã nhận&gt;",
        parse_mode="HTML",
        reply_markup=keyboard("yes", "no"),
    )
    assert sent.text == "Đơn số 7 của Lan <đã nhận>"
    assert [(e.type, e.offset, e.length) for e in sent.entities or []] == [
        ("bold", 0, 8),
        ("italic", 13, 3),
    ]
    stored = await telegram_server.wait_for_message(chat.id)
    assert stored["message_id"] == sent.message_id
    assert stored["reply_markup"]["inline_keyboard"][0][1]["callback_data"] == "no"

    update = telegram_server.press_button(user, stored, "yes")
    updates = await aiobot.get_updates(timeout=1)
    assert [u.update_id for u in updates] == [update["update_id"]]
    query = updates[0].callback_query
    assert query is not None and query.data == "yes"
    assert await aiobot.answer_callback_query(query.id, text="Đã ghi nhận")
    answer = await telegram_server.wait_for_callback_answer(query.id)
    assert answer["text"] == "Đã ghi nhận" and answer["data"] == "yes"

    edited = await aiobot.edit_message_text(
        "Đã xác nhận", chat_id=chat.id, message_id=sent.message_id
    )
    assert not isinstance(edited, bool) and edited.edit_date is not None
    # An edit without reply_markup drops the keyboard, as Telegram does.
    assert "reply_markup" not in telegram_server.last_message(chat.id)  # type: ignore[operator]
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await aiobot.edit_message_text("Đã xác nhận", chat_id=chat.id, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await aiobot.edit_message_text("x", chat_id=chat.id, message_id=999)
    await aiobot.edit_message_reply_markup(
        chat_id=chat.id, message_id=sent.message_id, reply_markup=keyboard("again")
    )
    with pytest.raises(ValueError, match="no button"):
        telegram_server.press_button(user, stored, "yes")
    assert await aiobot.delete_message(chat.id, sent.message_id)
    assert telegram_server.messages_in(chat.id) == []
    assert telegram_server.validation_errors == []


async def test_aiogram_photo_upload_and_download(telegram_server: FakeTelegramServer, aiobot: Bot):
    chat = telegram_server.add_private_chat(telegram_server.add_user())
    photo = await aiobot.send_photo(
        chat.id, BufferedInputFile(b"\xff\xd8jpeg-bytes", "don.jpg"), caption="<b>Ảnh</b>",
        parse_mode="HTML",
    )  # fmt: skip
    assert photo.caption == "Ảnh" and photo.photo
    file = await aiobot.get_file(photo.photo[-1].file_id)
    assert file.file_path is not None
    downloaded = await aiobot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == b"\xff\xd8jpeg-bytes"
    # Resending by file_id is accepted; an unknown file_id is not.
    again = await aiobot.send_photo(chat.id, photo.photo[-1].file_id)
    assert again.photo and again.photo[-1].file_id == photo.photo[-1].file_id
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await aiobot.send_document(chat.id, "no-such-file-id")
    document = await aiobot.send_document(chat.id, BufferedInputFile(b"%PDF", "don.pdf"))
    assert document.document and document.document.file_name == "don.pdf"
    voice = await aiobot.send_voice(chat.id, BufferedInputFile(b"OggS", "v.ogg"), duration=2)
    assert voice.voice and voice.voice.duration == 2
    assert telegram_server.validation_errors == []


async def test_user_media_can_be_fetched_by_the_bot(
    telegram_server: FakeTelegramServer, aiobot: Bot
):
    user = telegram_server.add_user()
    chat = telegram_server.add_private_chat(user)
    telegram_server.send_photo(user, chat, content=b"photo-bytes", caption="ổ gà")
    telegram_server.send_document(user, chat, content=b"doc-bytes", file_name="a.pdf")
    telegram_server.send_voice(user, chat, content=b"voice-bytes", duration=4)
    telegram_server.send_contact(user, chat, phone_number="+84901234567")
    telegram_server.send_location(user, chat, latitude=21.0, longitude=105.8)
    updates = await aiobot.get_updates()
    messages = [u.message for u in updates if u.message]
    assert len(messages) == 5
    photo, document, voice, contact, location = messages
    assert photo.caption == "ổ gà" and photo.photo
    file_ids = [photo.photo[-1].file_id, document.document.file_id, voice.voice.file_id]  # type: ignore[union-attr]
    contents = []
    for file_id in file_ids:
        file = await aiobot.get_file(file_id)
        data = await aiobot.download_file(file.file_path or "")
        contents.append(data.read() if data else b"")
    assert contents == [b"photo-bytes", b"doc-bytes", b"voice-bytes"]
    assert contact.contact and contact.contact.user_id == user.id
    assert location.location and location.location.latitude == 21.0
    assert telegram_server.validation_errors == []


async def test_forum_topics(telegram_server: FakeTelegramServer, aiobot: Bot):
    forum = telegram_server.add_group("Cán bộ phường", forum=True)
    plain = telegram_server.add_group("Nhóm thường", supergroup=True)
    topic = await aiobot.create_forum_topic(forum.id, "Đơn #12 — ổ gà")
    assert topic.message_thread_id > 0
    sent = await aiobot.send_message(
        forum.id, "Chi tiết đơn", message_thread_id=topic.message_thread_id
    )
    assert sent.message_thread_id == topic.message_thread_id and sent.is_topic_message
    reply = telegram_server.send_text(
        telegram_server.add_user(), forum, "Đã nhận", reply_to=sent.message_id
    )
    assert reply["message"]["message_thread_id"] == topic.message_thread_id
    assert await aiobot.edit_forum_topic(forum.id, topic.message_thread_id, name="Đơn #12 (xong)")
    assert await aiobot.close_forum_topic(forum.id, topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="TOPIC_NOT_MODIFIED"):
        await aiobot.close_forum_topic(forum.id, topic.message_thread_id)
    assert await aiobot.reopen_forum_topic(forum.id, topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="not a forum"):
        await aiobot.create_forum_topic(plain.id, "x")
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await aiobot.send_message(forum.id, "x", message_thread_id=999)
    in_topic = telegram_server.messages_in(forum.id, thread_id=topic.message_thread_id)
    assert in_topic[1]["text"] == "Chi tiết đơn"
    assert telegram_server.validation_errors == []


async def test_commands_chat_and_copies(telegram_server: FakeTelegramServer, aiobot: Bot):
    user = telegram_server.add_user()
    chat = telegram_server.add_private_chat(user)
    group = telegram_server.add_group("Tổ dân phố 3", members=[user])
    commands = [BotCommand(command="start", description="Bắt đầu"),
                BotCommand(command="don", description="Gửi đơn")]  # fmt: skip
    assert await aiobot.set_my_commands(commands)
    assert [c.command for c in await aiobot.get_my_commands()] == ["start", "don"]
    assert await aiobot.delete_my_commands()
    assert await aiobot.get_my_commands() == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await aiobot.set_my_commands([BotCommand(command="Bad Command", description="x")])
    telegram_server.validation_errors.clear()

    info = await aiobot.get_chat(group.id)
    assert info.title == "Tổ dân phố 3" and info.type == "group"
    member = await aiobot.get_chat_member(group.id, user.id)
    assert member.status == "member"
    assert await aiobot.send_chat_action(chat.id, "typing")
    assert telegram_server.chat_actions[-1]["action"] == "typing"

    incoming = telegram_server.send_text(user, chat, "Đường bị ngập")["message"]
    forwarded = await aiobot.forward_message(group.id, chat.id, incoming["message_id"])
    assert forwarded.text == "Đường bị ngập" and forwarded.forward_origin is not None
    copied = await aiobot.copy_message(group.id, chat.id, incoming["message_id"])
    assert telegram_server.history(group.id)[-1]["message_id"] == copied.message_id
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await aiobot.copy_message(group.id, chat.id, 777)
    replied = await aiobot.send_message(
        chat.id, "Trả lời", reply_parameters=ReplyParameters(message_id=incoming["message_id"])
    )
    assert replied.reply_to_message and replied.reply_to_message.text == "Đường bị ngập"
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await aiobot.send_message(-5, "x")
    assert telegram_server.validation_errors == []


async def test_responses_fit_the_schema(telegram_server: FakeTelegramServer, aiobot: Bot):
    """The fake's own answers carry every field api.json requires."""
    user = telegram_server.add_user()
    chat = telegram_server.add_private_chat(user)
    forum = telegram_server.add_group("Forum", forum=True)
    await aiobot.send_photo(chat.id, BufferedInputFile(b"p", "p.jpg"))
    await aiobot.send_message(chat.id, "x", reply_markup=keyboard("a"))
    await aiobot.create_forum_topic(forum.id, "t")
    await aiobot.get_chat(chat.id)
    await aiobot.get_chat_member(forum.id, telegram_server.bot_user["id"])
    await aiobot.get_webhook_info()
    telegram_server.press_button(user, telegram_server.last_message(chat.id) or {}, "a")
    await aiobot.get_updates()
    returns = {"sendMessage": "Message", "sendPhoto": "Message", "createForumTopic": "ForumTopic",
               "getChat": "ChatFullInfo", "getChatMember": "ChatMember", "getMe": "User",
               "getWebhookInfo": "WebhookInfo", "getUpdates": "Array of Update"}  # fmt: skip
    schema = telegram_server.schema
    for request in telegram_server.requests:
        if request.method in returns:
            missing = schema.check_result(request.result, returns[request.method])
            assert missing == [], (request.method, missing)


# --------------------------------------------------------------------------- PTB


async def test_ptb_messages_keyboard_and_uploads(
    telegram_server: FakeTelegramServer, ptb: telegram.Bot
):
    user = telegram_server.add_user("Lê Văn Bình")
    chat = telegram_server.add_private_chat(user)
    markup = telegram.InlineKeyboardMarkup(
        [[telegram.InlineKeyboardButton("Hủy", callback_data="cancel:42")]]
    )
    sent = await ptb.send_message(chat.id, "Xin chào <b>Bình</b>", parse_mode="HTML",
                                  reply_markup=markup)  # fmt: skip
    assert sent.text == "Xin chào Bình"
    telegram_server.press_button(
        user, await telegram_server.wait_for_message(chat.id), "cancel:42"
    )
    updates = await ptb.get_updates(timeout=1)
    assert updates[0].callback_query and updates[0].callback_query.data == "cancel:42"
    await ptb.answer_callback_query(updates[0].callback_query.id)
    edited = await ptb.edit_message_text("Đã hủy", chat_id=chat.id, message_id=sent.message_id)
    assert isinstance(edited, telegram.Message) and edited.text == "Đã hủy"
    with pytest.raises(telegram.error.BadRequest, match=r"(?i)message is not modified"):
        await ptb.edit_message_text("Đã hủy", chat_id=chat.id, message_id=sent.message_id)

    photo = await ptb.send_photo(chat.id, b"ptb-photo", caption="ảnh")
    file = await ptb.get_file(photo.photo[-1].file_id)
    assert bytes(await file.download_as_bytearray()) == b"ptb-photo"
    album = await ptb.send_media_group(
        chat.id, [telegram.InputMediaPhoto(b"one"), telegram.InputMediaPhoto(b"two", caption="2")]
    )
    assert len(album) == 2 and album[0].media_group_id == album[1].media_group_id
    document = await ptb.send_document(chat.id, b"%PDF-1.4", filename="don.pdf")
    assert document.document and document.document.file_name == "don.pdf"
    assert telegram_server.validation_errors == []


async def test_ptb_errors_map_to_its_exceptions(
    telegram_server: FakeTelegramServer, ptb: telegram.Bot, monkeypatch: pytest.MonkeyPatch
):
    # Without the opt-in PTB 22 warns (an error here) when RetryAfter.retry_after is read.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    chat = telegram_server.add_private_chat(telegram_server.add_user())
    with pytest.raises(telegram.error.BadRequest, match=r"(?i)message is too long"):
        await ptb.send_message(chat.id, "á" * 4097)
    telegram_server.block_chat(chat)
    with pytest.raises(telegram.error.Forbidden, match=r"(?i)blocked by the user"):
        await ptb.send_message(chat.id, "x")
    telegram_server.unblock_chat(chat)
    telegram_server.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(telegram.error.RetryAfter) as retry:
        await ptb.send_message(chat.id, "x")
    assert retry.value.retry_after == timedelta(seconds=3)
    assert len(telegram_server.validation_errors) == 1


# --------------------------------------------------------------------------- updates


async def test_long_polling_order_offset_and_waiting(
    telegram_server: FakeTelegramServer, aiobot: Bot
):
    user = telegram_server.add_user()
    chat = telegram_server.add_private_chat(user)
    ids = [telegram_server.send_text(user, chat, f"tin {n}")["update_id"] for n in range(3)]
    first = await aiobot.get_updates(limit=2)
    assert [u.update_id for u in first] == ids[:2]
    # Without an offset nothing is confirmed: the same updates come again.
    assert [u.update_id for u in await aiobot.get_updates()] == ids
    rest = await aiobot.get_updates(offset=ids[1] + 1)
    assert [u.update_id for u in rest] == ids[2:]
    assert telegram_server.pending_updates()[0]["update_id"] == ids[2]

    # A long poll waits for a new update and returns as soon as it arrives.
    poll = asyncio.create_task(aiobot.get_updates(offset=ids[2] + 1, timeout=5))
    await telegram_server.wait_for(lambda: telegram_server.calls("getUpdates")[-1].params.get(
        "offset") == ids[2] + 1, description="the long poll")  # fmt: skip
    assert not poll.done()
    late = telegram_server.send_text(user, chat, "/start")
    got = await asyncio.wait_for(poll, 2)
    assert [u.update_id for u in got] == [late["update_id"]]
    assert got[0].message and got[0].message.entities
    assert got[0].message.entities[0].type == "bot_command"

    # A short timeout with nothing new answers an empty list.
    assert await aiobot.get_updates(offset=late["update_id"] + 1, timeout=0) == []
    # allowed_updates: updates of other types are not even created.
    await aiobot.get_updates(offset=late["update_id"] + 1, allowed_updates=["callback_query"])
    telegram_server.send_text(user, chat, "ignored")
    assert telegram_server.pending_updates() == []
    assert telegram_server.dropped_updates[-1]["message"]["text"] == "ignored"
    assert telegram_server.validation_errors == []


async def test_second_poller_terminates_the_first(
    telegram_server: FakeTelegramServer, aiobot: Bot
):
    first = asyncio.create_task(aiobot.get_updates(timeout=5))
    await telegram_server.wait_for(lambda: telegram_server.calls("getUpdates"))
    second = asyncio.create_task(aiobot.get_updates(timeout=0))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await asyncio.wait_for(first, 2)
    assert await second == []


async def test_webhook_delivery_retries_and_secret(
    telegram_server: FakeTelegramServer, aiobot: Bot
):
    received: list[tuple[str | None, Json]] = []
    answers = iter([500, 200, 200])

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        status = next(answers)
        if status == 200 and len(received) == 3:
            # Answering with a method call: Telegram executes it.
            chat_id = received[-1][1]["message"]["chat"]["id"]
            return web.json_response({"method": "sendMessage", "chat_id": chat_id, "text": "ok"})
        return web.Response(status=status)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        user = telegram_server.add_user()
        chat = telegram_server.add_private_chat(user)
        url = f"http://127.0.0.1:{port}/hook"
        assert await aiobot.set_webhook(url, secret_token="s3cret-Token_1")
        info = await aiobot.get_webhook_info()
        assert info.url == url
        with pytest.raises(TelegramConflictError, match="webhook is active"):
            await aiobot.get_updates()
        first = telegram_server.send_text(user, chat, "một")
        second = telegram_server.send_text(user, chat, "hai")
        reply = await telegram_server.wait_for_message(chat.id)
        assert reply["text"] == "ok"
        assert [r[1]["update_id"] for r in received] == [first["update_id"]] * 2 + [
            second["update_id"]
        ]
        assert {r[0] for r in received} == {"s3cret-Token_1"}
        assert [d["status"] for d in telegram_server.webhook_deliveries] == [500, 200, 200]
        info = await aiobot.get_webhook_info()
        assert info.pending_update_count == 0 and "500" in (info.last_error_message or "")
        assert await aiobot.delete_webhook()
        assert await aiobot.get_updates() == []
    finally:
        await runner.cleanup()
    with pytest.raises(TelegramBadRequest, match="secret token"):
        await aiobot.set_webhook("http://127.0.0.1:1/x", secret_token="bad token!")
    assert len(telegram_server.validation_errors) == 1


# --------------------------------------------------------------------------- validation


LONG = "a" * 4097


@pytest.mark.parametrize(
    ("method", "params", "description"),
    [
        ("sendMessage", {"text": "x", "colour": "red"}, 'unknown parameter "colour"'),
        ("sendMessage", {}, "message text is empty"),
        ("sendMessage", {"text": "   "}, "message text is empty"),
        ("sendMessage", {"text": "x", "message_thread_id": "abc"}, "must be of type Integer"),
        ("sendMessage", {"text": "x", "disable_notification": "yes"}, "must be of type Boolean"),
        ("sendMessage", {"text": LONG}, "message is too long"),
        ("sendMessage", {"text": "<b>" + "a" * 4097 + "</b>", "parse_mode": "HTML"},
         "message is too long"),
        ("sendMessage", {"text": "<b>x", "parse_mode": "HTML"},
         "can't parse entities: Can't find end tag corresponding to start tag \"b\""),
        ("sendMessage", {"text": "<b>x</i>", "parse_mode": "HTML"}, "Unmatched end tag"),
        ("sendMessage", {"text": "<div>x</div>", "parse_mode": "HTML"},
         'Unsupported start tag "div" at byte offset 0'),
        ("sendMessage", {"text": "Lê <Văn> An", "parse_mode": "HTML"},
         'Unsupported start tag "văn" at byte offset 4'),
        ("sendMessage", {"text": "a < b", "parse_mode": "HTML"}, 'Unsupported start tag ""'),
        ("sendMessage", {"text": "Tom & Jerry", "parse_mode": "HTML"}, 'Unescaped "&"'),
        ("sendMessage", {"text": "<span>x</span>", "parse_mode": "HTML"},
         'must have class "tg-spoiler"'),
        ("sendMessage", {"text": "x.", "parse_mode": "MarkdownV2"},
         "Character '.' is reserved"),
        ("sendMessage", {"text": "*x", "parse_mode": "MarkdownV2"}, "Can't find end of Bold"),
        ("sendMessage", {"text": "x", "parse_mode": "BBCode"}, "unsupported parse_mode"),
        ("sendMessage", {"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "a",
         "callback_data": "đ" * 33}]]}}, "BUTTON_DATA_INVALID"),
        ("sendMessage", {"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "a"}]]}},
         "Text buttons are unallowed"),
        ("sendMessage", {"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "a",
         "callback_data": "b", "colour": 1}]]}}, 'unknown field "colour"'),
        ("sendMessage", {"text": "x", "reply_markup": {"inline_keyboard": {"a": 1}}},
         "can't parse reply_markup"),
        ("sendMessage", {"text": "x", "reply_markup": "{not json"}, "can't parse reply_markup"),
        ("sendMessage", {"text": "x", "reply_parameters": {"chat_id": 1}},
         'Can\'t find field "message_id"'),
        ("sendPhoto", {"photo": "https://e.x/p.jpg", "caption": "c" * 1025},
         "message caption is too long"),
        ("sendPhoto", {"photo": "https://e.x/p.jpg", "caption": "<i>x", "parse_mode": "html"},
         "can't parse entities"),
        ("sendMediaGroup", {"media": [{"type": "photo", "media": "https://e.x/1.jpg",
         "caption": "c" * 1025}, {"type": "photo", "media": "https://e.x/2.jpg"}]},
         "message caption is too long"),
        ("sendMediaGroup", {"media": [{"type": "sticker", "media": "x"}]}, "can't parse media"),
        ("answerCallbackQuery", {"callback_query_id": "1", "text": "t" * 201}, "MESSAGE_TOO_LONG"),
        ("sendChatAction", {"action": "dancing"}, "wrong parameter action"),
        ("setMyCommands", {"commands": [{"command": "start"}]}, 'Can\'t find field "description"'),
        ("getUpdates", {"limit": 0}, "limit must be between 1 and 100"),
    ],
)  # fmt: skip
async def test_invalid_requests_answer_400_and_are_recorded(
    telegram_server: FakeTelegramServer, method: str, params: Json, description: str
):
    chat = telegram_server.add_private_chat(telegram_server.add_user())
    if method not in ("answerCallbackQuery", "setMyCommands", "getUpdates"):
        params = {"chat_id": chat.id, **params}
    status, body = await raw_call(telegram_server, method, **params)
    assert status == 400, body
    assert body["ok"] is False and body["error_code"] == 400
    assert body["description"].startswith("Bad Request: ")
    assert description in body["description"]
    assert len(telegram_server.validation_errors) == 1
    error = telegram_server.validation_errors[0]
    assert error["method"] == method and error["reason"]
    assert telegram_server.messages_in(chat.id) == []


async def test_unknown_method_token_and_valid_variants(telegram_server: FakeTelegramServer):
    status, body = await raw_call(telegram_server, "sendMesage", chat_id=1, text="x")
    assert (status, body["description"]) == (404, "Not Found")
    assert telegram_server.validation_errors[-1]["method"] == "sendMesage"
    status, body = await raw_call(telegram_server, "getMe", token="999:WRONG")
    assert (status, body["error_code"]) == (401, 401)

    telegram_server.validation_errors.clear()
    chat = telegram_server.add_private_chat(telegram_server.add_user())
    exact = "<b>" + "â" * 4096 + "</b>"  # tags do not count; 4096 characters do fit
    nested = (
        '<b>1 <i>2</i></b> <a href="https://x.vn/?a=1&amp;b=2">l</a> <tg-spoiler>s</tg-spoiler>'
    )
    tricky = 'a > b, &#8364; &quot;q&quot; <pre><code class="language-py">x</code></pre>'
    for text in (exact, nested, tricky, "<blockquote expandable>q</blockquote>"):
        status, body = await raw_call(
            telegram_server, "SENDMESSAGE", chat_id=str(chat.id), text=text, parse_mode="HTML"
        )
        assert status == 200, body
    status, body = await raw_call(
        telegram_server,
        "sendMessage",
        chat_id=chat.id,
        text="ổ *gà* \\. _x_",
        parse_mode="MarkdownV2",
    )
    assert status == 200 and body["result"]["text"] == "ổ gà . x"
    # Methods the fake does not model are validated, then answered true.
    status, body = await raw_call(telegram_server, "setMyDescription", description="Phản ánh")
    assert (status, body) == (200, {"ok": True, "result": True})
    assert telegram_server.validation_errors == []


def test_html_parser_entities_use_utf16_offsets():
    parsed = parse_html("😀 <b>đơn</b> <a href='https://gov.vn'>link</a>")
    assert parsed.text == "😀 đơn link"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 3},
        {"type": "text_link", "url": "https://gov.vn", "offset": 7, "length": 4},
    ]
    assert format_text("[a](https://x.vn) `c`", "Markdown").text == "a c"


# --------------------------------------------------------------------------- limits and faults


async def test_flood_limits_answer_429_and_count_violations(
    telegram_server: FakeTelegramServer, aiobot: Bot
):
    clock = [1000.0]
    telegram_server.clock = lambda: clock[0]
    telegram_server.enable_flood_limits(FloodLimits(private_burst=2, group_per_minute=3))
    private = telegram_server.add_private_chat(telegram_server.add_user())
    group = telegram_server.add_group("Tổ 5")
    await aiobot.send_message(private.id, "1")
    await aiobot.send_message(private.id, "2")
    with pytest.raises(TelegramRetryAfter) as retry:
        await aiobot.send_message(private.id, "3")
    assert retry.value.retry_after == 1
    assert telegram_server.limit_violations == 0
    with pytest.raises(TelegramRetryAfter):  # did not wait: a violation
        await aiobot.send_message(private.id, "3")
    assert telegram_server.limit_violations == 1
    clock[0] += 1.0
    await aiobot.send_message(private.id, "3")

    for n in range(3):
        await aiobot.send_message(group.id, str(n))
    with pytest.raises(TelegramRetryAfter) as retry:
        await aiobot.send_message(group.id, "4")
    assert retry.value.retry_after == 60
    clock[0] += 60
    await aiobot.send_message(group.id, "4")

    telegram_server.enable_flood_limits(FloodLimits(global_per_second=2, private_burst=10))
    clock[0] += 10
    others = [telegram_server.add_private_chat(telegram_server.add_user()) for _ in range(3)]
    await aiobot.send_message(others[0].id, "a")
    await aiobot.send_message(others[1].id, "b")
    with pytest.raises(TelegramRetryAfter):
        await aiobot.send_message(others[2].id, "c")
    assert telegram_server.limit_violations == 1
    assert telegram_server.validation_errors == []


async def test_fault_injection(telegram_server: FakeTelegramServer, aiobot: Bot):
    user = telegram_server.add_user()
    chat = telegram_server.add_private_chat(user)
    telegram_server.fail_next("sendMessage", status=500, times=2)
    for _ in range(2):
        with pytest.raises(TelegramServerError):
            await aiobot.send_message(chat.id, "x")
    await aiobot.send_message(chat.id, "x")

    telegram_server.hang_next("sendMessage", seconds=5, deliver=True)
    with pytest.raises(TelegramNetworkError):
        await aiobot.send_message(chat.id, "late", request_timeout=1)
    # The message did reach the user although the client timed out.
    assert await telegram_server.wait_for_message(chat.id, lambda m: m["text"] == "late")

    telegram_server.block_chat(chat)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await aiobot.send_message(chat.id, "x")

    group = telegram_server.add_group("Nhóm cũ")
    new_id = telegram_server.migrate_group(group)
    with pytest.raises(TelegramMigrateToChat) as migrated:
        await aiobot.send_message(group.id, "x")
    assert migrated.value.migrate_to_chat_id == new_id
    await aiobot.send_message(new_id, "x")

    with pytest.raises(TelegramUnauthorizedError):
        await Bot("1:X", session=aiobot.session).get_me()
    with pytest.raises(TelegramNotFound):
        await telegram_server_unknown_method(aiobot)
    assert [e["method"] for e in telegram_server.validation_errors] == ["sendMesage"]
    telegram_server.validation_errors.clear()
    assert telegram_server.validation_errors == []


async def telegram_server_unknown_method(bot: Bot) -> None:
    from aiogram.methods import SendMessage

    class SendMesage(SendMessage):  # a typo in a method name
        __api_method__ = "sendMesage"

    await bot(SendMesage(chat_id=1, text="x"))


async def test_wait_for_message_explains_a_timeout(telegram_server: FakeTelegramServer):
    chat = telegram_server.add_private_chat(telegram_server.add_user())
    with pytest.raises(AssertionError, match="recent requests"):
        await telegram_server.wait_for_message(chat.id, timeout=0.05)


async def test_aiogram_dispatcher_conversation(telegram_server: FakeTelegramServer, aiobot: Bot):
    """The shape of a scenario test: a real dispatcher polling the fake."""
    from aiogram import Dispatcher, F
    from aiogram.filters import CommandStart
    from aiogram.types import CallbackQuery, Message

    dispatcher = Dispatcher()

    @dispatcher.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("Chào <b>bạn</b>", parse_mode="HTML", reply_markup=keyboard("ok"))

    @dispatcher.callback_query(F.data == "ok")
    async def confirm(query: CallbackQuery) -> None:
        await query.answer("Đã ghi nhận")
        assert isinstance(query.message, Message)
        await query.message.edit_text("Cảm ơn")

    user = telegram_server.add_user()
    chat = telegram_server.add_private_chat(user)
    polling = asyncio.create_task(
        dispatcher.start_polling(aiobot, polling_timeout=1, handle_signals=False)
    )
    try:
        telegram_server.send_text(user, chat, "/start")
        greeting = await telegram_server.wait_for_message(chat.id)
        assert greeting["text"] == "Chào bạn"
        telegram_server.press_button(user, greeting, "ok")
        assert (await telegram_server.wait_for_callback_answer())["text"] == "Đã ghi nhận"
        await telegram_server.wait_for_request("editMessageText")
        edited = telegram_server.last_message(chat.id) or {}
        assert edited["text"] == "Cảm ơn" and "reply_markup" not in edited
    finally:
        await dispatcher.stop_polling()
        await polling
    assert telegram_server.validation_errors == []
