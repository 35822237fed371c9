"""The storage ports the services use. `storage/` implements them with SQLAlchemy; tests of
the core may use fakes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, Protocol, Self

from bot.domain.model import (
    Citizen,
    ConversationState,
    OutboxMessage,
    Ticket,
    TicketEvent,
)


class NoticeRef(NamedTuple):
    """A ticket's id, status and deadlines: what the deadline sweep reads first."""

    id: int
    status: str
    decision_due: datetime | None
    resolution_due: datetime | None


class UnitFigures(NamedTuple):
    """Counts for one unit: what the weekly digest reports."""

    open: int = 0
    due_in_range: int = 0
    overdue: int = 0


class TicketRepository(Protocol):
    def add(self, ticket: Ticket) -> None: ...
    async def get(self, ticket_id: int) -> Ticket | None: ...
    async def by_intake_key(self, key: str) -> Ticket | None: ...
    async def by_code(self, code: str, *, for_update: bool = False) -> Ticket | None: ...
    async def of_citizen(self, citizen_id: int, *, limit: int, offset: int) -> list[Ticket]: ...
    async def count_all(self) -> int: ...
    async def count_of_citizen(self, citizen_id: int) -> int: ...
    async def submitted_since(self, citizen_id: int, since: datetime) -> int: ...
    async def open_of_unit(self, unit_id: str, *, limit: int, offset: int) -> list[Ticket]: ...
    async def open_tickets(self, *, after_id: int, limit: int) -> list[Ticket]: ...
    async def flush(self) -> None: ...

    async def owing_notice(self, now: datetime, *, limit: int) -> list[NoticeRef]:
        """Tickets whose next deadline notice is due at `now`, earliest first, locked for
        this transaction; rows another transaction holds are skipped, not waited for."""
        ...

    async def set_next_notice(self, instants: Mapping[int, datetime | None]) -> None:
        """Store tickets' next notice instants by id, leaving their version alone: card
        buttons carry the version, and the sweep must not make them stale."""
        ...

    async def get_many(self, ids: Sequence[int]) -> list[Ticket]: ...

    async def resolved_codes_before(self, before: datetime, *, limit: int) -> list[str]:
        """Codes of resolved tickets answered at or before `before`, oldest first."""
        ...

    async def received_by_unit(self, start: datetime, end: datetime) -> dict[str, int]: ...

    async def resolved_by_unit(self, start: datetime, end: datetime) -> dict[str, tuple[int, int]]:
        """Per unit: (resolved in [start, end), of which on or before the resolution due)."""
        ...

    async def open_figures_by_unit(
        self, *, now: datetime, range_start: datetime, range_end: datetime
    ) -> dict[str, UnitFigures]:
        """Per unit: open tickets, those whose pending deadline falls in the range, overdue."""
        ...


class CitizenRepository(Protocol):
    def add(self, citizen: Citizen) -> None: ...
    async def get(self, citizen_id: int) -> Citizen | None: ...
    async def by_external(self, channel: str, external_id: str) -> Citizen | None: ...
    async def subscribed(self) -> list[Citizen]: ...


class EventRepository(Protocol):
    def add(self, event: TicketEvent) -> None: ...
    async def of_ticket(self, ticket_id: int) -> list[TicketEvent]: ...


class OutboxRepository(Protocol):
    async def enqueue(self, message: OutboxMessage) -> bool:
        """Queue a message; False (and nothing queued) when its dedupe key was used before."""
        ...

    async def pending(self, *, now: datetime, limit: int) -> list[OutboxMessage]: ...

    async def existing_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these dedupe keys were used already."""
        ...


class ConversationRepository(Protocol):
    async def load(self, channel: str, chat_id: str) -> ConversationState | None: ...
    async def save(self, state: ConversationState, *, expected_version: int | None) -> None: ...
    async def delete(self, channel: str, chat_id: str) -> None: ...
    async def offer(
        self, channel: str, chat_id: str, choices: list[list[str]], *, at: datetime
    ) -> None:
        """Make `choices` the ones a typed number or label selects in this chat."""
        ...


class ProcessedUpdateRepository(Protocol):
    async def exists(self, channel: str, update_id: str) -> bool: ...

    async def claim(self, channel: str, update_id: str, *, at: datetime) -> bool:
        """Record an update; False when it was processed before."""
        ...


@dataclass(frozen=True, slots=True)
class TurnStart:
    """What a turn starts from: whether the update was handled before, else the stored
    conversation (None before the first save) and the private chat's citizen (None when new)."""

    seen: bool
    state: ConversationState | None
    citizen: Citizen | None


class TurnRepository(Protocol):
    """The statements every update runs, kept to one read and one write."""

    async def start(
        self, channel: str, key: str, *, update_id: str | None, citizen_chat: str | None
    ) -> TurnStart: ...

    async def finish(
        self,
        state: ConversationState,
        payload: dict[str, Any] | None,
        *,
        update_id: str | None,
        at: datetime,
    ) -> bool:
        """Claim the update and save `payload` (None: forget the conversation) against the
        version `state` was read at; False, with nothing to commit, when the update was
        processed before or the conversation moved on."""
        ...


class SequenceRepository(Protocol):
    async def next_value(self, prefix: str, year: int) -> int:
        """The next gap-free number for (prefix, year), allocated inside the transaction."""
        ...


class JobRunRepository(Protocol):
    async def last_run(self, job: str) -> datetime | None: ...

    async def record(self, job: str, at: datetime) -> None:
        """Remember that `job` ran as of `at`; an earlier `at` never moves it back."""
        ...


class TicketLookups(Protocol):
    """What the officers' group reads: see storage/lookups.py."""

    async def by_message(self, chat_id: int, message_id: int) -> Ticket | None:
        """The ticket whose card, or a message queued about it, is this group message."""
        ...

    async def by_thread(self, chat_id: int, thread_id: int) -> Ticket | None: ...
    async def count_open_of_unit(self, unit_id: str) -> int: ...
    async def overdue_of_unit(
        self, unit_id: str, *, now: datetime, limit: int, offset: int
    ) -> list[Ticket]: ...
    async def count_overdue_of_unit(self, unit_id: str, *, now: datetime) -> int: ...
    async def unit_stats(
        self, unit_id: str, *, start: datetime, end: datetime, now: datetime
    ) -> UnitStats: ...
    async def delivery_failures(self, *, limit: int) -> DeliveryFailures:
        """Messages the delivery worker gave up on (issue 5: visible to admins in /stats)."""
        ...


@dataclass(frozen=True, slots=True)
class UnitStats:
    """One unit's figures: received and resolved in a period, the rest as of now."""

    received: int = 0
    waiting: int = 0  # submitted, no decision yet
    in_progress: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    overdue: int = 0


@dataclass(frozen=True, slots=True)
class DeliveryFailure:
    purpose: str  # card, citizen, unit...; never the chat: it may be a denouncer's
    attempts: int
    failed_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class DeliveryFailures:
    count: int
    recent: list[DeliveryFailure]


class UnitOfWork(Protocol):
    tickets: TicketRepository
    citizens: CitizenRepository
    events: EventRepository
    outbox: OutboxRepository
    conversations: ConversationRepository
    processed: ProcessedUpdateRepository
    turns: TurnRepository
    sequences: SequenceRepository
    lookups: TicketLookups
    job_runs: JobRunRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class EventLog(Protocol):
    async def __call__(self, events: Sequence[TicketEvent]) -> None: ...
