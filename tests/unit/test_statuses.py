"""The life-cycle table of DESIGN.md, checked pair by pair."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import product

import pytest

from bot.domain.errors import IllegalTransition
from bot.domain.kinds import Kind
from bot.domain.model import Ticket
from bot.domain.statuses import FINAL, OPEN, Status, can_transition, check_transition

S = Status
LEGAL = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.ACCEPTED),
    (S.SUBMITTED, S.TRANSFERRED),
    (S.SUBMITTED, S.GUIDED),
    (S.SUBMITTED, S.REJECTED),
    (S.TRANSFERRED, S.SUBMITTED),
    (S.ACCEPTED, S.NEEDS_INFO),
    (S.ACCEPTED, S.RESOLVED),
    (S.NEEDS_INFO, S.ACCEPTED),
    (S.RESOLVED, S.CLOSED),
    (S.RESOLVED, S.REOPENED),
    (S.REOPENED, S.ACCEPTED),
}
NOW = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)


def ticket_in(status: Status) -> Ticket:
    return Ticket(
        code="PA26-00001",
        kind=Kind.PHAN_ANH,
        description="Cống thoát nước bị tắc.",
        unit_id="ubnd",
        received_at=NOW,
        rules={},
        status=status,
    )


@pytest.mark.parametrize(("current", "target"), list(product(Status, Status)))
def test_every_pair(current: Status, target: Status) -> None:
    ticket = ticket_in(current)
    if (current, target) in LEGAL:
        assert can_transition(current, target)
        assert ticket.move_to(target, at=NOW) == current
        assert ticket.status == target and ticket.updated_at == NOW
    else:
        assert not can_transition(current, target)
        with pytest.raises(IllegalTransition) as error:
            ticket.move_to(target, at=NOW)
        assert (error.value.current, error.value.target) == (current, target)
        assert ticket.status == current and ticket.updated_at is None


def test_final_and_open_sets() -> None:
    assert {S.GUIDED, S.REJECTED, S.CLOSED} == FINAL
    assert not OPEN & FINAL
    assert check_transition("submitted", "accepted") is S.ACCEPTED
