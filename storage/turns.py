"""The two statements-worth of storage every update costs: opening a turn and finishing it.

They run for every update of every chat, so they are SQLAlchemy Core built once, not ORM
queries: the intake profile (bench/core.py with --profile) had the ORM's per-query overhead
and one statement per question (seen before? state? citizen?) as most of a turn's cost.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, exists, false, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from bot.domain.errors import ConcurrentUpdate
from bot.domain.model import Citizen, ConversationState
from bot.services.ports import TurnStart
from storage import orm

_states = orm.conversation_states
_citizens = orm.citizens
_processed = orm.processed_updates


def _start_query(*, with_update: bool, with_citizen: bool) -> Select[Any]:
    # One row whatever exists: a constant left-joined to the state and the citizen.
    one = select(literal(1).label("one")).subquery("one")
    seen = (
        exists().where(
            _processed.c.channel == bindparam("p_channel"),
            _processed.c.update_id == bindparam("p_update_id"),
        )
        if with_update
        else false()
    )
    columns: list[Any] = [seen.label("seen"), *(c.label(f"s_{c.name}") for c in _states.c)]
    source = one.outerjoin(
        _states,
        and_(_states.c.channel == bindparam("p_channel"), _states.c.chat_id == bindparam("p_key")),
    )
    if with_citizen:
        columns += [c.label(f"c_{c.name}") for c in _citizens.c]
        source = source.outerjoin(
            _citizens,
            and_(
                _citizens.c.channel == bindparam("p_channel"),
                _citizens.c.external_id == bindparam("p_citizen_chat"),
            ),
        )
    return select(*columns).select_from(source)


_START = {
    (u, c): _start_query(with_update=u, with_citizen=c)
    for u in (False, True)
    for c in (False, True)
}

_CLAIM_VALUES = {
    "channel": bindparam("p_channel"),
    "update_id": bindparam("p_update_id"),
    "processed_at": bindparam("p_at", type_=_processed.c.processed_at.type),
}
_SAVE_WHERE = and_(
    _states.c.channel == bindparam("p_channel"),
    _states.c.chat_id == bindparam("p_key"),
    _states.c.version == bindparam("p_expected"),
)
_SAVE_VALUES = {
    "payload": bindparam("p_payload", type_=_states.c.payload.type),
    "version": _states.c.version + 1,
    "updated_at": bindparam("p_at", type_=_states.c.updated_at.type),
}
_SAVE = update(_states).where(_SAVE_WHERE).values(_SAVE_VALUES)
_SQLITE_CLAIM = (
    sqlite_insert(_processed)
    .values(_CLAIM_VALUES)
    .on_conflict_do_nothing(index_elements=["channel", "update_id"])
)
_PG_CLAIM = (
    pg_insert(_processed)
    .values(_CLAIM_VALUES)
    .on_conflict_do_nothing(index_elements=["channel", "update_id"])
)
# PostgreSQL: claim the update and save the state in one statement (one round trip); the
# state moves only when the claim inserted a row. Rolled back by the caller when it did not.
_claimed = _PG_CLAIM.returning(_processed.c.update_id).cte("claimed")
_PG_CLAIM_AND_SAVE = (
    update(_states)
    .where(_SAVE_WHERE, exists(select(_claimed.c.update_id)))
    .values(_SAVE_VALUES)
    .returning(_states.c.version)
)


class SqlAlchemyTurnRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.postgres = session.bind is not None and session.bind.dialect.name == "postgresql"

    async def start(
        self,
        channel: str,
        key: str,
        *,
        update_id: str | None,
        citizen_chat: str | None,
    ) -> TurnStart:
        query = _START[(update_id is not None, citizen_chat is not None)]
        params = {
            "p_channel": channel,
            "p_key": key,
            "p_update_id": update_id,
            "p_citizen_chat": citizen_chat,
        }
        row = (await self.session.execute(query, params)).one()._mapping
        if row["seen"]:
            return TurnStart(seen=True, state=None, citizen=None)
        state = None
        if row["s_id"] is not None:
            state = ConversationState(**{c.name: row[f"s_{c.name}"] for c in _states.c})
        citizen = None
        if citizen_chat is not None and row["c_id"] is not None:
            citizen = Citizen(**{c.name: row[f"c_{c.name}"] for c in _citizens.c})
        return TurnStart(seen=False, state=state, citizen=citizen)

    async def finish(
        self,
        state: ConversationState,
        payload: dict[str, Any] | None,
        *,
        update_id: str | None,
        at: datetime,
    ) -> bool:
        changed = payload is not None and (payload != state.payload or state.version == 0)
        params = {
            "p_channel": state.channel,
            "p_key": state.chat_id,
            "p_update_id": update_id,
            "p_at": at,
            "p_payload": payload,
            "p_expected": state.version,
        }
        if self.postgres and update_id is not None and changed and state.version:
            result = await self.session.execute(_PG_CLAIM_AND_SAVE, params)
            return result.first() is not None
        if update_id is not None:
            claim = _PG_CLAIM if self.postgres else _SQLITE_CLAIM
            if not (await self.session.execute(claim, params)).rowcount:  # type: ignore[attr-defined]
                return False
        if payload is None:
            await self.session.execute(
                orm.conversation_states.delete().where(
                    _states.c.channel == state.channel, _states.c.chat_id == state.chat_id
                )
            )
        elif changed:
            try:
                await self._save(state, payload, at)
            except ConcurrentUpdate:
                return False
        return True

    async def _save(self, state: ConversationState, payload: dict[str, Any], at: datetime) -> None:
        if state.version == 0:
            insert = pg_insert if self.postgres else sqlite_insert
            statement = (
                insert(_states)
                .values(
                    channel=state.channel,
                    chat_id=state.chat_id,
                    payload=payload,
                    version=1,
                    updated_at=at,
                )
                .on_conflict_do_nothing(index_elements=["channel", "chat_id"])
            )
            result = await self.session.execute(statement)
        else:
            params = {
                "p_channel": state.channel,
                "p_key": state.chat_id,
                "p_expected": state.version,
                "p_payload": payload,
                "p_at": at,
            }
            result = await self.session.execute(_SAVE, params)
        if not result.rowcount:  # type: ignore[attr-defined]
            raise ConcurrentUpdate("conversation moved on")
