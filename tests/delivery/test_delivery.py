"""The outbox worker: exactly once, in order per chat, within Telegram's limits, whatever the
fake Bot API throws at it (429, 5xx, timeouts, 403, migrated groups, vanished cards)."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_deps
from bot.config import AppConfig, DeliveryConfig
from bot.delivery import Pace, calls_for
from bot.domain.clock import FixedClock
from bot.domain.kinds import Kind
from bot.domain.messages import OutgoingAttachment, OutgoingMessage
from bot.domain.model import OutboxMessage, Ticket
from bot.services.citizens import CitizenService
from bot.services.commands import SubmitTicket
from bot.services.context import Deps
from bot.services.tickets import TicketService
from storage import orm
from storage.outbox_store import OutboxStore
from tests.delivery.conftest import Workers, enqueue, group_at, until
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support import databases

POTHOLE = "Đường Lê Duẩn có ổ gà lớn trước số 12, xe máy rất dễ ngã."


async def outbox_rows(engine: Any) -> list[Any]:
    async with engine.connect() as connection:
        return list((await connection.execute(select(orm.outbox).order_by(orm.outbox.c.id))).all())


async def unfinished(engine: Any) -> int:
    rows = await outbox_rows(engine)
    return sum(1 for r in rows if r.sent_at is None and r.failed_at is None)


def private_chats(server: FakeTelegramServer, count: int, first: int = 910000000) -> list[int]:
    ids = []
    for n in range(count):
        user = server.add_user(f"Dân {n}", user_id=first + n)
        ids.append(server.add_private_chat(user).id)
    return ids


def texts(server: FakeTelegramServer, chat_id: int) -> list[str]:
    return [m.get("text", "") for m in server.messages_in(chat_id)]


async def submit(deps: Deps) -> Ticket:
    return await TicketService(deps).submit(
        SubmitTicket(
            kind=Kind.PHAN_ANH,
            description=POTHOLE,
            category="ha-tang",
            commune="hai-chau",
            channel="telegram",
        )
    )


async def reload(deps: Deps, ticket: Ticket) -> Ticket:
    async with deps.uow() as uow:
        found = await uow.tickets.get(ticket.id)
    assert found is not None
    return found


# -- exactly once, in order, within the limits -------------------------------------------------


async def test_every_message_arrives_once_in_order_despite_faults(
    server: FakeTelegramServer, deps: Deps, engine: Any, workers: Workers, ticking: FixedClock
) -> None:
    chats = private_chats(server, 30)
    group = group_at(server, -1009000000001)
    for round_ in range(3):
        for chat in chats:
            await enqueue(deps, chat, f"{chat} #{round_}")
    for n in range(6):
        await enqueue(deps, group.id, f"group #{n}")
    server.fail_next("sendMessage", status=429, times=2, retry_after=1)
    server.fail_next("sendMessage", status=500, times=3)
    server.fail_next("sendMessage", status=502, times=1)
    server.hang_next("sendMessage", times=2, seconds=3.0)

    worker = workers()
    await worker.start()
    await until(lambda: _none_left(engine), within=30, what="every row sent")

    for chat in chats:
        assert texts(server, chat) == [f"{chat} #0", f"{chat} #1", f"{chat} #2"]
    assert texts(server, group.id) == [f"group #{n}" for n in range(6)]
    assert server.limit_violations == 0
    assert server.validation_errors == []
    statuses = Counter(e.get("status", e.get("error_code")) for e in server.error_responses)
    assert statuses, "the injected faults were answered"
    rows = await outbox_rows(engine)
    assert all(r.sent_at is not None and r.failed_at is None for r in rows)
    assert all(r.sent_message_id for r in rows)


async def _none_left(engine: Any) -> bool:
    return await unfinished(engine) == 0


async def test_cancelled_mid_batch_restart_sends_the_rest_once(
    server: FakeTelegramServer, deps: Deps, engine: Any, workers: Workers, ticking: FixedClock
) -> None:
    chats = private_chats(server, 40)
    for round_ in range(2):
        for chat in chats:
            await enqueue(deps, chat, f"{chat} #{round_}")
    first = workers()
    await first.start()
    await until(lambda: len(server.calls("sendMessage")) >= 25, what="a first part sent")
    assert first._task is not None
    first._task.cancel()  # as if the process were killed mid-batch
    await asyncio.gather(first._task, return_exceptions=True)
    sent_before = sum(len(server.messages_in(c)) for c in chats)
    assert 0 < sent_before < 80

    second = workers()
    await second.start()
    await until(lambda: _none_left(engine), within=30, what="the rest sent")
    for chat in chats:
        assert texts(server, chat) == [f"{chat} #0", f"{chat} #1"]
    assert server.limit_violations == 0


async def test_rows_of_a_dead_worker_are_resumed_when_its_lease_expires(
    server: FakeTelegramServer, deps: Deps, engine: Any, workers: Workers, clock: FixedClock
) -> None:
    (chat,) = private_chats(server, 1)
    await enqueue(deps, chat, "left in flight")
    claimed = await OutboxStore(engine).claim(
        now=clock.now(), lease=timedelta(seconds=60), limit=10
    )
    assert len(claimed) == 1  # and then that worker died

    worker = workers()
    await worker.start()
    await asyncio.sleep(0.2)
    assert texts(server, chat) == []  # its lease still holds

    clock.advance(timedelta(seconds=61))
    await until(lambda: _none_left(engine), what="the row resumed")
    assert texts(server, chat) == ["left in flight"]


@pytest.mark.skipif(not databases.POSTGRES_URL, reason="two workers need PostgreSQL")
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)  # SQLite: one worker
async def test_two_workers_never_send_the_same_row(
    server: FakeTelegramServer,
    deps: Deps,
    engine: Any,
    workers: Workers,
    ticking: FixedClock,
    database_url: str,
) -> None:
    assert engine.dialect.name == "postgresql"
    chats = private_chats(server, 40)
    for round_ in range(3):
        for chat in chats:
            await enqueue(deps, chat, f"{chat} #{round_}")
    # Two processes share Telegram's global limit: each gets half of it.
    half = DeliveryConfig(global_per_second=15)
    other_engine = databases.engine_for(database_url)
    try:
        one = workers(config=half, concurrency=8)
        two = workers(config=half, concurrency=8, engine=other_engine)
        await one.start()
        await two.start()
        await until(lambda: _none_left(engine), within=30, what="every row sent")
        await one.stop()
        await two.stop()
    finally:
        await other_engine.dispose()
    for chat in chats:
        assert texts(server, chat) == [f"{chat} #0", f"{chat} #1", f"{chat} #2"]
    assert len(server.calls("sendMessage")) - len(server.error_responses) == 120
    assert server.limit_violations == 0


async def test_give_up_after_max_attempts_and_show_it_to_admins(
    server: FakeTelegramServer, deps: Deps, engine: Any, workers: Workers, ticking: FixedClock
) -> None:
    (chat,) = private_chats(server, 1)
    await enqueue(deps, chat, "never arrives")
    server.fail_next("sendMessage", status=500, times=3)
    worker = workers(config=DeliveryConfig(max_attempts=3))
    await worker.start()
    await until(lambda: _none_left(engine), what="the row given up")
    (row,) = await outbox_rows(engine)
    assert row.failed_at is not None and row.attempts == 3
    assert "gave up after 3 attempts" in row.last_error
    failed = await worker.failed_deliveries()
    assert failed.count == 1
    assert failed.recent[0].id == row.id
    assert failed.recent[0].last_error == row.last_error


async def test_a_refused_message_fails_at_once(
    server: FakeTelegramServer, deps: Deps, engine: Any, workers: Workers, ticking: FixedClock
) -> None:
    (chat,) = private_chats(server, 1)
    await enqueue(deps, chat, "<b>broken html")
    await enqueue(deps, chat, "next one still goes")
    worker = workers()
    await worker.start()
    await until(lambda: _none_left(engine), what="both finished")
    first, _second = await outbox_rows(engine)
    assert first.failed_at is not None and first.attempts == 1
    assert first.last_error.startswith("refused:")
    assert texts(server, chat) == ["next one still goes"]


# -- 403, migration, channels without a sender -------------------------------------------------


async def test_blocked_citizen_is_marked_unreachable(
    server: FakeTelegramServer, deps: Deps, engine: Any, workers: Workers, ticking: FixedClock
) -> None:
    (chat,) = private_chats(server, 1)
    citizen = await CitizenService(deps).ensure("telegram", str(chat))
    server.block_chat(chat)
    await enqueue(deps, chat, "are you there?", purpose="citizen")
    worker = workers()
    await worker.start()
    await until(lambda: _none_left(engine), what="the row finished")
    (row,) = await outbox_rows(engine)
    assert row.failed_at is not None and "unreachable" in row.last_error
    again = await CitizenService(deps).get(citizen.id)  # type: ignore[arg-type]
    assert again is not None and again.unreachable_at is not None
    assert len(server.calls("sendMessage")) == 1  # no retrying a blocked chat


async def test_migrated_group_gets_the_message_and_the_operator_is_told(
    server: FakeTelegramServer,
    deps: Deps,
    engine: Any,
    workers: Workers,
    ticking: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    group = server.add_group("old basic group", supergroup=False)
    new_id = server.migrate_group(group)
    await enqueue(deps, group.id, "first")
    await enqueue(deps, group.id, "second")
    worker = workers()
    with caplog.at_level(logging.ERROR, logger="nghedan.delivery"):
        await worker.start()
        await until(lambda: _none_left(engine), what="both sent")
    assert texts(server, new_id) == ["first", "second"]
    assert any(
        str(new_id) in r.getMessage() and "config" in r.getMessage() for r in caplog.records
    )
    rows = await outbox_rows(engine)
    assert {r.chat_id for r in rows} == {str(new_id)}


async def test_rows_of_a_channel_without_sender_stay_queued(
    server: FakeTelegramServer,
    deps: Deps,
    engine: Any,
    workers: Workers,
    ticking: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    (chat,) = private_chats(server, 1)
    now = deps.clock.now()
    async with deps.uow() as uow:
        await uow.outbox.enqueue(
            OutboxMessage(
                channel="zalo",
                chat_id="abc",
                payload=OutgoingMessage(text="xin chào").to_dict(),
                dedupe_key="zalo:1",
                created_at=now,
                next_attempt_at=now,
            )
        )
        await uow.commit()
    await enqueue(deps, chat, "telegram goes")
    worker = workers()
    with caplog.at_level(logging.WARNING, logger="nghedan.delivery"):
        await worker.start()
        await until(lambda: texts(server, chat) == ["telegram goes"], what="telegram sent")
        await asyncio.sleep(0.1)
    assert await unfinished(engine) == 1
    warnings = [r for r in caplog.records if "zalo" in r.getMessage()]
    assert len(warnings) == 1


# -- cards -------------------------------------------------------------------------------------


async def test_card_is_recorded_and_card_edit_edits_it(
    server: FakeTelegramServer, deps: Deps, engine: Any, workers: Workers, ticking: FixedClock
) -> None:
    ticket = await submit(deps)
    unit = deps.directory.unit(ticket.unit_id)
    group = group_at(server, unit.telegram_chat_id)
    worker = workers()
    await worker.start()
    await until(lambda: _none_left(engine), what="the card sent")
    (card,) = server.messages_in(group)
    ticket = await reload(deps, ticket)
    assert (ticket.card_chat_id, ticket.card_message_id) == (group.id, card["message_id"])
    version = ticket.version

    await enqueue(
        deps, group.id, "edited card", purpose="card_edit", ticket_id=ticket.id, key="edit:1"
    )
    await enqueue(
        deps, group.id, "about the ticket", purpose="unit", ticket_id=ticket.id, key="unit:1"
    )
    await until(lambda: _none_left(engine), what="edit and reply sent")
    card_now, reply = server.messages_in(group)
    assert card_now["message_id"] == card["message_id"] and card_now["text"] == "edited card"
    assert reply["reply_to_message"]["message_id"] == card["message_id"]
    assert (await reload(deps, ticket)).version == version  # the card's buttons stay valid


async def test_an_edit_that_changes_nothing_counts_as_sent(
    server: FakeTelegramServer, deps: Deps, engine: Any, workers: Workers, ticking: FixedClock
) -> None:
    ticket = await submit(deps)
    group = group_at(server, deps.directory.unit(ticket.unit_id).telegram_chat_id)
    worker = workers()
    await worker.start()
    await until(lambda: _none_left(engine), what="the card sent")
    (card_row,) = await outbox_rows(engine)
    payload = OutgoingMessage.from_dict(card_row.payload)
    await enqueue(
        deps, group.id, "", message=payload, purpose="card_edit", ticket_id=ticket.id, key="same"
    )
    await until(lambda: _none_left(engine), what="the edit finished")
    edit_row = (await outbox_rows(engine))[-1]
    assert edit_row.sent_at is not None and edit_row.failed_at is None
    assert edit_row.sent_message_id == card_row.sent_message_id
    assert any("not modified" in str(e) for e in server.error_responses)
    assert len(server.messages_in(group)) == 1


async def test_a_card_that_cannot_be_edited_is_sent_anew(
    server: FakeTelegramServer, deps: Deps, engine: Any, workers: Workers, ticking: FixedClock
) -> None:
    ticket = await submit(deps)
    group = group_at(server, deps.directory.unit(ticket.unit_id).telegram_chat_id)
    worker = workers()
    await worker.start()
    await until(lambda: _none_left(engine), what="the card sent")
    (old,) = server.messages_in(group)
    await server.execute("deleteMessage", {"chat_id": group.id, "message_id": old["message_id"]})
    await enqueue(deps, group.id, "card v2", purpose="card_edit", ticket_id=ticket.id, key="e")
    await until(lambda: _none_left(engine), what="the new card sent")
    (new,) = server.messages_in(group)
    assert new["message_id"] != old["message_id"]
    assert new["text"].startswith("card v2")
    note = deps.translator.plain(deps.translator.default_locale, "delivery-card-resent")
    assert new["text"].endswith(note.removeprefix("<i>").removesuffix("</i>"))
    assert (await reload(deps, ticket)).card_message_id == new["message_id"]


async def test_forum_unit_gets_a_topic_per_ticket(
    server: FakeTelegramServer,
    app_config: AppConfig,
    engine: Any,
    workers: Workers,
    clock: FixedClock,
    ticking: FixedClock,
) -> None:
    config = app_config.model_copy(
        update={"units": [u.model_copy(update={"forum": True}) for u in app_config.units]}
    )
    deps = build_deps(config, engine, clock=clock)
    ticket = await submit(deps)
    group = group_at(server, deps.directory.unit(ticket.unit_id).telegram_chat_id, forum=True)
    worker = workers(deps=deps)
    await worker.start()
    await until(lambda: _none_left(engine), what="the card sent")
    ticket = await reload(deps, ticket)
    assert ticket.card_thread_id in group.topics
    assert ticket.code in group.topics[ticket.card_thread_id]["name"]
    (card,) = [m for m in server.messages_in(group) if "text" in m]
    assert card["message_thread_id"] == ticket.card_thread_id
    assert ticket.card_message_id == card["message_id"]

    await enqueue(deps, group.id, "a note", purpose="unit", ticket_id=ticket.id, key="u")
    await until(lambda: _none_left(engine), what="the note sent")
    note = next(m for m in server.messages_in(group) if m.get("text") == "a note")
    assert note["message_thread_id"] == ticket.card_thread_id


# -- the limiter itself ------------------------------------------------------------------------


async def test_pace_never_lets_more_than_the_limit_into_a_window() -> None:
    pace = Pace(5, 0.2)
    loop = asyncio.get_running_loop()
    answered: list[float] = []

    async def call() -> None:
        taken = await pace.acquire()
        await asyncio.sleep(0.003)  # on the wire
        answered.append(loop.time())
        pace.release(taken)

    started = loop.time()
    await asyncio.gather(*(call() for _ in range(20)))
    answered.sort()
    for i in range(len(answered) - 5):
        assert answered[i + 5] - answered[i] >= 0.2
    assert loop.time() - started < 1.2


def test_calls_for_counts_every_api_call() -> None:
    assert calls_for(OutgoingMessage(text="hi")) == 1
    assert calls_for(OutgoingMessage(text="x" * 5000)) == 2
    photo = OutgoingAttachment(kind="photo", channel="telegram", file_id="f")
    assert calls_for(OutgoingMessage(text="hi", attachments=(photo, photo))) == 3
    assert calls_for(OutgoingMessage(text="hi", edit_message_id=3)) == 1


async def test_stopping_as_it_is_woken_stops_the_worker(workers: Workers) -> None:
    # wake() and stop() in the same loop turn: on Python 3.11 asyncio.wait_for returned the
    # woken event's result and swallowed the cancellation, and stop() waited forever.
    worker = workers(poll_interval=30.0)
    await worker.start()
    await asyncio.sleep(0.2)  # idle, waiting to be woken
    loop = asyncio.get_running_loop()
    started = loop.time()
    worker.wake()
    stopping = asyncio.create_task(worker.stop())
    await asyncio.wait([stopping], timeout=5)
    assert stopping.done() and loop.time() - started < 2
