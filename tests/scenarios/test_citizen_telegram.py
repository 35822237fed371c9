"""A citizen on Telegram, through aiogram over real HTTP against the fake Bot API server."""

from __future__ import annotations

from typing import Any

from bot.app import Application
from tests.fakes.telegram_server import FakeTelegramServer


def has(text: str):  # type: ignore[no-untyped-def]
    return lambda message: text in message.get("text", "") or text in message.get("caption", "")


def button(message: dict[str, Any], label_part: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for key in row:
            if label_part in key["text"]:
                return key["callback_data"]
    raise AssertionError(f"no button {label_part!r} in {message['reply_markup']}")


async def test_file_an_anonymous_phan_anh(telegram: FakeTelegramServer,
                                          product: Application) -> None:
    lan = telegram.add_user("Lan", language_code="vi")
    chat = telegram.add_private_chat(lan)
    telegram.send_text(lan, chat, "/start")
    await telegram.wait_for_message(chat.id, has("Nghe dân nói"))
    menu = await telegram.wait_for_message(chat.id, has("Bạn muốn làm gì"))
    telegram.press_button(lan, menu, button(menu, "phản ánh"))
    await telegram.wait_for_message(chat.id, has("từng bước"))
    step = await telegram.wait_for_message(chat.id, has("Bước 2/7"))
    telegram.press_button(lan, step, button(step, "Hạ tầng"))
    step = await telegram.wait_for_message(chat.id, has("Bước 3/7"))
    telegram.press_button(lan, step, button(step, "Hải Châu"))
    await telegram.wait_for_message(chat.id, has("Bước 4/7"))
    telegram.send_text(lan, chat, "Đường Lê Duẩn có ổ gà lớn, xe máy dễ ngã <nguy hiểm> & tối.")
    step = await telegram.wait_for_message(chat.id, has("Bước 5/7"))
    telegram.press_button(lan, step, button(step, "bỏ qua"))
    step = await telegram.wait_for_message(chat.id, has("Bước 6/7"))
    telegram.press_button(lan, step, button(step, "ẩn danh"))
    summary = await telegram.wait_for_message(chat.id, has("Bước 7/7"))
    assert "&lt;nguy hiểm&gt;" not in summary["text"] and "<nguy hiểm>" in summary["text"]
    telegram.press_button(lan, summary, button(summary, "Gửi"))
    done = await telegram.wait_for_message(chat.id, has("PA26-00001"))
    assert "UBND Phường Hải Châu" in done["text"] and "01/12/2026" in done["text"]
