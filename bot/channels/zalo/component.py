"""Builds the Zalo channel for the composition root (bot/app.py, bot/channels/factories.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.channels.configuration import ConfigurationProblem
from bot.channels.zalo.channel import ZaloChannel, channel_kwargs

if TYPE_CHECKING:
    from bot.app import Application, Component
    from bot.web import WebServer


async def zalo_component(app: Application, *, polling_timeout: int = 25) -> Component | None:
    settings = app.settings
    if not settings.zalo_enabled:
        return None
    path = settings.zalo_webhook_path
    if path is not None and app.web is None:
        raise ConfigurationProblem("ZALO_WEBHOOK_URL needs the web server: set WEB_ENABLED=true")
    if path is not None and settings.zalo_webhook_secret is None:
        # setWebhook requires a secret_token; it is also our only check on the caller.
        raise ConfigurationProblem("ZALO_WEBHOOK_URL needs ZALO_WEBHOOK_SECRET (8-256 characters)")
    kwargs = channel_kwargs(settings)
    if path is not None and app.web is not None:
        kwargs["webhook_url"] = _on_bound_port(kwargs["webhook_url"], app.web)
    channel = ZaloChannel(
        core=app.core, translator=app.deps.translator, polling_timeout=polling_timeout, **kwargs
    )
    if path is not None and app.web is not None:
        channel.mount(app.web.app, path)
    app.senders["zalo"] = channel.sender
    return channel


def _on_bound_port(url: str, web: WebServer) -> str | Callable[[], str]:
    """WEB_PORT=0 takes any free port at start; a webhook URL on port 0 means that port."""
    parts = urlsplit(url)
    if parts.port != 0:
        return url
    host = parts.netloc.rpartition(":")[0]
    return lambda: parts._replace(netloc=f"{host}:{web.port}").geturl()
