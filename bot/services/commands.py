"""Inputs of the use cases (commands, in Cosmic Python's sense)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.kinds import Kind
from bot.domain.model import Attachment, Origin


@dataclass(frozen=True, slots=True)
class Identity:
    name: str
    phone: str | None = None
    address: str | None = None


@dataclass(slots=True)
class SubmitTicket:
    kind: Kind
    description: str
    citizen_id: int | None = None
    channel: str | None = None
    category: str | None = None
    commune: str | None = None
    identity: Identity | None = None
    consent: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    origin: Origin = Origin.CHAT
    received_at: datetime | None = None  # offline petitions: the day it was received
    intake_key: str | None = None  # the draft's id: confirming twice files one ticket
    complex: bool = False
    remote: bool = False
    second: bool = False
