"""The Telegram channel on python-telegram-bot 22: polling or webhook, one core behind it.

We use PTB's `Bot` and our own loops rather than its `Application`: polling processes a batch
(concurrently across chats, in order within a chat) and only then confirms it with the next
`offset`, so a crash or a database outage never loses a citizen's message (DOMAIN.md §4);
webhook updates arrive on the product's own aiohttp server and are answered only once handled,
so Telegram redelivers what we did not finish.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from aiohttp import web
from telegram import Bot, BotCommand, CallbackQuery, Message, Update
from telegram.error import RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bot.channels.configuration import ConfigurationProblem
from bot.channels.menu import MENU_LANGUAGES, menu_commands
from bot.channels.telegram_events import chat_of, event_from_callback, event_from_message
from bot.channels.telegram_ptb.sender import PtbSender, seconds_of
from bot.channels.telegram_webhook import webhook_update
from bot.channels.turns import Core, TurnRunner, in_chat_order
from bot.domain.messages import Reply
from bot.i18n import Translator
from bot.services.sending import Destination, SendError
from handlers.events import IncomingEvent

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger("nghedan.telegram")

ALLOWED_UPDATES = ["message", "callback_query"]
CALLBACK_ANSWER_LIMIT = 200  # answerCallbackQuery text
STOP_GRACE = 10.0  # seconds a webhook turn in progress may take to finish on stop


def make_bot(token: str, api_url: str) -> Bot:
    return Bot(
        token,
        base_url=f"{api_url}/bot",
        base_file_url=f"{api_url}/file/bot",
        request=HTTPXRequest(
            connection_pool_size=64,  # turns run concurrently across chats
            connect_timeout=10.0,
            read_timeout=20.0,
            write_timeout=20.0,
            pool_timeout=10.0,
            media_write_timeout=60.0,
        ),
        # PTB adds the long-poll `timeout` to this read timeout for getUpdates.
        get_updates_request=HTTPXRequest(
            connection_pool_size=1,
            connect_timeout=10.0,
            read_timeout=10.0,
            write_timeout=10.0,
            pool_timeout=10.0,
        ),
    )


class PtbTelegramChannel:
    name = "Telegram (python-telegram-bot)"

    def __init__(
        self,
        *,
        token: str,
        api_url: str,
        core: Core,
        translator: Translator,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        polling_timeout: int = 25,
    ) -> None:
        if webhook_url and not webhook_secret:
            # Without it anyone who learns the URL could post updates as any officer.
            raise ConfigurationProblem("TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET")
        self.bot = make_bot(token, api_url)
        self.sender = PtbSender(self.bot)
        self.translator = translator
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.polling_timeout = polling_timeout
        self.turns = TurnRunner(core, translator, typing=self.sender.chat_action, log=log)
        self._polling: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self._closing = False

    @classmethod
    def from_settings(
        cls, settings: Settings, *, core: Core, translator: Translator, polling_timeout: int = 25
    ) -> PtbTelegramChannel:
        token = settings.telegram_bot_token
        assert token is not None, "the Telegram channel needs TELEGRAM_BOT_TOKEN"
        secret = settings.telegram_webhook_secret
        return cls(
            token=token.get_secret_value(),
            api_url=settings.telegram_api_url,
            core=core,
            translator=translator,
            webhook_url=settings.telegram_webhook_url,
            webhook_secret=secret.get_secret_value() if secret else None,
            polling_timeout=polling_timeout,
        )

    # -- lifecycle ---------------------------------------------------------------------------
    def mount(self, app: web.Application, path: str) -> None:
        app.router.add_post(path, self._on_webhook)

    async def start(self) -> None:
        await self.bot.initialize()  # getMe
        log.info("Telegram: connected as @%s", self.bot.username)
        await self._set_commands()
        if self.webhook_url:
            await self.bot.set_webhook(
                self.webhook_url,
                secret_token=self.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=False,  # pending updates are citizens' messages
            )
            log.info("Telegram: webhook set")
        else:
            # getUpdates is refused while a webhook is set; pending updates are kept.
            await self.bot.delete_webhook(drop_pending_updates=False)
            self._polling = asyncio.create_task(self._poll(), name="telegram-ptb-polling")
            log.info("Telegram: long polling")

    async def stop(self) -> None:
        self._closing = True
        if self._polling is not None:
            self._polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._polling
            self._polling = None
        if self._in_flight:
            await asyncio.wait(self._in_flight, timeout=STOP_GRACE)
        await self.bot.shutdown()

    async def _set_commands(self) -> None:
        for locale, language_code in MENU_LANGUAGES:
            commands = [
                BotCommand(name, description)
                for name, description in menu_commands(self.translator, locale)
            ]
            await self.bot.set_my_commands(commands, language_code=language_code)

    # -- polling -----------------------------------------------------------------------------
    async def _poll(self) -> None:
        offset: int | None = None
        backoff = 1.0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=self.polling_timeout,
                    allowed_updates=ALLOWED_UPDATES,
                )
                backoff = 1.0
            except RetryAfter as error:
                await asyncio.sleep(seconds_of(error.retry_after))
                continue
            except TelegramError as error:  # network, 5xx, 409 from a second instance
                log.warning("Telegram: getUpdates failed (%s); retrying in %.0fs", error, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            if not updates:
                continue
            await in_chat_order(updates, chat_of, self._process)
            offset = updates[-1].update_id + 1  # confirmed by the next call, after commit

    # -- webhook -----------------------------------------------------------------------------
    async def _on_webhook(self, request: web.Request) -> web.Response:
        data = await webhook_update(request, self.webhook_secret, closing=self._closing)
        if isinstance(data, web.Response):
            return data
        try:
            update = Update.de_json(data, self.bot)
        except (ValueError, TypeError, KeyError, AttributeError):  # not an Update PTB can read
            return web.Response(status=400)
        # Shielded: a dropped connection must not cut a turn in half; Telegram redelivers
        # it and the core recognises the update id.
        task = asyncio.create_task(self._process(update))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        await asyncio.shield(task)
        return web.Response()

    # -- one update --------------------------------------------------------------------------
    async def _process(self, update: Update) -> None:
        try:
            if update.message is not None:
                await self._on_message(update.message, update.update_id)
            elif update.callback_query is not None:
                await self._on_callback(update.callback_query, update.update_id)
        except Exception:
            # The core has committed or refused by now; one bad update must not stop the rest.
            log.exception("Telegram: update %s not processed", update.update_id)

    async def _on_message(self, message: Message, update_id: int) -> None:
        event = event_from_message(message, update_id)
        reply = await self.turns.handle(event)
        await self._render(event, reply)

    async def _on_callback(self, query: CallbackQuery, update_id: int) -> None:
        event = event_from_callback(query, update_id)
        await self.turns.handle_press(
            event, lambda reply: self._answer(query, reply), self._render
        )

    async def _answer(self, query: CallbackQuery, reply: Reply) -> None:
        alert = reply.alert[:CALLBACK_ANSWER_LIMIT] if reply.alert else None
        try:
            await self.bot.answer_callback_query(
                query.id, text=alert, show_alert=reply.alert_is_error
            )
        except TelegramError as error:  # too old to answer; the reply still goes out
            log.debug("Telegram: callback %s not answered: %s", query.id, error)

    async def _render(self, event: IncomingEvent, reply: Reply) -> None:
        destination = Destination(chat_id=event.chat_id, thread_id=event.thread_id)
        for message in reply.messages:
            try:
                await self.sender.send(destination, message)
            except SendError as error:
                # The update id, not the chat: a chat id can name a denouncer (DESIGN.md).
                log.warning("Telegram: reply to update %s not sent: %s", event.update_id, error)
