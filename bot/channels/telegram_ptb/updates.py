"""python-telegram-bot's Message and CallbackQuery to the core's IncomingEvent."""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update, User
from telegram.constants import ChatType

from handlers.events import ChatKind, IncomingAttachment, IncomingEvent, Sender

CHANNEL = "telegram"


def sender_of(user: User | None) -> Sender:
    if user is None:
        return Sender(id="0")
    return Sender(
        id=str(user.id),
        display_name=user.full_name,
        username=user.username,
        language_code=user.language_code,
    )


def _chat_kind(chat_type: str) -> ChatKind:
    return ChatKind.PRIVATE if chat_type == ChatType.PRIVATE else ChatKind.GROUP


def attachments_of(message: Message) -> tuple[IncomingAttachment, ...]:
    found: list[IncomingAttachment] = []
    if message.photo:
        largest = message.photo[-1]
        found.append(
            IncomingAttachment(
                kind="photo",
                file_id=largest.file_id,
                file_unique_id=largest.file_unique_id,
                mime_type="image/jpeg",
                size=largest.file_size,
            )
        )
    if message.document:
        doc = message.document
        found.append(
            IncomingAttachment(
                kind="document",
                file_id=doc.file_id,
                file_unique_id=doc.file_unique_id,
                mime_type=doc.mime_type,
                file_name=doc.file_name,
                size=doc.file_size,
            )
        )
    if message.voice:
        voice = message.voice
        found.append(
            IncomingAttachment(
                kind="voice",
                file_id=voice.file_id,
                file_unique_id=voice.file_unique_id,
                mime_type=voice.mime_type,
                size=voice.file_size,
            )
        )
    return tuple(found)


def event_from_message(message: Message, update_id: int) -> IncomingEvent:
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
        thread_id=message.message_thread_id if message.is_topic_message else None,
        contact_phone=contact.phone_number if contact else None,
        contact_user_id=str(contact.user_id) if contact and contact.user_id else None,
        location=(location.latitude, location.longitude) if location else None,
        attachments=attachments_of(message),
        unsupported=bool(message.sticker or message.video or message.audio or message.video_note),
    )


def event_from_callback(query: CallbackQuery, update_id: int) -> IncomingEvent | None:
    message = query.message
    if message is None:
        return None
    # An InaccessibleMessage (too old to read) still names its chat and id.
    is_message = isinstance(message, Message)
    return IncomingEvent(
        channel=CHANNEL,
        chat_id=str(message.chat.id),
        sender=sender_of(query.from_user),
        chat_kind=_chat_kind(message.chat.type),
        update_id=str(update_id),
        choice=query.data or "",
        message_id=message.message_id,
        thread_id=message.message_thread_id if is_message and message.is_topic_message else None,
    )


def chat_of(update: Update) -> str:
    """The chat an update belongs to, for ordering; a chatless update is its own queue."""
    if update.message is not None:
        return str(update.message.chat.id)
    if update.callback_query is not None and update.callback_query.message is not None:
        return str(update.callback_query.message.chat.id)
    return f"update:{update.update_id}"
