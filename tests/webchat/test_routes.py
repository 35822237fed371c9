"""The web chat's routes through aiohttp's test client: the page, a conversation, buttons,
photos, the group pane's events, pushing, history and the password rule."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient, TestServer
from pydantic import ValidationError

from bot.app import create_application
from bot.channels.factories import webchat_component
from bot.channels.webchat import WebChat
from bot.channels.webchat.channel import COOKIE
from bot.config import AppConfig, Settings
from bot.domain.messages import Choice, OutgoingAttachment, OutgoingMessage, Reply
from bot.i18n import Translator
from bot.services.sending import Destination, EditImpossible
from bot.web import web_component
from handlers.events import ChatKind, IncomingEvent
from tests.webchat.conftest import HEADERS, WebProduct, start_web_product, stop_web_product

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
UNIT = "ubnd-hai-chau"
UNIT_CHAT = "-1001000000006"


def last_bot(history: list[dict[str, Any]]) -> dict[str, Any]:
    return next(m for m in reversed(history) if m["author"] == "bot")


def choice_data(message: dict[str, Any], value_suffix: str) -> str:
    for row in message["choices"]:
        for choice in row:
            if choice["data"].endswith(value_suffix):
                return str(choice["data"])
    raise AssertionError(f"no choice ending {value_suffix!r} in {message['choices']}")


async def test_the_page_sets_a_session_and_serves_its_files_and_strings(web: WebProduct) -> None:
    response = await web.client.get("/")
    assert response.status == 200
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    page = await response.text()
    assert "/web/static/app.js" in page
    assert web.client.session.cookie_jar.filter_cookies(web.client.make_url("/"))[COOKIE].value
    for name in ("app.js", "app.css"):
        assert (await web.client.get(f"/web/static/{name}")).status == 200

    vi = await (await web.client.get("/web/strings", params={"locale": "vi"})).json()
    en = await (await web.client.get("/web/strings", params={"locale": "en"})).json()
    assert vi["web-tab-tickets"] == "Danh sách hồ sơ"
    assert en["web-tab-tickets"] == "Tickets"
    assert vi["status-submitted"] and vi["kind-phan_anh"] == "Phản ánh"
    assert set(vi) == set(en)

    boot = await (await web.client.get("/web/api/bootstrap")).json()
    assert boot["groups_here"] is True
    unit = next(u for u in boot["units"] if u["id"] == UNIT)
    assert unit["chat"] == UNIT_CHAT
    assert unit["officers"][0] == {"id": 200051, "head": True}
    assert {c["id"] for c in boot["communes"]} >= {"hai-chau", "hoa-vang"}


async def test_a_citizen_starts_presses_a_choice_and_types_a_number(web: WebProduct) -> None:
    result = await web.citizen(text="/start", nonce="first-turn")
    assert result["messages"]
    history = (await web.history())["citizen"]
    assert history[0]["author"] == "user" and history[0]["html"] == "/start"
    menu = last_bot(history)
    assert [m["id"] for m in history] == list(range(1, len(history) + 1))

    # The menu's "Phản ánh" button starts the intake at the category question.
    await web.citizen(choice=choice_data(menu, "m:pa"), message_id=menu["id"])
    question = last_bot((await web.history())["citizen"])
    assert "Bước 2/7" in question["html"]
    # Typing the number of a choice works as pressing it: the first category.
    await web.citizen(text="1")
    question = last_bot((await web.history())["citizen"])
    assert "Bước 3/7" in question["html"]

    # The same update (a double click) is handled once.
    before = len((await web.history())["citizen"])
    await web.citizen(
        choice=choice_data(question, ":hai-chau"), message_id=question["id"], nonce="n-1234"
    )
    after = len((await web.history())["citizen"])
    await web.citizen(
        choice=choice_data(question, ":hai-chau"), message_id=question["id"], nonce="n-1234"
    )
    assert len((await web.history())["citizen"]) == after > before


async def test_a_photo_is_stored_under_a_random_name_and_served_back(web: WebProduct) -> None:
    await web.citizen(text="/start pa")
    await web.citizen(text="1")  # category
    await web.citizen(text="1")  # commune
    await web.citizen(text="Ổ gà lớn trước số 12 đường Lê Duẩn, rất nguy hiểm cho xe máy.")
    form = FormData({"nonce": "photo-1"})
    form.add_field("file", PNG, filename="pothole.png", content_type="image/png")
    response = await web.client.post("/web/api/citizen", data=form, headers=HEADERS)
    assert response.status == 200, await response.text()
    history = (await web.history())["citizen"]
    sent = next(m for m in reversed(history) if m["author"] == "user")
    url = sent["attachments"][0]["url"]
    name = url.rsplit("/", 1)[1]
    assert (web.data_dir / "uploads" / name).read_bytes() == PNG
    assert any("Đã nhận ảnh (1/5)" in m["html"] for m in history if m["author"] == "bot")
    served = await web.client.get(url)
    assert served.status == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert await served.read() == PNG

    bad = FormData()
    bad.add_field("file", b"MZ\x90\x00 not a picture", filename="x.png")
    refused = await web.client.post("/web/api/citizen", data=bad, headers=HEADERS)
    assert refused.status == 400
    assert (await web.client.get("/web/files/..%2F..%2Fetc%2Fpasswd")).status == 404
    assert (await web.client.get("/web/files/nosuchfile.png")).status == 404


async def test_a_location_and_a_contact_reach_the_core(web: WebProduct) -> None:
    await web.citizen(text="/start pa")
    await web.citizen(text="1")
    await web.citizen(lat=16.0678, lon=108.2208)  # the commune step takes a location
    history = (await web.history())["citizen"]
    assert next(m for m in reversed(history) if m["author"] == "user")["location"] == [
        16.0678,
        108.2208,
    ]
    assert any("Phường Hải Châu" in m["html"] for m in history if m["author"] == "bot")
    bad = await web.client.post("/web/api/citizen", json={"lat": 123, "lon": 1}, headers=HEADERS)
    assert bad.status == 400


async def test_posts_without_the_page_header_or_session_are_refused(web: WebProduct) -> None:
    assert (await web.client.post("/web/api/citizen", json={"text": "hi"})).status == 403
    web.client.session.cookie_jar.clear()
    response = await web.client.post("/web/api/citizen", json={"text": "hi"}, headers=HEADERS)
    assert response.status == 403


async def test_the_web_sender_plays_the_units_groups_and_pushes_edits(web: WebProduct) -> None:
    assert web.app.senders["telegram"] is web.chat.sender
    assert web.app.senders["web"] is web.chat.sender
    socket = await web.client.ws_connect("/web/ws", params={"unit": UNIT})
    sender = web.app.senders["telegram"]
    card = OutgoingMessage(
        text="<b>PA26-00001</b> & <script>x</script>",
        choices=((Choice("Thụ lý", "t:acc:1:1"),),),
    )
    sent = await sender.send(Destination(chat_id=UNIT_CHAT), card)
    pushed = await socket.receive_json(timeout=5)
    assert pushed["type"] == "message"
    assert pushed["message"]["id"] == int(sent.message_id) == 1
    assert pushed["message"]["html"] == "<b>PA26-00001</b> &amp; x"
    assert pushed["message"]["choices"] == [[{"label": "Thụ lý", "data": "t:acc:1:1"}]]

    edited = OutgoingMessage(text="<b>PA26-00001</b> đã thụ lý", edit_message_id=1)
    assert (await sender.send(Destination(chat_id=UNIT_CHAT), edited)).message_id == "1"
    pushed = await socket.receive_json(timeout=5)
    assert pushed["message"]["edited"] is True and pushed["message"]["choices"] == []
    with pytest.raises(EditImpossible):
        await sender.send(
            Destination(chat_id=UNIT_CHAT), OutgoingMessage(text="x", edit_message_id=99)
        )
    reply = OutgoingMessage(
        text="Người dân bổ sung",
        attachments=(OutgoingAttachment("photo", "telegram", "AgAC-telegram-id"),),
    )
    await sender.send(Destination(chat_id=UNIT_CHAT, reply_to_message_id=1), reply)
    pushed = await socket.receive_json(timeout=5)
    assert pushed["message"]["reply_to"] == 1
    assert pushed["message"]["attachments"] == [{"kind": "photo", "url": None, "caption": ""}]
    await socket.close()

    group = (await web.history(UNIT))["group"]
    assert [m["id"] for m in group] == [1, 2]


async def test_history_survives_a_restart(
    web: WebProduct, app_config: AppConfig, database_url: str
) -> None:
    await web.citizen(text="/start")
    cookies = web.client.session.cookie_jar.filter_cookies(web.client.make_url("/"))
    before = (await web.history())["citizen"]
    settings = Settings(database_url=database_url, web_port=0, telegram_bot_token=None)
    again = await start_web_product(settings, app_config, data_dir=web.data_dir)
    try:
        jar = again.client.session.cookie_jar
        jar.clear()
        jar.update_cookies(
            {COOKIE: cookies[COOKIE].value}, response_url=again.client.make_url("/")
        )
        assert (await again.history())["citizen"] == before
        await again.citizen(text="/help")
        ids = [m["id"] for m in (await again.history())["citizen"]]
        assert ids == list(range(1, len(ids) + 1)) and len(ids) > len(before)
    finally:
        await stop_web_product(again)


class RecordingCore:
    def __init__(self) -> None:
        self.events: list[IncomingEvent] = []

    async def handle(self, event: IncomingEvent) -> Reply:
        self.events.append(event)
        return Reply(messages=[OutgoingMessage(text="ok", force_reply=True)], alert="done")


async def test_officer_actions_become_group_events(
    app_config: AppConfig, translator: Translator, tmp_path: Path
) -> None:
    core = RecordingCore()
    chat = WebChat(
        core=core,
        translator=translator,
        directory=app_config.directory(),
        board=None,  # type: ignore[arg-type]  # the tickets tab is not used here
        now=lambda: __import__("datetime").datetime(2026, 11, 16),
        data_dir=tmp_path,
    )
    from aiohttp import web as aioweb

    app = aioweb.Application()
    chat.mount(app)
    await chat.start()
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        await client.get("/")
        card = await chat.sender.send(
            Destination(chat_id=UNIT_CHAT),
            OutgoingMessage(text="card", choices=((Choice("Trả lời", "t:res:1:2"),),)),
        )
        pressed = await client.post(
            "/web/api/group",
            json={"unit": UNIT, "officer": "200052", "choice": "t:res:1:2", "message_id": 1},
            headers=HEADERS,
        )
        assert (await pressed.json()) == {
            "alert": "done",
            "alert_is_error": False,
            "messages": [2],
        }
        await client.post(
            "/web/api/group",
            json={"unit": UNIT, "officer": "200052", "text": "Đã sửa xong", "reply_to": 1},
            headers=HEADERS,
        )
    press, text = core.events
    assert press.channel == "web" and press.chat_id == UNIT_CHAT
    assert press.chat_kind is ChatKind.GROUP
    assert press.sender.id == "200052" and press.sender.display_name == "Cán bộ 200052"
    assert press.choice == "t:res:1:2" and press.message_id == int(card.message_id)
    assert text.text == "Đã sửa xong" and text.reply_to_message_id == 1
    assert text.message_id == 3  # the officer's own message, after the bot's prompt
    assert chat.store.get(UNIT_CHAT, 2).force_reply  # type: ignore[union-attr]


def test_a_password_is_required_off_loopback() -> None:
    with pytest.raises(ValidationError, match="WEB_PASSWORD is required"):
        Settings(web_host="0.0.0.0", telegram_bot_token=None)
    assert Settings(web_host="0.0.0.0", web_password="s3cret", telegram_bot_token=None)
    assert Settings(web_host="127.0.0.1", telegram_bot_token=None).web_password is None


async def test_every_web_chat_route_asks_for_the_password(
    database_url: str, engine: object, app_config: AppConfig, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=database_url,
        web_host="0.0.0.0",
        web_port=0,
        web_password="s3cret-pass",
        telegram_bot_token=None,
    )
    factories = [web_component, lambda app: webchat_component(app, data_dir=tmp_path)]
    app = await create_application(settings, app_config, factories=factories)
    assert app.web is not None
    try:
        async with TestClient(TestServer(app.web.app, host="127.0.0.1")) as client:
            for path in ("/", "/web/strings", "/web/api/bootstrap", "/web/static/app.js"):
                response = await client.get(path)
                assert response.status == 401, path
                assert response.headers["WWW-Authenticate"].startswith("Basic")
            wrong = base64.b64encode(b"x:wrong").decode()
            assert (
                await client.get("/", headers={"Authorization": f"Basic {wrong}"})
            ).status == 401
            right = base64.b64encode(b"any:s3cret-pass").decode()
            assert (
                await client.get("/", headers={"Authorization": f"Basic {right}"})
            ).status == 200
            assert (await client.get("/healthz")).status == 200
    finally:
        await app.stop()


async def test_with_telegram_on_the_groups_stay_on_telegram(
    database_url: str, engine: object, app_config: AppConfig, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=database_url, web_port=0, telegram_bot_token="123:ABC", web_enabled=True
    )
    factories = [web_component, lambda app: webchat_component(app, data_dir=tmp_path)]
    app = await create_application(settings, app_config, factories=factories)
    try:
        assert "telegram" not in app.senders
        assert app.senders["web"] is not None
        chat = next(c for c in app.components if isinstance(c, WebChat))
        assert chat.groups_here is False
    finally:
        await app.stop()


async def test_the_tickets_tab_lists_open_tickets_and_the_citizens_own(web: WebProduct) -> None:
    from bot.domain.kinds import Kind
    from bot.services.citizens import CitizenService
    from bot.services.commands import Identity, SubmitTicket
    from bot.services.context import Actor
    from bot.services.tickets import TicketService

    deps = web.app.deps
    tickets = TicketService(deps)
    other = await tickets.submit(
        SubmitTicket(
            kind=Kind.KHIEU_NAI,
            description="Khiếu nại quyết định thu hồi đất của hộ gia đình tôi.",
            category="dat-dai",
            commune="hoa-vang",
            identity=Identity(name="Nguyễn Văn Bí Mật", phone="0901234567", address="Hòa Vang"),
            consent=True,
        )
    )
    await web.citizen(text="/start")  # the browser's citizen exists from the first message
    session = web.client.session.cookie_jar.filter_cookies(web.client.make_url("/"))[COOKIE]
    citizen = await CitizenService(deps).ensure("web", f"web-{session.value}")
    assert citizen.id is not None
    mine = await tickets.submit(
        SubmitTicket(
            kind=Kind.PHAN_ANH,
            description="Đèn đường hỏng cả tuần nay ở kiệt 12 Lê Duẩn.",
            citizen_id=citizen.id,
            channel="web",
            category="ha-tang",
            commune="hai-chau",
        )
    )
    head = Actor.staff(200051)
    await tickets.accept(head, mine.code)
    await tickets.resolve(head, mine.code, "Đã thay bóng đèn.")

    response = await web.client.get("/web/api/tickets")
    rows = {row["code"]: row for row in await response.json()}
    assert set(rows) == {other.code, mine.code}
    assert rows[mine.code]["mine"] is True and rows[mine.code]["status"] == "resolved"
    assert rows[mine.code]["pending_due"] is None  # answered: nothing pending
    assert rows[other.code]["mine"] is False and rows[other.code]["status"] == "submitted"
    assert rows[other.code]["pending_due"] == rows[other.code]["decision_due"]
    assert rows[other.code]["unit"] == "Sở Nông nghiệp và Môi trường"
    assert "Bí Mật" not in await response.text() and "0901234567" not in await response.text()
