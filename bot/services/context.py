"""What every use case needs, built once in the composition root and passed in."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.calendar import WorkingCalendar
from bot.domain.clock import Clock
from bot.domain.deadlines import DeadlinePolicy
from bot.domain.org import Directory
from bot.domain.routing import RoutingRule
from bot.i18n import Translator
from bot.services.ports import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class Limits:
    submissions_per_hour: int = 5
    max_attachments: int = 5
    description_min: int = 10
    description_max: int = 4000
    reopen_days: int = 7  # DESIGN.md: unsatisfied within 7 days reopens; else it closes


@dataclass(slots=True)
class Deps:
    uow: UnitOfWorkFactory
    clock: Clock
    directory: Directory
    routing: list[RoutingRule]
    policy: DeadlinePolicy
    calendar: WorkingCalendar
    translator: Translator
    limits: Limits = field(default_factory=Limits)
    consent_version: str = "2026-01"
    # Working days before a deadline at which the unit is reminded (config
    # reminders.before_deadline_days), tightest last; they set each ticket's next notice.
    reminder_thresholds: tuple[int, ...] = (3, 1)


class ActorType(StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    type: ActorType
    citizen_id: int | None = None
    user_id: int | None = None  # Telegram user id of an officer, head or admin
    name: str = ""

    @classmethod
    def citizen(cls, citizen_id: int) -> Actor:
        return cls(ActorType.CITIZEN, citizen_id=citizen_id)

    @classmethod
    def staff(cls, user_id: int, name: str = "") -> Actor:
        return cls(ActorType.STAFF, user_id=user_id, name=name)

    @classmethod
    def system(cls, name: str = "scheduler") -> Actor:
        return cls(ActorType.SYSTEM, name=name)

    @property
    def audit_id(self) -> str:
        if self.type is ActorType.CITIZEN:
            return f"citizen:{self.citizen_id}"
        if self.type is ActorType.STAFF:
            return f"staff:{self.user_id}"
        return f"system:{self.name}"
