"""Core messages to Bot API calls through python-telegram-bot; its errors to the sending port's."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.error import ChatMigrated as PtbChatMigrated

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


Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply | None


def markup_of(message: OutgoingMessage) -> Markup:
    if message.choices:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(c.label, callback_data=c.data) for c in row]
                for row in message.choices
            ]
        )
    keys = []
    if message.request_contact:
        keys.append([KeyboardButton(message.request_contact, request_contact=True)])
    if message.request_location:
        keys.append([KeyboardButton(message.request_location, request_location=True)])
    if keys:
        return ReplyKeyboardMarkup(keys, resize_keyboard=True, one_time_keyboard=True)
    if message.force_reply:
        return ForceReply(selective=True)
    if message.remove_keyboard:
        return ReplyKeyboardRemove()
    return None


def seconds_of(period: int | float | timedelta) -> float:
    """PTB 22 gives `retry_after` as a timedelta with PTB_TIMEDELTA set, as an int before."""
    if isinstance(period, timedelta):
        return period.total_seconds()
    return float(period)


class PtbSender:
    channel = "telegram"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, destination: Destination, message: OutgoingMessage) -> Sent:
        try:
            return await self._send(destination, message)
        except RetryAfter as error:
            raise RetryLater(seconds_of(error.retry_after), error.message) from error
        except PtbChatMigrated as error:
            raise ChatMigrated(str(error.new_chat_id)) from error
        except Forbidden as error:
            raise Unreachable(error.message) from error
        except BadRequest as error:  # before NetworkError: PTB derives it from NetworkError
            raise _bad_request(error) from error
        except NetworkError as error:  # TimedOut included; 5xx answers arrive as NetworkError
            raise TransientFailure(error.message) from error
        except InvalidToken as error:
            raise PermanentFailure(error.message) from error
        except TelegramError as error:
            # Conflict, or an answer that is not the Bot API's JSON (a proxy's error page).
            raise TransientFailure(error.message) from error

    async def _send(self, destination: Destination, message: OutgoingMessage) -> Sent:
        chat_id = int(destination.chat_id)
        markup = markup_of(message)
        first: Message | None = None
        for call in telegram_calls(message, destination):
            if isinstance(call, EditText):
                await self.bot.edit_message_text(
                    call.text,
                    chat_id=chat_id,
                    message_id=call.message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
                )
                return Sent(str(call.message_id), destination.thread_id)
            if isinstance(call, SendText):
                sent = await self.bot.send_message(
                    chat_id,
                    call.text,
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
        file: Any = (
            call.file
            if isinstance(call.file, str)
            else InputFile(call.file, filename=call.filename)
        )
        send = {
            "photo": self.bot.send_photo,
            "document": self.bot.send_document,
            "voice": self.bot.send_voice,
        }[call.method]
        return await send(
            chat_id,
            file,
            caption=call.caption,
            parse_mode=ParseMode.HTML if call.caption else None,
            message_thread_id=destination.thread_id,
            reply_parameters=_reply(call.reply_to),
        )

    async def chat_action(self, chat_id: str) -> None:
        try:
            await self.bot.send_chat_action(int(chat_id), ChatAction.TYPING)
        except TelegramError as error:  # a missing "typing…" is not worth a retry or a warning
            log.debug("typing indicator not shown: %s", error)


def _bad_request(error: BadRequest) -> Exception:
    text = error.message.lower()
    if "message is not modified" in text:
        return NotModified(error.message)
    if "message to edit not found" in text or "message can't be edited" in text:
        return EditImpossible(error.message)
    if "chat not found" in text:
        return Unreachable(error.message)
    return PermanentFailure(error.message)


def _reply(message_id: int | None) -> ReplyParameters | None:
    if message_id is None:
        return None
    return ReplyParameters(message_id, allow_sending_without_reply=True)
