"""Engine and session factory. SQLite runs in WAL mode with foreign keys on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import registry
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession

from storage import sqlite_driver

registry.register(
    "sqlite.aiosqlite_inloop", "storage.sqlite_driver", "SQLiteDialect_aiosqlite_inloop"
)

LOCK_WAIT = 15  # seconds a writer waits for another process's write lock


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event open transactions (below), not the driver.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    if not isinstance(dbapi_connection, sqlite_driver.InLoopConnection):
        # Writers queue instead of failing at once when another process holds the lock (the
        # in-loop driver waits on its own thread instead, see storage/sqlite_driver.py).
        cursor.execute(f"PRAGMA busy_timeout={LOCK_WAIT * 1000}")
    cursor.close()


def make_engine(url: str | URL, *, echo: bool = False) -> AsyncEngine:
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": LOCK_WAIT}
        # One connection: SQLite has one writer anyway, and waiting for the pool is an
        # asyncio wait, where waiting for SQLite's lock is its busy handler sleeping in
        # growing steps (bench/intake.py, 60 citizens: 30 -> 53 updates/s).
        kwargs["pool_size"] = 1
        kwargs["max_overflow"] = 0
        kwargs["pool_timeout"] = 60
        if parsed.get_driver_name() == "aiosqlite" and sqlite_driver.AVAILABLE:
            url = parsed.set(drivername="sqlite+aiosqlite_inloop")  # see storage/sqlite_driver.py
    else:
        # No ping before each checkout: it was a round trip per transaction (bench/intake.py
        # on PostgreSQL: 7.6 -> 6.6 ms of CPU per update). After a server restart the first
        # statement on a dead connection fails, SQLAlchemy discards the whole pool, and the
        # callers retry: the turn runner, the delivery worker's next poll, the next job run.
        kwargs["pool_size"] = 10
        kwargs["max_overflow"] = 20
    engine = create_async_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
    return engine


def _begin_immediate(connection: Any) -> None:
    # A deferred transaction that reads and then writes fails at once with "database is
    # locked" when another writer committed in between (WAL snapshot), whatever the busy
    # timeout. Taking the write lock at BEGIN makes writers queue instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
