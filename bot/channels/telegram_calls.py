"""What a core message becomes on Telegram: the Bot API calls, in order, whatever the library.

aiogram's and python-telegram-bot's senders execute this list with their own types, and the
delivery worker counts it to stay within Telegram's flood limits.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from bot.channels.html_text import split_html
from bot.domain.messages import OutgoingAttachment, OutgoingMessage
from bot.services.sending import Destination, PermanentFailure

TEXT_LIMIT = 4096  # sendMessage; counted after entity parsing, so the raw length is safe
CAPTION_LIMIT = 1024


@dataclass(frozen=True, slots=True)
class EditText:
    message_id: int
    text: str


@dataclass(frozen=True, slots=True)
class SendText:
    text: str
    reply_to: int | None  # only the first piece answers the message it replies to
    with_markup: bool  # only the last piece carries the keyboard, below the whole text


@dataclass(frozen=True, slots=True)
class SendFile:
    method: str  # photo, document, voice: sendPhoto, sendDocument, sendVoice
    file: str | bytes  # a Telegram file id or an http(s) URL, or content to upload
    filename: str | None
    caption: str | None
    reply_to: int | None


TelegramCall = EditText | SendText | SendFile


def telegram_calls(message: OutgoingMessage, destination: Destination) -> list[TelegramCall]:
    """The calls for `message`; PermanentFailure when Telegram could not take it at all."""
    if message.edit_message_id is not None:
        if not message.text.strip():
            raise PermanentFailure("an edit needs text")
        return [EditText(message.edit_message_id, split_html(message.text, TEXT_LIMIT)[0])]
    reply_to = message.reply_to_message_id or destination.reply_to_message_id
    pieces = split_html(message.text, TEXT_LIMIT) if message.text.strip() else []
    calls: list[TelegramCall] = [
        SendText(piece, reply_to if index == 0 else None, index == len(pieces) - 1)
        for index, piece in enumerate(pieces)
    ]
    calls += [_file_call(attachment, reply_to) for attachment in message.attachments]
    if not calls:
        raise PermanentFailure("empty message")
    return calls


def _file_call(attachment: OutgoingAttachment, reply_to: int | None) -> SendFile:
    caption = attachment.caption[:CAPTION_LIMIT] if attachment.caption else None
    if attachment.channel == "inline" and attachment.data is not None:
        method = "photo" if attachment.kind == "photo" else "document"
        content = base64.b64decode(attachment.data)
        return SendFile(method, content, attachment.file_id, caption, reply_to)
    if attachment.channel == "telegram":
        method = attachment.kind if attachment.kind in ("photo", "voice") else "document"
        return SendFile(method, attachment.file_id, None, caption, reply_to)
    if attachment.file_id.startswith(("http://", "https://")):
        # Zalo photos arrive as URLs; Telegram fetches them itself.
        return SendFile("photo", attachment.file_id, None, caption, reply_to)
    raise PermanentFailure(f"cannot send a {attachment.channel} file to Telegram")


def call_count(message: OutgoingMessage) -> int:
    """How many calls sending `message` costs (at least one: a refusal is a call too)."""
    try:
        return len(telegram_calls(message, Destination(chat_id="")))
    except PermanentFailure:
        return 1
