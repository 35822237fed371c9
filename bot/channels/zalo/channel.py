"""The Zalo channel: long polling or webhook, the one core dispatcher behind it.

`getUpdates` hands out one update and forgets it: there is no offset to confirm with
(DOMAIN.md §5). So once an update has been received it is always carried to the end: the core
is retried, and if it still fails the citizen is told plainly to send it again (and it is
logged); stopping waits for the poll in flight and the updates being handled instead of
cancelling them. The core stores the message id with the conversation state in one
transaction, so a redelivered update is recognised.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.channels.turns import Core, TurnRunner
from bot.channels.zalo.api import TIMED_OUT, ZaloApi, ZaloApiError, ZaloNetworkError
from bot.channels.zalo.sender import ZaloSender
from bot.channels.zalo.updates import event_from_update, unwrap
from bot.domain.messages import Reply
from bot.i18n import Translator
from bot.services.sending import Destination, SendError
from handlers.events import IncomingEvent

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger("nghedan.zalo")

SECRET_HEADER = "X-Bot-Api-Secret-Token"
STOP_GRACE = 5.0  # seconds beyond the poll timeout that stopping waits for a poll in flight


class ZaloChannel:
    name = "Zalo"

    def __init__(
        self,
        *,
        token: str,
        api_url: str,
        core: Core,
        translator: Translator,
        webhook_url: str | Callable[[], str] | None = None,
        webhook_secret: str | None = None,
        polling_timeout: int = 25,
    ) -> None:
        self.api = ZaloApi(token, api_url)
        self.sender = ZaloSender(self.api)
        self.translator = translator
        self.turns = TurnRunner(core, translator, typing=self.sender.chat_action, log=log)
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.polling_timeout = polling_timeout
        self._stopping = asyncio.Event()
        self._polling: asyncio.Task[None] | None = None
        self._handling: set[asyncio.Task[Any]] = set()

    # -- lifecycle ---------------------------------------------------------------------------
    def mount(self, app: web.Application, path: str) -> None:
        app.router.add_post(path, self._on_webhook)

    async def start(self) -> None:
        me = await self.api.call("getMe")
        log.info("Zalo: connected as %s", (me or {}).get("account_name", "?"))
        if self.webhook_url:
            assert self.webhook_secret is not None
            url = self.webhook_url() if callable(self.webhook_url) else self.webhook_url
            await self.api.call("setWebhook", {"url": url, "secret_token": self.webhook_secret})
            log.info("Zalo: webhook set")
        else:
            # getUpdates does not work while a webhook is set.
            await self.api.call("deleteWebhook")
            self._stopping.clear()
            self._polling = asyncio.create_task(self._poll(), name="zalo-polling")
            log.info("Zalo: long polling")

    async def stop(self) -> None:
        self._stopping.set()
        if self._polling is not None:
            # Cancelling mid-poll could drop an update the platform has already handed out.
            grace = self.polling_timeout + STOP_GRACE
            done, _ = await asyncio.wait({self._polling}, timeout=grace)
            if not done:
                log.warning("Zalo: the last poll did not end in time; cancelled")
                self._polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._polling
            self._polling = None
        if self._handling:
            await asyncio.gather(*self._handling, return_exceptions=True)
        await self.api.close()

    # -- polling -----------------------------------------------------------------------------
    async def _poll(self) -> None:
        backoff = 1.0
        while not self._stopping.is_set():
            try:
                update = await self.api.call(
                    "getUpdates",
                    {"timeout": str(self.polling_timeout)},
                    seconds=self.polling_timeout + 10,
                )
                backoff = 1.0
            except ZaloApiError as error:
                if error.error_code == TIMED_OUT:
                    continue
                log.warning("Zalo: getUpdates failed (%s); retrying in %.0fs", error, backoff)
                await self._pause(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            except ZaloNetworkError as error:
                log.warning("Zalo: getUpdates failed (%s); retrying in %.0fs", error, backoff)
                await self._pause(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            update = unwrap({"result": update}) if isinstance(update, dict) else None
            if update is None:
                continue
            # Handled concurrently across chats and in arrival order within a chat (the
            # chat lock is taken in task creation order); the next poll does not wait.
            task = asyncio.create_task(self._process(update))
            self._handling.add(task)
            task.add_done_callback(self._handling.discard)

    async def _pause(self, seconds: float) -> None:
        # asyncio.timeout, not wait_for, which can swallow a cancellation on Python 3.11.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._stopping.wait()

    async def _process(self, update: dict[str, Any]) -> None:
        event = event_from_update(update)
        if event is None:
            log.info("Zalo: %s ignored", update.get("event_name"))
            return
        # The platform will not deliver this message again: when the core keeps failing, the
        # runner's apology asks the citizen to resend it.
        reply = await self.turns.handle(event)
        await self._render(event, reply)

    # -- webhook -----------------------------------------------------------------------------
    async def _on_webhook(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        given = request.headers.get(SECRET_HEADER, "")
        expected = self.webhook_secret or ""
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            log.warning("Zalo: webhook call with a wrong or missing secret refused")
            return web.Response(status=403)
        try:
            body = json.loads(await request.read())
        except ValueError:
            return web.Response(status=400)
        update = unwrap(body)
        if update is not None:
            # Answered after handling: the platform gets 200 once the turn is stored. Tracked
            # like a polled update, so stopping waits for it before closing the API session.
            task = asyncio.current_task()
            assert task is not None
            self._handling.add(task)
            try:
                await self._process(update)
            finally:
                self._handling.discard(task)
        return web.json_response({"message": "Success"})

    async def _render(self, event: IncomingEvent, reply: Reply) -> None:
        destination = Destination(chat_id=event.chat_id)
        for message in reply.messages:
            try:
                await self.sender.send(destination, message)
            except SendError as error:
                # No chat id here: a Zalo account may be a denouncer's (DESIGN.md).
                log.warning("Zalo: reply to message %s not sent: %s", event.update_id, error)


def channel_kwargs(settings: Any) -> dict[str, Any]:
    secret = settings.zalo_webhook_secret
    return {
        "token": settings.zalo_bot_token.get_secret_value(),
        "api_url": settings.zalo_api_url,
        "webhook_url": settings.zalo_webhook_url,
        "webhook_secret": secret.get_secret_value() if secret else None,
    }
