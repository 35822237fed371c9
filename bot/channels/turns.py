"""What every chat adapter does around one core turn, whatever its framework.

One turn at a time per chat, "typing…" on slow steps, a few retries when the core fails for
a passing reason (a locked SQLite file, a dropped database connection), and a plain apology
when it keeps failing, so the citizen knows to send the message again.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol, TypeVar

from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from bot.domain.errors import DomainError
from bot.domain.messages import OutgoingMessage, Reply
from bot.i18n import Translator
from handlers.events import IncomingEvent

T = TypeVar("T")

TYPING_AFTER = 0.4  # seconds: show "typing…" only on slow steps
ATTEMPTS = 3


class Core(Protocol):
    async def handle(self, event: IncomingEvent) -> Reply: ...


def _worth_retrying(error: BaseException) -> bool:
    # Only ordinary failures: a cancelled task (shutdown) must stop at once, and a domain
    # error is an answer, not a failure.
    return isinstance(error, Exception) and not isinstance(error, DomainError)


class TurnRunner:
    def __init__(
        self,
        core: Core,
        translator: Translator,
        *,
        typing: Callable[[str], Awaitable[None]],
        log: logging.Logger,
    ) -> None:
        self.core = core
        self.translator = translator
        self.typing = typing
        self.log = log
        # Weak values: a lock lives only while a turn of its chat runs or waits, so a
        # long-running bot does not keep one per citizen it ever heard from.
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._typing_tasks: set[asyncio.Task[None]] = set()

    def _lock(self, chat_id: str) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat_id] = lock
        return lock

    async def handle(self, event: IncomingEvent) -> Reply:
        """The core's reply to `event`, or the apology when the core keeps failing."""
        async with self._lock(event.chat_id):
            # A timer, not a task per turn: most turns end long before it fires.
            typing = (
                asyncio.get_running_loop().call_later(TYPING_AFTER, self._show_typing, event)
                if event.is_private
                else None
            )
            try:
                async for attempt in AsyncRetrying(
                    retry=retry_if_exception(_worth_retrying),
                    stop=stop_after_attempt(ATTEMPTS),
                    wait=wait_exponential_jitter(multiplier=0.2, max=2, jitter=0.2),
                    reraise=True,
                ):
                    with attempt:
                        return await self.core.handle(event)
            except Exception:
                self.log.exception("update %s failed", event.update_id)
                return self.apology()
            finally:
                if typing is not None:
                    typing.cancel()
        raise AssertionError("unreachable")  # AsyncRetrying either returns or reraises

    async def handle_press(
        self,
        event: IncomingEvent | None,
        answer: Callable[[Reply], Awaitable[None]],
        render: Callable[[IncomingEvent, Reply], Awaitable[None]],
    ) -> None:
        """A pressed button: the core's reply, with the press answered beside its messages.

        Side by side, the citizen waits for one round trip, not for the button's spinner to
        stop first. A press the channel could not read (`event` None) is only answered.
        """
        if event is None:
            await answer(Reply())
            return
        reply = await self.handle(event)
        await asyncio.gather(answer(reply), render(event, reply))

    def apology(self) -> Reply:
        text = self.translator(None, "error-generic")
        return Reply(messages=[OutgoingMessage(text=text)], alert=text, alert_is_error=True)

    def _show_typing(self, event: IncomingEvent) -> None:
        task = asyncio.create_task(self._typing(event))
        self._typing_tasks.add(task)  # held until done: the loop keeps only weak references
        task.add_done_callback(self._typing_tasks.discard)

    async def _typing(self, event: IncomingEvent) -> None:
        try:
            await self.typing(event.chat_id)
        except Exception:  # cosmetic; nobody awaits this task, so it must not fail
            self.log.debug("typing indicator failed (update %s)", event.update_id, exc_info=True)


async def in_chat_order(
    items: Iterable[T], chat_of: Callable[[T], str], process: Callable[[T], Awaitable[None]]
) -> None:
    """Process a batch in order within each chat and concurrently across chats."""
    by_chat: defaultdict[str, list[T]] = defaultdict(list)
    for item in items:
        by_chat[chat_of(item)].append(item)

    async def run_chat(chat_items: list[T]) -> None:
        for item in chat_items:
            await process(item)

    await asyncio.gather(*(run_chat(batch) for batch in by_chat.values()))
