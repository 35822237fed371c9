"""The unit of work: one transaction per service call, rolled back unless committed."""

from __future__ import annotations

from typing import Self

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bot.domain.errors import ConcurrentUpdate, DuplicateRecord
from storage.lookups import SqlAlchemyTicketLookups
from storage.repositories import (
    SqlAlchemyCitizenRepository,
    SqlAlchemyConversationRepository,
    SqlAlchemyEventRepository,
    SqlAlchemyJobRunRepository,
    SqlAlchemyOutboxRepository,
    SqlAlchemyProcessedUpdateRepository,
    SqlAlchemySequenceRepository,
    SqlAlchemyTicketRepository,
)
from storage.turns import SqlAlchemyTurnRepository


class SqlAlchemyUnitOfWork:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self.session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        self.session = session = self._session_factory()
        self.tickets = SqlAlchemyTicketRepository(session)
        self.citizens = SqlAlchemyCitizenRepository(session)
        self.events = SqlAlchemyEventRepository(session)
        self.outbox = SqlAlchemyOutboxRepository(session)
        self.conversations = SqlAlchemyConversationRepository(session)
        self.processed = SqlAlchemyProcessedUpdateRepository(session)
        self.turns = SqlAlchemyTurnRepository(session)
        self.sequences = SqlAlchemySequenceRepository(session)
        self.lookups = SqlAlchemyTicketLookups(session)
        self.job_runs = SqlAlchemyJobRunRepository(session)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.session is not None
        # close() rolls back whatever was not committed and detaches the loaded objects
        # intact; an explicit rollback() would expire them, so a read's results were unusable.
        await self.session.close()

    async def commit(self) -> None:
        assert self.session is not None
        try:
            await self.session.commit()
        except StaleDataError as error:
            await self.session.rollback()
            raise ConcurrentUpdate(str(error)) from error
        except IntegrityError as error:
            await self.session.rollback()
            raise DuplicateRecord(str(error.orig)) from error
        except DBAPIError as error:
            await self.session.rollback()
            if _is_serialization_failure(error):
                raise ConcurrentUpdate(str(error)) from error
            raise

    async def rollback(self) -> None:
        assert self.session is not None
        await self.session.rollback()


def _is_serialization_failure(error: DBAPIError) -> bool:
    text = str(error.orig).lower()
    return "could not serialize" in text or "deadlock detected" in text


class SqlAlchemyUnitOfWorkFactory:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    def __call__(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self._session_factory)
