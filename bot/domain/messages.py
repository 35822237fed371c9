"""What the core says, independent of any chat platform.

Text is the small HTML subset every channel can render or strip (<b>, <i>, <code>); everything
that came from a user is escaped before it gets here (see bot/i18n.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Choice:
    label: str
    data: str  # callback data: at most 64 bytes on Telegram


@dataclass(frozen=True, slots=True)
class OutgoingAttachment:
    kind: str  # photo, document, voice
    channel: str  # where file_id is valid
    file_id: str  # the platform's file id; with `data`, the file name
    caption: str | None = None
    data: str | None = None  # base64 content for files the bot makes (a chart): channel "inline"


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    text: str
    choices: tuple[tuple[Choice, ...], ...] = ()
    attachments: tuple[OutgoingAttachment, ...] = ()
    force_reply: bool = False
    request_contact: str | None = None  # label of a "share my phone" key
    request_location: str | None = None  # label of a "share my location" key
    remove_keyboard: bool = False
    reply_to_message_id: int | None = None
    edit_message_id: int | None = None  # edit this message instead of sending a new one
    alert: str | None = None  # answer to a pressed button (shown as a toast)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutgoingMessage:
        return cls(
            text=data["text"],
            choices=tuple(tuple(Choice(**c) for c in row) for row in data.get("choices", ())),
            attachments=tuple(OutgoingAttachment(**a) for a in data.get("attachments", ())),
            force_reply=data.get("force_reply", False),
            request_contact=data.get("request_contact"),
            request_location=data.get("request_location"),
            remove_keyboard=data.get("remove_keyboard", False),
            reply_to_message_id=data.get("reply_to_message_id"),
            edit_message_id=data.get("edit_message_id"),
            alert=data.get("alert"),
        )

    def choice_list(self) -> list[Choice]:
        return [c for row in self.choices for c in row]


def choices_rows(*rows: list[Choice] | tuple[Choice, ...]) -> tuple[tuple[Choice, ...], ...]:
    return tuple(tuple(row) for row in rows if row)


@dataclass(slots=True)
class Reply:
    """A handler's answer: messages to the chat it came from, plus an optional button toast."""

    messages: list[OutgoingMessage] = field(default_factory=list)
    alert: str | None = None
    alert_is_error: bool = False
