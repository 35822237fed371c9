"""The product's own web server (aiohttp): health page, webhooks, and the local web chat."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.app import Application

log = logging.getLogger("nghedan.web")

APP_KEY: web.AppKey[Application] = web.AppKey("application")


async def health(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    body = {
        "status": "ok",
        "components": [c.name for c in app.components],
    }
    return web.json_response(body)


class WebServer:
    name = "Web"

    def __init__(self, application: Application) -> None:
        self.application = application
        self.app = web.Application(client_max_size=25 * 1024 * 1024)
        self.app[APP_KEY] = application
        self.app.router.add_get("/healthz", health)
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        settings = self.application.settings
        return f"http://{settings.web_host}:{self.port}"

    @property
    def port(self) -> int:
        if self._runner is not None and self._runner.addresses:
            return int(self._runner.addresses[0][1])
        return self.application.settings.web_port

    async def start(self) -> None:
        settings = self.application.settings
        if self.app.router.resources() and not any(
            r.canonical == "/" for r in self.app.router.resources()
        ):
            self.app.router.add_get("/", health)
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, settings.web_host, settings.web_port)
        await site.start()
        log.info("Web: listening on %s", self.url)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


async def web_component(application: Application) -> WebServer | None:
    if not application.settings.web_enabled:
        return None
    server = WebServer(application)
    application.web = server
    return server
