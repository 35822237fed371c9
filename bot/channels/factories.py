"""Builds each configured channel for the composition root (bot/app.py)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.channels.zalo.component import zalo_component as zalo_component

if TYPE_CHECKING:
    from bot.app import Application, Component

log = logging.getLogger("nghedan")


class ConfigurationProblem(RuntimeError):
    """A combination of settings that cannot work; start-up stops with this message."""


async def telegram_component(app: Application, *, polling_timeout: int = 25) -> Component | None:
    settings = app.settings
    if not settings.telegram_enabled:
        return None
    if settings.telegram_webhook_url and app.web is None:
        raise ConfigurationProblem(
            "TELEGRAM_WEBHOOK_URL needs the web server: set WEB_ENABLED=true"
        )
    if settings.telegram_framework == "ptb":
        from bot.channels.telegram_ptb import PtbTelegramChannel

        channel: Component = PtbTelegramChannel.from_settings(
            settings,
            core=app.core,
            translator=app.deps.translator,
            polling_timeout=polling_timeout,
        )
    else:
        from bot.channels.telegram_aiogram import TelegramChannel, channel_kwargs

        channel = TelegramChannel(
            core=app.core,
            translator=app.deps.translator,
            polling_timeout=polling_timeout,
            **channel_kwargs(settings),
        )
    if settings.telegram_webhook_url and app.web is not None:
        path = settings.telegram_webhook_path
        assert path is not None
        channel.mount(app.web.app, path)  # type: ignore[attr-defined]
    app.senders["telegram"] = channel.sender  # type: ignore[attr-defined]
    return channel
