"""The officers' side through the Dispatcher, over SQLite and (with TEST_DATABASE_URL)
PostgreSQL."""

from __future__ import annotations

import pytest

from bot.services.context import Deps
from handlers.dispatcher import Dispatcher
from handlers.officer import OfficerConversation, StaffPrivateConversation
from tests.handlers.helpers import Harness, PrivateStub


@pytest.fixture
def harness(deps: Deps) -> Harness:
    private = PrivateStub()
    dispatcher = Dispatcher(
        deps,
        private=private,
        group=OfficerConversation(deps),
        staff=StaffPrivateConversation(deps),
    )
    return Harness(deps=deps, dispatcher=dispatcher, private=private)
