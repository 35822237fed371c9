"""Telegram's Message, CallbackQuery and Update to the core's IncomingEvent.

aiogram and python-telegram-bot both mirror the Bot API's field names, so one translation
serves both adapters; each passes its own objects in.
"""

from __future__ import annotations

from typing import Any

from handlers.events import ChatKind, IncomingAttachment, IncomingEvent, Sender

CHANNEL = "telegram"


def sender_of(user: Any) -> Sender:
    if user is None:
        return Sender(id="0")
    return Sender(
        id=str(user.id),
        display_name=user.full_name,
        username=user.username,
        language_code=user.language_code,
    )


def _chat_kind(chat_type: str) -> ChatKind:
    return ChatKind.PRIVATE if chat_type == "private" else ChatKind.GROUP


def _attachment(kind: str, file: Any, mime_type: str | None) -> IncomingAttachment:
    return IncomingAttachment(
        kind=kind,
        file_id=file.file_id,
        file_unique_id=file.file_unique_id,
        mime_type=mime_type,
        file_name=getattr(file, "file_name", None),
        size=file.file_size,
    )


def attachments_of(message: Any) -> tuple[IncomingAttachment, ...]:
    found: list[IncomingAttachment] = []
    if message.photo:
        found.append(_attachment("photo", message.photo[-1], "image/jpeg"))  # the largest size
    if message.document:
        found.append(_attachment("document", message.document, message.document.mime_type))
    if message.voice:
        found.append(_attachment("voice", message.voice, message.voice.mime_type))
    return tuple(found)


def _thread_of(message: Any) -> int | None:
    # Only a forum topic's messages have a thread; an inaccessible (too old) message has none.
    return message.message_thread_id if getattr(message, "is_topic_message", False) else None


def event_from_message(message: Any, update_id: int) -> IncomingEvent:
    contact = message.contact
    location = message.location
    return IncomingEvent(
        channel=CHANNEL,
        chat_id=str(message.chat.id),
        sender=sender_of(message.from_user),
        chat_kind=_chat_kind(message.chat.type),
        update_id=str(update_id),
        text=message.text or message.caption,
        message_id=message.message_id,
        reply_to_message_id=(
            message.reply_to_message.message_id if message.reply_to_message else None
        ),
        thread_id=_thread_of(message),
        contact_phone=contact.phone_number if contact else None,
        contact_user_id=str(contact.user_id) if contact and contact.user_id else None,
        location=(location.latitude, location.longitude) if location else None,
        attachments=attachments_of(message),
        unsupported=bool(message.sticker or message.video or message.audio or message.video_note),
    )


def event_from_callback(query: Any, update_id: int) -> IncomingEvent | None:
    message = query.message
    if message is None:
        return None
    return IncomingEvent(
        channel=CHANNEL,
        chat_id=str(message.chat.id),
        sender=sender_of(query.from_user),
        chat_kind=_chat_kind(message.chat.type),
        update_id=str(update_id),
        choice=query.data or "",
        message_id=message.message_id,
        thread_id=_thread_of(message),
    )


def chat_of(update: Any) -> str:
    """The chat an update belongs to, for ordering; a chatless update is its own queue."""
    if update.message is not None:
        return str(update.message.chat.id)
    if update.callback_query is not None and update.callback_query.message is not None:
        return str(update.callback_query.message.chat.id)
    return f"update:{update.update_id}"
