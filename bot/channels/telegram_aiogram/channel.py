"""The Telegram channel on aiogram 3: polling or webhook, one core dispatcher behind it.

Polling is our own loop around aiogram's `get_updates` and `Dispatcher.feed_update`: a batch
is processed (concurrently across chats, in order within a chat) and only then confirmed by
the next `offset`, so a crash or a database outage never loses a citizen's message
(DOMAIN.md §4). aiogram's `start_polling` confirms before its tasks finish. Webhook updates
arrive on the product's own aiohttp server and are answered only once handled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import Response
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramRetryAfter
from aiogram.methods import (
    AnswerCallbackQuery,
    CloseForumTopic,
    CreateForumTopic,
    EditForumTopic,
    EditMessageText,
    GetUpdates,
    SendChatAction,
    SendDocument,
    SendMessage,
    SendPhoto,
    SendVoice,
)
from aiogram.types import BotCommand, CallbackQuery, Message, Update
from pydantic import ValidationError

from bot.channels.menu import MENU_LANGUAGES, menu_commands
from bot.channels.telegram_aiogram.sender import AiogramSender
from bot.channels.telegram_events import chat_of, event_from_callback, event_from_message
from bot.channels.telegram_webhook import webhook_update
from bot.channels.turns import Core, TurnRunner, in_chat_order
from bot.domain.messages import Reply
from bot.i18n import Translator
from bot.services.sending import Destination, SendError
from handlers.events import IncomingEvent

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger("nghedan.telegram")

ALLOWED_UPDATES = ["message", "callback_query"]
CALLBACK_ANSWER_LIMIT = 200  # answerCallbackQuery text
STOP_GRACE = 10.0  # seconds a webhook turn in progress may take to finish on stop

# aiogram parses every answer as `Response[<result type>]`, and pydantic keeps such a
# parametrised model only while something references it: after each full garbage collection
# the next call rebuilt it (4 ms for getUpdates' here; py-spy under bench/intake.py: 7% of the
# product's samples). Referencing the ones we call keeps them built.
_RESPONSE_MODELS = [
    Response[method.__returning__]
    for method in (
        GetUpdates,
        SendMessage,
        AnswerCallbackQuery,
        SendChatAction,
        EditMessageText,
        SendPhoto,
        SendDocument,
        SendVoice,
        CreateForumTopic,
        EditForumTopic,
        CloseForumTopic,
    )
]


class TelegramChannel:
    name = "Telegram (aiogram)"

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
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
        self.bot = Bot(token, session=session, default=DefaultBotProperties())
        self.sender = AiogramSender(self.bot)
        self.translator = translator
        self.turns = TurnRunner(core, translator, typing=self.sender.chat_action, log=log)
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.polling_timeout = polling_timeout
        # Conversation state lives in the database (handlers/), so aiogram's FSM would only
        # cost a storage lookup per update.
        self.dispatcher = Dispatcher(disable_fsm=True)
        router = Router(name="core")
        router.message.register(self._on_message)
        router.callback_query.register(self._on_callback)
        self.dispatcher.include_router(router)
        self._polling: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self._closing = False

    # -- lifecycle ---------------------------------------------------------------------------
    def mount(self, app: web.Application, path: str) -> None:
        app.router.add_post(path, self._on_webhook)

    async def start(self) -> None:
        me = await self.bot.get_me()
        log.info("Telegram: connected as @%s", me.username)
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
            self._polling = asyncio.create_task(self._poll(), name="telegram-polling")
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
        await self.bot.session.close()

    async def _set_commands(self) -> None:
        for locale, language_code in MENU_LANGUAGES:
            commands = [
                BotCommand(command=name, description=description)
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
                    request_timeout=self.polling_timeout + 10,
                )
                backoff = 1.0
            except TelegramRetryAfter as error:
                await asyncio.sleep(error.retry_after)
                continue
            except (TelegramAPIError, TelegramNetworkError, TimeoutError) as error:
                # Network, 5xx, 409 from a second instance, a revoked token: keep trying,
                # loudly; a polling task that dies quietly leaves a bot that looks alive.
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
        from aiohttp import web

        data = await webhook_update(request, self.webhook_secret, closing=self._closing)
        if isinstance(data, web.Response):
            return data
        try:
            update = Update.model_validate(data, context={"bot": self.bot})
        except ValidationError:  # not an Update
            return web.Response(status=400)
        # Shielded: a dropped connection must not cut a turn in half; Telegram redelivers
        # it and the core recognises the update id.
        task = asyncio.create_task(self._process(update))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        await asyncio.shield(task)
        return web.json_response({})

    # -- one update --------------------------------------------------------------------------
    async def _process(self, update: Update) -> None:
        try:
            await self.dispatcher.feed_update(self.bot, update)
        except Exception:
            # The core has committed or refused by now; one bad update must not stop the rest.
            log.exception("Telegram: update %s not processed", update.update_id)

    async def _on_message(self, message: Message, event_update: Update) -> None:
        event = event_from_message(message, event_update.update_id)
        reply = await self.turns.handle(event)
        await self._render(event, reply)

    async def _on_callback(self, query: CallbackQuery, event_update: Update) -> None:
        event = event_from_callback(query, event_update.update_id)
        await self.turns.handle_press(
            event, lambda reply: self._answer(query, reply), self._render
        )

    async def _answer(self, query: CallbackQuery, reply: Reply) -> None:
        alert = reply.alert[:CALLBACK_ANSWER_LIMIT] if reply.alert else None
        try:
            await query.answer(text=alert, show_alert=reply.alert_is_error)
        except (TelegramAPIError, TelegramNetworkError) as error:
            # Too old to answer; the reply still goes out.
            log.debug("Telegram: callback %s not answered: %s", query.id, error)

    async def _render(self, event: IncomingEvent, reply: Reply) -> None:
        destination = Destination(chat_id=event.chat_id, thread_id=event.thread_id)
        for message in reply.messages:
            try:
                await self.sender.send(destination, message)
            except SendError as error:
                # The update id, not the chat: a chat id can name a denouncer (DESIGN.md).
                log.warning("Telegram: reply to update %s not sent: %s", event.update_id, error)


def channel_kwargs(settings: Any) -> dict[str, Any]:
    secret = settings.telegram_webhook_secret
    return {
        "token": settings.telegram_bot_token.get_secret_value(),
        "api_url": settings.telegram_api_url,
        "webhook_url": settings.telegram_webhook_url,
        "webhook_secret": secret.get_secret_value() if secret else None,
    }
