"""What a Telegram channel owes every conversation, on both frameworks: the command menu,
never losing an update (polling and webhook), turns in order per chat and concurrent across
chats, "typing…" on slow steps, retries of passing core failures and a plain apology."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from bot.app import Application
from bot.config import AppConfig
from bot.domain.clock import FixedClock
from bot.domain.messages import Reply
from bot.i18n import Translator
from handlers.events import IncomingEvent
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support.product import product_settings, running_product

WELCOME = "Nghe dân nói"
HELP = "Hướng dẫn"
# The public address Telegram is given; nothing listens there (no DNS, no network in tests),
# so the tests forward it to the product's own web server as a reverse proxy would.
WEBHOOK_URL = "https://127.0.0.1:1/telegram/webhook"
SECRET = "s3cret-Token_for-tests"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

Handle = Callable[[IncomingEvent], Awaitable[Reply]]


def has(text: str) -> Callable[[dict[str, Any]], bool]:
    return lambda message: text in message.get("text", "")


def wrap_core(
    app: Application, wrapper: Callable[[Handle, IncomingEvent], Awaitable[Reply]]
) -> None:
    """Put `wrapper` around the core every channel calls (an instance attribute wins)."""
    original = app.core.handle

    async def handle(event: IncomingEvent) -> Reply:
        return await wrapper(original, event)

    app.core.handle = handle  # type: ignore[method-assign]


async def test_command_menu_in_vietnamese_and_english(
    telegram: FakeTelegramServer, product: Application, translator: Translator
) -> None:
    def menu(locale: str) -> list[str]:
        return [translator.plain(locale, f"command-{c}") for c in ("start", "status", "my")]

    for language_code, locale in (("", "vi"), ("vi", "vi"), ("en", "en")):
        shown = telegram.commands(language_code=language_code)
        assert [c["command"] for c in shown][:3] == ["start", "status", "my"]
        assert [c["description"] for c in shown][:3] == menu(locale)
        assert {c["command"] for c in shown} >= {"cancel", "language", "subscribe", "help"}


async def test_polling_keeps_what_waited_and_confirms_a_batch_only_when_handled(
    telegram: FakeTelegramServer,
    clean_database: str,
    app_config: AppConfig,
    clock: FixedClock,
    framework: str,
) -> None:
    lan, binh = telegram.add_user("Lan"), telegram.add_user("Bình")
    lan_chat, binh_chat = telegram.add_private_chat(lan), telegram.add_private_chat(binh)
    # Sent while the bot was down: one batch, two chats.
    telegram.send_text(lan, lan_chat, "/start")
    telegram.send_text(binh, binh_chat, "/start")
    telegram.send_text(lan, lan_chat, "/help")
    entered, release = asyncio.Event(), asyncio.Event()

    async def slow_for_lan(handle: Handle, event: IncomingEvent) -> Reply:
        if event.chat_id == str(lan.id) and event.text == "/start":
            entered.set()
            await asyncio.wait_for(release.wait(), timeout=10)  # a failed test must not hang
        return await handle(event)

    settings = product_settings(telegram, clean_database, telegram_framework=framework)
    async with running_product(
        settings, app_config, clock=clock, before_start=lambda app: wrap_core(app, slow_for_lan)
    ):
        delete = telegram.calls("deleteWebhook")
        assert delete and not delete[0].params.get("drop_pending_updates")
        # Bình is answered while Lan's slow turn runs; Lan's second message waits its turn.
        await telegram.wait_for_message(binh_chat.id, has(WELCOME))
        assert entered.is_set() and telegram.messages_in(lan_chat.id) == []
        await telegram.wait_for(
            lambda: any(a["chat_id"] == lan_chat.id for a in telegram.chat_actions),
            description="typing… in Lan's chat",
        )
        assert len(telegram.pending_updates()) == 3  # nothing confirmed mid-batch
        release.set()
        await telegram.wait_for_message(lan_chat.id, has(WELCOME))
        await telegram.wait_for_message(lan_chat.id, has(HELP))
        await telegram.wait_for(lambda: not telegram.pending_updates(), description="confirmed")


async def test_passing_core_failures_are_retried(
    telegram: FakeTelegramServer, product: Application
) -> None:
    failures = 2

    async def flaky(handle: Handle, event: IncomingEvent) -> Reply:
        nonlocal failures
        if failures:
            failures -= 1
            raise ConnectionResetError("database connection lost")
        return await handle(event)

    wrap_core(product, flaky)
    lan = telegram.add_user("Lan")
    chat = telegram.add_private_chat(lan)
    telegram.send_text(lan, chat, "/start")
    await telegram.wait_for_message(chat.id, has(WELCOME))
    assert failures == 0


async def test_a_lasting_core_failure_is_apologised_for(
    telegram: FakeTelegramServer, product: Application, translator: Translator
) -> None:
    async def broken(handle: Handle, event: IncomingEvent) -> Reply:
        raise ConnectionRefusedError("database down")

    wrap_core(product, broken)
    lan = telegram.add_user("Lan")
    chat = telegram.add_private_chat(lan)
    telegram.send_text(lan, chat, "Đường Lê Duẩn có ổ gà")
    apology = await telegram.wait_for_message(chat.id, timeout=10)
    assert apology["text"] == translator.plain(None, "error-generic")


def webhook_settings(
    telegram: FakeTelegramServer, database_url: str, framework: str
) -> dict[str, Any]:
    return {
        "server": telegram,
        "database_url": database_url,
        "telegram_framework": framework,
        "web_enabled": True,
        "web_port": 0,
        "telegram_webhook_url": WEBHOOK_URL,
        "telegram_webhook_secret": SECRET,
    }


async def point_webhook_at(
    telegram: FakeTelegramServer, app: Application, secret: str | None
) -> str:
    """Where a reverse proxy would forward WEBHOOK_URL: the product's own web server."""
    assert app.web is not None
    local = f"http://127.0.0.1:{app.web.port}/telegram/webhook"
    params = {"url": local, **({"secret_token": secret} if secret else {})}
    status, body = await telegram.execute("setWebhook", params)
    assert status == 200, body
    return local


async def test_webhook_with_the_right_secret(
    telegram: FakeTelegramServer,
    clean_database: str,
    app_config: AppConfig,
    clock: FixedClock,
    framework: str,
) -> None:
    lan = telegram.add_user("Lan")
    chat = telegram.add_private_chat(lan)
    waiting = telegram.send_text(lan, chat, "/start")  # sent before the bot started
    entered, release = asyncio.Event(), asyncio.Event()

    async def held(handle: Handle, event: IncomingEvent) -> Reply:
        entered.set()
        await asyncio.wait_for(release.wait(), timeout=10)  # a failed test must not hang
        return await handle(event)

    settings = product_settings(**webhook_settings(telegram, clean_database, framework))
    async with running_product(
        settings, app_config, clock=clock, before_start=lambda app: wrap_core(app, held)
    ) as app:
        (set_webhook,) = telegram.calls("setWebhook")
        assert set_webhook.params["url"] == WEBHOOK_URL
        assert set_webhook.params["secret_token"] == SECRET
        assert not set_webhook.params.get("drop_pending_updates")
        assert telegram.calls("getUpdates") == [] and telegram.pending_updates() == [waiting]
        local = await point_webhook_at(telegram, app, SECRET)

        def answered() -> list[tuple[int, int | None]]:
            return [(d["update_id"], d["status"]) for d in telegram.webhook_deliveries
                    if d["url"] == local]  # fmt: skip

        await asyncio.wait_for(entered.wait(), timeout=5)
        assert answered() == []  # Telegram hears back only once the update is handled
        release.set()
        await telegram.wait_for_message(chat.id, has(WELCOME))
        await telegram.wait_for(answered, description="the delivery answered")
        assert answered() == [(waiting["update_id"], 200)]
        telegram.send_text(lan, chat, "/help")
        await telegram.wait_for_message(chat.id, has(HELP))


@pytest.mark.parametrize("secret", [None, "wrong-secret"])
async def test_webhook_refuses_a_wrong_or_missing_secret(
    telegram: FakeTelegramServer,
    clean_database: str,
    app_config: AppConfig,
    clock: FixedClock,
    framework: str,
    secret: str | None,
) -> None:
    lan = telegram.add_user("Lan")
    chat = telegram.add_private_chat(lan)
    settings = product_settings(**webhook_settings(telegram, clean_database, framework))
    async with running_product(settings, app_config, clock=clock) as app:
        local = await point_webhook_at(telegram, app, secret)
        update = telegram.send_text(lan, chat, "/start")
        await telegram.wait_for(
            lambda: len(telegram.webhook_deliveries) >= 2, description="refused deliveries"
        )
        assert {d["status"] for d in telegram.webhook_deliveries} <= {401, 403}
        # A forged update straight at the server fares no better.
        forged = {**update, "update_id": update["update_id"] + 1000}
        headers = {SECRET_HEADER: secret} if secret else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(local, json=forged, headers=headers) as response,
        ):
            assert response.status in (401, 403)
        assert telegram.messages_in(chat.id) == []
        # Once the proxy is fixed, the refused update is delivered, not lost.
        await point_webhook_at(telegram, app, SECRET)
        await telegram.wait_for_message(chat.id, has(WELCOME))


async def test_webhook_refuses_what_is_not_an_update(
    telegram: FakeTelegramServer,
    clean_database: str,
    app_config: AppConfig,
    clock: FixedClock,
    framework: str,
) -> None:
    settings = product_settings(**webhook_settings(telegram, clean_database, framework))
    async with running_product(settings, app_config, clock=clock) as app:
        local = await point_webhook_at(telegram, app, SECRET)
        async with aiohttp.ClientSession(headers={SECRET_HEADER: SECRET}) as session:
            for body in ([], {"update_id": "1"}, {"message": {}}, {"update_id": 5, "message": 7}):
                async with session.post(local, json=body) as response:
                    assert response.status == 400, body
            async with session.post(local, data=b"not json") as response:
                assert response.status == 400
        assert telegram.calls("sendMessage") == []
