"""The turn runner every adapter wraps around the core: retries, apology, cancellation."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import text

from bot.app import build_core, build_deps
from bot.channels.turns import TurnRunner
from bot.config import AppConfig
from bot.domain.errors import DomainError
from bot.domain.messages import OutgoingMessage, Reply
from bot.i18n import Translator
from handlers.events import IncomingEvent, Sender
from storage.engine import make_engine
from tests.support import databases

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


@pytest.mark.skipif(
    not databases.POSTGRES_URL, reason="a PostgreSQL server that drops connections"
)
async def test_turns_go_on_after_the_database_dropped_every_connection(
    app_config: AppConfig, translator: Translator, postgres_ready: bool
) -> None:
    # No ping before each checkout (storage/engine.py): the first statement on a dead
    # connection fails, SQLAlchemy discards the pool, and the runner's retry gets a new one.
    assert databases.POSTGRES_URL
    engine = make_engine(databases.POSTGRES_URL)
    try:
        await databases.truncate_postgres(engine)
        turns = runner(build_core(build_deps(app_config, engine)), translator)  # type: ignore[arg-type]

        def event(update_id: str, text: str) -> IncomingEvent:
            return IncomingEvent(
                channel="telegram",
                chat_id="77",
                sender=Sender(id="77"),
                update_id=update_id,
                text=text,
            )

        first = await turns.handle(event("1", "/start"))
        assert "Bạn muốn làm gì" in first.messages[0].text
        outside = make_engine(databases.POSTGRES_URL)  # a server restart, as the pool sees it
        try:
            async with outside.connect() as admin:
                dropped = await admin.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
                assert any(dropped.scalars())
        finally:
            await outside.dispose()
        after = await turns.handle(event("2", "/help"))
        assert after.messages[0].text != translator(None, "error-generic")
        assert "Hướng dẫn" in after.messages[0].text
    finally:
        await engine.dispose()


async def test_a_press_is_answered_beside_its_reply(translator: Translator) -> None:
    core = Core()
    rendering = asyncio.Event()
    answered: list[Reply] = []

    async def answer(reply: Reply) -> None:
        await asyncio.wait_for(rendering.wait(), 1)  # the reply is on its way meanwhile
        answered.append(reply)

    async def render(event: IncomingEvent, reply: Reply) -> None:
        rendering.set()

    await runner(core, translator).handle_press(EVENT, answer, render)
    assert answered == [REPLY] and core.calls == 1


async def test_an_unreadable_press_is_only_answered(translator: Translator) -> None:
    core = Core()
    answered: list[Reply] = []

    async def answer(reply: Reply) -> None:
        answered.append(reply)

    async def render(event: IncomingEvent, reply: Reply) -> None:
        raise AssertionError("nothing to render")

    await runner(core, translator).handle_press(None, answer, render)
    assert answered == [Reply()] and core.calls == 0
