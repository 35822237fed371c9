"""Conversation state, stored per channel and chat so that any worker can continue it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.model import Citizen, ConversationState
from bot.i18n import LOCALES
from bot.services.context import Deps


@dataclass(frozen=True, slots=True)
class OpenedTurn:
    seen: bool  # the update was handled and committed before
    state: ConversationState
    citizen: Citizen | None  # the private chat's citizen, created on first contact


class ConversationService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def load(self, channel: str, chat_id: str) -> ConversationState:
        async with self.deps.uow() as uow:
            state = await uow.conversations.load(channel, chat_id)
            if state is None:
                return ConversationState(channel=channel, chat_id=chat_id, payload={}, version=0)
            return state

    async def open_turn(
        self,
        channel: str,
        state_key: str,
        *,
        update_id: str | None,
        citizen_chat: str | None,
        locale_hint: str | None = None,
    ) -> OpenedTurn:
        """Everything a turn starts from, in one statement (it runs for every update)."""
        async with self.deps.uow() as uow:
            start = await uow.turns.start(
                channel, state_key, update_id=update_id, citizen_chat=citizen_chat
            )
            if start.seen:
                empty = ConversationState(channel=channel, chat_id=state_key, payload={})
                return OpenedTurn(True, empty, None)
            state = start.state or ConversationState(
                channel=channel, chat_id=state_key, payload={}, version=0
            )
            citizen = start.citizen
            if citizen is None and citizen_chat is not None:
                citizen = Citizen(
                    channel=channel,
                    external_id=citizen_chat,
                    locale=locale_hint
                    if locale_hint in LOCALES
                    else self.deps.translator.default_locale,
                    created_at=self.deps.clock.now(),
                )
                uow.citizens.add(citizen)
                await uow.commit()
            return OpenedTurn(False, state, citizen)

    async def seen(self, channel: str, update_id: str) -> bool:
        """Whether this update was processed and committed before."""
        async with self.deps.uow() as uow:
            return await uow.processed.exists(channel, update_id)

    async def finish_update(
        self,
        state: ConversationState,
        payload: dict[str, Any] | None,
        *,
        update_id: str | None,
    ) -> bool:
        """Save the new state and mark the update processed, in one transaction.

        Returns False when another worker moved the conversation on first (nothing saved).
        """
        async with self.deps.uow() as uow:
            saved = await uow.turns.finish(
                state, payload, update_id=update_id, at=self.deps.clock.now()
            )
            if saved:
                await uow.commit()
            return saved
