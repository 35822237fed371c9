"""Message catalogs (Fluent, `locales/<locale>/*.ftl`).

Code refers to messages by id only; variables are filled in after translation. Every string
variable is HTML-escaped here, because it may come from a user (a name, a description) and
an unescaped "<" breaks Telegram's HTML parse mode.
"""

from __future__ import annotations

import functools
import html
import os
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

from bot.domain.clock import local

LOCALES = ("vi", "en")
_FLUENT_PLACEABLE_LIMIT = 900


def _default_locales_dir() -> Path:
    candidates = [
        Path(os.environ["NGHEDAN_LOCALES"]) if "NGHEDAN_LOCALES" in os.environ else None,
        Path(__file__).resolve().parent.parent / "locales",
        Path.cwd() / "locales",
    ]
    for candidate in candidates:
        if candidate is not None and candidate.is_dir():
            return candidate
    raise FileNotFoundError("no locales/ directory found; set NGHEDAN_LOCALES")


class Safe(str):
    """Text that is already HTML (a rendered fragment); passed through unescaped."""


class Translator:
    def __init__(self, directory: Path | None = None, *, default_locale: str = "vi") -> None:
        self.directory = directory or _default_locales_dir()
        self.default_locale = default_locale
        self._bundles: dict[str, FluentBundle] = {}
        self._ids: dict[str, set[str]] = {}
        for locale in LOCALES:
            # Isolation marks (U+2068/U+2069) would show up as garbage in some clients.
            bundle = FluentBundle([locale], use_isolating=False)
            ids: set[str] = set()
            for path in sorted((self.directory / locale).glob("*.ftl")):
                resource = _parse(path, path.stat().st_mtime_ns)
                bundle.add_resource(resource)
                ids.update(entry.id.name for entry in resource.body if hasattr(entry, "id"))
            self._bundles[locale] = bundle
            self._ids[locale] = ids
        self._formatted = functools.lru_cache(maxsize=4096)(self._format_key)

    def locale_or_default(self, locale: str | None) -> str:
        return locale if locale in self._bundles else self.default_locale

    def message_ids(self, locale: str) -> set[str]:
        return set(self._ids[locale])

    def has(self, message_id: str, locale: str | None = None) -> bool:
        return message_id in self._ids[self.locale_or_default(locale)]

    def __call__(self, locale: str | None, message_id: str, **args: Any) -> str:
        locale = self.locale_or_default(locale)
        # Labels, step headers and prompts repeat on every turn; Fluent and Babel's number
        # formatting cost more than the lookup (about 5% of a turn, bench/core.py).
        # The type is part of the key: Safe("<b>") equals "<b>" but must not be escaped.
        key = (locale, message_id, *((k, type(v), v) for k, v in sorted(args.items())))
        try:
            return self._formatted(key)
        except TypeError:  # an argument that cannot be a key (none do today)
            return self._format(locale, message_id, args)

    def _format_key(self, key: tuple[Any, ...]) -> str:
        locale, message_id, *items = key
        return self._format(locale, message_id, {name: value for name, _, value in items})

    def _format(self, locale: str, message_id: str, args: Mapping[str, Any]) -> str:
        bundle = self._bundles[locale]
        if not bundle.has_message(message_id):
            raise KeyError(f"message {message_id!r} missing from locale {locale!r}")
        message = bundle.get_message(message_id)
        values = _escaped(args)
        # Fluent refuses placeables over 1,000 characters; a description may have 4,000.
        # Long values go in as opaque tokens and are put back after formatting.
        long_values: dict[str, str] = {}
        for key, value in values.items():
            if isinstance(value, str) and len(value) > _FLUENT_PLACEABLE_LIMIT:
                token = f"\x00{len(long_values)}\x00"
                long_values[token] = value
                values[key] = token
        text, errors = bundle.format_pattern(message.value, values)
        if errors:
            raise ValueError(f"{locale}/{message_id}: {errors}")
        for token, value in long_values.items():
            text = text.replace(token, value)
        return text

    def plain(self, locale: str | None, message_id: str, **args: Any) -> str:
        """The same message without HTML: for button labels and alerts."""
        return html.unescape(self(locale, message_id, **args))


@functools.lru_cache(maxsize=256)
def _parse(path: Path, _mtime_ns: int) -> FluentResource:
    """Parsing the catalogs is the slowest part of starting (~0.4 s); parse each file once."""
    return FluentResource(path.read_text(encoding="utf-8"))


def _escaped(args: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in args.items():
        if isinstance(value, Safe):
            result[key] = str(value)
        elif isinstance(value, str):
            result[key] = html.escape(value, quote=False)
        elif value is None:
            result[key] = ""
        else:
            result[key] = value
    return result


def format_date(moment: datetime | date) -> str:
    """dd/mm/yyyy, the way Vietnamese documents write dates, in Asia/Ho_Chi_Minh."""
    if isinstance(moment, datetime):
        moment = local(moment).date()
    return moment.strftime("%d/%m/%Y")


def format_datetime(moment: datetime) -> str:
    return local(moment).strftime("%H:%M %d/%m/%Y")
