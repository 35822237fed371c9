"""A person in a Telegram chat with the bot, driven through the fake Bot API server."""

from __future__ import annotations

from typing import Any

from tests.fakes.telegram_server import FakeTelegramServer


class TelegramUser:
    def __init__(
        self, server: FakeTelegramServer, name: str, *, language_code: str = "vi"
    ) -> None:
        self.server = server
        self.user = server.add_user(name, language_code=language_code)
        self.chat = server.add_private_chat(self.user)
        self.last: dict[str, Any] | None = None  # the latest bot message read

    @property
    def id(self) -> int:
        return int(self.user.id)

    def say(self, text: str) -> None:
        self.server.send_text(self.user, self.chat, text)

    def share_contact(self, phone: str) -> None:
        self.server.send_contact(self.user, self.chat, phone_number=phone)

    def send_photo(self, caption: str | None = None) -> None:
        self.server.send_photo(self.user, self.chat, content=b"\x89PNG fake", caption=caption)

    async def expect(self, fragment: str, *, within: float = 5.0) -> dict[str, Any]:
        """The next bot message containing `fragment` (earlier ones are passed over)."""
        message = await self.server.wait_for_message(
            self.chat.id,
            lambda m: fragment in (m.get("text") or m.get("caption") or ""),
            timeout=within,
        )
        self.last = message
        return message

    def press(self, label_part: str, message: dict[str, Any] | None = None) -> None:
        target = message or self.last
        assert target is not None, "no message read yet"
        self.server.press_button(self.user, target, button_data(target, label_part))

    def buttons(self, message: dict[str, Any] | None = None) -> list[str]:
        target = message or self.last
        assert target is not None
        markup = target.get("reply_markup") or {}
        return [key["text"] for row in markup.get("inline_keyboard", []) for key in row]


def button_data(message: dict[str, Any], label_part: str) -> str:
    markup = message.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for key in row:
            if label_part.lower() in key["text"].lower():
                return str(key["callback_data"])
    raise AssertionError(f"no button {label_part!r} under: {message.get('text', '')[:200]!r}")
