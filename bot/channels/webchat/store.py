"""The web chat's message history: per-chat incrementing message ids, edits in place, and an
append-only JSON Lines file so a reload or a restart shows the same conversation.

Message ids must outlive a restart: the delivery worker stores the id of each card it sends
(`tickets.card_message_id`) and later edits that message, and officers reply to it.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

log = logging.getLogger("nghedan.webchat")

HISTORY_LIMIT = 500  # messages per chat sent to a page


@dataclass(slots=True)
class ChatMessage:
    id: int
    chat: str
    author: str  # "bot" or "user"
    at: str  # ISO-8601
    html: str = ""  # sanitised: only <b>, <i>, <u>, <s>, <code>, <pre>, <a href>
    name: str = ""  # who wrote it (an officer's label in a group)
    sender_id: str | None = None
    choices: list[list[dict[str, str]]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    reply_to: int | None = None
    force_reply: bool = False
    request_contact: str | None = None
    request_location: str | None = None
    remove_keyboard: bool = False
    location: list[float] | None = None
    contact: str | None = None
    edited: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChatMessage:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


Listener = Callable[[ChatMessage], None]


class ChatStore:
    """Every chat the web plays: citizens' private chats and units' groups."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._chats: dict[str, dict[int, ChatMessage]] = {}
        self._last_id: dict[str, int] = {}
        self._listeners: list[Listener] = []

    def load(self) -> None:
        if self.path is None or not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as file:
            for number, line in enumerate(file, 1):
                if not line.strip():
                    continue
                try:
                    message = ChatMessage.from_dict(json.loads(line))
                except (ValueError, TypeError):
                    # A line cut short by a crash: keep everything before and after it.
                    log.warning("web chat history %s: line %d unreadable", self.path, number)
                    continue
                self._keep(message)
        log.info("web chat history: %d chats from %s", len(self._chats), self.path)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def add(self, message: ChatMessage) -> ChatMessage:
        """Store a new message under the chat's next id (the given id is ignored)."""
        message.id = self._last_id.get(message.chat, 0) + 1
        self._keep(message)
        self._write(message)
        return message

    def get(self, chat: str, message_id: int) -> ChatMessage | None:
        return self._chats.get(chat, {}).get(message_id)

    def replace(self, message: ChatMessage) -> ChatMessage:
        message.edited = True
        self._keep(message)
        self._write(message)
        return message

    def history(self, chat: str, limit: int = HISTORY_LIMIT) -> list[ChatMessage]:
        messages = self._chats.get(chat, {})
        return [messages[i] for i in sorted(messages)[-limit:]]

    def _keep(self, message: ChatMessage) -> None:
        self._chats.setdefault(message.chat, {})[message.id] = message
        self._last_id[message.chat] = max(self._last_id.get(message.chat, 0), message.id)

    def _write(self, message: ChatMessage) -> None:
        if self.path is not None:
            # One short line per change; the latest line for an id wins when loading.
            with self.path.open("a", encoding="utf-8") as file:
                file.write(json.dumps(message.to_dict(), ensure_ascii=False) + "\n")
        for listener in self._listeners:
            listener(message)


# ---------------------------------------------------------------------------------------------
# The core's small HTML subset, made safe for innerHTML

_ALLOWED = frozenset({"b", "strong", "i", "em", "u", "s", "code", "pre", "a"})


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED:
            return
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if not href.startswith(("http://", "https://", "tel:", "mailto:")):
                return
            safe = html.escape(href, quote=True)
            self.out.append(f'<a href="{safe}" target="_blank" rel="noopener noreferrer">')
        else:
            self.out.append(f"<{tag}>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open:
                closing = self.open.pop()
                self.out.append(f"</{closing}>")
                if closing == tag:
                    break

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{t}>" for t in reversed(self.open))


def safe_html(text: str) -> str:
    """The core's text with every tag outside the subset dropped and all else escaped."""
    sanitizer = _Sanitizer()
    sanitizer.feed(text)
    return sanitizer.result()


def plain_to_html(text: str) -> str:
    """What a person typed, shown as typed."""
    return html.escape(text, quote=False)
