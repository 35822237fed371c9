"""What a Telegram webhook request must show before either adapter reads it as an update."""

from __future__ import annotations

import hmac
from typing import Any

from aiohttp import web

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def refusal(request: web.Request, secret: str | None, *, closing: bool) -> web.Response | None:
    """The answer refusing `request`, or None when it may be handled."""
    given = request.headers.get(SECRET_HEADER)
    if given is None:
        return web.Response(status=401)
    if secret is None or not hmac.compare_digest(given.encode(), secret.encode()):
        return web.Response(status=403)
    if closing:
        return web.Response(status=503)  # Telegram delivers it again later
    return None


async def webhook_update(
    request: web.Request, secret: str | None, *, closing: bool
) -> dict[str, Any] | web.Response:
    """The update a webhook request carries, or the answer that refuses the request."""
    refused = refusal(request, secret, closing=closing)
    if refused is not None:
        return refused
    data = await update_body(request)
    return web.Response(status=400) if data is None else data


async def update_body(request: web.Request) -> dict[str, Any] | None:
    """The body when it is a JSON object with an integer update id; None otherwise (400)."""
    try:
        data = await request.json()
    except ValueError:  # not JSON
        return None
    # Strict on the id: pydantic would read "1" as 1, and a forged body has no place.
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return None
    return data
