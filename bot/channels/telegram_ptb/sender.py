"""Core messages to Bot API calls through python-telegram-bot; its errors to the sending port's."""

from __future__ import annotations

import base64
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

from bot.channels.html_text import split_html
from bot.domain.messages import OutgoingAttachment, OutgoingMessage
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

TEXT_LIMIT = 4096  # Bot API sendMessage; counted after entity parsing, so raw length is safe
CAPTION_LIMIT = 1024

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
        if message.edit_message_id is not None:
            markup = markup_of(message)
            pieces = split_html(message.text, TEXT_LIMIT)
            await self.bot.edit_message_text(
                pieces[0] if pieces else message.text,  # Telegram refuses an empty text itself
                chat_id=chat_id,
                message_id=message.edit_message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
            )
            return Sent(str(message.edit_message_id), destination.thread_id)
        reply_to = message.reply_to_message_id or destination.reply_to_message_id
        first: Message | None = None
        pieces = split_html(message.text, TEXT_LIMIT) if message.text.strip() else []
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            sent = await self.bot.send_message(
                chat_id,
                piece,
                parse_mode=ParseMode.HTML,
                message_thread_id=destination.thread_id,
                reply_parameters=_reply(reply_to) if index == 0 else None,
                reply_markup=markup_of(message) if last else None,
            )
            first = first or sent
        for attachment in message.attachments:
            sent = await self._attachment(chat_id, destination, attachment, reply_to)
            first = first or sent
        if first is None:
            raise PermanentFailure("empty message")
        return Sent(str(first.message_id), first.message_thread_id or destination.thread_id)

    async def _attachment(
        self,
        chat_id: int,
        destination: Destination,
        attachment: OutgoingAttachment,
        reply_to: int | None,
    ) -> Message:
        caption = attachment.caption[:CAPTION_LIMIT] if attachment.caption else None
        common: dict[str, Any] = {
            "chat_id": chat_id,
            "caption": caption,
            "parse_mode": ParseMode.HTML if caption else None,
            "message_thread_id": destination.thread_id,
            "reply_parameters": _reply(reply_to),
        }
        if attachment.channel == "inline" and attachment.data is not None:
            upload = InputFile(base64.b64decode(attachment.data), filename=attachment.file_id)
            if attachment.kind == "photo":
                return await self.bot.send_photo(photo=upload, **common)
            return await self.bot.send_document(document=upload, **common)
        if attachment.channel == "telegram":
            if attachment.kind == "photo":
                return await self.bot.send_photo(photo=attachment.file_id, **common)
            if attachment.kind == "voice":
                return await self.bot.send_voice(voice=attachment.file_id, **common)
            return await self.bot.send_document(document=attachment.file_id, **common)
        if attachment.file_id.startswith(("http://", "https://")):
            # Zalo photos arrive as URLs; Telegram fetches them itself.
            return await self.bot.send_photo(photo=attachment.file_id, **common)
        raise PermanentFailure(f"cannot send a {attachment.channel} file to Telegram")

    async def chat_action(self, chat_id: str) -> None:
        try:
            await self.bot.send_chat_action(int(chat_id), ChatAction.TYPING)
        except TelegramError as error:  # a missing "typing…" is not worth a retry or a warning
            log.debug("typing indicator not shown in %s: %s", chat_id, error)


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
