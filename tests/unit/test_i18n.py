"""Formatting messages: escaping of variables, and the cache of formatted texts."""

from __future__ import annotations

from bot.i18n import Safe, Translator


def submitted(t: Translator, unit: str) -> str:
    return t("vi", "intake-submitted", code="PA26-00001", unit=unit, due="01/12/2026")


def test_plain_text_is_escaped_and_safe_html_is_not_whatever_came_first(
    translator: Translator,
) -> None:
    fresh = Translator()
    assert "<b>Phường</b>" in submitted(fresh, Safe("<b>Phường</b>"))
    assert "&lt;b&gt;Phường&lt;/b&gt;" in submitted(fresh, "<b>Phường</b>")
    assert "<b>Phường</b>" in submitted(fresh, Safe("<b>Phường</b>"))
    assert "&lt;i&gt;" in submitted(translator, "<i>")


def test_the_same_message_twice_reads_the_same(translator: Translator) -> None:
    first = translator("en", "intake-step", number=3, total=7)
    assert translator("en", "intake-step", number=3, total=7) == first
    assert translator("en", "intake-step", number=4, total=7) != first
    assert translator("vi", "intake-step", number=3, total=7) != first
