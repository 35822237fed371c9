"""The local web chat: a citizen's chat and a unit's group in one browser page.

Mounted on the product's own aiohttp server (bot/web.py). The page posts what a person does
(text, a pressed button, a photo, a location, a phone number), this adapter turns it into an
`IncomingEvent` for the core dispatcher and renders the reply through the web sender; messages
from the outbox arrive through the same sender. Every stored message is pushed to the pages
watching its chat over a WebSocket.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import BasicAuth, WSMsgType, web

from bot.channels.turns import Core, TurnRunner
from bot.channels.webchat.files import UnsupportedFile, Uploads
from bot.channels.webchat.sender import WebSender
from bot.channels.webchat.store import ChatMessage, ChatStore, plain_to_html
from bot.domain.org import Directory, Unit
from bot.i18n import LOCALES, Translator, format_date, format_datetime
from bot.services.board import TicketBoard
from bot.services.sending import Destination, SendError
from handlers.events import ChatKind, IncomingAttachment, IncomingEvent, Sender

log = logging.getLogger("nghedan.webchat")

CHANNEL = "web"
STATIC = Path(__file__).resolve().parent / "static"
COOKIE = "nghedan_web"
POST_HEADER = "X-Nghedan-Web"  # a custom header: another site's form or fetch cannot send it
STRING_PREFIXES = ("web-", "kind-", "status-")
_SESSION = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_NONCE = re.compile(r"^[A-Za-z0-9_-]{6,64}$")
_LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class BadRequest(web.HTTPBadRequest):
    def __init__(self, reason: str) -> None:
        super().__init__(text=json.dumps({"error": reason}), content_type="application/json")


@dataclass(eq=False)  # one per page, compared by identity
class _Watcher:
    chats: frozenset[str]
    queue: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)


def is_web_chat_path(path: str) -> bool:
    """The paths the web chat serves (and guards); /healthz and webhooks are not among them."""
    return path == "/" or path.startswith("/web/")


class WebChat:
    name = "Web chat"

    def __init__(
        self,
        *,
        core: Core,
        translator: Translator,
        directory: Directory,
        board: TicketBoard,
        now: Callable[[], datetime],
        data_dir: Path,
        password: str | None = None,
        groups_here: bool = True,
        page_url: Callable[[], str] | None = None,
    ) -> None:
        self.core = core
        self.translator = translator
        self.directory = directory
        self.board = board
        self.now = now
        self.password = password
        self.groups_here = groups_here  # False when Telegram carries the units' groups
        self.page_url = page_url
        self.store = ChatStore(data_dir / "webchat" / "history.jsonl")
        self.uploads = Uploads(data_dir / "uploads")
        self.sender = WebSender(self.store, self.uploads, now)
        self._watchers: set[_Watcher] = set()
        self.turns = TurnRunner(core, translator, typing=self._typing, log=log)
        self.store.subscribe(self._publish)

    # -- lifecycle ---------------------------------------------------------------------------
    def mount(self, app: web.Application) -> None:
        app.middlewares.append(self._guard)
        router = app.router
        router.add_get("/", self._index)
        router.add_static("/web/static/", STATIC, append_version=False)
        router.add_get("/web/strings", self._strings)
        router.add_get("/web/api/bootstrap", self._bootstrap)
        router.add_post("/web/api/session", self._new_session)
        router.add_get("/web/api/history", self._history)
        router.add_post("/web/api/citizen", self._citizen_post)
        router.add_post("/web/api/group", self._group_post)
        router.add_get("/web/api/tickets", self._tickets)
        router.add_get("/web/files/{name}", self._file)
        router.add_get("/web/ws", self._socket)

    async def start(self) -> None:
        if self.store.path is not None:
            self.store.path.parent.mkdir(parents=True, exist_ok=True)
        self.store.load()
        if self.page_url is not None:
            log.info("Web chat: open %s/ in a browser", self.page_url())

    async def stop(self) -> None:
        for watcher in list(self._watchers):
            watcher.queue.put_nowait({"type": "bye"})

    # -- guard -------------------------------------------------------------------------------
    @web.middleware
    async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not is_web_chat_path(request.path):
            return await handler(request)  # type: ignore[no-any-return]
        if self.password is not None:
            if not self._authorised(request):
                return web.Response(
                    status=401,
                    text="401: password required",
                    headers={"WWW-Authenticate": 'Basic realm="Nghe dan noi", charset="UTF-8"'},
                )
        elif (urlsplit(f"//{request.host}").hostname or "") not in _LOOPBACK_NAMES:
            # Without a password the page only answers to loopback names (DNS rebinding).
            return web.Response(status=403, text="403: loopback only")
        if request.method == "POST" and request.headers.get(POST_HEADER) != "1":
            return web.Response(status=403, text="403: missing header")
        return await handler(request)  # type: ignore[no-any-return]

    def _authorised(self, request: web.Request) -> bool:
        assert self.password is not None
        header = request.headers.get("Authorization", "")
        try:
            given = BasicAuth.decode(header, encoding="utf-8").password if header else ""
        except ValueError:
            given = ""
        return hmac.compare_digest(given.encode("utf-8"), self.password.encode("utf-8"))

    # -- page, strings, session --------------------------------------------------------------
    async def _index(self, request: web.Request) -> web.Response:
        response = web.Response(
            text=(STATIC / "index.html").read_text(encoding="utf-8"),
            content_type="text/html",
            headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store"},
        )
        if _session_of(request) is None:
            _set_session(response, _new_session_id())
        return response

    async def _strings(self, request: web.Request) -> web.Response:
        locale = self.translator.locale_or_default(request.query.get("locale"))
        strings: dict[str, str] = {}
        for message_id in sorted(self.translator.message_ids(locale)):
            if message_id.startswith(STRING_PREFIXES):
                with contextlib.suppress(ValueError, KeyError):  # messages that need arguments
                    strings[message_id] = self.translator.plain(locale, message_id)
        return web.json_response(strings)

    async def _bootstrap(self, request: web.Request) -> web.Response:
        session = _session_of(request) or _new_session_id()
        body = {
            "session": session,
            "citizen_chat": _citizen_chat(session),
            "default_locale": self.translator.default_locale,
            "locales": list(LOCALES),
            "groups_here": self.groups_here,
            "units": [
                {
                    "id": unit.id,
                    "name": unit.name,
                    "chat": str(unit.telegram_chat_id),
                    "officers": [
                        {"id": officer, "head": officer in unit.heads}
                        for officer in sorted(
                            unit.officers, key=lambda o: (o not in unit.heads, o)
                        )
                    ],
                }
                for unit in self.directory.units
            ],
            "communes": [
                {"id": c.id, "name": c.name, "lat": c.lat, "lon": c.lon}
                for c in self.directory.communes
                if c.lat is not None and c.lon is not None
            ],
        }
        response = web.json_response(body, headers={"Cache-Control": "no-store"})
        _set_session(response, session)
        return response

    async def _new_session(self, request: web.Request) -> web.Response:
        """Another citizen: a new browser session, hence a new private chat."""
        session = _new_session_id()
        response = web.json_response({"session": session, "citizen_chat": _citizen_chat(session)})
        _set_session(response, session)
        return response

    async def _history(self, request: web.Request) -> web.Response:
        session = self._require_session(request)
        body: dict[str, Any] = {
            "citizen": [m.to_dict() for m in self.store.history(_citizen_chat(session))],
            "group": [],
        }
        unit = self._unit_or_none(request.query.get("unit"))
        if unit is not None and self.groups_here:
            body["group"] = [m.to_dict() for m in self.store.history(str(unit.telegram_chat_id))]
        return web.json_response(body, headers={"Cache-Control": "no-store"})

    # -- what people do ----------------------------------------------------------------------
    async def _citizen_post(self, request: web.Request) -> web.Response:
        session = self._require_session(request)
        chat = _citizen_chat(session)
        form, upload = await self._read(request)
        person = Sender(id=chat, language_code=_locale_hint(form.get("locale")))
        event = self._event(form, upload, chat=chat, person=person, kind=ChatKind.PRIVATE)
        return await self._run(event)

    async def _group_post(self, request: web.Request) -> web.Response:
        if not self.groups_here:
            raise web.HTTPConflict(text="the units' groups are on Telegram")
        form, upload = await self._read(request)
        unit = self._unit_or_none(form.get("unit"))
        officer = form.get("officer", "")
        if unit is None or not officer.isdigit():
            raise BadRequest("unit and officer required")
        label = self.translator.plain(None, "web-officer")
        person = Sender(id=officer, display_name=f"{label} {officer}")
        event = self._event(
            form, upload, chat=str(unit.telegram_chat_id), person=person, kind=ChatKind.GROUP
        )
        return await self._run(event)

    def _event(
        self,
        form: dict[str, str],
        upload: bytes | None,
        *,
        chat: str,
        person: Sender,
        kind: ChatKind,
    ) -> IncomingEvent:
        nonce = form.get("nonce", "")
        update_id = _update_id(chat, person.id, nonce) if _NONCE.fullmatch(nonce) else None
        choice = form.get("choice") or None
        if choice is not None:
            pressed = _int_or_none(form.get("message_id"))
            if pressed is None or self.store.get(chat, pressed) is None:
                raise BadRequest("message_id of the pressed button required")
            return IncomingEvent(
                channel=CHANNEL,
                chat_id=chat,
                sender=person,
                chat_kind=kind,
                update_id=update_id,
                choice=choice[:64],
                message_id=pressed,
            )
        text = form.get("text", "").strip() or None
        location = _location(form)
        contact = form.get("contact", "").strip() or None
        attachments: tuple[IncomingAttachment, ...] = ()
        shown_files: list[dict[str, Any]] = []
        if upload is not None:
            try:
                stored = self.uploads.save(upload)
            except UnsupportedFile as error:
                raise BadRequest(str(error)) from error
            attachments = (
                IncomingAttachment(
                    kind=stored.kind,
                    file_id=stored.name,
                    file_unique_id=stored.name,
                    mime_type=stored.mime_type,
                    size=stored.size,
                ),
            )
            shown_files = [{"kind": stored.kind, "url": self.uploads.url(stored.name)}]
        if text is None and location is None and contact is None and not attachments:
            raise BadRequest("nothing to send")
        reply_to = _int_or_none(form.get("reply_to"))
        if reply_to is not None and self.store.get(chat, reply_to) is None:
            reply_to = None
        said = self.store.add(
            ChatMessage(
                id=0,
                chat=chat,
                author="user",
                at=self.now().isoformat(),
                html=plain_to_html(text or ""),
                name=person.display_name,
                sender_id=person.id,
                attachments=shown_files,
                reply_to=reply_to,
                location=list(location) if location else None,
                contact=contact,
            )
        )
        return IncomingEvent(
            channel=CHANNEL,
            chat_id=chat,
            sender=person,
            chat_kind=kind,
            update_id=update_id,
            text=text,
            message_id=said.id,
            reply_to_message_id=reply_to,
            contact_phone=contact,
            contact_user_id=person.id if contact else None,
            location=location,
            attachments=attachments,
        )

    async def _run(self, event: IncomingEvent) -> web.Response:
        reply = await self.turns.handle(event)
        sent: list[int] = []
        destination = Destination(chat_id=event.chat_id)
        for message in reply.messages:
            try:
                result = await self.sender.send(destination, message)
            except SendError as error:
                log.warning("web chat: reply to update %s not shown: %s", event.update_id, error)
                continue
            sent.append(int(result.message_id))
        return web.json_response(
            {"alert": reply.alert, "alert_is_error": reply.alert_is_error, "messages": sent}
        )

    async def _read(self, request: web.Request) -> tuple[dict[str, str], bytes | None]:
        if request.content_type == "multipart/form-data":
            data = await request.post()
            form = {k: v for k, v in data.items() if isinstance(v, str)}
            file = data.get("file")
            upload = file.file.read() if isinstance(file, web.FileField) else None
            return form, upload or None
        try:
            body = await request.json()
        except ValueError as error:
            raise BadRequest("JSON or multipart/form-data expected") from error
        if not isinstance(body, dict):
            raise BadRequest("a JSON object expected")
        return {k: str(v) for k, v in body.items() if v is not None}, None

    # -- tickets tab, files ------------------------------------------------------------------
    async def _tickets(self, request: web.Request) -> web.Response:
        session = self._require_session(request)
        rows = await self.board.rows(channel=CHANNEL, external_id=_citizen_chat(session))
        return web.json_response(
            [
                {
                    "code": r.code,
                    "kind": r.kind,
                    "status": r.status,
                    "unit": r.unit_name,
                    "received": format_datetime(r.received_at),
                    "decision_due": format_date(r.decision_due) if r.decision_due else None,
                    "resolution_due": format_date(r.resolution_due) if r.resolution_due else None,
                    "pending_due": format_date(r.pending_due) if r.pending_due else None,
                    "overdue": r.overdue,
                    "mine": r.mine,
                }
                for r in rows
            ],
            headers={"Cache-Control": "no-store"},
        )

    async def _file(self, request: web.Request) -> web.StreamResponse:
        stored = self.uploads.find(request.match_info["name"])
        path = self.uploads.path(request.match_info["name"])
        if stored is None or path is None:
            raise web.HTTPNotFound()
        return web.FileResponse(
            path,
            headers={
                "Content-Type": stored.mime_type,
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'",
                "Cache-Control": "private, max-age=86400",
            },
        )

    # -- pushing -----------------------------------------------------------------------------
    async def _socket(self, request: web.Request) -> web.StreamResponse:
        session = self._require_session(request)
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != request.host:
            raise web.HTTPForbidden(text="cross-origin WebSocket refused")
        chats = {_citizen_chat(session)}
        unit = self._unit_or_none(request.query.get("unit"))
        if unit is not None and self.groups_here:
            chats.add(str(unit.telegram_chat_id))
        socket = web.WebSocketResponse(heartbeat=25)
        await socket.prepare(request)
        watcher = _Watcher(frozenset(chats))
        self._watchers.add(watcher)
        writer = asyncio.create_task(self._pump(socket, watcher))
        try:
            async for message in socket:
                if message.type in (WSMsgType.ERROR, WSMsgType.CLOSE):
                    break  # the page only listens; anything it sends is ignored
        finally:
            self._watchers.discard(watcher)
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer
        return socket

    async def _pump(self, socket: web.WebSocketResponse, watcher: _Watcher) -> None:
        # One writer per page keeps the messages in the order they were stored.
        while True:
            payload = await watcher.queue.get()
            if payload.get("type") == "bye":
                await socket.close()
                return
            try:
                await socket.send_json(payload)
            except ConnectionError:
                return

    async def _typing(self, chat: str) -> None:
        for watcher in self._watchers:
            if chat in watcher.chats:
                watcher.queue.put_nowait({"type": "typing", "chat": chat})

    def _publish(self, message: ChatMessage) -> None:
        for watcher in self._watchers:
            if message.chat in watcher.chats:
                watcher.queue.put_nowait({"type": "message", "message": message.to_dict()})
            else:
                # A card elsewhere may change the tickets tab.
                watcher.queue.put_nowait({"type": "changed"})

    # -- helpers -----------------------------------------------------------------------------
    def _require_session(self, request: web.Request) -> str:
        session = _session_of(request)
        if session is None:
            raise web.HTTPForbidden(text="no session: open the page first")
        return session

    def _unit_or_none(self, unit_id: str | None) -> Unit | None:
        if not unit_id:
            return None
        try:
            return self.directory.unit(unit_id)
        except KeyError:
            return None


def _new_session_id() -> str:
    return secrets.token_urlsafe(16)


def _session_of(request: web.Request) -> str | None:
    value = request.cookies.get(COOKIE, "")
    return value if _SESSION.fullmatch(value) else None


def _set_session(response: web.StreamResponse, session: str) -> None:
    response.set_cookie(
        COOKIE, session, max_age=365 * 24 * 3600, httponly=True, samesite="Strict", path="/"
    )


def _citizen_chat(session: str) -> str:
    return f"web-{session}"


def _update_id(chat: str, sender: str, nonce: str) -> str:
    # The page's nonce makes a double click or a retried request one update; hashed with
    # the chat and sender so it fits the processed-updates key (64 characters).
    return hashlib.blake2b(f"{chat}|{sender}|{nonce}".encode(), digest_size=20).hexdigest()


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _locale_hint(value: str | None) -> str | None:
    return value if value in LOCALES else None


def _location(form: dict[str, str]) -> tuple[float, float] | None:
    if not form.get("lat") and not form.get("lon"):
        return None
    try:
        lat, lon = float(form["lat"].replace(",", ".")), float(form["lon"].replace(",", "."))
    except (KeyError, ValueError) as error:
        raise BadRequest("lat and lon must be numbers") from error
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise BadRequest("lat must be within ±90 and lon within ±180")
    return lat, lon
