"""Run the whole product in-process against the fake Bot API server, for scenario tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from bot.app import Application, ComponentFactory, create_application
from bot.channels.factories import telegram_component
from bot.config import AppConfig, Settings
from bot.domain.clock import Clock
from tests.fakes.telegram_server import FakeTelegramServer


def product_settings(server: FakeTelegramServer, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": server.token,
        "telegram_api_url": server.url,
        "database_url": database_url,
        "web_enabled": False,
        "web_port": 0,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running_product(
    settings: Settings,
    config: AppConfig,
    *,
    clock: Clock | None = None,
    extra: list[ComponentFactory] | None = None,
    before_start: Callable[[Application], None] | None = None,
) -> AsyncIterator[Application]:
    """The product with the Telegram channel (short polls) and the given extra components."""
    factories: list[ComponentFactory] = []
    if settings.web_enabled:
        from bot.web import web_component

        factories.append(web_component)
    factories.append(partial(telegram_component, polling_timeout=1))
    factories += extra or []
    app = await create_application(settings, config, clock=clock, factories=factories)
    if before_start is not None:
        before_start(app)
    try:
        await app.start()
        yield app
    finally:
        await app.stop()
