"""A fake Zalo Bot Platform API for tests, validating every request the bot makes.

The real platform (DOMAIN.md §5) looks like Telegram's Bot API with a few differences that
this fake reproduces, because they are the ones an adapter gets wrong:

* ``<base>/bot<token>/<method>``; answers ``{"ok": true, "result": ...}``, and errors **also
  with HTTP 200**, as ``{"ok": false, "error_code", "description"}``.
* ``getUpdates(timeout)`` long-polls and returns **one** update (``result`` is the update
  itself, not a list). There is no offset: an update is gone once it has been handed out.
  With nothing to deliver it answers ``error_code`` 408 after the timeout.
* An update is ``{"event_name", "message"}``; ``message_id`` is a hex string, ``date`` is in
  milliseconds, ``chat {id, chat_type}``, ``from {id, display_name, is_bot}``.
* Text and captions are 1–2,000 characters; ``sendPhoto`` takes an http(s) URL only.
* ``setWebhook(url, secret_token)``: updates are POSTed to ``url`` with the header
  ``X-Bot-Api-Secret-Token``. Live traffic is the flat update; the documentation shows it
  wrapped as ``{"ok": true, "result": update}``: ``server.webhook_shape`` switches
  (``"flat"``, the default, or ``"wrapped"``).

Every request is validated: unknown method, unknown parameter, missing or empty required
parameter, wrong type (strings are strings), text or caption outside 1–2,000 characters,
a photo that is not an http(s) URL, a secret token outside 8–256 characters, an unknown chat
action. A failure answers ``{"ok": false, "error_code": 400|404, ...}`` and is appended to
``server.validation_errors``, so a scenario ends with ``assert server.validation_errors == []``.
State-dependent errors (unknown or blocked user, injected faults) are not validation errors;
every ``ok: false`` answer is in ``server.error_responses``.

Test-side API (``user`` arguments accept a ``ZaloUser`` or its id)::

    async with FakeZaloServer(token="1234567890:TEST") as server:
        server.url, server.token, server.bot_info
        lan = server.add_user("Lan")                       # lan.id == the private chat's id
        server.send_text(lan, "Xin chào")                   # each returns the update dict
        server.send_image(lan, "https://example.org/a.jpg", caption=None)
        server.send_sticker(lan, sticker="0e078a2fb66a5f34067b")
        server.send_unsupported(lan)                        # file, contact, location...
        server.inject_update({...})                         # anything else

        msg = await server.wait_for_message(lan.id, predicate=None, timeout=5)
        req = await server.wait_for_request("sendPhoto", predicate=None, timeout=5)
        value = await server.wait_for(lambda: ..., timeout=5, description="...")
        server.messages_in(lan.id)        # what the bot sent there, in order
        server.requests, server.calls("sendMessage"), server.chat_actions
        server.validation_errors, server.error_responses, server.webhook_deliveries
        server.pending_updates(), server.webhook_url(), server.webhook_secret()

        server.fail_next("sendMessage", error_code=500, times=1, description=None)
        server.block_user(lan)            # sends to lan answer 403
        server.webhook_shape = "wrapped"

``wait_for_message`` is event-driven and returns each bot message once (the earliest matching
one not returned before), so consecutive waits walk through a conversation in order. A bot
message is ``{"message_id", "date", "chat_id", "type": "text"|"photo"|"sticker", "text",
"photo", "caption", "sticker"}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import socket
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

T = TypeVar("T")

DEFAULT_TOKEN = "1234567890:TEST-zalo-bot-token"
TEXT_LIMIT = 2000
SECRET_MIN, SECRET_MAX = 8, 256
SECRET_HEADER = "X-Bot-Api-Secret-Token"
DEFAULT_POLL_TIMEOUT = 30  # seconds, as the platform's getUpdates
CHAT_ACTIONS = {"typing", "upload_photo"}

TEXT_EVENT = "message.text.received"
IMAGE_EVENT = "message.image.received"
STICKER_EVENT = "message.sticker.received"
UNSUPPORTED_EVENT = "message.unsupported.received"

# Parameters of each method: name -> required. Every documented value is a string.
METHODS: dict[str, dict[str, bool]] = {
    "getMe": {},
    "getUpdates": {"timeout": False},
    "setWebhook": {"url": True, "secret_token": True},
    "deleteWebhook": {},
    "getWebhookInfo": {},
    "sendMessage": {"chat_id": True, "text": True},
    "sendPhoto": {"chat_id": True, "photo": True, "caption": False},
    "sendSticker": {"chat_id": True, "sticker": True},
    "sendChatAction": {"chat_id": True, "action": True},
}
_BY_LOWER = {name.lower(): name for name in METHODS}


class ZaloError(Exception):
    """An ``ok: false`` answer; ``validation`` marks a malformed request."""

    def __init__(
        self, error_code: int, description: str, *, validation: bool = False, reason: str = ""
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.validation = validation
        self.reason = reason or description

    def payload(self) -> dict[str, Any]:
        return {"ok": False, "error_code": self.error_code, "description": self.description}


def _invalid(description: str, reason: str = "") -> ZaloError:
    return ZaloError(400, f"Bad Request: {description}", validation=True, reason=reason)


@dataclass
class ZaloUser:
    id: str
    display_name: str
    is_bot: bool = False
    blocked: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "display_name": self.display_name, "is_bot": self.is_bot}


@dataclass
class RecordedRequest:
    method: str
    params: dict[str, Any]
    http_method: str = "POST"
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))


@dataclass
class _Fault:
    method: str
    error_code: int
    description: str
    times: int


class FakeZaloServer:
    """In-process Zalo Bot Platform on 127.0.0.1 (see the module docstring for the API)."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_name: str = "bot.NgheDanNoi",
        webhook_shape: Literal["flat", "wrapped"] = "flat",
        webhook_retry_delay: float = 0.05,
        webhook_timeout: float = 10.0,
    ) -> None:
        self.token = token
        bot_id = token.partition(":")[0]
        self.bot_info = {
            "id": bot_id if bot_id.isdigit() else "1459232241454765289",
            "account_name": bot_name,
            "account_type": "BASIC",
            "can_join_groups": False,
        }
        self.webhook_shape = webhook_shape
        self.webhook_retry_delay = webhook_retry_delay
        self.webhook_timeout = webhook_timeout

        self.users: dict[str, ZaloUser] = {}
        self.updates: deque[dict[str, Any]] = deque()
        self.sent: list[dict[str, Any]] = []  # every bot message, all chats, in order
        self.requests: list[RecordedRequest] = []
        self.validation_errors: list[dict[str, Any]] = []
        self.error_responses: list[dict[str, Any]] = []
        self.chat_actions: list[dict[str, Any]] = []
        self.webhook_deliveries: list[dict[str, Any]] = []
        self.delivered_updates: list[dict[str, Any]] = []  # handed out by getUpdates

        self._webhook_url = ""
        self._webhook_secret: str | None = None
        self._webhook_updated_at = 0
        self._webhook_task: asyncio.Task[None] | None = None
        self._faults: list[_Fault] = []
        self._consumed_messages: set[str] = set()
        self._consumed_requests: set[int] = set()
        self._waiters: set[asyncio.Future[None]] = set()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeZaloServer is not started")
        return f"http://127.0.0.1:{self._port}"

    async def start(self) -> FakeZaloServer:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
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
        self._changed()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeZaloServer:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ waiting

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
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {description}\n" + self.describe()
                )
            await self._wait_change(remaining)

    def describe(self, last: int = 15) -> str:
        """Recent requests and validation errors, for failure messages."""
        lines = ["recent requests:"]
        for req in self.requests[-last:]:
            shown = json.dumps(req.params, ensure_ascii=False)[:300]
            lines.append(f"  {req.response.get('ok')} {req.method} {shown}")
        if self.validation_errors:
            lines.append(f"validation errors: {self.validation_errors}")
        return "\n".join(lines)

    async def wait_for_message(
        self,
        chat_id: str | ZaloUser,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """The earliest bot message in the chat matching ``predicate`` not returned before."""
        chat = _id_of(chat_id)

        def find() -> dict[str, Any] | None:
            for message in self.messages_in(chat):
                if message["message_id"] in self._consumed_messages:
                    continue
                if predicate is None or predicate(message):
                    self._consumed_messages.add(message["message_id"])
                    return message
            return None

        return await self.wait_for(find, timeout, f"a bot message in chat {chat}")

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

    # ------------------------------------------------------------------ reading state

    def messages_in(self, chat_id: str | ZaloUser) -> list[dict[str, Any]]:
        chat = _id_of(chat_id)
        return [message for message in self.sent if message["chat_id"] == chat]

    def calls(self, method: str) -> list[RecordedRequest]:
        return [req for req in self.requests if req.method.lower() == method.lower()]

    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self.updates)

    def webhook_url(self) -> str:
        return self._webhook_url

    def webhook_secret(self) -> str | None:
        return self._webhook_secret

    # ------------------------------------------------------------------ world building

    def add_user(
        self, display_name: str, *, user_id: str | None = None, is_bot: bool = False
    ) -> ZaloUser:
        # Zalo ids are opaque hex strings, like "e4ea2cd5189df1c3a88c".
        user = ZaloUser(user_id or secrets.token_hex(10), display_name, is_bot=is_bot)
        self.users[user.id] = user
        return user

    def block_user(self, user: ZaloUser | str) -> None:
        self._user(user).blocked = True

    def unblock_user(self, user: ZaloUser | str) -> None:
        self._user(user).blocked = False

    def fail_next(
        self, method: str, *, error_code: int = 500, times: int = 1, description: str | None = None
    ) -> None:
        """The next ``times`` calls of ``method`` answer ``ok: false`` with ``error_code``."""
        text = description or {
            429: "Too Many Requests",
            500: "Internal Server Error",
            502: "Bad Gateway",
        }.get(error_code, "Error")
        self._faults.append(_Fault(_canonical(method) or method, error_code, text, times))

    def inject_update(self, update: dict[str, Any]) -> dict[str, Any]:
        self.updates.append(update)
        self._changed()
        return update

    def send_text(self, user: ZaloUser | str, text: str) -> dict[str, Any]:
        return self.inject_update(self._update(user, TEXT_EVENT, text=text))

    def send_image(
        self, user: ZaloUser | str, photo_url: str, caption: str | None = None
    ) -> dict[str, Any]:
        extra: dict[str, Any] = {"photo_url": photo_url}
        if caption is not None:
            extra["caption"] = caption
        return self.inject_update(self._update(user, IMAGE_EVENT, **extra))

    def send_sticker(
        self, user: ZaloUser | str, sticker: str = "0e078a2fb66a5f34067b"
    ) -> dict[str, Any]:
        url = f"https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid={sticker}"
        return self.inject_update(self._update(user, STICKER_EVENT, sticker=sticker, url=url))

    def send_unsupported(self, user: ZaloUser | str) -> dict[str, Any]:
        """A file, contact or location: Zalo delivers the event without its content."""
        return self.inject_update(self._update(user, UNSUPPORTED_EVENT))

    def _update(self, user: ZaloUser | str, event_name: str, **content: Any) -> dict[str, Any]:
        sender = self._user(user)
        message: dict[str, Any] = {
            "from": sender.to_dict(),
            "chat": {"id": sender.id, "chat_type": "PRIVATE"},
            "message_id": secrets.token_hex(10),
            "date": _now_ms(),
            **content,
        }
        return {"event_name": event_name, "message": message}

    def _user(self, user: ZaloUser | str) -> ZaloUser:
        return self.users[_id_of(user)]

    # ------------------------------------------------------------------ HTTP

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        params: dict[str, Any] = dict(request.query)
        error: ZaloError | None = None
        if request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError as exc:
                    body = None
                    error = _invalid("can't parse JSON object", str(exc))
                if isinstance(body, dict):
                    params.update(body)
                elif error is None:
                    error = _invalid("can't parse JSON object", "the body is not an object")
            else:
                params.update(await request.post())
        method = request.match_info["method"]
        record = RecordedRequest(_canonical(method) or method, params, request.method)
        self.requests.append(record)
        try:
            if request.match_info["token"] != self.token:
                raise ZaloError(401, "Unauthorized")
            if error is not None:
                raise error
            result = await self._execute(record.method, params)
        except ZaloError as exc:
            record.response = exc.payload()
            self.error_responses.append({"method": record.method, "params": params,
                                         **exc.payload()})  # fmt: skip
            if exc.validation:
                self.validation_errors.append({
                    "method": record.method,
                    "params": params,
                    "reason": exc.reason,
                    "description": exc.description,
                })  # fmt: skip
        else:
            record.response = {"ok": True, "result": result}
        self._changed()
        # The platform answers errors with HTTP 200 too: clients must read "ok".
        return web.json_response(record.response, dumps=_dumps)

    async def _execute(self, method: str, params: dict[str, Any]) -> Any:
        spec = METHODS.get(method)
        if spec is None:
            raise ZaloError(404, "Not Found: method not found", validation=True,
                            reason=f"no method {method}")  # fmt: skip
        self._validate(method, spec, params)
        for fault in self._faults:
            if fault.method == method and fault.times > 0:
                fault.times -= 1
                raise ZaloError(fault.error_code, fault.description)
        return await getattr(self, f"_m_{method.lower()}")(params)

    def _validate(self, method: str, spec: Mapping[str, bool], params: dict[str, Any]) -> None:
        for name in params:
            if name not in spec:
                raise _invalid(f"unknown parameter {name}", f"{method} has no parameter {name}")
        for name, required in spec.items():
            if name not in params:
                if required:
                    raise _invalid(f"{name} is required", f"{method} without {name}")
                continue
            value = params[name]
            if name == "timeout" and isinstance(value, int) and not isinstance(value, bool):
                value = str(value)  # the documented type is String; clients send numbers
            if not isinstance(value, str):
                raise _invalid(f"{name} must be a string",
                               f"{method}.{name} is {type(value).__name__}")  # fmt: skip
            if value == "":
                raise _invalid(f"{name} is empty", f"{method}.{name} is empty")
        if "text" in params:
            _check_length(method, "text", params["text"])
        if "caption" in params:
            _check_length(method, "caption", params["caption"])
        if method == "sendPhoto" and not _is_http_url(params["photo"]):
            raise _invalid("photo must be an http(s) URL",
                           f"sendPhoto.photo {params['photo'][:80]!r}")  # fmt: skip
        if method == "sendChatAction" and params["action"] not in CHAT_ACTIONS:
            raise _invalid(f"unknown action {params['action']}")
        if method == "getUpdates" and not str(params.get("timeout", "0")).isdigit():
            raise _invalid("timeout must be a number of seconds")
        if method == "setWebhook":
            if not _is_http_url(params["url"]):
                raise _invalid("url must be an https URL", f"setWebhook.url {params['url']!r}")
            if not SECRET_MIN <= len(params["secret_token"]) <= SECRET_MAX:
                raise _invalid(f"secret_token must be {SECRET_MIN}-{SECRET_MAX} characters")

    def _recipient(self, params: dict[str, Any]) -> ZaloUser:
        user = self.users.get(params["chat_id"])
        if user is None:
            raise ZaloError(404, "Not Found: chat not found")
        if user.blocked:
            raise ZaloError(403, "Forbidden: the user has blocked the bot")
        return user

    def _store(self, chat_id: str, kind: str, **content: Any) -> dict[str, Any]:
        message = {
            "message_id": secrets.token_hex(10),
            "date": _now_ms(),
            "chat_id": chat_id,
            "type": kind,
            "text": None,
            "photo": None,
            "caption": None,
            "sticker": None,
            **content,
        }
        self.sent.append(message)
        return {"message_id": message["message_id"], "date": message["date"]}

    # ------------------------------------------------------------------ methods

    async def _m_getme(self, params: dict[str, Any]) -> Any:
        return dict(self.bot_info)

    async def _m_getupdates(self, params: dict[str, Any]) -> Any:
        if self._webhook_url:
            raise ZaloError(409, "Conflict: getUpdates is not available while a webhook is set")
        timeout = int(params.get("timeout", DEFAULT_POLL_TIMEOUT))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.updates:
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing or self._webhook_url:
                raise ZaloError(408, "Request timeout")
            await self._wait_change(remaining)
        # No offset: handing an update out is the only acknowledgement there is.
        update = self.updates.popleft()
        self.delivered_updates.append(update)
        return update

    async def _m_setwebhook(self, params: dict[str, Any]) -> Any:
        self._webhook_url = params["url"]
        self._webhook_secret = params["secret_token"]
        self._webhook_updated_at = _now_ms()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._webhook_loop())
        self._changed()
        return {"url": self._webhook_url, "updated_at": self._webhook_updated_at}

    async def _m_deletewebhook(self, params: dict[str, Any]) -> Any:
        self._webhook_url = ""
        self._webhook_secret = None
        self._webhook_updated_at = _now_ms()
        self._changed()
        return {"url": "", "updated_at": self._webhook_updated_at}

    async def _m_getwebhookinfo(self, params: dict[str, Any]) -> Any:
        return {"url": self._webhook_url, "updated_at": self._webhook_updated_at}

    async def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        user = self._recipient(params)
        return self._store(user.id, "text", text=params["text"])

    async def _m_sendphoto(self, params: dict[str, Any]) -> Any:
        user = self._recipient(params)
        return self._store(user.id, "photo", photo=params["photo"], caption=params.get("caption"))

    async def _m_sendsticker(self, params: dict[str, Any]) -> Any:
        user = self._recipient(params)
        return self._store(user.id, "sticker", sticker=params["sticker"])

    async def _m_sendchataction(self, params: dict[str, Any]) -> Any:
        user = self._recipient(params)
        self.chat_actions.append({"chat_id": user.id, "action": params["action"]})
        return None

    # ------------------------------------------------------------------ webhook

    async def _webhook_loop(self) -> None:
        async with aiohttp.ClientSession() as session:
            while not self._closing and self._webhook_url:
                if not self.updates:
                    await self._wait_change(None)
                    continue
                update = self.updates[0]
                body = update if self.webhook_shape == "flat" else {"ok": True, "result": update}
                status: int | None = None
                error: str | None = None
                try:
                    async with session.post(
                        self._webhook_url,
                        data=_dumps(body),
                        headers={
                            SECRET_HEADER: self._webhook_secret or "",
                            "Content-Type": "application/json",
                        },
                        timeout=aiohttp.ClientTimeout(total=self.webhook_timeout),
                    ) as response:
                        status = response.status
                        await response.read()
                        if not 200 <= status < 300:
                            error = f"HTTP {status}"
                except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                    error = f"{type(exc).__name__}: {exc}"
                self.webhook_deliveries.append({
                    "message_id": update.get("message", {}).get("message_id"),
                    "url": self._webhook_url,
                    "status": status,
                    "error": error,
                    "shape": self.webhook_shape,
                })  # fmt: skip
                if error is None and self.updates and self.updates[0] is update:
                    self.updates.popleft()
                self._changed()
                if error is not None:
                    await asyncio.sleep(self.webhook_retry_delay)


def _canonical(method: str) -> str | None:
    return _BY_LOWER.get(method.lower())


def _check_length(method: str, name: str, value: str) -> None:
    if not 1 <= len(value) <= TEXT_LIMIT:
        raise _invalid(f"{name} must be 1-{TEXT_LIMIT} characters",
                       f"{method}.{name} has {len(value)} characters")  # fmt: skip


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _id_of(value: ZaloUser | str) -> str:
    return value.id if isinstance(value, ZaloUser) else str(value)


def _now_ms() -> int:
    return int(time.time() * 1000)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
