"""The single entry point every channel calls: one event in, one reply out.

It drops updates seen before, loads the chat's stored conversation, hands the turn to the
citizen or officer conversation, and saves the new state together with the update id in one
transaction, so a redelivered update after a crash is recognised.
"""

from __future__ import annotations

import copy
import logging
from typing import Protocol

from bot.domain.errors import DomainError, DuplicateRecord
from bot.domain.messages import Reply
from bot.services.citizens import CitizenService
from bot.services.context import Deps
from bot.services.conversations import ConversationService, OpenedTurn
from handlers.context import Turn
from handlers.events import IncomingEvent

log = logging.getLogger("nghedan.handlers")


class Conversation(Protocol):
    async def __call__(self, turn: Turn) -> None: ...


class StaffConversation(Conversation, Protocol):
    def wants(self, turn: Turn) -> bool:
        """Whether a private-chat turn is an officer's (e.g. /identity, /new), not a citizen's."""
        ...


def state_key(event: IncomingEvent) -> str:
    """Private chats hold one conversation; in a group each officer has their own."""
    if event.is_private:
        return event.chat_id
    return f"{event.chat_id}:{event.sender.id}"


class Dispatcher:
    def __init__(
        self,
        deps: Deps,
        *,
        private: Conversation,
        group: Conversation | None = None,
        staff: StaffConversation | None = None,
    ) -> None:
        self.deps = deps
        self.conversations = ConversationService(deps)
        self.citizens = CitizenService(deps)
        self.private = private
        self.group = group
        self.staff = staff

    async def handle(self, event: IncomingEvent) -> Reply:
        opened = await self._open(event)
        if opened.seen:
            log.info("%s update %s seen before; skipped", event.channel, event.update_id)
            return Reply()
        state = opened.state
        # Deep: a draft's nested lists change in place, and the saved state is compared
        # against the loaded one to decide whether to write.
        payload = copy.deepcopy(state.payload)
        turn = Turn(
            event=event,
            payload=payload,
            locale=opened.citizen.locale
            if opened.citizen
            else self.deps.translator.default_locale,
            t=self.deps.translator,
            citizen=opened.citizen,
        )
        conversation: Conversation | None = self.private if event.is_private else self.group
        if event.is_private and self.staff is not None and self.staff.wants(turn):
            conversation = self.staff
        if conversation is not None:
            try:
                await conversation(turn)
            except DomainError as error:
                turn.send(turn.say(error.message_id, **_message_args(error)))
        saved = await self.conversations.finish_update(
            state, None if turn.forget else turn.payload, update_id=event.update_id
        )
        if not saved:
            log.warning("conversation %s moved on concurrently", state_key(event))
        return turn.finish()

    async def _open(self, event: IncomingEvent) -> OpenedTurn:
        hint = _locale_hint(event.sender.language_code)
        chat = event.chat_id if event.is_private else None
        try:
            return await self.conversations.open_turn(
                event.channel,
                state_key(event),
                update_id=event.update_id,
                citizen_chat=chat,
                locale_hint=hint,
            )
        except DuplicateRecord:
            # Two first messages of one new citizen at once: the other created the row.
            await self.citizens.ensure(event.channel, event.chat_id, locale=hint)
            return await self.conversations.open_turn(
                event.channel,
                state_key(event),
                update_id=event.update_id,
                citizen_chat=chat,
                locale_hint=hint,
            )


def _locale_hint(language_code: str | None) -> str | None:
    if not language_code:
        return None
    return "en" if language_code.lower().startswith("en") else "vi"


def _message_args(error: DomainError) -> dict[str, object]:
    return {k: v for k, v in error.args_for_message.items() if isinstance(v, str | int)}
