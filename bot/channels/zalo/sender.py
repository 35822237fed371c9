"""Core messages to Zalo Bot Platform calls; platform errors to the sending port's.

Zalo has no buttons, no HTML and no message editing (DOMAIN.md §5): choices become a numbered
list under the text (typing the number or the label selects one, handlers/context.py), markup
is stripped, an edit is sent as a new message, and keyboard hints (share my phone, force reply)
are dropped, since the questions also say what to type.
"""

from __future__ import annotations

import logging
import re

from bot.channels.html_text import strip_html
from bot.channels.zalo.api import ZaloApi, ZaloApiError, ZaloNetworkError
from bot.domain.messages import OutgoingAttachment, OutgoingMessage
from bot.services.sending import (
    Destination,
    PermanentFailure,
    RetryLater,
    Sent,
    TransientFailure,
    Unreachable,
)

log = logging.getLogger("nghedan.zalo")

TEXT_LIMIT = 2000  # sendMessage text and sendPhoto caption: 1-2,000 characters
DEFAULT_RETRY_AFTER = 5.0
_RETRY_AFTER = re.compile(r"retry after (\d+(?:\.\d+)?)", re.IGNORECASE)


def render_text(message: OutgoingMessage) -> str:
    """The message as Zalo shows it: plain text, then the choices numbered one per line."""
    text = strip_html(message.text).strip()
    choices = message.choice_list()
    if choices:
        numbered = "\n".join(
            f"{number}. {strip_html(choice.label)}" for number, choice in enumerate(choices, 1)
        )
        text = f"{text}\n\n{numbered}" if text else numbered
    return text


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, cut at a paragraph, a line or a word if possible."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut > limit // 2:
                break
        if cut <= limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return [piece for piece in pieces if piece]


def photo_url_of(attachment: OutgoingAttachment) -> str | None:
    """sendPhoto takes an http(s) URL only: Zalo's own photos, or any photo given by URL."""
    if attachment.kind != "photo" or attachment.data is not None:
        return None
    if attachment.file_id.startswith(("https://", "http://")):
        return attachment.file_id
    return None


class ZaloSender:
    channel = "zalo"

    def __init__(self, api: ZaloApi) -> None:
        self.api = api

    async def send(self, destination: Destination, message: OutgoingMessage) -> Sent:
        try:
            return await self._send(destination, message)
        except ZaloApiError as error:
            raise _failure(error) from error
        except ZaloNetworkError as error:
            raise TransientFailure(str(error)) from error

    async def _send(self, destination: Destination, message: OutgoingMessage) -> Sent:
        chat_id = destination.chat_id
        first: str | None = None
        for piece in split_text(render_text(message)):
            result = await self.api.call("sendMessage", {"chat_id": chat_id, "text": piece})
            first = first or _message_id(result)
        for attachment in message.attachments:
            url = photo_url_of(attachment)
            if url is None:
                # Files from Telegram or the web chat have no URL Zalo could fetch.
                log.info("Zalo: %s from %s skipped", attachment.kind, attachment.channel)
                continue
            params = {"chat_id": chat_id, "photo": url}
            caption = strip_html(attachment.caption or "").strip()
            if caption:
                params["caption"] = caption[:TEXT_LIMIT]
            result = await self.api.call("sendPhoto", params)
            first = first or _message_id(result)
        if first is None:
            raise PermanentFailure("nothing Zalo can show in this message")
        return Sent(first)

    async def chat_action(self, chat_id: str) -> None:
        try:
            await self.api.call("sendChatAction", {"chat_id": chat_id, "action": "typing"})
        except (ZaloApiError, ZaloNetworkError):
            log.debug("Zalo: typing indicator not shown")


def _message_id(result: object) -> str:
    if isinstance(result, dict) and result.get("message_id"):
        return str(result["message_id"])
    return ""


def _failure(error: ZaloApiError) -> Exception:
    code = error.error_code
    if code == 429:
        match = _RETRY_AFTER.search(error.description)
        return RetryLater(float(match[1]) if match else DEFAULT_RETRY_AFTER, str(error))
    if code in (403, 404):
        # The user blocked the bot, stopped following it, or the id is unknown.
        return Unreachable(str(error))
    if code == 401 or code >= 500 or code in (0, 408):
        # A revoked token is the operator's to fix; the message itself is fine.
        return TransientFailure(str(error))
    return PermanentFailure(str(error))
