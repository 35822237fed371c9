"""The local web chat (WEB_ENABLED, on by default): a citizen's chat and a unit's group in a
browser, served by the product's own web server at WEB_HOST:WEB_PORT."""

from bot.channels.webchat.channel import WebChat, is_web_chat_path
from bot.channels.webchat.sender import WebSender

__all__ = ["WebChat", "WebSender", "is_web_chat_path"]
