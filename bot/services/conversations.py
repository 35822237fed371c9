"""Conversation state, stored per channel and chat so that any worker can continue it."""

from __future__ import annotations

from typing import Any

from bot.domain.model import ConversationState
from bot.services.context import Deps


class ConversationService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def load(self, channel: str, chat_id: str) -> ConversationState:
        async with self.deps.uow() as uow:
            state = await uow.conversations.load(channel, chat_id)
            if state is None:
                return ConversationState(channel=channel, chat_id=chat_id, payload={}, version=0)
            return state

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
        from bot.domain.errors import ConcurrentUpdate

        async with self.deps.uow() as uow:
            if update_id is not None and not await uow.processed.claim(
                state.channel, update_id, at=self.deps.clock.now()
            ):
                return False
            if payload is None:
                await uow.conversations.delete(state.channel, state.chat_id)
            elif payload != state.payload or state.version == 0:
                new = ConversationState(
                    channel=state.channel,
                    chat_id=state.chat_id,
                    payload=payload,
                    version=state.version,
                    updated_at=self.deps.clock.now(),
                )
                try:
                    await uow.conversations.save(new, expected_version=state.version or None)
                except ConcurrentUpdate:
                    return False
            await uow.commit()
            return True
