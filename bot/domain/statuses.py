"""Ticket statuses and the life-cycle transition table (DESIGN.md, "Ticket life cycle")."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.errors import IllegalTransition


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    TRANSFERRED = "transferred"
    GUIDED = "guided"
    REJECTED = "rejected"
    NEEDS_INFO = "needs_info"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"


# `transferred` and `reopened` are passing states: the receiving unit gets a transferred ticket
# as `submitted`, and a reopened ticket goes back to `accepted`, in the same transaction.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset(
        {Status.ACCEPTED, Status.TRANSFERRED, Status.GUIDED, Status.REJECTED}
    ),
    Status.TRANSFERRED: frozenset({Status.SUBMITTED}),
    Status.ACCEPTED: frozenset({Status.NEEDS_INFO, Status.RESOLVED}),
    Status.NEEDS_INFO: frozenset({Status.ACCEPTED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.REOPENED: frozenset({Status.ACCEPTED}),
    Status.GUIDED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.CLOSED: frozenset(),
}

FINAL: frozenset[Status] = frozenset(s for s, targets in TRANSITIONS.items() if not targets)

# Statuses in which the unit still owes the citizen something.
OPEN: frozenset[Status] = frozenset(
    {Status.SUBMITTED, Status.ACCEPTED, Status.NEEDS_INFO, Status.REOPENED, Status.TRANSFERRED}
)


def can_transition(current: Status | str, target: Status | str) -> bool:
    return Status(target) in TRANSITIONS[Status(current)]


def check_transition(current: Status | str, target: Status | str) -> Status:
    """Return the target status, or raise IllegalTransition and change nothing."""
    if not can_transition(current, target):
        raise IllegalTransition(str(current), str(target))
    return Status(target)
