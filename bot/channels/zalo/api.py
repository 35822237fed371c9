"""A small client for the Zalo Bot Platform: `<base>/bot<token>/<method>`, JSON in and out.

The surface is a handful of methods, so the adapter speaks HTTP itself through aiohttp (already
shipped for the web server) rather than pulling in `python-zalo-bot`, a fork of an older
python-telegram-bot with an application framework of its own.
"""

from __future__ import annotations

from typing import Any

import aiohttp

TIMED_OUT = 408  # getUpdates: nothing to deliver within `timeout`; not an error


class ZaloApiError(Exception):
    """An answer with `"ok": false`; the platform sends these with HTTP 200 too."""

    def __init__(self, error_code: int, description: str) -> None:
        super().__init__(f"{error_code} {description}")
        self.error_code = error_code
        self.description = description


class ZaloNetworkError(Exception):
    """No usable answer: connection failure, timeout, or a body that is not the API's JSON."""


class ZaloApi:
    def __init__(self, token: str, api_url: str, *, request_timeout: float = 15.0) -> None:
        self._base = f"{api_url.rstrip('/')}/bot{token}"
        self.request_timeout = request_timeout
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        # Created on first use, inside the running loop, as aiohttp requires.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return self._session

    async def call(
        self, method: str, params: dict[str, Any] | None = None, *, seconds: float | None = None
    ) -> Any:
        """The method's `result`; ZaloApiError for `ok: false`, ZaloNetworkError otherwise."""
        limit = aiohttp.ClientTimeout(total=seconds or self.request_timeout)
        try:
            async with self._http().post(
                f"{self._base}/{method}", json=params or {}, timeout=limit
            ) as response:
                try:
                    body = await response.json(content_type=None)
                except ValueError as error:
                    detail = f"{method}: HTTP {response.status}, not JSON"
                    raise ZaloNetworkError(detail) from error
        except (TimeoutError, aiohttp.ClientError) as error:
            raise ZaloNetworkError(f"{method}: {type(error).__name__}: {error}") from error
        if not isinstance(body, dict) or "ok" not in body:
            raise ZaloNetworkError(f"{method}: unexpected answer")
        if not body["ok"]:
            code = body.get("error_code")
            raise ZaloApiError(
                code if isinstance(code, int) else 0, str(body.get("description") or "")
            )
        return body.get("result")

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
