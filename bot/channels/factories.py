"""Builds each configured channel for the composition root (bot/app.py)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from bot.channels.configuration import ConfigurationProblem as ConfigurationProblem
from bot.channels.zalo.component import zalo_component as zalo_component

if TYPE_CHECKING:
    from bot.app import Application, Component

log = logging.getLogger("nghedan")


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


async def webchat_component(app: Application, *, data_dir: Path = Path("var")) -> Component | None:
    """The web chat on the product's web server; it plays the units' groups unless Telegram
    is on (then the Telegram factory, which runs later, registers its own sender)."""
    web = app.web
    if web is None:
        return None
    from bot.channels.webchat import WebChat
    from bot.services.board import TicketBoard

    settings = app.settings
    password = settings.web_password.get_secret_value() if settings.web_password else None
    chat = WebChat(
        core=app.core,
        translator=app.deps.translator,
        directory=app.deps.directory,
        board=TicketBoard(app.deps),
        now=app.deps.clock.now,
        data_dir=data_dir,
        password=password,
        groups_here=not settings.telegram_enabled,
        page_url=lambda: web.url,
    )
    chat.mount(web.app)
    app.senders["web"] = chat.sender
    if not settings.telegram_enabled:
        app.senders["telegram"] = chat.sender
    return chat
