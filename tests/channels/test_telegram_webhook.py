"""The checks both Telegram adapters make before reading a webhook request."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from bot.channels.telegram_webhook import SECRET_HEADER, refusal, update_body, webhook_update

SECRET = "s3cret-token"


def request(headers: dict[str, str] | None = None, body: bytes = b""):  # type: ignore[no-untyped-def]
    made = make_mocked_request("POST", "/telegram", headers=headers or {})
    made._read_bytes = body  # the body request.json() reads, as if already received
    return made


def status(headers: dict[str, str], *, secret: str | None = SECRET, closing: bool = False):  # type: ignore[no-untyped-def]
    refused = refusal(request(headers), secret, closing=closing)
    return None if refused is None else refused.status


def test_missing_wrong_and_right_secrets() -> None:
    assert status({}) == 401
    assert status({SECRET_HEADER: "guess"}) == 403
    assert status({SECRET_HEADER: SECRET[:-1]}) == 403
    assert status({SECRET_HEADER: SECRET}, secret=None) == 403  # no secret configured: nobody
    assert status({SECRET_HEADER: SECRET}) is None


def test_a_right_request_while_closing_is_asked_again_later() -> None:
    assert status({SECRET_HEADER: SECRET}, closing=True) == 503
    assert status({SECRET_HEADER: "guess"}, closing=True) == 403  # the secret is checked first


async def test_only_a_json_object_with_an_integer_update_id_is_read() -> None:
    assert await update_body(request(body=b'{"update_id": 7, "message": {}}')) == {
        "update_id": 7,
        "message": {},
    }
    for body in (b"not json", b"[]", b'{"update_id": "7"}', b'{"message": {}}', b"\xff"):
        assert await update_body(request(body=body)) is None, body


async def test_a_webhook_request_gives_its_update_or_the_refusal() -> None:
    good = request({SECRET_HEADER: SECRET}, b'{"update_id": 9}')
    assert await webhook_update(good, SECRET, closing=False) == {"update_id": 9}
    refused = await webhook_update(request({}, b'{"update_id": 9}'), SECRET, closing=False)
    assert isinstance(refused, web.Response) and refused.status == 401
    broken = await webhook_update(request({SECRET_HEADER: SECRET}, b"{"), SECRET, closing=False)
    assert isinstance(broken, web.Response) and broken.status == 400
