"""A fake Telegram Bot API server for tests, validating every request against ``api.json``.

The server speaks real HTTP on 127.0.0.1 so the product's adapters run unmodified:

* aiogram 3: ``Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(server.url)))``
* python-telegram-bot 22: ``telegram.Bot(token, base_url=f"{server.url}/bot",
  base_file_url=f"{server.url}/file/bot")``

Routes: ``/bot{token}/{method}`` (method names case-insensitive, as Telegram) and
``/file/bot{token}/{file_path}`` for downloads. Requests may be a query string, a JSON body,
form-urlencoded or multipart (uploads as parts, referenced directly or via ``attach://name``).

Every request is checked against the official schema (``../shared/telegram-bot-api/api.json``;
override with ``FakeTelegramServer(api_json=...)`` or ``$TELEGRAM_API_JSON``): unknown method
(404), unknown or missing parameter, wrong type (unions, arrays and nested objects recursively,
abstract types through their subtypes), text over 4096 characters after entity parsing, caption
over 1024, callback_data over 64 UTF-8 bytes, answerCallbackQuery text over 200, malformed HTML /
MarkdownV2 / Markdown. Failures answer HTTP 400 with ``{"ok": false, "error_code": 400,
"description": "Bad Request: ..."}`` and are appended to ``server.validation_errors`` (dicts with
``method``, ``params``, ``reason``, ``description``), so a scenario ends with
``assert server.validation_errors == []``. Errors that depend on state (chat not found, message
to edit not found, message is not modified, blocked user, 429...) are not validation errors;
every non-2xx answer is in ``server.error_responses``.

Test-side API (``user``/``chat`` arguments accept the objects or their integer ids)::

    async with FakeTelegramServer(tokens=("123456:TEST",)) as server:   # or start()/stop()
        server.url, server.token, server.bot_user            # base URL, first token, getMe dict
        user = server.add_user("Lan", last_name=None, username=None, language_code="vi")
        chat = server.add_private_chat(user)                 # chat.id == user.id
        group = server.add_group("Phường 1", forum=False, supergroup=False,
                                 bot_is_admin=True, bot_can_manage_topics=True)
        server.add_member(group, user, status="member")
        topic_id = server.add_topic(group, "Đơn số 1")       # message_thread_id

        # Updates as a user; each returns the Update dict (queued for getUpdates or the webhook).
        server.send_text(user, chat, "/start", reply_to=None, thread_id=None)
        server.press_button(user, message, "cb:data")       # message: dict the bot sent
        server.send_contact(user, chat, phone_number="+84901234567")
        server.send_location(user, chat, latitude=10.77, longitude=106.7)
        server.send_photo(user, chat, content=b"...", caption=None)
        server.send_document(user, chat, content=b"...", file_name="a.pdf")
        server.send_voice(user, chat, content=b"...", duration=3)
        server.edit_text(user, message, "new text")         # edited_message
        server.inject_update({"message": {...}})            # anything else, update_id added

        # What the bot did. wait_* are event-driven; on timeout they raise AssertionError
        # describing what the bot did send. wait_for_message returns each message only once
        # (the earliest matching bot message not yet returned), so consecutive waits walk
        # through a conversation in order.
        msg = await server.wait_for_message(chat_id, predicate=None, timeout=5, thread_id=None)
        req = await server.wait_for_request("editMessageText", predicate=None, timeout=5)
        ans = await server.wait_for_callback_answer(callback_query_id=None, timeout=5)
        value = await server.wait_for(lambda: ..., timeout=5, description="...")
        server.messages_in(chat_id, thread_id=None, include_deleted=False, from_bot=True)
        server.last_message(chat_id)                        # latest bot message (edited state)
        server.history(chat_id)                             # everything, users' messages too
        server.requests                                     # [RecordedRequest(method, params...)]
        server.calls("sendMessage")                         # requests of one method
        server.callback_answers, server.chat_actions, server.webhook_deliveries
        server.validation_errors, server.error_responses, server.limit_violations
        server.pending_updates()                            # queued, unconfirmed updates
        server.commands(scope=None, language_code="")       # what setMyCommands stored
        server.webhook_url()                                # "" unless a webhook is set
        await server.execute("sendMessage", {...})          # a call without HTTP

        # Telegram's limits and faults.
        server.enable_flood_limits(FloodLimits(private_per_second=1, private_burst=3,
                                               group_per_minute=20, global_per_second=30))
        server.fail_next("sendMessage", status=500, times=1, retry_after=None, description=None)
        server.hang_next("sendMessage", times=1, seconds=30.0, deliver=False)
        server.block_chat(chat)        # 403 "Forbidden: bot was blocked by the user"
        new_id = server.migrate_group(group)   # 400 + parameters.migrate_to_chat_id
        server.stub_result("getChatMenuButton", {"type": "default"})

Implemented methods: getMe, getUpdates, setWebhook, deleteWebhook, getWebhookInfo,
setMyCommands, getMyCommands, deleteMyCommands, sendMessage, sendPhoto, sendDocument, sendVoice,
sendMediaGroup, sendChatAction, editMessageText, editMessageCaption, editMessageReplyMarkup,
deleteMessage, deleteMessages, answerCallbackQuery, getFile, createForumTopic, editForumTopic,
closeForumTopic, reopenForumTopic, getChat, getChatMember, getChatAdministrators,
getChatMemberCount, forwardMessage, copyMessage, logOut, close. Any other method of api.json is
validated, recorded and answered ``true`` (or what ``stub_result`` set).

Not modelled: inline mode, payments, business accounts, channels, entities inside ``entities``
beyond their schema, link previews, the real image/voice metadata of uploads.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import itertools
import json
import math
import os
import re
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
from aiohttp import web

T = TypeVar("T")

DEFAULT_TOKEN = "123456:TEST"
_DEFAULT_API_JSON = Path(__file__).resolve().parents[3] / "shared/telegram-bot-api/api.json"

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
CALLBACK_ANSWER_LIMIT = 200
DOWNLOAD_LIMIT = 20 * 1024 * 1024
UPLOAD_LIMIT = 50 * 1024 * 1024
PHOTO_UPLOAD_LIMIT = 10 * 1024 * 1024

_PRIMITIVES = {"Integer", "String", "Boolean", "Float", "InputFile"}
_INT_RE = re.compile(r"-?\d+")
_FLOAT_RE = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_BOT_COMMAND_IN_TEXT = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,})?")
_CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
}  # fmt: skip
# Updates Telegram leaves out unless they are asked for explicitly (getUpdates, setWebhook).
_OPT_IN_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}
# Methods whose answer is the sent message: these count for flood limits, 403 and migration.
_SENDING_PREFIXES = ("send", "copymessage", "forwardmessage")
_TARGETING_PREFIXES = ("send", "copymessage", "forwardmessage", "edit", "createforumtopic")


class ApiError(Exception):
    """An error answer; ``validation`` marks a malformed request (see ``validation_errors``)."""

    def __init__(
        self,
        description: str,
        status: int = 400,
        *,
        parameters: dict[str, Any] | None = None,
        validation: bool = False,
        reason: str | None = None,
    ) -> None:
        super().__init__(description)
        self.description = description
        self.status = status
        self.parameters = parameters
        self.validation = validation
        self.reason = reason or description

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _invalid(description: str, reason: str | None = None) -> ApiError:
    return ApiError(description, 400, validation=True, reason=reason)


# --------------------------------------------------------------------------- formatting


class EntityParseError(ValueError):
    """Telegram's "can't parse entities" failure; the message is Telegram's detail text."""


@dataclass
class FormattedText:
    text: str
    entities: list[dict[str, Any]]


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8"))


_HTML_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]+);")
_HTML_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_SIMPLE_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "code": "code", "pre": "pre", "blockquote": "blockquote",
}  # fmt: skip
_HTML_TAGS = {*_HTML_SIMPLE_TAGS, "a", "span", "tg-emoji", "tg-time"}


def _decode_html_entity(match: re.Match[str]) -> str | None:
    body = match.group(1)
    if body.startswith(("#x", "#X")):
        code = int(body[2:], 16)
    elif body.startswith("#"):
        code = int(body[1:])
    else:
        return _HTML_NAMED.get(body)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def parse_html(text: str) -> FormattedText:
    """Telegram's HTML parse mode (after tdlib's ``parse_html``), error texts included.

    Stricter than Telegram in one way: an ``&`` that does not start one of the supported
    entities is an error, where Telegram would show it literally; it is always a missing
    ``html.escape`` in the bot, the bug this fake exists to catch.
    """
    out: list[str] = []
    pos16 = 0
    entities: list[dict[str, Any]] = []
    # Open tags: (tag name, entity dict without offset/length, start offset, byte offset)
    stack: list[tuple[str, dict[str, Any] | None, int]] = []
    i, n = 0, len(text)

    def emit(chunk: str) -> None:
        nonlocal pos16
        out.append(chunk)
        pos16 += _utf16_len(chunk)

    while i < n:
        c = text[i]
        if c == "&":
            m = _HTML_ENTITY_RE.match(text, i)
            decoded = _decode_html_entity(m) if m else None
            if m is None or decoded is None:
                raise EntityParseError(
                    f'Unescaped "&" at byte offset {_byte_offset(text, i)}; use &amp;'
                )
            emit(decoded)
            i = m.end()
            continue
        if c != "<":
            emit(c)
            i += 1
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":
            if not stack:
                raise EntityParseError(
                    f"Unexpected end tag at byte offset {_byte_offset(text, begin)}"
                )
            i += 1
            start = i
            while i < n and not text[i].isspace() and text[i] != ">":
                i += 1
            end_name = text[start:i].lower()
            while i < n and text[i].isspace():
                i += 1
            if i >= n or text[i] != ">":
                raise EntityParseError(
                    f"Unclosed end tag at byte offset {_byte_offset(text, begin)}"
                )
            i += 1
            tag, entity, start16 = stack.pop()
            if end_name and end_name != tag:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                    f'expected "</{tag}>", found "</{end_name}>"'
                )
            if entity is not None and pos16 > start16:
                entities.append({**entity, "offset": start16, "length": pos16 - start16})
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] != ">":
            i += 1
        if i >= n:
            raise EntityParseError(
                f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
            )
        tag = text[start:i].lower()
        if tag not in _HTML_TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
            )
        attrs: dict[str, str] = {}
        while True:
            while i < n and text[i].isspace():
                i += 1
            if i >= n:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            if text[i] == ">":
                i += 1
                break
            name_start = i
            while i < n and not text[i].isspace() and text[i] not in "=>":
                i += 1
            attr = text[name_start:i].lower()
            if not attr:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            while i < n and text[i].isspace():
                i += 1
            if i < n and text[i] != "=":
                if attr == "expandable":  # the only valueless attribute Telegram knows
                    attrs[attr] = ""
                    continue
                raise EntityParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {_byte_offset(text, begin)}"
                )
            i += 1
            while i < n and text[i].isspace():
                i += 1
            if i >= n:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            if text[i] in "'\"":
                quote = text[i]
                end = text.find(quote, i + 1)
                if end == -1:
                    raise EntityParseError(
                        f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                    )
                raw_value = text[i + 1 : end]
                value = _HTML_ENTITY_RE.sub(
                    lambda m: _decode_html_entity(m) or m.group(0), raw_value
                )
                i = end + 1
            else:
                token_start = i
                while i < n and (text[i].isalnum() or text[i] in ".-"):
                    i += 1
                if i < n and not text[i].isspace() and text[i] != ">":
                    raise EntityParseError(
                        "Unexpected end of name token at byte offset "
                        f"{_byte_offset(text, token_start)}"
                    )
                value = text[token_start:i].lower()
            attrs[attr] = value
        entity: dict[str, Any] | None
        if tag in _HTML_SIMPLE_TAGS:
            entity = {"type": _HTML_SIMPLE_TAGS[tag]}
            if tag == "blockquote" and "expandable" in attrs:
                entity = {"type": "expandable_blockquote"}
            if tag == "code" and stack and stack[-1][0] == "pre":
                # <pre><code class="language-x"> is one pre entity with a language.
                language = attrs.get("class", "")
                pre_entity = stack[-1][1]
                if language.startswith("language-") and pre_entity is not None:
                    pre_entity["language"] = language.removeprefix("language-")
                entity = None
        elif tag == "a":
            href = attrs.get("href", "")
            entity = {"type": "text_link", "url": href} if href else None
        elif tag == "span":
            if attrs.get("class") != "tg-spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            entity = {"type": "spoiler"}
        elif tag == "tg-emoji":
            if not attrs.get("emoji-id"):
                raise EntityParseError(
                    f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            entity = {"type": "custom_emoji", "custom_emoji_id": attrs["emoji-id"]}
        else:  # tg-time
            unix = attrs.get("unix", "")
            if not _INT_RE.fullmatch(unix):
                raise EntityParseError(
                    f'Tag "tg-time" must have attribute "unix" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            entity = {"type": "date_time", "unix_time": int(unix)}
            if attrs.get("format"):
                entity["date_time_format"] = attrs["format"]
        stack.append((tag, entity, pos16))
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return FormattedText("".join(out), entities)


_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MD_NAMES = {
    "bold": "Bold", "italic": "Italic", "underline": "Underline", "strikethrough": "Strikethrough",
    "spoiler": "Spoiler", "code": "Code", "pre": "Pre", "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}  # fmt: skip


def parse_markdown_v2(text: str) -> FormattedText:
    """Telegram's MarkdownV2 parse mode: every reserved character must be escaped."""
    out: list[str] = []
    pos16 = 0
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, int, int, dict[str, Any]]] = []  # (type, start16, byte offset, extra)
    i, n = 0, len(text)

    def emit(chunk: str) -> None:
        nonlocal pos16
        out.append(chunk)
        pos16 += _utf16_len(chunk)

    def toggle(kind: str, width: int) -> None:
        nonlocal i
        if stack and stack[-1][0] == kind:
            _, start16, _, extra = stack.pop()
            if pos16 > start16:
                entities.append(
                    {"type": kind, "offset": start16, "length": pos16 - start16, **extra}
                )
        else:
            stack.append((kind, pos16, _byte_offset(text, i), {}))
        i += width

    while i < n:
        c = text[i]
        top = stack[-1][0] if stack else None
        if c == "\\" and i + 1 < n and 0 < ord(text[i + 1]) < 127:
            emit(text[i + 1])
            i += 2
            continue
        if top in ("code", "pre"):
            if top == "pre" and text.startswith("```", i):
                toggle("pre", 3)
            elif top == "code" and c == "`":
                toggle("code", 1)
            else:
                emit(c)
                i += 1
            continue
        if text.startswith("```", i):
            toggle("pre", 3)
            newline = text.find("\n", i)
            first_line = text[i:newline] if newline != -1 else ""
            if first_line and not any(ch.isspace() or ch == "`" for ch in first_line):
                stack[-1][3]["language"] = first_line
                i = newline + 1
        elif c == "`":
            toggle("code", 1)
        elif text.startswith("__", i):
            toggle("underline", 2)
        elif c == "_":
            toggle("italic", 1)
        elif c == "*":
            toggle("bold", 1)
        elif c == "~":
            toggle("strikethrough", 1)
        elif text.startswith("||", i):
            toggle("spoiler", 2)
        elif c == "[" or (c == "!" and text.startswith("![", i)):
            kind = "custom_emoji" if c == "!" else "text_link"
            stack.append((kind, pos16, _byte_offset(text, i), {}))
            i += 2 if c == "!" else 1
        elif c == "]" and top in ("text_link", "custom_emoji"):
            kind, start16, offset, _ = stack.pop()
            i += 1
            if i >= n or text[i] != "(":
                raise EntityParseError(f"Can't find end of a URL at byte offset {offset}")
            url_chars: list[str] = []
            i += 1
            while i < n and text[i] != ")":
                if text[i] == "\\" and i + 1 < n:
                    i += 1
                url_chars.append(text[i])
                i += 1
            if i >= n:
                raise EntityParseError(f"Can't find end of a URL at byte offset {offset}")
            i += 1
            url = "".join(url_chars)
            if pos16 > start16:
                extra = (
                    {"custom_emoji_id": url.partition("id=")[2]}
                    if kind == "custom_emoji"
                    else {"url": url}
                )
                entities.append(
                    {"type": kind, "offset": start16, "length": pos16 - start16, **extra}
                )
        elif c == ">" and (i == 0 or text[i - 1] == "\n"):
            i += 1  # block quotation marker at the start of a line
        elif c in _MDV2_RESERVED:
            raise EntityParseError(
                f"Character '{c}' is reserved and must be escaped with the preceding '\\'"
            )
        else:
            emit(c)
            i += 1
    if stack:
        kind, _, offset, _ = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_MD_NAMES[kind]} entity at byte offset {offset}"
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return FormattedText("".join(out), entities)


def parse_markdown(text: str) -> FormattedText:
    """Telegram's legacy Markdown parse mode (no nesting, four markers)."""
    out: list[str] = []
    pos16 = 0
    entities: list[dict[str, Any]] = []
    i, n = 0, len(text)
    markers = {"*": "bold", "_": "italic", "`": "code", "[": "text_link"}
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "*_`[":
            out.append(text[i + 1])
            pos16 += 1
            i += 2
            continue
        if c not in markers:
            out.append(c)
            pos16 += _utf16_len(c)
            i += 1
            continue
        offset = _byte_offset(text, i)
        kind = markers[c]
        closing, width = ("```", 3) if text.startswith("```", i) else ({"[": "]"}.get(c, c), 1)
        if width == 3:
            kind = "pre"
        end = text.find(closing, i + width)
        if end == -1:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset {offset}"
            )
        inner = text[i + width : end]
        extra: dict[str, Any] = {}
        i = end + width
        if kind == "text_link":
            if not text.startswith("(", i) or text.find(")", i) == -1:
                raise EntityParseError(
                    f"Can't find end of the entity starting at byte offset {offset}"
                )
            close = text.find(")", i)
            extra = {"url": text[i + 1 : close]}
            i = close + 1
        if inner:
            entities.append({"type": kind, "offset": pos16, "length": _utf16_len(inner), **extra})
        out.append(inner)
        pos16 += _utf16_len(inner)
    return FormattedText("".join(out), entities)


def format_text(text: str, parse_mode: str | None) -> FormattedText:
    """Apply a ``parse_mode`` (case-insensitive, as Telegram); raises EntityParseError."""
    if not parse_mode:
        return FormattedText(text, [])
    mode = parse_mode.lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown(text)
    raise ValueError(parse_mode)


# --------------------------------------------------------------------------- schema


@dataclass
class UploadedFile:
    """A multipart part carrying a file."""

    name: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class _Problem:
    depth: int
    description: str
    reason: str


class ApiSchema:
    """api.json: methods by lower-cased name and types, with a recursive value checker."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        path = Path(path or os.environ.get("TELEGRAM_API_JSON") or _DEFAULT_API_JSON).resolve()
        raw = _load_api_json(path)
        self.version: str = raw.get("version", "")
        self.methods: dict[str, dict[str, Any]] = {
            name.lower(): spec for name, spec in raw["methods"].items()
        }
        self.types: dict[str, dict[str, Any]] = raw["types"]

    def method(self, name: str) -> dict[str, Any] | None:
        return self.methods.get(name.lower())

    @staticmethod
    def fields(spec: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
        return {f["name"]: f for f in spec.get("fields", [])}

    def check(
        self, value: Any, types: list[str], path: str, attachments: Mapping[str, Any]
    ) -> _Problem | None:
        """None when ``value`` fits one of ``types``, else the most specific problem."""
        problems = []
        for type_name in types:
            problem = self._check_one(value, type_name, path, attachments)
            if problem is None:
                return None
            problems.append(problem)
        return max(problems, key=lambda p: p.depth)

    def _check_one(
        self, value: Any, type_name: str, path: str, attachments: Mapping[str, Any]
    ) -> _Problem | None:
        depth = path.count(".") + path.count("[")
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                return _Problem(
                    depth,
                    f"Bad Request: can't parse {path}: expected an Array",
                    f"{path} must be {type_name}, got {type(value).__name__}",
                )
            inner = type_name.removeprefix("Array of ")
            for index, item in enumerate(value):
                problem = self.check(item, [inner], f"{path}[{index}]", attachments)
                if problem is not None:
                    return problem
            return None
        if type_name == "Integer":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif type_name == "Float":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif type_name == "Boolean":
            ok = isinstance(value, bool)
        elif type_name == "String":
            ok = isinstance(value, str)
        elif type_name == "InputFile":
            ok = isinstance(value, UploadedFile)
        else:
            return self._check_object(value, type_name, path, attachments)
        if ok:
            return None
        shown = "an InputFile" if isinstance(value, UploadedFile) else repr(value)[:60]
        return _Problem(
            depth,
            f'Bad Request: field "{path}" must be of type {type_name}',
            f"{path} must be {type_name}, got {shown}",
        )

    def _check_object(
        self, value: Any, type_name: str, path: str, attachments: Mapping[str, Any]
    ) -> _Problem | None:
        depth = path.count(".") + path.count("[")
        spec = self.types.get(type_name)
        if spec is None:
            return _Problem(depth, f"Bad Request: can't parse {path}", f"unknown type {type_name}")
        if not isinstance(value, dict):
            return _Problem(
                depth,
                f"Bad Request: can't parse {path} JSON object",
                f"{path} must be a {type_name} object, got {repr(value)[:60]}",
            )
        if "subtypes" in spec:
            return self.check(value, spec["subtypes"], path, attachments)
        fields = self.fields(spec)
        for key in value:
            if key not in fields:
                return _Problem(
                    depth + 1,
                    f'Bad Request: can\'t parse {path}: unknown field "{key}" in {type_name}',
                    f"{path}.{key} is not a field of {type_name}",
                )
        for name, field_spec in fields.items():
            if name not in value:
                if field_spec["required"]:
                    return _Problem(
                        depth + 1,
                        f"Bad Request: can't parse {path}: Can't find field \"{name}\"",
                        f"{path}.{name} ({type_name}) is required",
                    )
                continue
            # "type" fields of subtypes name their discriminator: "must be photo".
            if name in ("type", "source", "status"):
                must = re.search(r"must be \W?([a-z_]+)", field_spec["description"])
                if must and value[name] != must.group(1):
                    return _Problem(
                        depth + 1,
                        f'Bad Request: can\'t parse {path}: wrong {name} "{value[name]}"',
                        f"{path}.{name} must be {must.group(1)!r} for {type_name}",
                    )
            problem = self.check(value[name], field_spec["types"], f"{path}.{name}", attachments)
            if problem is not None:
                return problem
        return self._check_rules(value, type_name, path, depth, attachments)

    def _check_rules(
        self, value: dict[str, Any], type_name: str, path: str, depth: int,
        attachments: Mapping[str, Any],
    ) -> _Problem | None:  # fmt: skip
        """Limits that api.json states in prose."""
        if type_name == "InlineKeyboardButton":
            data = value.get("callback_data")
            if data is not None and not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
                return _Problem(
                    depth + 2,
                    "Bad Request: BUTTON_DATA_INVALID",
                    f"{path}.callback_data is {len(data.encode())} bytes, must be 1-64",
                )
            url = value.get("url")
            if url is not None and not url.startswith(("http://", "https://", "tg://")):
                return _Problem(
                    depth + 2, "Bad Request: BUTTON_URL_INVALID", f"{path}.url {url!r} is invalid"
                )
            actions = set(value) - {"text", "icon_custom_emoji_id", "style"}
            if not actions:
                return _Problem(
                    depth + 2,
                    "Bad Request: can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard",
                    f"{path} has no action (callback_data, url, ...)",
                )
            if not value["text"]:
                return _Problem(depth + 2, "Bad Request: BUTTON_TEXT_EMPTY", f"{path}.text empty")
        elif type_name == "InlineKeyboardMarkup":
            count = sum(len(row) for row in value["inline_keyboard"])
            if count > 100:
                return _Problem(
                    depth + 2, "Bad Request: reply markup is too long", f"{path}: {count} buttons"
                )
        elif type_name == "BotCommand":
            if not _COMMAND_RE.fullmatch(value["command"]):
                return _Problem(
                    depth + 2,
                    "Bad Request: BOT_COMMAND_INVALID",
                    f"{path}.command {value['command']!r} must match [a-z0-9_]{{1,32}}",
                )
            if not 1 <= len(value["description"]) <= 256:
                return _Problem(
                    depth + 2,
                    "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID",
                    f"{path}.description must be 1-256 characters",
                )
        elif type_name.startswith("InputMedia") and isinstance(value.get("media"), str):
            media = value["media"]
            if (
                media.startswith("attach://")
                and media.removeprefix("attach://") not in attachments
            ):
                return _Problem(
                    depth + 2,
                    "Bad Request: wrong file identifier/HTTP URL specified",
                    f"{path}.media refers to a missing multipart part {media!r}",
                )
        if "caption" in value and isinstance(value["caption"], str):
            try:
                parsed = format_text(value["caption"], value.get("parse_mode"))
            except EntityParseError as exc:
                return _Problem(
                    depth + 2,
                    f"Bad Request: can't parse entities: {exc}",
                    f"{path}.caption: {exc}",
                )
            except ValueError:
                return _Problem(
                    depth + 2,
                    "Bad Request: unsupported parse_mode",
                    f"{path}.parse_mode {value.get('parse_mode')!r}",
                )
            if len(parsed.text) > CAPTION_LIMIT:
                return _Problem(
                    depth + 2,
                    "Bad Request: message caption is too long",
                    f"{path}.caption has {len(parsed.text)} characters after entity parsing",
                )
        return None

    def check_result(self, value: Any, type_name: str) -> list[str]:
        """Required fields missing from a response object (a self-check of the fake)."""
        missing: list[str] = []
        self._collect_missing(value, type_name, type_name, missing)
        return missing

    def _collect_missing(self, value: Any, type_name: str, path: str, out: list[str]) -> None:
        if type_name.startswith("Array of "):
            for index, item in enumerate(value if isinstance(value, list) else []):
                self._collect_missing(
                    item, type_name.removeprefix("Array of "), f"{path}[{index}]", out
                )
            return
        spec = self.types.get(type_name)
        if spec is None or not isinstance(value, dict):
            return
        if "subtypes" in spec:
            candidates = [
                sub for sub in spec["subtypes"]
                if self._check_one(value, sub, path, {}) is None or
                not self.check_result(value, sub)
            ]  # fmt: skip
            if not candidates:
                out.append(f"{path}: fits none of {spec['subtypes']}")
            return
        for name, field_spec in self.fields(spec).items():
            if name not in value:
                if field_spec["required"]:
                    out.append(f"{path}.{name}")
                continue
            for sub_type in field_spec["types"]:
                if sub_type not in _PRIMITIVES:
                    self._collect_missing(value[name], sub_type, f"{path}.{name}", out)


@functools.cache
def _load_api_json(path: Path) -> dict[str, Any]:
    # Parsed once per process: many tests start a server, none mutates the schema.
    return json.loads(path.read_text(encoding="utf-8"))


def _is_complex(type_name: str) -> bool:
    return type_name.startswith("Array of ") or type_name not in _PRIMITIVES


def _coerce(value: Any, types: list[str]) -> Any:
    """Turn a form/query string into the declared type, as Telegram's server does."""
    if not isinstance(value, str) or value.startswith("attach://"):
        return value
    stripped = value.strip()
    if any(_is_complex(t) for t in types) and stripped[:1] in ("{", "["):
        try:
            return json.loads(stripped)
        except ValueError:
            if "String" not in types:
                raise
    if "Integer" in types and _INT_RE.fullmatch(stripped):
        return int(stripped)
    if "Float" in types and _FLOAT_RE.fullmatch(stripped):
        return float(stripped)
    if "Boolean" in types and stripped.lower() in ("true", "false"):
        return stripped.lower() == "true"
    return value


# --------------------------------------------------------------------------- world state


@dataclass
class FakeUser:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "vi"
    is_bot: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "is_bot": self.is_bot,
            "first_name": self.first_name,
        }
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass
class FakeChat:
    id: int
    type: str
    title: str | None = None
    user: FakeUser | None = None
    username: str | None = None
    is_forum: bool = False
    members: dict[int, str] = field(default_factory=dict)
    bot_status: str = "member"
    bot_can_manage_topics: bool = False
    topics: dict[int, dict[str, Any]] = field(default_factory=dict)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    next_message_id: int = 1
    blocked: str | None = None
    migrated_to: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.user is not None:
            data["first_name"] = self.user.first_name
            if self.user.last_name:
                data["last_name"] = self.user.last_name
            if self.user.username:
                data["username"] = self.user.username
        else:
            data["title"] = self.title
            if self.username:
                data["username"] = self.username
        if self.is_forum:
            data["is_forum"] = True
        return data

    def live(self, message_id: int) -> dict[str, Any] | None:
        if message_id in self.deleted:
            return None
        return self.messages.get(message_id)


@dataclass
class FileRecord:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    url: str | None = None

    def to_file(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }


@dataclass
class RecordedRequest:
    """One API call as the server understood it (params typed after validation)."""

    method: str
    params: dict[str, Any]
    token: str
    status: int = 200
    response: dict[str, Any] | None = None
    via_webhook_reply: bool = False

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def result(self) -> Any:
        return (self.response or {}).get("result")


@dataclass
class FloodLimits:
    """Telegram's unpublished flood limits, as commonly observed (DOMAIN.md §4)."""

    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_minute: int = 20
    global_per_second: int = 30


@dataclass
class _Fault:
    method: str
    times: int
    status: int = 500
    description: str | None = None
    retry_after: int | None = None
    hang_seconds: float = 0.0
    deliver: bool = False


@dataclass
class _BotState:
    token: str
    user: dict[str, Any]
    updates: deque[dict[str, Any]] = field(default_factory=deque)
    allowed_updates: list[str] = field(default_factory=list)
    poll_generation: int = 0
    webhook_url: str = ""
    webhook_secret: str | None = None
    webhook_max_connections: int = 40
    webhook_last_error: tuple[int, str] | None = None
    webhook_task: asyncio.Task[None] | None = None
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    callback_queries: dict[str, dict[str, Any]] = field(default_factory=dict)


_STATUS_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}


class FakeTelegramServer:
    """In-process Telegram Bot API on 127.0.0.1 (see the module docstring for the API)."""

    def __init__(
        self,
        tokens: Iterable[str] = (DEFAULT_TOKEN,),
        *,
        bot_name: str = "Nghe dân nói",
        bot_username: str = "nghe_dan_test_bot",
        api_json: str | os.PathLike[str] | None = None,
        webhook_retry_delay: float = 0.05,
        webhook_timeout: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.schema = ApiSchema(api_json)
        self.clock = clock
        self.webhook_retry_delay = webhook_retry_delay
        self.webhook_timeout = webhook_timeout
        self._bots: dict[str, _BotState] = {}
        for index, token in enumerate(tokens):
            prefix = token.partition(":")[0]
            bot_id = int(prefix) if prefix.isdigit() else 100000 + index
            username = bot_username if index == 0 else f"{bot_username}_{index}"
            user = {"id": bot_id, "is_bot": True, "first_name": bot_name, "username": username}
            self._bots[token] = _BotState(token=token, user=user)
        if not self._bots:
            raise ValueError("at least one token is needed")
        self.token: str = next(iter(self._bots))

        self.users: dict[int, FakeUser] = {}
        self.chats: dict[int, FakeChat] = {}
        self.files: dict[str, FileRecord] = {}
        self._files_by_path: dict[str, FileRecord] = {}
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(1)

        self.requests: list[RecordedRequest] = []
        self.validation_errors: list[dict[str, Any]] = []
        self.error_responses: list[dict[str, Any]] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.chat_actions: list[dict[str, Any]] = []
        self.webhook_deliveries: list[dict[str, Any]] = []
        self.dropped_updates: list[dict[str, Any]] = []

        self.flood_limits: FloodLimits | None = None
        self.limit_violations = 0
        self.rate_limited: list[dict[str, Any]] = []
        self._buckets: dict[int, tuple[float, float]] = {}
        self._windows: dict[Any, deque[float]] = {}
        self._bans: dict[Any, float] = {}
        self._faults: list[_Fault] = []
        self._stubs: dict[str, Any] = {}

        self._consumed_messages: set[tuple[int, int]] = set()
        self._consumed_requests: set[int] = set()
        self._consumed_answers: set[int] = set()
        self._waiters: set[asyncio.Future[None]] = set()
        self._release_hangs = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeTelegramServer is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def bot_user(self) -> dict[str, Any]:
        return dict(self._bots[self.token].user)

    async def start(self) -> FakeTelegramServer:
        app = web.Application(client_max_size=UPLOAD_LIMIT + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        self._closing = True
        self._release_hangs.set()
        self._changed()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegramServer:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ events

    def _changed(self) -> None:
        waiters, self._waiters = self._waiters, set()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def _wait_change(self, seconds: float | None) -> None:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait({waiter}, timeout=seconds)
        finally:
            self._waiters.discard(waiter)
            waiter.cancel()

    async def wait_for(
        self,
        condition: Callable[[], T],
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline for the condition, not for I/O
        description: str = "condition",
    ) -> T:
        """Wait until ``condition()`` is truthy (re-checked on every change); return it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = condition()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {description}\n"
                                     + self.describe())  # fmt: skip
            await self._wait_change(remaining)

    def describe(self, last: int = 15) -> str:
        """Recent requests and validation errors, for failure messages."""
        lines = ["recent requests:"]
        for req in self.requests[-last:]:
            shown = {k: v for k, v in req.params.items() if not isinstance(v, UploadedFile)}
            lines.append(
                f"  {req.status} {req.method} {json.dumps(shown, ensure_ascii=False)[:300]}"
            )
        if self.validation_errors:
            lines.append(f"validation errors: {self.validation_errors}")
        return "\n".join(lines)

    async def wait_for_message(
        self,
        chat_id: int | FakeChat,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        """The earliest bot message in the chat matching ``predicate`` not returned before."""
        chat = self._chat(chat_id)

        def find() -> dict[str, Any] | None:
            for message in self.messages_in(chat.id, thread_id=thread_id, include_deleted=True):
                key = (chat.id, message["message_id"])
                if key in self._consumed_messages:
                    continue
                if predicate is None or predicate(message):
                    self._consumed_messages.add(key)
                    return message
            return None

        return await self.wait_for(find, timeout, f"a bot message in chat {chat.id}")

    async def wait_for_request(
        self,
        method: str,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> RecordedRequest:
        """The earliest successful request of ``method`` matching, not returned before."""

        def find() -> RecordedRequest | None:
            for index, req in enumerate(self.requests):
                if index in self._consumed_requests or req.method.lower() != method.lower():
                    continue
                if req.ok and (predicate is None or predicate(req)):
                    self._consumed_requests.add(index)
                    return req
            return None

        return await self.wait_for(find, timeout, f"a {method} request")

    async def wait_for_callback_answer(
        self,
        callback_query_id: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        def find() -> dict[str, Any] | None:
            for index, answer in enumerate(self.callback_answers):
                if index in self._consumed_answers:
                    continue
                if callback_query_id is None or answer["callback_query_id"] == callback_query_id:
                    self._consumed_answers.add(index)
                    return answer
            return None

        return await self.wait_for(find, timeout, "an answerCallbackQuery")

    # ------------------------------------------------------------------ reading state

    def messages_in(
        self,
        chat_id: int | FakeChat,
        *,
        thread_id: int | None = None,
        include_deleted: bool = False,
        from_bot: bool = True,
    ) -> list[dict[str, Any]]:
        """Messages of a chat in order, in their current (edited) state."""
        chat = self._chat(chat_id)
        bot_ids = {bot.user["id"] for bot in self._bots.values()}
        result = []
        for message_id, message in chat.messages.items():
            if not include_deleted and message_id in chat.deleted:
                continue
            if from_bot and message.get("from", {}).get("id") not in bot_ids:
                continue
            if thread_id is not None and message.get("message_thread_id") != thread_id:
                continue
            result.append(message)
        return result

    def history(self, chat_id: int | FakeChat) -> list[dict[str, Any]]:
        return self.messages_in(chat_id, from_bot=False)

    def last_message(self, chat_id: int | FakeChat) -> dict[str, Any] | None:
        messages = self.messages_in(chat_id)
        return messages[-1] if messages else None

    def calls(self, method: str) -> list[RecordedRequest]:
        return [req for req in self.requests if req.method.lower() == method.lower()]

    def pending_updates(self, token: str | None = None) -> list[dict[str, Any]]:
        return list(self._bot(token).updates)

    def commands(
        self,
        scope: dict[str, Any] | None = None,
        language_code: str = "",
        token: str | None = None,
    ) -> list[dict[str, Any]]:
        return self._bot(token).commands.get(self._commands_key(scope, language_code), [])

    def webhook_url(self, token: str | None = None) -> str:
        return self._bot(token).webhook_url

    # ------------------------------------------------------------------ world building

    def add_user(
        self,
        first_name: str = "Nguyễn Văn An",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
        user_id: int | None = None,
    ) -> FakeUser:
        user_id = user_id if user_id is not None else 700000000 + next(self._ids)
        user = FakeUser(user_id, first_name, last_name, username, language_code)
        self.users[user.id] = user
        return user

    def add_private_chat(self, user: FakeUser | int) -> FakeChat:
        user = self._user(user)
        chat = self.chats.get(user.id)
        if chat is None:
            chat = FakeChat(id=user.id, type="private", user=user)
            self.chats[chat.id] = chat
        return chat

    def add_group(
        self,
        title: str,
        *,
        forum: bool = False,
        supergroup: bool | None = None,
        username: str | None = None,
        bot_is_admin: bool = True,
        bot_can_manage_topics: bool = True,
        members: Iterable[FakeUser | int] = (),
        chat_id: int | None = None,
    ) -> FakeChat:
        """A group; ``forum=True`` makes a forum supergroup (topics). ``chat_id`` picks its id
        (a unit's configured group)."""
        supergroup = forum if supergroup is None else supergroup or forum
        serial = next(self._ids)
        if chat_id is None:
            chat_id = -(1000000000000 + serial) if supergroup else -(4000000000 + serial)
        chat = FakeChat(
            id=chat_id,
            type="supergroup" if supergroup else "group",
            title=title,
            username=username,
            is_forum=forum,
            bot_status="administrator" if bot_is_admin else "member",
            bot_can_manage_topics=bot_is_admin and bot_can_manage_topics,
        )
        self.chats[chat.id] = chat
        for member in members:
            self.add_member(chat, member)
        return chat

    def add_member(
        self, chat: FakeChat | int, user: FakeUser | int, status: str = "member"
    ) -> None:
        self._chat(chat).members[self._user(user).id] = status

    def add_topic(self, chat: FakeChat | int, name: str, icon_color: int = 7322096) -> int:
        """A forum topic created by someone else; returns its message_thread_id."""
        chat = self._chat(chat)
        if not chat.is_forum:
            raise ValueError(f"chat {chat.id} is not a forum")
        creator = next(iter(self.users.values()), None)
        sender = creator.to_dict() if creator else self.bot_user
        return self._create_topic(chat, sender, name, icon_color, None)["message_thread_id"]

    def register_file(
        self, content: bytes, kind: str = "document", extension: str = "bin"
    ) -> FileRecord:
        serial = next(self._ids)
        record = FileRecord(
            file_id=f"FAKE{kind.upper()}-{serial:06d}-{len(content)}",
            file_unique_id=f"U{serial:06d}",
            file_path=f"{kind}s/file_{serial}.{extension}",
            content=content,
        )
        self.files[record.file_id] = record
        self._files_by_path[record.file_path] = record
        return record

    # ------------------------------------------------------------------ faults and limits

    def enable_flood_limits(self, limits: FloodLimits | None = None) -> None:
        self.flood_limits = limits or FloodLimits()

    def disable_flood_limits(self) -> None:
        self.flood_limits = None

    def fail_next(
        self,
        method: str = "*",
        status: int = 500,
        times: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """The next ``times`` valid calls of ``method`` ("*" for any) answer ``status``."""
        if status == 429 and retry_after is None:
            retry_after = 1
        self._faults.append(_Fault(method.lower(), times, status, description, retry_after))

    def hang_next(
        self, method: str = "*", times: int = 1, seconds: float = 30.0, deliver: bool = False
    ) -> None:
        """The next calls get no answer for ``seconds`` (released by stop()).

        With ``deliver=True`` the call takes effect first and only the answer is late,
        which is how a timed-out sendMessage can still reach the user.
        """
        self._faults.append(_Fault(method.lower(), times, hang_seconds=seconds, deliver=deliver))

    def block_chat(
        self, chat: FakeChat | int, description: str = "Forbidden: bot was blocked by the user"
    ) -> None:
        self._chat(chat).blocked = description

    def unblock_chat(self, chat: FakeChat | int) -> None:
        self._chat(chat).blocked = None

    def migrate_group(self, chat: FakeChat | int) -> int:
        """Upgrade a basic group to a supergroup; the old id answers migrate_to_chat_id."""
        old = self._chat(chat)
        new = self.add_group(old.title or "", supergroup=True, username=old.username)
        new.members = dict(old.members)
        old.migrated_to = new.id
        return new.id

    def stub_result(self, method: str, result: Any) -> None:
        """Answer for a method the fake does not implement (default ``true``)."""
        self._stubs[method.lower()] = result

    # ------------------------------------------------------------------ updates as a user

    def inject_update(self, update: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        """Queue an update (``update_id`` is assigned) for getUpdates or the webhook."""
        bot = self._bot(token)
        # A snapshot: later edits of the stored message must not change a queued update.
        update = {"update_id": next(self._update_ids), **copy.deepcopy(update)}
        kind = next(key for key in update if key != "update_id")
        allowed = set(bot.allowed_updates) if bot.allowed_updates else None
        if (allowed is not None and kind not in allowed) or (
            allowed is None and kind in _OPT_IN_UPDATES
        ):
            # Telegram does not create updates of types the bot did not subscribe to.
            self.dropped_updates.append(update)
        else:
            bot.updates.append(update)
        self._changed()
        return update

    def send_text(
        self,
        user: FakeUser | int,
        chat: FakeChat | int,
        text: str,
        reply_to: dict[str, Any] | int | None = None,
        thread_id: int | None = None,
        *,
        entities: list[dict[str, Any]] | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """A text message from ``user``; ``/commands`` get ``bot_command`` entities."""
        if entities is None:
            entities = []
            for match in _BOT_COMMAND_IN_TEXT.finditer(text):
                entities.append({
                    "type": "bot_command",
                    "offset": _utf16_len(text[: match.start()]),
                    "length": _utf16_len(match.group(0)),
                })  # fmt: skip
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        return self._user_message(user, chat, content, reply_to, thread_id, token)

    def send_contact(
        self,
        user: FakeUser | int,
        chat: FakeChat | int,
        phone_number: str = "+84901234567",
        first_name: str | None = None,
        *,
        contact_user_id: int | None = None,
        last_name: str | None = None,
        reply_to: dict[str, Any] | int | None = None,
        thread_id: int | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """A shared contact; by default the user's own (``contact.user_id`` = sender)."""
        sender = self._user(user)
        contact: dict[str, Any] = {
            "phone_number": phone_number,
            "first_name": first_name or sender.first_name,
            "user_id": contact_user_id if contact_user_id is not None else sender.id,
        }
        if last_name or (first_name is None and sender.last_name):
            contact["last_name"] = last_name or sender.last_name
        return self._user_message(user, chat, {"contact": contact}, reply_to, thread_id, token)

    def send_location(
        self,
        user: FakeUser | int,
        chat: FakeChat | int,
        latitude: float = 10.7769,
        longitude: float = 106.7009,
        *,
        reply_to: dict[str, Any] | int | None = None,
        thread_id: int | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        content = {"location": {"latitude": latitude, "longitude": longitude}}
        return self._user_message(user, chat, content, reply_to, thread_id, token)

    def send_photo(
        self,
        user: FakeUser | int,
        chat: FakeChat | int,
        content: bytes = b"\xff\xd8\xff\xe0fake-jpeg",
        caption: str | None = None,
        *,
        width: int = 1280,
        height: int = 960,
        reply_to: dict[str, Any] | int | None = None,
        thread_id: int | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """A photo (registered, so getFile and the download work for every size)."""
        body: dict[str, Any] = {"photo": self._photo_sizes(content, width, height)}
        if caption is not None:
            body["caption"] = caption
        return self._user_message(user, chat, body, reply_to, thread_id, token)

    def send_document(
        self,
        user: FakeUser | int,
        chat: FakeChat | int,
        content: bytes = b"%PDF-1.4 fake",
        file_name: str = "don.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        *,
        reply_to: dict[str, Any] | int | None = None,
        thread_id: int | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        record = self.register_file(content, "document", file_name.rpartition(".")[2] or "bin")
        document = {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        body: dict[str, Any] = {"document": document}
        if caption is not None:
            body["caption"] = caption
        return self._user_message(user, chat, body, reply_to, thread_id, token)

    def send_voice(
        self,
        user: FakeUser | int,
        chat: FakeChat | int,
        content: bytes = b"OggS fake voice",
        duration: int = 3,
        *,
        reply_to: dict[str, Any] | int | None = None,
        thread_id: int | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        record = self.register_file(content, "voice", "oga")
        voice = {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(content),
        }
        return self._user_message(user, chat, {"voice": voice}, reply_to, thread_id, token)

    def edit_text(
        self, user: FakeUser | int, message: dict[str, Any], text: str, token: str | None = None
    ) -> dict[str, Any]:
        """The user edits their own message: an ``edited_message`` update."""
        chat = self._chat(message["chat"]["id"])
        stored = chat.live(message["message_id"])
        if stored is None or stored.get("from", {}).get("id") != self._user(user).id:
            raise ValueError("users can only edit their own live messages")
        stored["text"] = text
        stored.pop("entities", None)
        stored["edit_date"] = int(time.time())
        return self.inject_update({"edited_message": dict(stored)}, token)

    def press_button(
        self,
        user: FakeUser | int,
        message: dict[str, Any],
        callback_data: str,
        token: str | None = None,
    ) -> dict[str, Any]:
        """Press an inline button of a bot message (it must be on the current keyboard)."""
        chat = self._chat(message["chat"]["id"])
        current = chat.live(message["message_id"])
        if current is None:
            raise ValueError(f"message {message['message_id']} is not in chat {chat.id}")
        keyboard = current.get("reply_markup", {}).get("inline_keyboard", [])
        available = [b.get("callback_data") for row in keyboard for b in row]
        if callback_data not in available:
            raise ValueError(f"no button with callback_data {callback_data!r}; have {available}")
        return self.forge_press(user, message, callback_data, token)

    def forge_press(
        self,
        user: FakeUser | int,
        message: dict[str, Any],
        callback_data: str,
        token: str | None = None,
    ) -> dict[str, Any]:
        """A press with any data under any bot message, as a modified client can send: Telegram
        does not check callback data against the message's buttons."""
        bot = self._bot(token)
        chat = self._chat(message["chat"]["id"])
        current = chat.live(message["message_id"])
        if current is None:
            raise ValueError(f"message {message['message_id']} is not in chat {chat.id}")
        query_id = str(4000000000000000000 + next(self._ids))
        query = {
            "id": query_id,
            "from": self._user(user).to_dict(),
            "message": current,
            "chat_instance": str(abs(chat.id) * 7 + 11),
            "data": callback_data,
        }
        bot.callback_queries[query_id] = query
        return self.inject_update({"callback_query": query}, token)

    def _user_message(
        self,
        user: FakeUser | int,
        chat: FakeChat | int,
        content: dict[str, Any],
        reply_to: dict[str, Any] | int | None,
        thread_id: int | None,
        token: str | None,
    ) -> dict[str, Any]:
        sender = self._user(user)
        chat = self._chat(chat)
        reply_id = reply_to["message_id"] if isinstance(reply_to, dict) else reply_to
        message = self._store_message(chat, sender.to_dict(), content, thread_id, reply_id)
        return self.inject_update({"message": message}, token)

    def _photo_sizes(self, content: bytes, width: int, height: int) -> list[dict[str, Any]]:
        sizes = []
        for scale in (320 / max(width, height, 1), 1.0):
            record = self.register_file(content, "photo", "jpg")
            sizes.append({
                "file_id": record.file_id,
                "file_unique_id": record.file_unique_id,
                "file_size": len(content),
                "width": max(1, round(width * min(scale, 1.0))),
                "height": max(1, round(height * min(scale, 1.0))),
            })  # fmt: skip
        return sizes

    # ------------------------------------------------------------------ helpers

    def _bot(self, token: str | None) -> _BotState:
        return self._bots[token or self.token]

    def _user(self, user: FakeUser | int) -> FakeUser:
        return user if isinstance(user, FakeUser) else self.users[user]

    def _chat(self, chat: FakeChat | int) -> FakeChat:
        return chat if isinstance(chat, FakeChat) else self.chats[chat]

    def _store_message(
        self,
        chat: FakeChat,
        sender: dict[str, Any],
        content: dict[str, Any],
        thread_id: int | None,
        reply_to_id: int | None,
        *,
        allow_missing_reply: bool = True,
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": chat.next_message_id,
            "from": sender,
            "date": int(time.time()),
            "chat": chat.to_dict(),
        }
        chat.next_message_id += 1
        replied = chat.live(reply_to_id) if reply_to_id is not None else None
        if reply_to_id is not None and replied is None and not allow_missing_reply:
            raise ApiError("Bad Request: message to be replied not found")
        if thread_id is None and replied is not None and chat.is_forum:
            thread_id = replied.get("message_thread_id")
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            if chat.is_forum:
                message["is_topic_message"] = True
        if replied is not None:
            message["reply_to_message"] = {
                k: v for k, v in replied.items() if k != "reply_to_message"
            }
        message.update(content)
        chat.messages[message["message_id"]] = message
        self._changed()
        return message

    def _create_topic(
        self,
        chat: FakeChat,
        sender: dict[str, Any],
        name: str,
        icon_color: int,
        icon_custom_emoji_id: str | None,
    ) -> dict[str, Any]:
        # A topic's message_thread_id is the id of its forum_topic_created service message.
        thread_id = chat.next_message_id
        created: dict[str, Any] = {"name": name, "icon_color": icon_color}
        if icon_custom_emoji_id:
            created["icon_custom_emoji_id"] = icon_custom_emoji_id
        self._store_message(chat, sender, {"forum_topic_created": created}, thread_id, None)
        topic = {"message_thread_id": thread_id, **created}
        chat.topics[thread_id] = {**topic, "closed": False}
        return topic

    @staticmethod
    def _commands_key(scope: dict[str, Any] | None, language_code: str) -> str:
        scope = scope or {"type": "default"}
        return json.dumps(scope, sort_keys=True) + "|" + (language_code or "")

    # ------------------------------------------------------------------ HTTP

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] not in self._bots:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        record = self._files_by_path.get(request.match_info["path"])
        if record is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=record.content, content_type="application/octet-stream")

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        bot = self._bots.get(token)
        if bot is None:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        try:
            params, files = await self._read_request(request)
        except ApiError as exc:
            self._record_validation(request.match_info["method"], {}, exc)
            return web.json_response(exc.payload(), status=exc.status)
        status, payload = await self.execute(request.match_info["method"], params, files, token)
        return web.json_response(payload, status=status, dumps=_dumps)

    async def _read_request(
        self, request: web.Request
    ) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if request.content_length and request.content_length > UPLOAD_LIMIT:
            raise ApiError("Request Entity Too Large", 413)
        ctype = request.content_type
        if ctype == "application/json":
            try:
                body = await request.json()
            except ValueError as exc:
                raise _invalid("Bad Request: can't parse JSON object", str(exc)) from exc
            if not isinstance(body, dict):
                raise _invalid("Bad Request: can't parse JSON object", "body is not an object")
            params.update(body)
        elif ctype == "application/x-www-form-urlencoded":
            params.update(await request.post())
        elif ctype.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                    continue
                if part.filename is not None:
                    data = await part.read(decode=True)
                    files[part.name] = UploadedFile(
                        part.name,
                        part.filename,
                        part.headers.get("Content-Type", "application/octet-stream"),
                        bytes(data),
                    )
                else:
                    params[part.name] = await part.text()
        return params, files

    async def execute(
        self,
        method_name: str,
        params: dict[str, Any],
        files: Mapping[str, UploadedFile] | None = None,
        token: str | None = None,
        *,
        via_webhook_reply: bool = False,
    ) -> tuple[int, dict[str, Any]]:
        """Run one API call as if it came over HTTP; returns (HTTP status, JSON body)."""
        bot = self._bot(token)
        files = dict(files or {})
        spec = self.schema.method(method_name)
        record = RecordedRequest(
            spec["name"] if spec else method_name,
            params,
            bot.token,
            via_webhook_reply=via_webhook_reply,
        )
        self.requests.append(record)
        self._changed()
        try:
            if spec is None:
                raise ApiError(
                    "Not Found", 404, validation=True, reason=f"no method {method_name}"
                )
            record.params = typed = self._validate(spec, params, files)
            result = await self._run(bot, spec["name"], typed)
        except ApiError as exc:
            if exc.validation:
                self._record_validation(record.method, params, exc)
            record.status, record.response = exc.status, exc.payload()
            self.error_responses.append(
                {"method": record.method, "params": record.params, **exc.payload()}
            )
        else:
            record.response = {"ok": True, "result": result}
        self._changed()
        return record.status, record.response

    def _record_validation(self, method: str, params: Mapping[str, Any], exc: ApiError) -> None:
        self.validation_errors.append({
            "method": method,
            "params": {k: v for k, v in params.items() if not isinstance(v, UploadedFile)},
            "reason": exc.reason,
            "description": exc.description,
        })  # fmt: skip

    # ------------------------------------------------------------------ validation

    def _validate(
        self, spec: dict[str, Any], params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> dict[str, Any]:
        method = spec["name"]
        fields = ApiSchema.fields(spec)
        typed: dict[str, Any] = {}
        referenced: set[str] = set()
        for name, value in params.items():
            if name not in fields:
                raise _invalid(
                    f'Bad Request: unknown parameter "{name}"',
                    f"{method} has no parameter {name!r} (Telegram would ignore it silently)",
                )
            types = fields[name]["types"]
            try:
                value = _coerce(value, types)
            except ValueError as exc:
                raise _invalid(
                    f"Bad Request: can't parse {name} JSON object", f"{name}: {exc}"
                ) from exc
            if isinstance(value, str) and value.startswith("attach://") and "InputFile" in types:
                attached = files.get(value.removeprefix("attach://"))
                if attached is None:
                    raise _invalid(
                        "Bad Request: wrong file identifier/HTTP URL specified",
                        f"{name} refers to a missing multipart part {value!r}",
                    )
                referenced.add(attached.name)
                value = attached
            typed[name] = value
        for name, upload in files.items():
            if name in fields and name not in typed:
                typed[name] = upload
                referenced.add(name)
        for name, field_spec in fields.items():
            if field_spec["required"] and name not in typed:
                raise _invalid(_missing_description(method, name), f"{method}: {name} is required")
        for name, value in typed.items():
            problem = self.schema.check(value, fields[name]["types"], name, files)
            if problem is not None:
                raise _invalid(problem.description, f"{method}: {problem.reason}")
        if isinstance(typed.get("media"), list):
            # Resolve attach:// inside InputMedia so handlers see the uploaded parts.
            resolved = []
            for item in typed["media"]:
                ref = str(item.get("media", ""))
                if ref.startswith("attach://"):
                    referenced.add(ref.removeprefix("attach://"))
                    item = {**item, "media": files[ref.removeprefix("attach://")]}
                elif not ref.startswith(("http://", "https://")) and ref not in self.files:
                    raise ApiError("Bad Request: wrong file identifier/HTTP URL specified")
                resolved.append(item)
            typed["media"] = resolved
        for name in files:
            if name not in referenced and name not in typed:
                raise _invalid(
                    f'Bad Request: unknown parameter "{name}"',
                    f"{method}: uploaded part {name!r} is not referenced by any parameter",
                )
        self._validate_text(method, typed)
        self._validate_uploads(method, typed)
        return typed

    def _validate_text(self, method: str, typed: dict[str, Any]) -> None:
        lower = method.lower()
        parse_mode = typed.get("parse_mode")
        if parse_mode is not None and parse_mode.lower() not in ("html", "markdown", "markdownv2"):
            raise _invalid("Bad Request: unsupported parse_mode", f"parse_mode {parse_mode!r}")
        targets = []
        if lower in ("sendmessage", "editmessagetext"):
            targets.append(("text", TEXT_LIMIT, "Bad Request: message is too long"))
        if "caption" in typed:
            targets.append(("caption", CAPTION_LIMIT, "Bad Request: message caption is too long"))
        for name, limit, too_long in targets:
            if name not in typed:
                if lower == "editmessagetext" and "rich_message" not in typed:
                    raise _invalid("Bad Request: message text is empty", "no text to edit to")
                continue
            raw = typed[name]
            entities = typed.get("entities" if name == "text" else "caption_entities")
            try:
                formatted = (
                    FormattedText(raw, entities) if entities else format_text(raw, parse_mode)
                )
            except EntityParseError as exc:
                raise _invalid(
                    f"Bad Request: can't parse entities: {exc}",
                    f"{name} under {parse_mode}: {exc}",
                ) from exc
            if name == "text" and not formatted.text.strip():
                raise _invalid("Bad Request: message text is empty", "text is empty after parsing")
            if len(formatted.text) > limit:
                raise _invalid(
                    too_long,
                    f"{name} has {len(formatted.text)} characters after entity parsing"
                    f" (max {limit})",
                )
            for entity in formatted.entities:
                end = entity.get("offset", 0) + entity.get("length", 0)
                if end > _utf16_len(formatted.text) or entity.get("length", 0) <= 0:
                    raise _invalid(
                        "Bad Request: can't parse entities: entity beyond the end of the text",
                        f"{name} entity {entity} does not fit the text",
                    )
        if lower == "answercallbackquery" and len(typed.get("text", "")) > CALLBACK_ANSWER_LIMIT:
            raise _invalid(
                "Bad Request: MESSAGE_TOO_LONG",
                f"callback answer text has {len(typed['text'])} characters (max 200)",
            )
        if lower == "sendchataction" and typed["action"] not in _CHAT_ACTIONS:
            raise _invalid(
                "Bad Request: wrong parameter action in request", f"action {typed['action']!r}"
            )
        if lower == "setwebhook" and not _SECRET_RE.fullmatch(typed.get("secret_token", "x")):
            raise _invalid(
                "Bad Request: secret token contains unallowed characters",
                "secret_token must be 1-256 of A-Z a-z 0-9 _ -",
            )
        if lower == "getupdates" and not 1 <= typed.get("limit", 100) <= 100:
            raise _invalid("Bad Request: limit must be between 1 and 100", "getUpdates limit")

    def _validate_uploads(self, method: str, typed: dict[str, Any]) -> None:
        for name, value in typed.items():
            if isinstance(value, UploadedFile):
                if not value.data:
                    raise _invalid("Bad Request: file must be non-empty", f"{name} is empty")
                if name == "photo" and len(value.data) > PHOTO_UPLOAD_LIMIT:
                    raise _invalid("Bad Request: PHOTO_INVALID_DIMENSIONS", f"{name} over 10 MB")
            elif (
                isinstance(value, str)
                and name in ("photo", "document", "voice", "audio", "video", "animation")
                and not value.startswith(("http://", "https://"))
                and value not in self.files
            ):
                raise ApiError("Bad Request: wrong file identifier/HTTP URL specified")

    # ------------------------------------------------------------------ dispatch

    async def _run(self, bot: _BotState, method: str, params: dict[str, Any]) -> Any:
        lower = method.lower()
        fault = self._take_fault(lower)
        if fault is not None and fault.hang_seconds:
            result = await self._dispatch(bot, method, params) if fault.deliver else None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._release_hangs.wait(), fault.hang_seconds)
            if fault.deliver:
                return result
            raise ApiError("Gateway Timeout", 504)
        chat = None
        if "chat_id" in params and lower.startswith(_TARGETING_PREFIXES):
            chat = self._resolve_chat(params["chat_id"], lower)
        # A 429 bans the chat it was about (or, without a chat, the method); flood bans may
        # also be global. Only calls that send or edit are subject to chat and global bans.
        ban_key: Any = chat.id if chat is not None else f"method:{lower}"
        keys = [ban_key, "global"] if lower.startswith(_TARGETING_PREFIXES) else [ban_key]
        now = self.clock()
        for key in keys:
            until = self._bans.get(key, 0.0)
            if until > now:
                # Telegram answers 429 again, and keeps counting, while a client ignores the wait.
                self.limit_violations += 1
                retry = max(1, math.ceil(until - now))
                self.rate_limited.append(
                    {"method": method, "chat_id": key, "retry_after": retry, "violation": True}
                )
                raise self._too_many(retry)
        if fault is not None:
            if fault.status == 429:
                self._ban(ban_key, fault.retry_after or 1, method, now)
            description = fault.description or _STATUS_TEXT.get(fault.status, "Error")
            if fault.status == 429:
                description = f"Too Many Requests: retry after {fault.retry_after}"
            parameters = {"retry_after": fault.retry_after} if fault.retry_after else None
            raise ApiError(description, fault.status, parameters=parameters)
        if (
            self.flood_limits is not None
            and chat is not None
            and lower.startswith(_SENDING_PREFIXES)
            and lower != "sendchataction"
        ):
            self._check_flood(chat, method, now)
        return await self._dispatch(bot, method, params)

    def _take_fault(self, method: str) -> _Fault | None:
        for fault in self._faults:
            if fault.method in ("*", method):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _too_many(self, retry_after: int) -> ApiError:
        return ApiError(
            f"Too Many Requests: retry after {retry_after}",
            429,
            parameters={"retry_after": retry_after},
        )

    def _ban(self, key: Any, retry_after: int, method: str, now: float) -> None:
        self._bans[key] = now + retry_after
        self.rate_limited.append(
            {"method": method, "chat_id": key, "retry_after": retry_after, "violation": False}
        )

    def _check_flood(self, chat: FakeChat, method: str, now: float) -> None:
        limits = self.flood_limits
        assert limits is not None
        window = self._windows.setdefault("global", deque())
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) >= limits.global_per_second:
            retry = max(1, math.ceil(1.0 - (now - window[0])))
            self._ban("global", retry, method, now)
            raise self._too_many(retry)
        if chat.type == "private":
            tokens, stamp = self._buckets.get(chat.id, (float(limits.private_burst), now))
            tokens = min(
                float(limits.private_burst), tokens + (now - stamp) * limits.private_per_second
            )
            if tokens < 1.0:
                retry = max(1, math.ceil((1.0 - tokens) / limits.private_per_second))
                self._buckets[chat.id] = (tokens, now)
                self._ban(chat.id, retry, method, now)
                raise self._too_many(retry)
            self._buckets[chat.id] = (tokens - 1.0, now)
        else:
            group_window = self._windows.setdefault(chat.id, deque())
            while group_window and now - group_window[0] >= 60.0:
                group_window.popleft()
            if len(group_window) >= limits.group_per_minute:
                retry = max(1, math.ceil(60.0 - (now - group_window[0])))
                self._ban(chat.id, retry, method, now)
                raise self._too_many(retry)
            group_window.append(now)
        window.append(now)

    def _resolve_chat(self, chat_id: int | str, method: str = "") -> FakeChat:
        chat: FakeChat | None
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            chat = next((c for c in self.chats.values() if c.username == chat_id[1:]), None)
        else:
            chat = self.chats.get(int(chat_id)) if _INT_RE.fullmatch(str(chat_id)) else None
        if chat is None:
            raise ApiError("Bad Request: chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                "Bad Request: group chat was upgraded to a supergroup chat",
                parameters={"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.blocked and method.startswith(_TARGETING_PREFIXES):
            raise ApiError(chat.blocked, 403)
        return chat

    async def _dispatch(self, bot: _BotState, method: str, params: dict[str, Any]) -> Any:
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return self._stubs.get(method.lower(), True)
        return await handler(bot, params)

    # ------------------------------------------------------------------ methods: bot, updates

    async def _m_getme(self, bot: _BotState, params: dict[str, Any]) -> Any:
        return {
            **bot.user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_logout(self, bot: _BotState, params: dict[str, Any]) -> Any:
        return True

    async def _m_close(self, bot: _BotState, params: dict[str, Any]) -> Any:
        return True

    async def _m_getupdates(self, bot: _BotState, params: dict[str, Any]) -> Any:
        if bot.webhook_url:
            raise ApiError(
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
                409,
            )
        if "allowed_updates" in params:
            bot.allowed_updates = list(params["allowed_updates"])
        offset = params.get("offset", 0)
        if offset > 0:
            while bot.updates and bot.updates[0]["update_id"] < offset:
                bot.updates.popleft()
        elif offset < 0:
            while len(bot.updates) > -offset:
                bot.updates.popleft()
        limit = params.get("limit", 100)
        bot.poll_generation += 1
        generation = bot.poll_generation
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0, params.get("timeout", 0))
        while True:
            if bot.updates or self._closing:
                return list(itertools.islice(bot.updates, limit))
            if generation != bot.poll_generation:
                raise ApiError(
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                    409,
                )
            if bot.webhook_url:
                return []
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self._wait_change(remaining)

    async def _m_setwebhook(self, bot: _BotState, params: dict[str, Any]) -> Any:
        url = params["url"]
        if not url:
            return await self._m_deletewebhook(bot, params)
        if not url.startswith(("https://", "http://")):
            raise ApiError("Bad Request: bad webhook: Webhook can be set up only on ports 80, "
                           "88, 443 or 8443")  # fmt: skip
        if params.get("drop_pending_updates"):
            bot.updates.clear()
        bot.webhook_url = url
        bot.webhook_secret = params.get("secret_token")
        bot.webhook_max_connections = params.get("max_connections", 40)
        if "allowed_updates" in params:
            bot.allowed_updates = list(params["allowed_updates"])
        if bot.webhook_task is None or bot.webhook_task.done():
            bot.webhook_task = asyncio.create_task(self._webhook_loop(bot))
            self._tasks.add(bot.webhook_task)
            bot.webhook_task.add_done_callback(self._tasks.discard)
        bot.poll_generation += 1
        self._changed()
        return True

    async def _m_deletewebhook(self, bot: _BotState, params: dict[str, Any]) -> Any:
        if params.get("drop_pending_updates"):
            bot.updates.clear()
        bot.webhook_url = ""
        bot.webhook_secret = None
        self._changed()
        return True

    async def _m_getwebhookinfo(self, bot: _BotState, params: dict[str, Any]) -> Any:
        info: dict[str, Any] = {
            "url": bot.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(bot.updates),
        }
        if bot.webhook_url:
            info["max_connections"] = bot.webhook_max_connections
            if bot.allowed_updates:
                info["allowed_updates"] = bot.allowed_updates
        if bot.webhook_last_error:
            info["last_error_date"], info["last_error_message"] = bot.webhook_last_error
        return info

    async def _webhook_loop(self, bot: _BotState) -> None:
        async with aiohttp.ClientSession() as session:
            while not self._closing and bot.webhook_url:
                if not bot.updates:
                    await self._wait_change(None)
                    continue
                url = bot.webhook_url
                update = bot.updates[0]
                headers = {}
                if bot.webhook_secret:
                    headers["X-Telegram-Bot-Api-Secret-Token"] = bot.webhook_secret
                attempt = 1 + sum(
                    1 for d in self.webhook_deliveries if d["update_id"] == update["update_id"]
                )
                status: int | None = None
                error: str | None = None
                body = b""
                reply_type = ""
                try:
                    async with session.post(
                        url,
                        data=_dumps(update),
                        headers={**headers, "Content-Type": "application/json"},
                        timeout=aiohttp.ClientTimeout(total=self.webhook_timeout),
                    ) as response:
                        status = response.status
                        body = await response.read()
                        reply_type = response.content_type
                        if not 200 <= status < 300:
                            error = f"Wrong response from the webhook: {status} {response.reason}"
                except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                    error = f"Connection failed: {type(exc).__name__}: {exc}"
                self.webhook_deliveries.append({
                    "update_id": update["update_id"],
                    "url": url,
                    "status": status,
                    "error": error,
                    "attempt": attempt,
                    "secret_token": bot.webhook_secret,
                })  # fmt: skip
                if error is None:
                    if bot.updates and bot.updates[0]["update_id"] == update["update_id"]:
                        bot.updates.popleft()
                    await self._webhook_reply(bot, body, reply_type)
                    self._changed()
                else:
                    bot.webhook_last_error = (int(time.time()), error)
                    self._changed()
                    await asyncio.sleep(self.webhook_retry_delay)

    async def _webhook_reply(self, bot: _BotState, body: bytes, content_type: str) -> None:
        """Telegram executes a method given in the webhook's answer (JSON, as aiogram sends)."""
        if content_type != "application/json" or not body.strip():
            return
        try:
            reply = json.loads(body)
        except ValueError:
            return
        if isinstance(reply, dict) and "method" in reply:
            params = {k: v for k, v in reply.items() if k != "method"}
            await self.execute(
                str(reply["method"]), params, None, bot.token, via_webhook_reply=True
            )

    async def _m_setmycommands(self, bot: _BotState, params: dict[str, Any]) -> Any:
        if len(params["commands"]) > 100:
            raise _invalid("Bad Request: BOT_COMMANDS_TOO_MUCH", "more than 100 commands")
        key = self._commands_key(params.get("scope"), params.get("language_code", ""))
        bot.commands[key] = params["commands"]
        return True

    async def _m_getmycommands(self, bot: _BotState, params: dict[str, Any]) -> Any:
        key = self._commands_key(params.get("scope"), params.get("language_code", ""))
        return bot.commands.get(key, [])

    async def _m_deletemycommands(self, bot: _BotState, params: dict[str, Any]) -> Any:
        bot.commands.pop(
            self._commands_key(params.get("scope"), params.get("language_code", "")), None
        )
        return True

    # ------------------------------------------------------------------ methods: messages

    def _target_thread(self, chat: FakeChat, params: dict[str, Any]) -> int | None:
        thread_id = params.get("message_thread_id")
        if thread_id is None:
            return None
        topic = chat.topics.get(thread_id)
        if not chat.is_forum or topic is None:
            raise ApiError("Bad Request: message thread not found")
        if topic["closed"] and chat.bot_status != "administrator":
            raise ApiError("Bad Request: TOPIC_CLOSED")
        return thread_id

    def _send(
        self, bot: _BotState, params: dict[str, Any], content: dict[str, Any]
    ) -> dict[str, Any]:
        chat = self._resolve_chat(params["chat_id"], "send")
        if chat.type == "private" and chat.user is None:
            raise ApiError("Forbidden: bot can't initiate conversation with a user", 403)
        thread_id = self._target_thread(chat, params)
        reply = params.get("reply_parameters") or {}
        reply_id = reply.get("message_id")
        if "chat_id" in reply and str(reply["chat_id"]) != str(chat.id):
            reply_id = None  # replies to other chats are shown as external_reply; not modelled
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            content["reply_markup"] = markup
        if params.get("protect_content"):
            content["has_protected_content"] = True
        return self._store_message(
            chat,
            dict(bot.user),
            content,
            thread_id,
            reply_id,
            allow_missing_reply=bool(reply.get("allow_sending_without_reply")),
        )

    @staticmethod
    def _formatted(params: dict[str, Any], name: str) -> dict[str, Any]:
        entities_key = "entities" if name == "text" else "caption_entities"
        if entities_key in params:
            formatted = FormattedText(params[name], params[entities_key])
        else:
            formatted = format_text(params[name], params.get("parse_mode"))
        content: dict[str, Any] = {name: formatted.text}
        if formatted.entities:
            content[entities_key] = formatted.entities
        return content

    def _media(self, value: UploadedFile | str, kind: str, extension: str) -> FileRecord:
        if isinstance(value, UploadedFile):
            return self.register_file(value.data, kind, extension)
        if value in self.files:
            return self.files[value]
        record = self.register_file(b"", kind, extension)
        record.url = value
        return record

    def _media_content(
        self, kind: str, value: UploadedFile | str, params: dict[str, Any]
    ) -> dict[str, Any]:
        content: dict[str, Any] = {}
        if kind == "photo":
            if isinstance(value, str) and value in self.files:
                record = self.files[value]
                content["photo"] = [{
                    "file_id": record.file_id, "file_unique_id": record.file_unique_id,
                    "file_size": len(record.content), "width": 1280, "height": 960,
                }]  # fmt: skip
            else:
                data = value.data if isinstance(value, UploadedFile) else b""
                content["photo"] = self._photo_sizes(data, 1280, 960)
        elif kind == "document":
            record = self._media(value, "document", "bin")
            content["document"] = {
                "file_id": record.file_id,
                "file_unique_id": record.file_unique_id,
                "file_name": value.filename if isinstance(value, UploadedFile) else "file",
                "mime_type": value.content_type
                if isinstance(value, UploadedFile)
                else "application/octet-stream",
                "file_size": len(record.content),
            }
        elif kind == "voice":
            record = self._media(value, "voice", "oga")
            content["voice"] = {
                "file_id": record.file_id,
                "file_unique_id": record.file_unique_id,
                "duration": params.get("duration", 1),
                "mime_type": "audio/ogg",
                "file_size": len(record.content),
            }
        else:  # audio / video and the like: enough for a bot to read file_id back
            record = self._media(value, kind, "bin")
            content[kind] = {
                "file_id": record.file_id,
                "file_unique_id": record.file_unique_id,
                "file_size": len(record.content),
                "duration": 1,
                **({"width": 640, "height": 480} if kind in ("video", "animation") else {}),
            }
        if params.get("caption"):
            content.update(self._formatted(params, "caption"))
        return content

    async def _m_sendmessage(self, bot: _BotState, params: dict[str, Any]) -> Any:
        return self._send(bot, params, self._formatted(params, "text"))

    async def _m_sendphoto(self, bot: _BotState, params: dict[str, Any]) -> Any:
        return self._send(bot, params, self._media_content("photo", params["photo"], params))

    async def _m_senddocument(self, bot: _BotState, params: dict[str, Any]) -> Any:
        return self._send(bot, params, self._media_content("document", params["document"], params))

    async def _m_sendvoice(self, bot: _BotState, params: dict[str, Any]) -> Any:
        return self._send(bot, params, self._media_content("voice", params["voice"], params))

    async def _m_sendmediagroup(self, bot: _BotState, params: dict[str, Any]) -> Any:
        media = params["media"]
        if not 2 <= len(media) <= 10:
            raise _invalid("Bad Request: wrong number of messages in the media group",
                           f"media group of {len(media)} items (2-10)")  # fmt: skip
        kinds = {item["type"] for item in media}
        if len(kinds) > 1 and not kinds <= {"photo", "video"}:
            raise _invalid("Bad Request: documents and audios can't be mixed with other media",
                           f"media group mixes {sorted(kinds)}")  # fmt: skip
        group_id = str(10**17 + next(self._ids))
        messages = []
        for item in media:
            content = self._media_content(item["type"], item["media"], item)
            content["media_group_id"] = group_id
            messages.append(self._send(bot, {**params, "reply_markup": None}, content))
        return messages

    async def _m_sendchataction(self, bot: _BotState, params: dict[str, Any]) -> Any:
        chat = self._resolve_chat(params["chat_id"], "send")
        self._target_thread(chat, params)
        self.chat_actions.append({"chat_id": chat.id, **params})
        return True

    def _own_message(
        self, bot: _BotState, params: dict[str, Any], missing: str
    ) -> tuple[FakeChat, dict[str, Any]]:
        if "inline_message_id" in params:
            raise ApiError(f"Bad Request: {missing}")  # inline mode is not modelled
        if "chat_id" not in params or "message_id" not in params:
            raise _invalid(
                "Bad Request: message identifier is not specified",
                "chat_id and message_id (or inline_message_id) are required",
            )
        chat = self._resolve_chat(params["chat_id"], "edit")
        message = chat.live(params["message_id"])
        if message is None:
            raise ApiError(f"Bad Request: {missing}")
        if message.get("from", {}).get("id") != bot.user["id"]:
            raise ApiError("Bad Request: message can't be edited")
        return chat, message

    def _apply_edit(
        self, message: dict[str, Any], content: dict[str, Any], markup: dict[str, Any] | None
    ) -> dict[str, Any]:
        current = {k: message.get(k) for k in content}
        current_markup = message.get("reply_markup")
        if current == content and current_markup == markup:
            raise ApiError(
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message"
            )
        for key, value in content.items():
            if value is None:
                message.pop(key, None)
            else:
                message[key] = value
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        self._changed()
        return message

    async def _m_editmessagetext(self, bot: _BotState, params: dict[str, Any]) -> Any:
        _, message = self._own_message(bot, params, "message to edit not found")
        if "text" not in message:
            raise ApiError("Bad Request: there is no text in the message to edit")
        formatted = self._formatted(params, "text")
        content = {"text": formatted["text"], "entities": formatted.get("entities")}
        # Leaving reply_markup out of an edit removes the inline keyboard, as in Telegram.
        return self._apply_edit(message, content, params.get("reply_markup"))

    async def _m_editmessagecaption(self, bot: _BotState, params: dict[str, Any]) -> Any:
        _, message = self._own_message(bot, params, "message to edit not found")
        if "text" in message:
            raise ApiError("Bad Request: there is no caption in the message to edit")
        content: dict[str, Any] = {"caption": None, "caption_entities": None}
        if params.get("caption"):
            formatted = self._formatted(params, "caption")
            content = {
                "caption": formatted["caption"],
                "caption_entities": formatted.get("caption_entities"),
            }
        return self._apply_edit(message, content, params.get("reply_markup"))

    async def _m_editmessagereplymarkup(self, bot: _BotState, params: dict[str, Any]) -> Any:
        _, message = self._own_message(bot, params, "message to edit not found")
        return self._apply_edit(message, {}, params.get("reply_markup"))

    async def _m_deletemessage(self, bot: _BotState, params: dict[str, Any]) -> Any:
        chat = self._resolve_chat(params["chat_id"])
        message = chat.live(params["message_id"])
        if message is None:
            raise ApiError("Bad Request: message to delete not found")
        is_own = message.get("from", {}).get("id") == bot.user["id"]
        if not is_own and chat.type != "private" and chat.bot_status != "administrator":
            raise ApiError("Bad Request: message can't be deleted")
        chat.deleted.add(params["message_id"])
        self._changed()
        return True

    async def _m_deletemessages(self, bot: _BotState, params: dict[str, Any]) -> Any:
        chat = self._resolve_chat(params["chat_id"])
        chat.deleted.update(i for i in params["message_ids"] if i in chat.messages)
        self._changed()
        return True

    async def _m_answercallbackquery(self, bot: _BotState, params: dict[str, Any]) -> Any:
        query = bot.callback_queries.pop(params["callback_query_id"], None)
        if query is None:
            raise ApiError(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self.callback_answers.append({
            **params,
            "data": query.get("data"),
            "user_id": query["from"]["id"],
            "message": query.get("message"),
        })  # fmt: skip
        return True

    async def _m_forwardmessage(self, bot: _BotState, params: dict[str, Any]) -> Any:
        source_chat = self._resolve_chat(params["from_chat_id"])
        source = source_chat.live(params["message_id"])
        if source is None:
            raise ApiError("Bad Request: message to forward not found")
        skip = {"message_id", "from", "date", "chat", "message_thread_id", "is_topic_message",
                "reply_to_message", "reply_markup", "edit_date", "forward_origin"}  # fmt: skip
        content = {k: v for k, v in source.items() if k not in skip}
        origin = source.get("forward_origin") or {
            "type": "user",
            "sender_user": source["from"],
            "date": source["date"],
        }
        content["forward_origin"] = origin
        return self._send(bot, {**params, "reply_markup": None}, content)

    async def _m_copymessage(self, bot: _BotState, params: dict[str, Any]) -> Any:
        source_chat = self._resolve_chat(params["from_chat_id"])
        source = source_chat.live(params["message_id"])
        if source is None:
            raise ApiError("Bad Request: message to copy not found")
        if "forum_topic_created" in source:
            raise ApiError("Bad Request: message can't be copied")
        skip = {"message_id", "from", "date", "chat", "message_thread_id", "is_topic_message",
                "reply_to_message", "reply_markup", "edit_date", "forward_origin"}  # fmt: skip
        content = {k: v for k, v in source.items() if k not in skip}
        if "caption" in params and "text" not in source:  # text messages have no caption
            content.pop("caption_entities", None)
            content.update(self._formatted(params, "caption"))
        message = self._send(bot, params, content)
        return {"message_id": message["message_id"]}

    async def _m_getfile(self, bot: _BotState, params: dict[str, Any]) -> Any:
        record = self.files.get(params["file_id"])
        if record is None:
            raise ApiError("Bad Request: invalid file_id")
        if len(record.content) > DOWNLOAD_LIMIT:
            raise ApiError("Bad Request: file is too big")
        return record.to_file()

    # ------------------------------------------------------------------ methods: chats, topics

    async def _m_getchat(self, bot: _BotState, params: dict[str, Any]) -> Any:
        chat = self._resolve_chat(params["chat_id"])
        info = chat.to_dict()
        info.update({
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
                "premium_subscription": False, "gifts_from_channels": False,
            },
        })  # fmt: skip
        return info

    def _member(self, chat: FakeChat, user_id: int, bot: _BotState) -> dict[str, Any]:
        if user_id == bot.user["id"]:
            status, user = chat.bot_status, dict(bot.user)
        elif user_id in self.users:
            user = self.users[user_id].to_dict()
            status = "member" if chat.type == "private" else chat.members.get(user_id, "left")
        else:
            raise ApiError("Bad Request: user not found")
        if status == "creator":
            return {"status": status, "user": user, "is_anonymous": False}
        if status == "administrator":
            return {
                "status": status, "user": user, "can_be_edited": False, "is_anonymous": False,
                "can_manage_chat": True, "can_delete_messages": True,
                "can_manage_video_chats": False, "can_restrict_members": True,
                "can_promote_members": False, "can_change_info": False,
                "can_invite_users": True, "can_post_stories": False, "can_edit_stories": False,
                "can_delete_stories": False, "can_pin_messages": True,
                "can_manage_topics": chat.bot_can_manage_topics or user_id != bot.user["id"],
                # Required by aiogram 3.31 (Bot API 10.3), newer than api.json 10.1.
                "can_send_welcome_messages": False,
            }  # fmt: skip
        return {"status": status, "user": user}

    async def _m_getchatmember(self, bot: _BotState, params: dict[str, Any]) -> Any:
        chat = self._resolve_chat(params["chat_id"])
        return self._member(chat, params["user_id"], bot)

    async def _m_getchatadministrators(self, bot: _BotState, params: dict[str, Any]) -> Any:
        chat = self._resolve_chat(params["chat_id"])
        ids = [
            uid for uid, status in chat.members.items() if status in ("creator", "administrator")
        ]
        if chat.bot_status == "administrator":
            ids.append(bot.user["id"])
        return [self._member(chat, uid, bot) for uid in ids]

    async def _m_getchatmembercount(self, bot: _BotState, params: dict[str, Any]) -> Any:
        chat = self._resolve_chat(params["chat_id"])
        if chat.type == "private":
            return 2
        return 1 + sum(1 for s in chat.members.values() if s not in ("left", "kicked"))

    def _forum(self, params: dict[str, Any], bot_needs_rights: bool = True) -> FakeChat:
        chat = self._resolve_chat(params["chat_id"], "createforumtopic")
        if not chat.is_forum:
            raise ApiError("Bad Request: the chat is not a forum")
        if bot_needs_rights and not chat.bot_can_manage_topics:
            raise ApiError("Bad Request: not enough rights to create a topic")
        return chat

    def _topic(self, chat: FakeChat, thread_id: int) -> dict[str, Any]:
        topic = chat.topics.get(thread_id)
        if topic is None:
            raise ApiError("Bad Request: TOPIC_ID_INVALID")
        return topic

    async def _m_createforumtopic(self, bot: _BotState, params: dict[str, Any]) -> Any:
        chat = self._forum(params)
        name = params["name"]
        if not 1 <= len(name) <= 128:
            description = "TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_INVALID"
            raise _invalid(f"Bad Request: {description}", "topic name must be 1-128")
        return self._create_topic(
            chat,
            dict(bot.user),
            name,
            params.get("icon_color", 7322096),
            params.get("icon_custom_emoji_id"),
        )

    async def _m_editforumtopic(self, bot: _BotState, params: dict[str, Any]) -> Any:
        chat = self._forum(params)
        topic = self._topic(chat, params["message_thread_id"])
        changes = {k: params[k] for k in ("name", "icon_custom_emoji_id") if k in params}
        if "name" in changes and not 1 <= len(changes["name"]) <= 128:
            raise _invalid("Bad Request: TOPIC_TITLE_INVALID", "topic name must be 1-128")
        if all(topic.get(k) == v for k, v in changes.items()):
            raise ApiError("Bad Request: TOPIC_NOT_MODIFIED")
        topic.update(changes)
        self._store_message(chat, dict(bot.user), {"forum_topic_edited": changes},
                            topic["message_thread_id"], None)  # fmt: skip
        return True

    async def _set_topic_closed(self, bot: _BotState, params: dict[str, Any], closed: bool) -> Any:
        chat = self._forum(params)
        topic = self._topic(chat, params["message_thread_id"])
        if topic["closed"] == closed:
            raise ApiError("Bad Request: TOPIC_NOT_MODIFIED")
        topic["closed"] = closed
        service = "forum_topic_closed" if closed else "forum_topic_reopened"
        self._store_message(chat, dict(bot.user), {service: {}}, topic["message_thread_id"], None)
        return True

    async def _m_closeforumtopic(self, bot: _BotState, params: dict[str, Any]) -> Any:
        return await self._set_topic_closed(bot, params, True)

    async def _m_reopenforumtopic(self, bot: _BotState, params: dict[str, Any]) -> Any:
        return await self._set_topic_closed(bot, params, False)


def _missing_description(method: str, name: str) -> str:
    # Telegram's wording for the parameters a support bot most often forgets.
    known = {
        "text": "Bad Request: message text is empty",
        "chat_id": "Bad Request: chat_id is empty",
        "callback_query_id": "Bad Request: query_id is empty",
        "file_id": "Bad Request: file_id is empty",
    }
    return known.get(name, f'Bad Request: parameter "{name}" is required')


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, UploadedFile):
        return f"<upload {value.filename}>"
    raise TypeError(type(value).__name__)
