"""The framework's ceiling for bench/intake.py: a bare aiogram echo bot, default polling."""

from __future__ import annotations

import asyncio
import sys

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message


async def main(api_url: str, token: str) -> None:
    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "…")

    await dispatcher.start_polling(bot, polling_timeout=1, handle_signals=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
