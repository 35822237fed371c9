"""The turn runner every adapter wraps around the core: retries, apology, cancellation."""

from __future__ import annotations

import asyncio
import logging

from bot.channels.turns import TurnRunner
from bot.domain.errors import DomainError
from bot.domain.messages import OutgoingMessage, Reply
from bot.i18n import Translator
from handlers.events import IncomingEvent, Sender

EVENT = IncomingEvent(channel="test", chat_id="1", sender=Sender(id="1"), text="/start")
REPLY = Reply(messages=[OutgoingMessage(text="ok")])


class Core:
    def __init__(self, *outcomes: BaseException | None) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0
        self.entered = asyncio.Event()
        self.release = asyncio.Event()
        self.blocking = False

    async def handle(self, event: IncomingEvent) -> Reply:
        self.calls += 1
        self.entered.set()
        if self.blocking:
            await self.release.wait()
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        return REPLY


def runner(core: Core, translator: Translator, typed: list[str] | None = None) -> TurnRunner:
    async def typing(chat_id: str) -> None:
        if typed is None:
            raise RuntimeError("no typing here")
        typed.append(chat_id)

    return TurnRunner(core, translator, typing=typing, log=logging.getLogger("test"))


async def test_passing_failures_are_retried(translator: Translator) -> None:
    core = Core(ConnectionResetError(), TimeoutError())
    assert await runner(core, translator).handle(EVENT) is REPLY
    assert core.calls == 3


async def test_lasting_failure_gets_the_apology(translator: Translator) -> None:
    core = Core(*(OSError() for _ in range(3)))
    reply = await runner(core, translator).handle(EVENT)
    assert [m.text for m in reply.messages] == [translator(None, "error-generic")]
    assert reply.alert_is_error and core.calls == 3


async def test_a_domain_error_is_not_retried(translator: Translator) -> None:
    core = Core(DomainError("refused"))
    reply = await runner(core, translator).handle(EVENT)
    assert core.calls == 1 and reply.alert_is_error


async def test_cancelling_a_turn_stops_it_at_once(translator: Translator) -> None:
    core = Core()
    core.blocking = True
    turn = asyncio.create_task(runner(core, translator).handle(EVENT))
    await core.entered.wait()
    turn.cancel()
    done, _ = await asyncio.wait([turn], timeout=1)
    assert turn in done and turn.cancelled()
    assert core.calls == 1  # not called again by a retry


async def test_slow_turns_show_typing_and_a_failing_indicator_is_harmless(
    translator: Translator,
) -> None:
    typed: list[str] = []
    core = Core()
    core.blocking = True
    turn = asyncio.create_task(runner(core, translator, typed).handle(EVENT))
    await asyncio.sleep(0.6)
    core.release.set()
    assert await turn is REPLY and typed == ["1"]
    silent = Core()
    silent.blocking = True
    turn = asyncio.create_task(runner(silent, translator).handle(EVENT))
    await asyncio.sleep(0.6)
    silent.release.set()
    assert await turn is REPLY
