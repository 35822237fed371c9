"""The Telegram channel on aiogram 3 (TELEGRAM_FRAMEWORK=aiogram, the default)."""

from bot.channels.telegram_aiogram.channel import TelegramChannel, channel_kwargs
from bot.channels.telegram_aiogram.sender import AiogramSender

__all__ = ["AiogramSender", "TelegramChannel", "channel_kwargs"]
