"""The command menu a chat platform shows next to the message box (Telegram's setMyCommands)."""

from __future__ import annotations

from bot.i18n import Translator

MENU_COMMANDS = ("start", "status", "my", "cancel", "language", "subscribe", "help")
# (catalog locale, the platform's language code; None for everyone else)
MENU_LANGUAGES: tuple[tuple[str, str | None], ...] = (("vi", None), ("vi", "vi"), ("en", "en"))


def menu_commands(translator: Translator, locale: str) -> list[tuple[str, str]]:
    """(command, description) pairs from the `command-*` catalog ids."""
    return [(name, translator.plain(locale, f"command-{name}")) for name in MENU_COMMANDS]
