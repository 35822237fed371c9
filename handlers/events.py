"""What a channel hands the core: one incoming event, transport-neutral."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True, slots=True)
class Sender:
    id: str  # the platform's user id, as text
    display_name: str = ""
    username: str | None = None
    language_code: str | None = None


@dataclass(frozen=True, slots=True)
class IncomingAttachment:
    kind: str  # photo, document, voice
    file_id: str
    file_unique_id: str | None = None
    mime_type: str | None = None
    file_name: str | None = None
    size: int | None = None


@dataclass(frozen=True, slots=True)
class IncomingEvent:
    channel: str  # telegram, zalo, web
    chat_id: str
    sender: Sender
    chat_kind: ChatKind = ChatKind.PRIVATE
    update_id: str | None = None  # for de-duplication; None when the channel has none
    text: str | None = None  # message text or caption
    choice: str | None = None  # callback data of a pressed button
    message_id: int | None = None  # the incoming message, or the message whose button it was
    reply_to_message_id: int | None = None
    thread_id: int | None = None  # forum topic
    contact_phone: str | None = None
    contact_user_id: str | None = None  # whose contact it is (Telegram says)
    location: tuple[float, float] | None = None
    attachments: tuple[IncomingAttachment, ...] = field(default_factory=tuple)
    unsupported: bool = False  # Zalo: a file, sticker or location arrived without content

    @property
    def command(self) -> str | None:
        """`/status PA26-00001` -> "status"; `/start@MyBot pa` -> "start"."""
        if not self.text or not self.text.startswith("/"):
            return None
        head = self.text.split(maxsplit=1)[0][1:]
        return head.split("@", 1)[0].lower() or None

    @property
    def command_args(self) -> str:
        if not self.command or not self.text:
            return ""
        parts = self.text.split(maxsplit=1)
        return parts[1].strip() if len(parts) > 1 else ""

    @property
    def is_private(self) -> bool:
        return self.chat_kind is ChatKind.PRIVATE
