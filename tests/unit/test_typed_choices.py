"""Typing a choice where there are no buttons (Zalo, plain text)."""

from __future__ import annotations

from bot.i18n import Translator
from handlers.context import Turn, fold
from handlers.events import IncomingEvent, Sender

OFFERED = [
    ["🏗 Hạ tầng, giao thông", "c:ha-tang"],
    ["Môi trường", "c:moi-truong"],
    ["Trật tự xây dựng", "c:xay-dung"],
    ["Trật tự đô thị", "c:do-thi"],
]


def chosen(text: str, translator: Translator) -> str | None:
    event = IncomingEvent(channel="zalo", chat_id="1", sender=Sender(id="1"), text=text)
    return Turn(event=event, payload={"offered": OFFERED}, locale="vi", t=translator).chosen()


def test_number_label_and_unique_start(translator: Translator) -> None:
    assert chosen("2", translator) == "c:moi-truong"
    assert chosen("moi truong", translator) == "c:moi-truong"
    assert chosen("Hạ tầng", translator) == "c:ha-tang"
    assert chosen("ha tang", translator) == "c:ha-tang"


def test_ambiguous_or_too_short_starts_choose_nothing(translator: Translator) -> None:
    assert chosen("Trật tự", translator) is None  # two choices start so
    assert chosen("hạ", translator) is None
    assert chosen("5", translator) is None
    assert chosen("Đường bị ổ gà", translator) is None


def test_fold_ignores_emoji_case_and_accents() -> None:
    assert fold("🏗 Hạ TẦNG, giao thông") == "ha tang giao thong"
