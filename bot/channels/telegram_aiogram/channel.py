"""The Telegram channel on aiogram 3: polling or webhook, one core dispatcher behind it.

Polling is our own loop around aiogram's `get_updates` and `Dispatcher.feed_update`: a batch
is processed (concurrently across chats, in order within a chat) and only then confirmed by
the next `offset`, so a crash or a database outage never loses a citizen's message
(DOMAIN.md §4). aiogram's `start_polling` confirms before its tasks finish.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import Response
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
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
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from tenacity import (
    AsyncRetrying,
    retry_if_not_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from bot.channels.telegram_aiogram.sender import AiogramSender
from bot.channels.telegram_aiogram.updates import event_from_callback, event_from_message
from bot.domain.errors import DomainError
from bot.domain.messages import OutgoingMessage, Reply
from bot.i18n import Translator
from bot.services.sending import Destination, SendError
from handlers.dispatcher import Dispatcher as CoreDispatcher
from handlers.events import IncomingEvent

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger("nghedan.telegram")

ALLOWED_UPDATES = ["message", "callback_query"]
COMMANDS = ("start", "status", "my", "cancel", "language", "subscribe", "help")
TYPING_AFTER = 0.4  # seconds: show "typing…" only on slow steps

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
        core: CoreDispatcher,
        translator: Translator,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        polling_timeout: int = 25,
    ) -> None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
        self.bot = Bot(token, session=session, default=DefaultBotProperties())
        self.sender = AiogramSender(self.bot)
        self.core = core
        self.translator = translator
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.polling_timeout = polling_timeout
        self.dispatcher = Dispatcher()
        router = Router(name="core")
        router.message.register(self._on_message)
        router.callback_query.register(self._on_callback)
        self.dispatcher.include_router(router)
        self._polling: asyncio.Task[None] | None = None
        self._chat_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    # -- lifecycle ---------------------------------------------------------------------------
    def webhook_handler(self) -> SimpleRequestHandler:
        """Mounted on the product's web server; answers only after the update is handled."""
        return SimpleRequestHandler(
            dispatcher=self.dispatcher,
            bot=self.bot,
            handle_in_background=False,
            secret_token=self.webhook_secret,
        )

    def mount(self, app: web.Application, path: str) -> None:
        self.webhook_handler().register(app, path=path)

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
        if self._polling is not None:
            self._polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._polling
            self._polling = None
        await self.bot.session.close()

    async def _set_commands(self) -> None:
        t = self.translator
        for locale, language_code in (("vi", None), ("vi", "vi"), ("en", "en")):
            commands = [
                BotCommand(command=name, description=t.plain(locale, f"command-{name}"))
                for name in COMMANDS
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
            except (TelegramNetworkError, TelegramServerError, TimeoutError) as error:
                log.warning("Telegram: getUpdates failed (%s); retrying in %.0fs", error, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            if not updates:
                continue
            await self._process_batch(updates)
            offset = updates[-1].update_id + 1  # confirmed by the next call, after commit

    async def _process_batch(self, updates: list[Update]) -> None:
        by_chat: defaultdict[str, list[Update]] = defaultdict(list)
        for update in updates:
            by_chat[_chat_of(update)].append(update)

        async def run_chat(chat_updates: list[Update]) -> None:
            for update in chat_updates:
                await self.dispatcher.feed_update(self.bot, update)

        await asyncio.gather(*(run_chat(batch) for batch in by_chat.values()))

    # -- handlers ----------------------------------------------------------------------------
    async def _on_message(self, message: Message, event_update: Update) -> None:
        event = event_from_message(message, event_update.update_id)
        reply = await self._handle(event)
        await self._render(event, reply)

    async def _on_callback(self, query: CallbackQuery, event_update: Update) -> None:
        event = event_from_callback(query, event_update.update_id)
        reply = await self._handle(event) if event is not None else Reply()
        alert = reply.alert[:200] if reply.alert else None  # answerCallbackQuery text limit
        with contextlib.suppress(Exception):
            await query.answer(text=alert, show_alert=reply.alert_is_error)
        if event is not None:
            await self._render(event, reply)

    async def _handle(self, event: IncomingEvent) -> Reply:
        lock = self._chat_locks[event.chat_id]
        async with lock:
            typing = asyncio.create_task(self._typing_later(event))
            try:
                async for attempt in AsyncRetrying(
                    retry=retry_if_not_exception_type(DomainError),
                    stop=stop_after_attempt(3),
                    wait=wait_exponential_jitter(multiplier=0.2, max=2, jitter=0.2),
                    reraise=True,
                ):
                    with attempt:
                        return await self.core.handle(event)
            except Exception:
                log.exception("Telegram: update %s failed", event.update_id)
                return self._apology(event)
            finally:
                typing.cancel()
        raise AssertionError("unreachable")

    def _apology(self, event: IncomingEvent) -> Reply:
        # Said plainly, so the citizen knows to send it again; nothing is silently dropped.
        text = self.translator(None, "error-generic")
        return Reply(messages=[OutgoingMessage(text=text)], alert=text, alert_is_error=True)

    async def _typing_later(self, event: IncomingEvent) -> None:
        await asyncio.sleep(TYPING_AFTER)
        if event.is_private:
            await self.sender.chat_action(event.chat_id)

    async def _render(self, event: IncomingEvent, reply: Reply) -> None:
        destination = Destination(chat_id=event.chat_id, thread_id=event.thread_id)
        for message in reply.messages:
            try:
                await self.sender.send(destination, message)
            except SendError as error:
                log.warning("Telegram: reply to %s not sent: %s", event.chat_id, error)


def _chat_of(update: Update) -> str:
    if update.message is not None:
        return str(update.message.chat.id)
    if update.callback_query is not None and update.callback_query.message is not None:
        return str(update.callback_query.message.chat.id)
    return f"update:{update.update_id}"


def channel_kwargs(settings: Any) -> dict[str, Any]:
    secret = settings.telegram_webhook_secret
    return {
        "token": settings.telegram_bot_token.get_secret_value(),
        "api_url": settings.telegram_api_url,
        "webhook_url": settings.telegram_webhook_url,
        "webhook_secret": secret.get_secret_value() if secret else None,
    }
