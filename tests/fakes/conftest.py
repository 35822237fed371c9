"""Fixtures for the fake Telegram Bot API.

Other test packages can reuse them with
``from tests.fakes.conftest import telegram_server  # noqa: F401`` in their own conftest.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.fakes.telegram_server import FakeTelegramServer


@pytest_asyncio.fixture
async def telegram_server() -> AsyncIterator[FakeTelegramServer]:
    """A started fake Bot API on 127.0.0.1 accepting the token ``123456:TEST``."""
    async with FakeTelegramServer() as server:
        yield server
