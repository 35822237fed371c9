"""Entities of the core. Plain classes: `storage/orm.py` maps them onto tables imperatively,
so the domain never imports SQLAlchemy (Cosmic Python, chapter 2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain.kinds import Kind
from bot.domain.statuses import Status, check_transition


class Origin(StrEnum):
    CHAT = "chat"  # filed by the citizen in a chat
    PAPER = "paper"
    PHONE = "phone"
    IN_PERSON = "in_person"


@dataclass(eq=False)
class Citizen:
    channel: str
    external_id: str
    locale: str = "vi"
    name: str | None = None
    phone: str | None = None
    address: str | None = None
    consent_at: datetime | None = None
    consent_version: str | None = None
    subscribed: bool = False
    unreachable_at: datetime | None = None
    created_at: datetime | None = None
    id: int | None = None


@dataclass(eq=False)
class Attachment:
    kind: str  # photo, document, voice
    channel: str
    file_id: str
    file_unique_id: str | None = None
    mime_type: str | None = None
    file_name: str | None = None
    size: int | None = None
    caption: str | None = None
    created_at: datetime | None = None
    ticket_id: int | None = None
    id: int | None = None


@dataclass(eq=False)
class TicketEvent:
    """One line of the append-only audit log: who did what, when, and why."""

    ticket_id: int
    at: datetime
    actor_role: str
    actor_id: str
    action: str
    from_status: str | None = None
    to_status: str | None = None
    note: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    public: bool = False  # shown to the citizen (answers), unlike internal notes
    id: int | None = None


@dataclass(eq=False)
class Ticket:
    code: str
    kind: Kind
    description: str
    unit_id: str
    received_at: datetime
    rules: dict[str, Any]  # the legal regime's rules snapshot at receipt (DESIGN.md)
    status: Status = Status.SUBMITTED
    category: str | None = None
    commune: str | None = None
    citizen_id: int | None = None
    channel: str | None = None
    origin: Origin = Origin.CHAT
    anonymous: bool = False
    report_only: bool = False  # anonymous tố cáo: checked, not processed (Luật Tố cáo Art. 25)
    petitioner_name: str | None = None
    petitioner_phone: str | None = None
    petitioner_address: str | None = None
    decision_due: datetime | None = None
    forward_due: datetime | None = None
    resolution_due: datetime | None = None
    flags: dict[str, bool] = field(default_factory=dict)
    extensions: dict[str, int] = field(default_factory=dict)
    accepted_at: datetime | None = None
    decided_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    rating: int | None = None
    rating_comment: str | None = None
    public_answer: str | None = None
    card_chat_id: int | None = None
    card_message_id: int | None = None
    card_thread_id: int | None = None
    intake_key: str | None = None  # makes a replayed "confirm" return the same ticket
    updated_at: datetime | None = None
    # When the deadline sweep next owes the unit a reminder or an escalation (bot/domain/
    # notices.py); None once nothing is pending.
    next_notice_at: datetime | None = None
    version: int = 1
    id: int | None = None
    attachments: list[Attachment] = field(default_factory=list)

    def move_to(self, target: Status, *, at: datetime) -> Status:
        """Apply one life-cycle step; raises IllegalTransition and changes nothing if illegal."""
        previous = self.status
        self.status = check_transition(previous, target)
        self.updated_at = at
        return previous

    @property
    def is_open(self) -> bool:
        from bot.domain.statuses import OPEN

        return self.status in OPEN


@dataclass(eq=False)
class ConversationState:
    channel: str
    chat_id: str
    payload: dict[str, Any] = field(default_factory=dict)
    version: int = 1
    updated_at: datetime | None = None
    id: int | None = None


@dataclass(eq=False)
class OutboxMessage:
    """A message waiting to be sent, written in the transaction that caused it."""

    channel: str
    chat_id: str
    payload: dict[str, Any]
    dedupe_key: str
    created_at: datetime
    next_attempt_at: datetime
    purpose: str = "notify"
    ticket_id: int | None = None
    thread_id: int | None = None
    attempts: int = 0
    sent_at: datetime | None = None
    sent_message_id: str | None = None
    last_error: str | None = None
    failed_at: datetime | None = None
    locked_until: datetime | None = None
    id: int | None = None
