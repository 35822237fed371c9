"""The delivery worker against the fake Bot API, with Telegram's flood limits on."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.channels.telegram_aiogram.sender import AiogramSender
from bot.config import DeliveryConfig
from bot.delivery import DeliveryWorker
from bot.domain.clock import FixedClock
from bot.domain.messages import OutgoingMessage
from bot.domain.model import OutboxMessage
from bot.services.context import Deps
from bot.services.sending import Sender
from tests.fakes.telegram_server import FakeChat, FakeTelegramServer, FloodLimits


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as fake:
        fake.enable_flood_limits(FloodLimits())
        yield fake


@pytest.fixture
async def sender(server: FakeTelegramServer) -> AsyncIterator[AiogramSender]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.url))
    bot = Bot(server.token, session=session, default=DefaultBotProperties())
    yield AiogramSender(bot)
    await bot.session.close()


@pytest.fixture
async def ticking(clock: FixedClock) -> AsyncIterator[FixedClock]:
    """The test's clock, moving with real time, so a 429's retry_after and a backoff end."""

    async def tick() -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(0.01)
            now = loop.time()
            clock.advance(timedelta(seconds=now - last))
            last = now

    task = asyncio.create_task(tick())
    yield clock
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


Workers = Callable[..., DeliveryWorker]


@pytest.fixture
async def workers(engine: Any, deps: Deps, sender: AiogramSender) -> AsyncIterator[Workers]:
    """Builds workers with test-sized timings; each is stopped at the end."""
    made: list[DeliveryWorker] = []

    def make(**overrides: Any) -> DeliveryWorker:
        senders: dict[str, Sender] = overrides.pop("senders", {"telegram": sender})
        options: dict[str, Any] = {
            "engine": overrides.pop("engine", engine),
            "deps": overrides.pop("deps", deps),
            "senders": senders,
            "config": overrides.pop("config", DeliveryConfig()),
            "poll_interval": 0.02,
            "lease": 20.0,
            "send_timeout": 0.5,
            "backoff_base": 0.05,
            "backoff_cap": 0.5,
        }
        options.update(overrides)
        worker = DeliveryWorker(**options)
        made.append(worker)
        return worker

    yield make
    for worker in made:
        await worker.stop()


def group_at(server: FakeTelegramServer, chat_id: int, *, forum: bool = False) -> FakeChat:
    """A group at the id the configuration gives a unit (the fake picks its own ids)."""
    chat = server.add_group(f"group {chat_id}", forum=forum, supergroup=True)
    del server.chats[chat.id]
    chat.id = chat_id
    server.chats[chat_id] = chat
    return chat


async def enqueue(
    deps: Deps,
    chat_id: int | str,
    text: str,
    *,
    key: str | None = None,
    purpose: str = "chat",
    ticket_id: int | None = None,
    message: OutgoingMessage | None = None,
) -> None:
    now = deps.clock.now()
    async with deps.uow() as uow:
        await uow.outbox.enqueue(
            OutboxMessage(
                channel="telegram",
                chat_id=str(chat_id),
                payload=(message or OutgoingMessage(text=text)).to_dict(),
                dedupe_key=key or f"test:{chat_id}:{text}",
                purpose=purpose,
                ticket_id=ticket_id,
                created_at=now,
                next_attempt_at=now,
            )
        )
        await uow.commit()


async def until(condition: Callable[[], Any], *, within: float = 20.0, what: str = "") -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        result = condition()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.02)
