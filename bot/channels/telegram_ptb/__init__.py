"""The Telegram channel on python-telegram-bot 22 (TELEGRAM_FRAMEWORK=ptb)."""

import os

# PTB 22 warns on every read of a time period as a number (`RetryAfter.retry_after`), and
# RetryAfter's own __init__ reads it, so no way of reading it avoids the warning. Opting in
# to the timedelta form that PTB 23 makes the default silences it; sender.seconds_of reads
# either form. PTB looks the variable up on each access, so setting it here is early enough.
os.environ["PTB_TIMEDELTA"] = "true"

from bot.channels.telegram_ptb.channel import PtbTelegramChannel
from bot.channels.telegram_ptb.sender import PtbSender

__all__ = ["PtbSender", "PtbTelegramChannel"]
