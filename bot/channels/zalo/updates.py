"""Zalo Bot Platform updates to the core's IncomingEvent.

An update is `{"event_name", "message"}` (DOMAIN.md §5). Files, contacts and locations arrive
as `message.unsupported.received` without their content, so they become `unsupported` events
and the conversation asks for the same thing in text.
"""

from __future__ import annotations

from typing import Any

from handlers.events import ChatKind, IncomingAttachment, IncomingEvent, Sender

CHANNEL = "zalo"
TEXT = "message.text.received"
IMAGE = "message.image.received"


def unwrap(body: Any) -> dict[str, Any] | None:
    """The update in a webhook body: live traffic is flat, the documentation wraps it in
    `{"ok": true, "result": ...}`; getUpdates answers the latter's `result`."""
    if not isinstance(body, dict):
        return None
    if "message" not in body and isinstance(body.get("result"), dict):
        body = body["result"]
    return body if isinstance(body.get("message"), dict) else None


def event_from_update(update: dict[str, Any]) -> IncomingEvent | None:
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    author = message.get("from") if isinstance(message.get("from"), dict) else {}
    if author.get("is_bot"):
        return None
    chat_id = str(chat.get("id") or author.get("id") or "")
    if not chat_id:
        return None
    name = update.get("event_name")
    message_id = message.get("message_id")
    base: dict[str, Any] = {
        "channel": CHANNEL,
        "chat_id": chat_id,
        "sender": Sender(
            id=str(author.get("id") or chat_id),
            display_name=str(author.get("display_name") or author.get("first_name") or ""),
        ),
        "chat_kind": _chat_kind(chat.get("chat_type")),
        # Zalo's message ids are hex strings; they are the only key to de-duplicate on.
        "update_id": str(message_id) if message_id else None,
    }
    text = message.get("text")
    if (name == TEXT or name is None) and isinstance(text, str):
        return IncomingEvent(**base, text=text)
    photo_url = message.get("photo_url")
    if name == IMAGE and isinstance(photo_url, str) and photo_url:
        caption = message.get("caption")
        return IncomingEvent(
            **base,
            text=caption if isinstance(caption, str) and caption else None,
            # sendPhoto takes URLs only, so the URL is the file id this channel can resend.
            attachments=(IncomingAttachment(kind="photo", file_id=photo_url),),
        )
    return IncomingEvent(**base, unsupported=True)


def _chat_kind(chat_type: Any) -> ChatKind:
    if isinstance(chat_type, str) and chat_type and chat_type.upper() != "PRIVATE":
        return ChatKind.GROUP
    return ChatKind.PRIVATE
