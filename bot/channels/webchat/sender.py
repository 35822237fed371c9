"""The sending port for the web chat: a core message becomes a message in a web pane.

When Telegram is off it also plays the units' Telegram groups (outbox rows of channel
"telegram" whose chat id is a unit's `telegram_chat_id`), so cards appear in the group pane.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.channels.webchat.files import UnsupportedFile, Uploads
from bot.channels.webchat.store import ChatMessage, ChatStore, safe_html
from bot.domain.messages import OutgoingAttachment, OutgoingMessage
from bot.services.sending import Destination, EditImpossible, PermanentFailure, Sent


class WebSender:
    channel = "web"

    def __init__(self, store: ChatStore, uploads: Uploads, now: Callable[[], datetime]) -> None:
        self.store = store
        self.uploads = uploads
        self.now = now

    async def send(self, destination: Destination, message: OutgoingMessage) -> Sent:
        chat = destination.chat_id
        choices = [[{"label": c.label, "data": c.data} for c in row] for row in message.choices]
        if message.edit_message_id is not None:
            existing = self.store.get(chat, message.edit_message_id)
            if existing is None or existing.author != "bot":
                raise EditImpossible(f"no message {message.edit_message_id} in {chat}")
            # Like Telegram's editMessageText: new text, and the keyboard given (or none).
            existing.html = safe_html(message.text)
            existing.choices = choices
            self.store.replace(existing)
            return Sent(str(existing.id), destination.thread_id)
        attachments = [self._attachment(a) for a in message.attachments]
        if not message.text.strip() and not attachments:
            raise PermanentFailure("empty message")
        stored = self.store.add(
            ChatMessage(
                id=0,
                chat=chat,
                author="bot",
                at=self.now().isoformat(),
                html=safe_html(message.text),
                choices=choices,
                attachments=attachments,
                reply_to=message.reply_to_message_id or destination.reply_to_message_id,
                force_reply=message.force_reply,
                request_contact=message.request_contact,
                request_location=message.request_location,
                remove_keyboard=message.remove_keyboard,
            )
        )
        return Sent(str(stored.id), destination.thread_id)

    def _attachment(self, attachment: OutgoingAttachment) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "kind": attachment.kind,
            "url": None,
            "caption": safe_html(attachment.caption) if attachment.caption else "",
        }
        if attachment.channel == "web" and self.uploads.find(attachment.file_id):
            shown["url"] = self.uploads.url(attachment.file_id)
        elif attachment.channel == "inline" and attachment.data is not None:
            # A file the bot made (a chart): stored like an upload so the page can load it.
            try:
                stored = self.uploads.save(base64.b64decode(attachment.data))
            except (binascii.Error, UnsupportedFile) as error:
                raise PermanentFailure(f"inline file unusable: {error}") from error
            shown["url"] = self.uploads.url(stored.name)
        return shown
