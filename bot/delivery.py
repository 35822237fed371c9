"""The outbox worker: sends every queued message once, in order per chat, within Telegram's
flood limits (DOMAIN.md §4; https://core.telegram.org/bots/faq, "My bot is hitting limits").

A row is claimed under a lease, sent through its channel's `Sender`, and marked sent in the
transaction that records the platform's message id. Only the oldest unfinished row of a chat
can be claimed, so a chat's messages leave in the order they were queued, and a 429 or a
backoff on one row holds the rest of its chat. A worker stopped or cancelled mid-batch lets
the sends already on the wire finish and be recorded, and gives back the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from aiolimiter import AsyncLimiter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from tenacity import AsyncRetrying, stop_after_attempt, wait_exponential_jitter

from bot.channels.telegram_calls import call_count
from bot.config import DeliveryConfig
from bot.domain.messages import OutgoingMessage
from bot.domain.org import Directory
from bot.services.citizens import CitizenService
from bot.services.context import Deps
from bot.services.sending import (
    ChatMigrated,
    Destination,
    EditImpossible,
    NotModified,
    PermanentFailure,
    RetryLater,
    Sender,
    SendError,
    Sent,
    TransientFailure,
    Unreachable,
)
from bot.services.topics import topic_closes, topic_name
from storage import orm
from storage.outbox_store import CardPlace, CardRef, ClaimedRow, FailedDeliveries, OutboxStore

if TYPE_CHECKING:
    from bot.app import Application, Component

log = logging.getLogger("nghedan.delivery")

R = TypeVar("R")

CARD_PURPOSES = ("card", "card_edit", "card_retired")


@runtime_checkable
class TopicSender(Protocol):
    """What a sender of a platform with forum topics adds (Telegram)."""

    async def open_topic(self, chat_id: str, name: str) -> int: ...
    async def rename_topic(self, chat_id: str, thread_id: int, name: str) -> None: ...
    async def close_topic(self, chat_id: str, thread_id: int) -> None: ...


class Pace:
    """At most `limit` calls in any `period` seconds.

    aiolimiter's leaky bucket spreads the calls; on top, a sliding window counts each call
    from the moment its answer came back. Telegram counts a call when it arrives, which is
    before we see the answer, so a call started `period` after an earlier one was answered
    can never land inside that one's window, however the network delays either of them.
    """

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self._bucket = AsyncLimiter(limit, period)
        self._done: deque[float] = deque()
        self._in_flight = 0
        self._held_until = 0.0

    def fill(self, calls: int) -> None:
        """Count `calls` made elsewhere just now (by a worker before this one)."""
        self._done.extend([self._now()] * max(0, min(calls, self.limit - len(self._done))))

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    def hold(self, seconds: float) -> None:
        """Nothing more for `seconds` (a 429's retry_after)."""
        self._held_until = max(self._held_until, self._now() + seconds)

    def idle(self) -> bool:
        now = self._now()
        return (
            self._in_flight == 0
            and self._held_until <= now
            and (not self._done or self._done[-1] <= now - self.period)
        )

    async def acquire(self, cost: int = 1) -> int:
        cost = max(1, min(cost, self.limit))
        await self._bucket.acquire(cost)
        while True:
            now = self._now()
            while self._done and self._done[0] <= now - self.period:
                self._done.popleft()
            if self._held_until > now:
                await asyncio.sleep(self._held_until - now)
                continue
            if len(self._done) + self._in_flight + cost <= self.limit:
                self._in_flight += cost
                return cost
            # Wait for the oldest answer to leave the window, or for a call on the wire.
            wait = self._done[0] + self.period - now if self._done else 0.005
            await asyncio.sleep(max(wait, 0.001))

    def release(self, cost: int) -> None:
        self._in_flight -= cost
        now = self._now()
        self._done.extend([now] * cost)


class Paces:
    """Telegram's three limits: overall, per private chat, per group (a negative chat id)."""

    def __init__(self, config: DeliveryConfig) -> None:
        self.config = config
        self.overall = Pace(config.global_per_second, 1.0)
        self._chats: dict[tuple[str, str], Pace] = {}

    def chat(self, channel: str, chat_id: str) -> Pace:
        key = (channel, chat_id)
        pace = self._chats.get(key)
        if pace is None:
            if len(self._chats) > 5000:
                self._chats = {k: p for k, p in self._chats.items() if not p.idle()}
            if chat_id.startswith("-"):
                pace = Pace(self.config.group_per_minute, 60.0)
            else:
                pace = Pace(self.config.private_per_second, 1.0)
            self._chats[key] = pace
        return pace

    @contextlib.asynccontextmanager
    async def slot(self, channel: str, chat_id: str, cost: int):  # type: ignore[no-untyped-def]
        chat = self.chat(channel, chat_id)
        taken_chat = await chat.acquire(cost)
        try:
            taken_overall = await self.overall.acquire(cost)
        except BaseException:
            chat.release(taken_chat)
            raise
        try:
            yield
        finally:
            self.overall.release(taken_overall)
            chat.release(taken_chat)


def calls_for(message: OutgoingMessage) -> int:
    """How many Bot API calls the sender will make for this message."""
    return call_count(message)


@dataclass(frozen=True, slots=True)
class Plan:
    """A claimed row, ready to go: where, what, and what sending it means for the ticket."""

    row: ClaimedRow
    destination: Destination
    message: OutgoingMessage
    card_unit_id: str | None = None  # a card for this unit: point the ticket at it
    forum: bool = False


class DeliveryWorker:
    name = "Delivery"

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        deps: Deps,
        senders: dict[str, Sender],
        config: DeliveryConfig | None = None,
        poll_interval: float = 0.25,
        lease: float = 120.0,
        send_timeout: float = 30.0,
        concurrency: int = 32,
        backoff_base: float = 2.0,
        backoff_cap: float = 900.0,
        rng: random.Random | None = None,
    ) -> None:
        self.engine = engine
        self.deps = deps
        self.senders = senders  # the application's dict: channels register after we are built
        self.config = config or DeliveryConfig()
        self.store = OutboxStore(engine)
        self.poll_interval = poll_interval
        self.lease = lease
        self.send_timeout = send_timeout
        self.concurrency = concurrency
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.rng = rng or random.Random()
        self.paces = Paces(self.config)
        self._task: asyncio.Task[None] | None = None
        self._rows: dict[asyncio.Task[None], int] = {}  # row tasks and their row ids
        self._on_wire: set[asyncio.Future[None]] = set()
        self._wake = asyncio.Event()
        self._migrated: dict[tuple[str, str], str] = {}
        self._warned_channels: set[str] = set()
        self._last_channel_check = float("-inf")

    @property
    def directory(self) -> Directory:
        return self.deps.directory

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        # Telegram counts per bot, not per process: what a worker before this one sent in the
        # last second, or may still have on the wire, uses up this second's allowance.
        try:
            recent = await self.store.recent_calls(
                now=self.deps.clock.now(), window=timedelta(seconds=1)
            )
        except Exception:
            log.exception("delivery: could not read recent sends; starting cautiously")
            recent = self.config.global_per_second
        self.paces.overall.fill(recent)
        self._task = asyncio.create_task(self._run(), name="delivery")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def wake(self) -> None:
        """Look for due rows now rather than at the next poll."""
        self._wake.set()

    async def failed_deliveries(self, *, limit: int = 5) -> FailedDeliveries:
        return await self.store.failed_deliveries(limit=limit)

    # -- the loop ----------------------------------------------------------------------------
    async def _run(self) -> None:
        outage = 0
        try:
            while True:
                await self._warn_unsent_channels()
                room = self.concurrency - len(self._rows)
                claimed = 0
                if room >= max(1, self.concurrency // 4) and self.senders:
                    try:
                        rows = await self.store.claim(
                            now=self.deps.clock.now(),
                            lease=timedelta(seconds=self.lease),
                            limit=room,
                            channels=frozenset(self.senders),
                        )
                        outage = 0
                    except Exception:
                        outage += 1
                        log.exception("delivery: could not read the outbox (%d)", outage)
                        await asyncio.sleep(min(30.0, self.poll_interval * 2**outage))
                        continue
                    claimed = len(rows)
                    loop = asyncio.get_running_loop()
                    for row in rows:
                        task = asyncio.create_task(self._deliver(row, loop.time()))
                        self._rows[task] = row.id
                        task.add_done_callback(self._row_done)
                if claimed in (0, room):
                    await self._wait(self.poll_interval)
        finally:
            await self._shutdown()

    async def _wait(self, seconds: float) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation
        # that arrives as the event is set, and stop() then waited for this loop forever.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        self._wake.clear()

    def _row_done(self, task: asyncio.Task[None]) -> None:
        self._rows.pop(task, None)
        if not task.cancelled() and task.exception() is not None:
            log.error("delivery: a row failed unexpectedly", exc_info=task.exception())
        self._wake.set()

    async def _shutdown(self) -> None:
        waiting = dict(self._rows)
        for task in waiting:
            task.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)
        # Messages already on the wire finish and are recorded, or they would go out twice.
        if self._on_wire:
            await asyncio.wait(set(self._on_wire), timeout=self.send_timeout + 5)
        with contextlib.suppress(Exception):
            await self.store.release(list(waiting.values()))

    async def _warn_unsent_channels(self) -> None:
        loop = asyncio.get_running_loop()
        if loop.time() - self._last_channel_check < 60.0:
            return
        self._last_channel_check = loop.time()
        outbox = orm.outbox
        query = (
            select(outbox.c.channel)
            .distinct()
            .where(
                outbox.c.sent_at.is_(None),
                outbox.c.failed_at.is_(None),
                outbox.c.channel.not_in(sorted(self.senders)),
            )
        )
        try:
            async with self.engine.connect() as connection:
                channels = set((await connection.execute(query)).scalars())
        except Exception:
            log.exception("delivery: could not check the outbox's channels")
            return
        for channel in sorted(channels - self._warned_channels):
            log.warning(
                "delivery: messages for %s stay queued: that channel is not enabled", channel
            )
        self._warned_channels |= channels

    # -- one row -----------------------------------------------------------------------------
    async def _deliver(self, row: ClaimedRow, claimed_at: float) -> None:
        plan: Plan | None = await self._plan(row)
        sender = self.senders[row.channel]
        for _tries in range(4):  # a migrated chat, then a card that could not be edited
            if plan is None:
                return
            if plan.row.purpose == "card" and plan.forum and plan.destination.thread_id is None:
                try:
                    plan = await self._open_topic(plan, sender)
                except (SendError, TimeoutError) as error:
                    plan = await self._failed_call(plan, error)
                    continue
            cost = calls_for(plan.message)
            async with self.paces.slot(row.channel, plan.destination.chat_id, cost):
                loop = asyncio.get_running_loop()
                if loop.time() - claimed_at > self.lease - self.send_timeout - 5:
                    # Our lease could lapse while this is on the wire: leave it to a new claim.
                    await self.store.release([row.id])
                    return
                attempt = asyncio.ensure_future(self._attempt(plan, sender))
                self._on_wire.add(attempt)
                attempt.add_done_callback(self._on_wire.discard)
                outcome = await asyncio.shield(attempt)
            if outcome is True:
                if plan.row.purpose == "card_edit" and plan.forum:
                    await self._update_topic(plan, sender)
                return
            plan = outcome or None
        if plan is not None:
            await self._fail(row, "chat migrated again and again")

    async def _plan(self, row: ClaimedRow) -> Plan | None:
        message = OutgoingMessage.from_dict(row.payload)
        chat_id = self._migrated.get((row.channel, row.chat_id), row.chat_id)
        destination = Destination(chat_id=chat_id, thread_id=row.thread_id)
        if row.ticket_id is None or not row.chat_id.startswith("-"):
            return Plan(row, destination, message)
        ref = await self.store.card_of(row.ticket_id)
        unit = self.directory.unit_by_chat(int(row.chat_id))
        forum = unit is not None and unit.forum
        card_here = ref is not None and ref.chat_id is not None and str(ref.chat_id) == chat_id
        if row.purpose == "card":
            thread = row.thread_id
            if thread is None and card_here and ref is not None and ref.message_id is None:
                thread = ref.thread_id  # a topic opened for this card by an earlier attempt
            return Plan(
                row,
                replace(destination, thread_id=thread),
                message,
                card_unit_id=unit.id if unit is not None else None,
                forum=forum,
            )
        if row.purpose == "card_edit":
            if not card_here or ref is None or ref.message_id is None:
                return await self._new_card(
                    row, destination, message, unit.id if unit is not None else None, forum
                )
            return Plan(
                row,
                replace(destination, thread_id=ref.thread_id),
                replace(message, edit_message_id=ref.message_id),
                card_unit_id=unit.id if unit is not None else None,
                forum=forum,
            )
        if row.purpose == "card_retired" or not card_here or ref is None:
            return Plan(row, destination, message)
        # Anything else about the ticket, in its card's group: in the card's topic, or as a
        # reply to the card, so officers see what it is about.
        if ref.thread_id is not None:
            return Plan(row, replace(destination, thread_id=ref.thread_id), message)
        return Plan(row, replace(destination, reply_to_message_id=ref.message_id), message)

    async def _new_card(
        self,
        row: ClaimedRow,
        destination: Destination,
        message: OutgoingMessage,
        unit_id: str | None,
        forum: bool,
    ) -> Plan:
        """The card to edit is gone: send the current card as a new one, with a note."""
        t = self.deps.translator
        note = t(t.default_locale, "delivery-card-resent")
        ref = await self.store.card_of(row.ticket_id) if row.ticket_id else None
        thread = (
            ref.thread_id if ref is not None and str(ref.chat_id) == destination.chat_id else None
        )
        return Plan(
            replace(row, purpose="card"),
            replace(destination, thread_id=thread),
            replace(message, text=f"{message.text}\n\n{note}", edit_message_id=None),
            card_unit_id=unit_id,
            forum=forum,
        )

    async def _attempt(self, plan: Plan, sender: Sender) -> Plan | bool:
        """One call for a row, and its outcome recorded. True when sent; a plan to try at
        once (a migrated chat, a card to send anew); False when retried later or given up."""
        try:
            sent = await asyncio.wait_for(
                sender.send(plan.destination, plan.message), self.send_timeout
            )
        except (SendError, TimeoutError) as error:
            return await self._failed_call(plan, error) or False
        await self._sent(plan, sent)
        return True

    async def _failed_call(self, plan: Plan, error: SendError | TimeoutError) -> Plan | None:
        row = plan.row
        if isinstance(error, TimeoutError):
            await self._transient(row, f"timeout after {self.send_timeout:g}s")
        elif isinstance(error, RetryLater):
            await self._retry_later(plan, error.seconds, str(error))
        elif isinstance(error, TransientFailure):
            await self._transient(row, str(error))
        elif isinstance(error, ChatMigrated):
            self._migrated[(row.channel, row.chat_id)] = error.new_chat_id
            log.error(
                "delivery: group %s became supergroup %s; set the unit's telegram_chat_id to "
                "%s in the config (messages go to the new id meanwhile)",
                plan.destination.chat_id,
                error.new_chat_id,
                error.new_chat_id,
            )
            return replace(plan, destination=replace(plan.destination, chat_id=error.new_chat_id))
        elif isinstance(error, Unreachable):
            await self._unreachable(plan, str(error))
        elif isinstance(error, NotModified):
            await self._sent(plan, Sent(str(plan.message.edit_message_id)))
        elif isinstance(error, EditImpossible):
            if row.purpose == "card_edit":
                return await self._new_card(
                    row, plan.destination, plan.message, plan.card_unit_id, plan.forum
                )
            await self._sent(plan, Sent(""), note=f"edit impossible: {error}")
        elif isinstance(error, PermanentFailure):
            await self._fail(row, f"refused: {error}")
        else:
            await self._fail(row, f"{type(error).__name__}: {error}")
        return None

    async def _open_topic(self, plan: Plan, sender: Sender) -> Plan:
        row = plan.row
        if not isinstance(sender, TopicSender) or row.ticket_id is None:
            return plan
        ticket = await self.store.ticket(row.ticket_id)
        if ticket is None:
            return plan
        t = self.deps.translator
        name = topic_name(ticket, self.directory, t, t.default_locale)
        # Creating a topic posts a service message in the group: it counts like a message.
        async with self.paces.slot(row.channel, plan.destination.chat_id, 1):
            thread = await asyncio.wait_for(
                sender.open_topic(plan.destination.chat_id, name), self.send_timeout
            )
        await self._record(
            lambda: self.store.set_topic(
                row.id,
                ticket_id=row.ticket_id,
                chat_id=int(plan.destination.chat_id),
                thread_id=thread,
                unit_id=plan.card_unit_id,
            )
        )
        return replace(plan, destination=replace(plan.destination, thread_id=thread))

    async def _update_topic(self, plan: Plan, sender: Sender) -> None:
        """Keep the topic's name (its status emoji) current; close it with the ticket."""
        row = plan.row
        thread = plan.destination.thread_id
        if not isinstance(sender, TopicSender) or row.ticket_id is None or thread is None:
            return
        ticket = await self.store.ticket(row.ticket_id)
        if ticket is None:
            return
        t = self.deps.translator
        chat = plan.destination.chat_id
        try:
            async with self.paces.slot(row.channel, chat, 1):
                await asyncio.wait_for(
                    sender.rename_topic(
                        chat, thread, topic_name(ticket, self.directory, t, t.default_locale)
                    ),
                    self.send_timeout,
                )
        except (SendError, TimeoutError) as error:
            log.debug("delivery: topic %s in %s not renamed: %s", thread, chat, error)
        if topic_closes(ticket):
            try:
                async with self.paces.slot(row.channel, chat, 1):
                    await asyncio.wait_for(sender.close_topic(chat, thread), self.send_timeout)
            except (SendError, TimeoutError) as error:
                log.warning("delivery: topic %s in %s not closed: %s", thread, chat, error)

    # -- outcomes ----------------------------------------------------------------------------
    async def _sent(self, plan: Plan, sent: Sent, *, note: str | None = None) -> None:
        row = plan.row
        card = None
        if plan.row.purpose == "card" and sent.message_id:
            card = CardPlace(
                chat_id=int(plan.destination.chat_id),
                message_id=int(sent.message_id),
                thread_id=sent.thread_id or plan.destination.thread_id,
            )
        migrated = plan.destination.chat_id if plan.destination.chat_id != row.chat_id else None
        done = await self._record(
            lambda: self.store.mark_sent(
                row.id,
                now=self.deps.clock.now(),
                message_id=sent.message_id or None,
                chat_id=migrated,
                thread_id=sent.thread_id if sent.thread_id != row.thread_id else None,
                ticket_id=row.ticket_id,
                card=card,
                card_unit_id=plan.card_unit_id,
                note=note,
            )
        )
        if done is False:
            log.error("delivery: row %s was already finished when it was sent again", row.id)

    async def _retry_later(self, plan: Plan, seconds: float, error: str) -> None:
        """Telegram's 429: nothing to this chat for `retry_after` seconds, then this row."""
        chat = plan.destination.chat_id
        self.paces.chat(plan.row.channel, chat).hold(seconds)
        # A 429 does not say whether the chat's limit or the bot's was hit, and calls made
        # during the wait are refused and counted against the bot: hold everything.
        self.paces.overall.hold(seconds)
        at = self.deps.clock.now() + timedelta(seconds=seconds)
        await self._record(
            lambda: self.store.reschedule(
                plan.row.id, at=at, error=f"429: {error}", count_attempt=False
            )
        )
        log.info("delivery: 429 on row %s, holding its chat %gs", plan.row.id, seconds)

    async def _transient(self, row: ClaimedRow, error: str) -> None:
        attempts = row.attempts + 1
        if attempts >= self.config.max_attempts:
            await self._fail(row, f"gave up after {attempts} attempts: {error}")
            return
        delay = min(self.backoff_cap, self.backoff_base * 2 ** (attempts - 1))
        delay = delay / 2 + self.rng.uniform(0, delay / 2)  # jitter: retries don't bunch up
        await self._record(
            lambda: self.store.reschedule(
                row.id,
                at=self.deps.clock.now() + timedelta(seconds=delay),
                error=error,
                count_attempt=True,
            )
        )
        log.info("delivery: row %s failed (%s); retry %d in %.1fs", row.id, error, attempts, delay)

    async def _unreachable(self, plan: Plan, error: str) -> None:
        row = plan.row
        if not row.chat_id.startswith("-"):
            # A private chat is a citizen's: stop queueing for them (Telegram 403).
            await CitizenService(self.deps).mark_unreachable(row.channel, row.chat_id)
            await self._fail(row, f"unreachable: {error}", count_attempt=False)
            return
        await self._fail(row, f"unreachable group: {error}", count_attempt=False)

    async def _fail(self, row: ClaimedRow, error: str, *, count_attempt: bool = True) -> None:
        log.error(
            "delivery: gave up on row %s (%s on %s): %s",  # no chat id: it may be a denouncer's
            row.id,
            row.purpose,
            row.channel,
            error,
        )
        await self._record(
            lambda: self.store.mark_failed(
                row.id, now=self.deps.clock.now(), error=error[:2000], count_attempt=count_attempt
            )
        )

    async def _record(self, write: Callable[[], Awaitable[R]]) -> R:
        # What was sent must be recorded, or it would go out again: ride out a brief
        # database hiccup (a locked SQLite file, a PostgreSQL failover) before giving up.
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(5),
            wait=wait_exponential_jitter(multiplier=0.1, max=2.0),
            reraise=True,
        ):
            with attempt:
                return await write()
        raise AssertionError("unreachable")


async def delivery_component(app: Application) -> Component | None:
    """The outbox worker, sending through every channel registered before it."""
    return DeliveryWorker(
        engine=app.engine, deps=app.deps, senders=app.senders, config=app.config.delivery
    )


__all__ = ["CardRef", "DeliveryWorker", "Pace", "Paces", "calls_for", "delivery_component"]
