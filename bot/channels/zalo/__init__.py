"""The Zalo Bot Platform channel for citizens (ZALO_BOT_TOKEN; DOMAIN.md §5)."""

from bot.channels.zalo.api import ZaloApi, ZaloApiError
from bot.channels.zalo.channel import ZaloChannel, channel_kwargs
from bot.channels.zalo.sender import ZaloSender

__all__ = ["ZaloApi", "ZaloApiError", "ZaloChannel", "ZaloSender", "channel_kwargs"]
