"""The port through which queued messages leave: each channel implements a `Sender`.

The delivery worker (bot/delivery.py) owns ordering, rate limits and retries; a sender only
translates one message into its platform's calls and reports the outcome in these terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.domain.messages import OutgoingMessage


@dataclass(frozen=True, slots=True)
class Destination:
    chat_id: str
    thread_id: int | None = None  # forum topic
    reply_to_message_id: int | None = None


@dataclass(frozen=True, slots=True)
class Sent:
    message_id: str  # of the (first) message the platform created or edited
    thread_id: int | None = None


class SendError(Exception):
    """Base of what a sender reports instead of a success."""


class RetryLater(SendError):
    """Rate limited: try again after `seconds` (Telegram's 429 `retry_after`)."""

    def __init__(self, seconds: float, detail: str = "") -> None:
        super().__init__(detail or f"retry after {seconds}s")
        self.seconds = seconds


class TransientFailure(SendError):
    """Network error, timeout or 5xx: retry with backoff."""


class Unreachable(SendError):
    """The user blocked the bot or the chat is gone: stop trying (403)."""


class PermanentFailure(SendError):
    """The platform refused the message itself (400): retrying cannot help."""


class NotModified(SendError):
    """An edit that changes nothing; counts as done."""


class EditImpossible(SendError):
    """The message to edit is gone or too old: send a new one instead."""


class ChatMigrated(SendError):
    """A group became a supergroup with a new id (Telegram's `migrate_to_chat_id`)."""

    def __init__(self, new_chat_id: str) -> None:
        super().__init__(f"chat migrated to {new_chat_id}")
        self.new_chat_id = new_chat_id


class Sender(Protocol):
    channel: str

    async def send(self, destination: Destination, message: OutgoingMessage) -> Sent:
        """Send (or, with `edit_message_id`, edit) one message; raise a SendError otherwise."""
        ...
