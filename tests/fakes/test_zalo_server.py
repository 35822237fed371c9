"""The fake Zalo Bot Platform behaves like the documented and observed one (DOMAIN.md §5)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.fakes.zalo_server import SECRET_HEADER, FakeZaloServer


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZaloServer]:
    async with FakeZaloServer() as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(
    http: aiohttp.ClientSession, server: FakeZaloServer, method: str, **params: Any
) -> dict[str, Any]:
    async with http.post(f"{server.url}/bot{server.token}/{method}", json=params) as response:
        assert response.status == 200  # errors too: the body's "ok" says what happened
        return await response.json()


async def test_get_me(zalo: FakeZaloServer, http: aiohttp.ClientSession) -> None:
    answer = await call(http, zalo, "getMe")
    assert answer["ok"] is True
    assert answer["result"]["account_type"] == "BASIC"


async def test_wrong_token_is_unauthorized_with_http_200(
    zalo: FakeZaloServer, http: aiohttp.ClientSession
) -> None:
    async with http.post(f"{zalo.url}/botnope/getMe", json={}) as response:
        assert response.status == 200
        assert await response.json() == {
            "ok": False,
            "error_code": 401,
            "description": "Unauthorized",
        }


async def test_get_updates_returns_one_update_then_it_is_gone(
    zalo: FakeZaloServer, http: aiohttp.ClientSession
) -> None:
    lan = zalo.add_user("Lan")
    zalo.send_text(lan, "một")
    zalo.send_text(lan, "hai")
    first = await call(http, zalo, "getUpdates", timeout="1")
    second = await call(http, zalo, "getUpdates", timeout=1)
    assert first["result"]["event_name"] == "message.text.received"
    assert first["result"]["message"]["text"] == "một"
    assert second["result"]["message"]["text"] == "hai"
    message = first["result"]["message"]
    assert message["chat"] == {"id": lan.id, "chat_type": "PRIVATE"}
    assert message["from"] == {"id": lan.id, "display_name": "Lan", "is_bot": False}
    assert int(message["message_id"], 16) >= 0 and message["date"] > 10**12  # milliseconds
    assert zalo.pending_updates() == []


async def test_nothing_to_deliver_is_408_after_the_timeout(
    zalo: FakeZaloServer, http: aiohttp.ClientSession
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    answer = await call(http, zalo, "getUpdates", timeout="1")
    assert answer["ok"] is False and answer["error_code"] == 408
    assert loop.time() - started >= 0.9
    assert zalo.validation_errors == []


async def test_long_poll_wakes_up_on_a_new_update(
    zalo: FakeZaloServer, http: aiohttp.ClientSession
) -> None:
    lan = zalo.add_user("Lan")
    poll = asyncio.create_task(call(http, zalo, "getUpdates", timeout="5"))
    await asyncio.sleep(0.1)
    zalo.send_image(lan, "https://example.org/o-ga.jpg", caption="Ổ gà")
    answer = await asyncio.wait_for(poll, 2)
    message = answer["result"]["message"]
    assert answer["result"]["event_name"] == "message.image.received"
    assert message["photo_url"] == "https://example.org/o-ga.jpg"
    assert message["caption"] == "Ổ gà"


async def test_sticker_and_unsupported_events(
    zalo: FakeZaloServer, http: aiohttp.ClientSession
) -> None:
    lan = zalo.add_user("Lan")
    zalo.send_sticker(lan)
    zalo.send_unsupported(lan)
    sticker = (await call(http, zalo, "getUpdates", timeout="1"))["result"]
    other = (await call(http, zalo, "getUpdates", timeout="1"))["result"]
    assert sticker["event_name"] == "message.sticker.received"
    assert other["event_name"] == "message.unsupported.received"
    assert "text" not in other["message"]


async def test_send_message_and_wait_for_it(
    zalo: FakeZaloServer, http: aiohttp.ClientSession
) -> None:
    lan = zalo.add_user("Lan")
    answer = await call(http, zalo, "sendMessage", chat_id=lan.id, text="Chào Lan")
    assert answer["ok"] is True and answer["result"]["message_id"]
    await call(http, zalo, "sendMessage", chat_id=lan.id, text="Lần hai")
    first = await zalo.wait_for_message(lan.id)
    second = await zalo.wait_for_message(lan, lambda m: "hai" in m["text"])
    assert (first["text"], second["text"]) == ("Chào Lan", "Lần hai")
    with pytest.raises(AssertionError, match="timed out"):
        await zalo.wait_for_message(lan.id, timeout=0.1)
    assert [m["text"] for m in zalo.messages_in(lan.id)] == ["Chào Lan", "Lần hai"]


async def test_send_photo_by_url(zalo: FakeZaloServer, http: aiohttp.ClientSession) -> None:
    lan = zalo.add_user("Lan")
    photo = "https://example.org/a.jpg"
    answer = await call(http, zalo, "sendPhoto", chat_id=lan.id, photo=photo, caption="Ảnh")
    assert answer["ok"] is True
    message = await zalo.wait_for_message(lan.id)
    assert (message["type"], message["photo"], message["caption"]) == ("photo", photo, "Ảnh")


@pytest.mark.parametrize(
    ("method", "params", "reason"),
    [
        ("sendMessage", {"text": "x"}, "without chat_id"),
        ("sendMessage", {"chat_id": "{lan}", "text": ""}, "empty"),
        ("sendMessage", {"chat_id": "{lan}", "text": "x" * 2001}, "2001 characters"),
        ("sendMessage", {"chat_id": "{lan}", "text": "x", "parse_mode": "HTML"}, "parse_mode"),
        ("sendMessage", {"chat_id": "{lan}", "text": "x", "reply_markup": {}}, "reply_markup"),
        ("sendMessage", {"chat_id": 12345, "text": "x"}, "is int"),
        ("sendPhoto", {"chat_id": "{lan}", "photo": "AgACAgQAAxk"}, "sendPhoto.photo"),
        ("sendPhoto", {"chat_id": "{lan}", "photo": "https://e.org/a", "caption": "c" * 2001},
         "2001 characters"),
        ("sendChatAction", {"chat_id": "{lan}", "action": "record_voice"}, "unknown action"),
        ("setWebhook", {"url": "https://e.org/zalo", "secret_token": "short"}, "8-256"),
        ("setWebhook", {"url": "/zalo", "secret_token": "long-enough"}, "setWebhook.url"),
        ("sendInvoice", {"chat_id": "{lan}"}, "no method"),
    ],
)  # fmt: skip
async def test_invalid_requests_are_refused_and_recorded(
    zalo: FakeZaloServer,
    http: aiohttp.ClientSession,
    method: str,
    params: dict[str, Any],
    reason: str,
) -> None:
    lan = zalo.add_user("Lan")
    params = {k: (lan.id if v == "{lan}" else v) for k, v in params.items()}
    answer = await call(http, zalo, method, **params)
    assert answer["ok"] is False and answer["error_code"] in (400, 404)
    assert len(zalo.validation_errors) == 1
    assert reason in zalo.validation_errors[0]["reason"]
    assert zalo.sent == []


async def test_a_2000_character_text_is_fine(
    zalo: FakeZaloServer, http: aiohttp.ClientSession
) -> None:
    lan = zalo.add_user("Lan")
    answer = await call(http, zalo, "sendMessage", chat_id=lan.id, text="ư" * 2000)
    assert answer["ok"] is True and zalo.validation_errors == []


async def test_unknown_and_blocked_users_are_not_validation_errors(
    zalo: FakeZaloServer, http: aiohttp.ClientSession
) -> None:
    lan = zalo.add_user("Lan")
    zalo.block_user(lan)
    blocked = await call(http, zalo, "sendMessage", chat_id=lan.id, text="x")
    unknown = await call(http, zalo, "sendMessage", chat_id="ffff", text="x")
    assert (blocked["error_code"], unknown["error_code"]) == (403, 404)
    assert zalo.validation_errors == [] and len(zalo.error_responses) == 2


async def test_injected_faults(zalo: FakeZaloServer, http: aiohttp.ClientSession) -> None:
    lan = zalo.add_user("Lan")
    zalo.fail_next("sendMessage", error_code=429, times=2)
    answers = [await call(http, zalo, "sendMessage", chat_id=lan.id, text="x") for _ in "abc"]
    assert [a.get("error_code") for a in answers] == [429, 429, None]


async def test_chat_action(zalo: FakeZaloServer, http: aiohttp.ClientSession) -> None:
    lan = zalo.add_user("Lan")
    answer = await call(http, zalo, "sendChatAction", chat_id=lan.id, action="typing")
    assert answer["ok"] is True
    assert zalo.chat_actions == [{"chat_id": lan.id, "action": "typing"}]


@pytest.mark.parametrize("shape", ["flat", "wrapped"])
async def test_webhook_delivers_with_the_secret_header(
    zalo: FakeZaloServer, http: aiohttp.ClientSession, shape: str
) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers.get(SECRET_HEADER), await request.json()))
        return web.json_response({"message": "Success"})

    app = web.Application()
    app.router.add_post("/zalo/webhook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        zalo.webhook_shape = shape  # type: ignore[assignment]
        url = f"http://127.0.0.1:{port}/zalo/webhook"
        answer = await call(http, zalo, "setWebhook", url=url, secret_token="s3cret-token")
        assert answer["result"]["url"] == url
        info = await call(http, zalo, "getWebhookInfo")
        assert info["result"]["url"] == url
        polled = await call(http, zalo, "getUpdates", timeout="1")
        assert polled["ok"] is False  # getUpdates does not work while a webhook is set
        lan = zalo.add_user("Lan")
        update = zalo.send_text(lan, "Xin chào")
        await zalo.wait_for(lambda: received, description="a webhook delivery")
        secret, body = received[0]
        assert secret == "s3cret-token"
        assert body == (update if shape == "flat" else {"ok": True, "result": update})
        await zalo.wait_for(lambda: not zalo.pending_updates(), description="the update gone")
        await call(http, zalo, "deleteWebhook")
        assert zalo.webhook_url() == ""
    finally:
        await runner.cleanup()
    assert zalo.validation_errors == []


async def test_webhook_redelivers_after_a_failure(
    zalo: FakeZaloServer, http: aiohttp.ClientSession
) -> None:
    statuses = [500, 200]

    async def hook(request: web.Request) -> web.Response:
        return web.Response(status=statuses.pop(0))

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    try:
        await call(http, zalo, "setWebhook", url=f"http://127.0.0.1:{port}/hook",
                   secret_token="s3cret-token")  # fmt: skip
        zalo.send_text(zalo.add_user("Lan"), "Xin chào")
        await zalo.wait_for(lambda: len(zalo.webhook_deliveries) == 2, description="a retry")
        assert [d["status"] for d in zalo.webhook_deliveries] == [500, 200]
        assert zalo.pending_updates() == []
    finally:
        await runner.cleanup()
