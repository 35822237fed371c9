"""The product with its web server and web chat, served by aiohttp's test server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import Application, create_application
from bot.channels.factories import webchat_component
from bot.channels.webchat import WebChat
from bot.config import AppConfig, Settings
from bot.domain.clock import FixedClock
from bot.web import web_component

HEADERS = {"X-Nghedan-Web": "1"}


@dataclass
class WebProduct:
    app: Application
    chat: WebChat
    client: TestClient[Any, Any]
    data_dir: Path

    async def citizen(self, **fields: Any) -> dict[str, Any]:
        response = await self.client.post("/web/api/citizen", json=fields, headers=HEADERS)
        assert response.status == 200, await response.text()
        return dict(await response.json())

    async def group(self, **fields: Any) -> dict[str, Any]:
        response = await self.client.post("/web/api/group", json=fields, headers=HEADERS)
        assert response.status == 200, await response.text()
        return dict(await response.json())

    async def history(self, unit: str = "") -> dict[str, list[dict[str, Any]]]:
        response = await self.client.get("/web/api/history", params={"unit": unit})
        assert response.status == 200
        return dict(await response.json())


async def start_web_product(
    settings: Settings, config: AppConfig, *, data_dir: Path, clock: FixedClock | None = None
) -> WebProduct:
    factories = [web_component, partial(webchat_component, data_dir=data_dir)]
    app = await create_application(settings, config, clock=clock, factories=factories)
    chat = next(c for c in app.components if isinstance(c, WebChat))
    await chat.start()
    assert app.web is not None
    client: TestClient[Any, Any] = TestClient(TestServer(app.web.app, host="127.0.0.1"))
    await client.start_server()
    await client.get("/")  # the page sets the session cookie
    return WebProduct(app, chat, client, data_dir)


async def stop_web_product(product: WebProduct) -> None:
    await product.client.close()
    await product.chat.stop()
    await product.app.stop()


@pytest.fixture
async def web(
    database_url: str, engine: object, app_config: AppConfig, clock: FixedClock, tmp_path: Path
) -> AsyncIterator[WebProduct]:
    # `engine` empties PostgreSQL between tests.
    settings = Settings(database_url=database_url, web_port=0, telegram_bot_token=None)
    product = await start_web_product(settings, app_config, data_dir=tmp_path, clock=clock)
    try:
        yield product
    finally:
        await stop_web_product(product)
