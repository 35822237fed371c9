"""Core messages to Bot API calls through aiogram; platform errors to the sending port's."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TypeVar

from aiogram import Bot
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BufferedInputFile,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)

from bot.channels.telegram_calls import EditText, SendFile, SendText, telegram_calls
from bot.domain.messages import OutgoingMessage
from bot.services.sending import (
    ChatMigrated,
    Destination,
    EditImpossible,
    NotModified,
    PermanentFailure,
    RetryLater,
    Sent,
    TransientFailure,
    Unreachable,
)

log = logging.getLogger("nghedan.telegram")

T = TypeVar("T")


Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply | None


def markup_of(message: OutgoingMessage) -> Markup:
    if message.choices:
        return InlineKeyboardMarkup(
            inline_keyboard=[
                [InlineKeyboardButton(text=c.label, callback_data=c.data) for c in row]
                for row in message.choices
            ]
        )
    keys = []
    if message.request_contact:
        keys.append([KeyboardButton(text=message.request_contact, request_contact=True)])
    if message.request_location:
        keys.append([KeyboardButton(text=message.request_location, request_location=True)])
    if keys:
        return ReplyKeyboardMarkup(keyboard=keys, resize_keyboard=True, one_time_keyboard=True)
    if message.force_reply:
        return ForceReply(selective=True)
    if message.remove_keyboard:
        return ReplyKeyboardRemove()
    return None


class AiogramSender:
    channel = "telegram"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, destination: Destination, message: OutgoingMessage) -> Sent:
        return await self._translated(self._send(destination, message))

    async def open_topic(self, chat_id: str, name: str) -> int:
        """A new forum topic (createForumTopic, needs `can_manage_topics`); its thread id."""
        topic = await self._translated(
            self.bot.create_forum_topic(chat_id=int(chat_id), name=name)
        )
        return int(topic.message_thread_id)

    async def rename_topic(self, chat_id: str, thread_id: int, name: str) -> None:
        await self._translated(
            self.bot.edit_forum_topic(chat_id=int(chat_id), message_thread_id=thread_id, name=name)
        )

    async def close_topic(self, chat_id: str, thread_id: int) -> None:
        await self._translated(
            self.bot.close_forum_topic(chat_id=int(chat_id), message_thread_id=thread_id)
        )

    async def _translated(self, call: Awaitable[T]) -> T:
        try:
            return await call
        except TelegramRetryAfter as error:
            raise RetryLater(float(error.retry_after), error.message) from error
        except TelegramMigrateToChat as error:
            raise ChatMigrated(str(error.migrate_to_chat_id)) from error
        except TelegramForbiddenError as error:
            raise Unreachable(error.message) from error
        except TelegramBadRequest as error:
            text = error.message.lower()
            if "message is not modified" in text:
                raise NotModified(error.message) from error
            if "message to edit not found" in text or "message can't be edited" in text:
                raise EditImpossible(error.message) from error
            if "chat not found" in text:
                raise Unreachable(error.message) from error
            raise PermanentFailure(error.message) from error
        except TelegramNotFound as error:
            raise PermanentFailure(error.message) from error
        except (TelegramServerError, TelegramNetworkError, TimeoutError) as error:
            raise TransientFailure(str(error)) from error

    async def _send(self, destination: Destination, message: OutgoingMessage) -> Sent:
        chat_id = int(destination.chat_id)
        markup = markup_of(message)
        first: Message | None = None
        for call in telegram_calls(message, destination):
            if isinstance(call, EditText):
                await self.bot.edit_message_text(
                    chat_id=chat_id,
                    message_id=call.message_id,
                    text=call.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
                )
                return Sent(str(call.message_id), destination.thread_id)
            if isinstance(call, SendText):
                sent = await self.bot.send_message(
                    chat_id=chat_id,
                    text=call.text,
                    parse_mode=ParseMode.HTML,
                    message_thread_id=destination.thread_id,
                    reply_parameters=_reply(call.reply_to),
                    reply_markup=markup if call.with_markup else None,
                )
            else:
                sent = await self._file(chat_id, destination, call)
            first = first or sent
        assert first is not None  # telegram_calls refuses an empty message
        return Sent(str(first.message_id), first.message_thread_id or destination.thread_id)

    async def _file(self, chat_id: int, destination: Destination, call: SendFile) -> Message:
        file = (
            call.file
            if isinstance(call.file, str)
            else BufferedInputFile(call.file, call.filename or "file")
        )
        send = {
            "photo": self.bot.send_photo,
            "document": self.bot.send_document,
            "voice": self.bot.send_voice,
        }[call.method]
        return await send(  # type: ignore[operator]
            chat_id,
            file,
            caption=call.caption,
            parse_mode=ParseMode.HTML if call.caption else None,
            message_thread_id=destination.thread_id,
            reply_parameters=_reply(call.reply_to),
        )

    async def chat_action(self, chat_id: str) -> None:
        """ "typing…"; its failures are the turn runner's to swallow (it is cosmetic)."""
        await self.bot.send_chat_action(chat_id=int(chat_id), action="typing")


def _reply(message_id: int | None) -> ReplyParameters | None:
    if message_id is None:
        return None
    return ReplyParameters(message_id=message_id, allow_sending_without_reply=True)
