"""Scenario fixtures: the fake Bot API server and the product running against it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import Application
from bot.config import AppConfig
from bot.domain.clock import FixedClock
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support.product import product_settings, running_product


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server
        # Every scenario ends with the fake having seen only valid Bot API requests.
        assert server.validation_errors == []


@pytest.fixture(params=["aiogram", "ptb"])
def framework(request: pytest.FixtureRequest) -> str:
    """TELEGRAM_FRAMEWORK: every scenario runs on both Telegram libraries."""
    return str(request.param)


@pytest.fixture
async def clean_database(engine: object, database_url: str) -> str:
    """The test database, emptied: PostgreSQL is shared between tests, and every fake
    server numbers its updates from 1, so old processed-update ids would hide new ones."""
    return database_url


@pytest.fixture
async def product(
    telegram: FakeTelegramServer,
    clean_database: str,
    app_config: AppConfig,
    clock: FixedClock,
    framework: str,
) -> AsyncIterator[Application]:
    settings = product_settings(telegram, clean_database, telegram_framework=framework)
    async with running_product(settings, app_config, clock=clock) as app:
        yield app
