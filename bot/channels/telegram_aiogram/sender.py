"""Core messages to Bot API calls through aiogram; platform errors to the sending port's."""

from __future__ import annotations

import base64
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

T = TypeVar("T")

TEXT_LIMIT = 4096  # Bot API sendMessage; counted after entity parsing, so raw length is safe
CAPTION_LIMIT = 1024

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
        if message.edit_message_id is not None:
            if not message.text.strip():
                raise PermanentFailure("an edit needs text")
            markup = markup_of(message)
            await self.bot.edit_message_text(
                chat_id=chat_id,
                message_id=message.edit_message_id,
                text=split_html(message.text, TEXT_LIMIT)[0],
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
                chat_id=chat_id,
                text=piece,
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
        common = {
            "chat_id": chat_id,
            "caption": caption,
            "parse_mode": ParseMode.HTML if caption else None,
            "message_thread_id": destination.thread_id,
            "reply_parameters": _reply(reply_to),
        }
        if attachment.channel == "inline" and attachment.data is not None:
            file = BufferedInputFile(base64.b64decode(attachment.data), attachment.file_id)
            if attachment.kind == "photo":
                return await self.bot.send_photo(photo=file, **common)
            return await self.bot.send_document(document=file, **common)
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
        """ "typing…"; its failures are the turn runner's to swallow (it is cosmetic)."""
        await self.bot.send_chat_action(chat_id=int(chat_id), action="typing")


def _reply(message_id: int | None) -> ReplyParameters | None:
    if message_id is None:
        return None
    return ReplyParameters(message_id=message_id, allow_sending_without_reply=True)
