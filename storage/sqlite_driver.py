"""SQLAlchemy's aiosqlite dialect, with statements run on the event loop's own thread.

aiosqlite runs every DBAPI call on a thread of its own and hands the result back through the
event loop. SQLAlchemy's stock adapter makes four such trips per statement; each costs far
more than the statement: the two threads take turns on the GIL (up to its 5 ms switch
interval when the loop is busy) and every result wakes the loop through its self-pipe. A
SELECT by key takes about 11 µs in sqlite3 itself and 338 µs through the stock adapter.

Here a statement, its fetch, COMMIT and ROLLBACK run directly on the loop's thread (bench/
core.py: 4.8 -> 2.3 ms of CPU per update of the intake). That is safe because of how the
storage uses SQLite: one pooled connection per process (storage/engine.py), WAL mode, where
readers never wait, and BEGIN IMMEDIATE, so a transaction waits for the write lock once, at
its start, and never after. The only wait left is for another *process* holding the lock (a
`nghedan jobs run` beside the bot): the connection's busy timeout is therefore 0 on the loop,
and a statement SQLite answers with SQLITE_BUSY is run again on aiosqlite's thread with the
full timeout, so the loop never sleeps in SQLite's busy handler. A long query (a digest over
years of tickets) holds the loop while it runs, as it held the one connection before.

It uses aiosqlite's `Connection._execute` (queue a callable on its thread) and `_conn`,
present since aiosqlite 0.17; `make_engine` falls back to the stock dialect when missing.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.util.concurrency import await_

AVAILABLE = callable(getattr(aiosqlite.Connection, "_execute", None))
DEFAULT_LOCK_WAIT = 5.0  # seconds; sqlite3.connect's own default `timeout`

T = TypeVar("T")
Outcome = tuple[Any, int, int | None, list[Any]]


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> Outcome:
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, () if parameters is None else parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


def _busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY


def _waiting(connection: sqlite3.Connection, wait_ms: int, call: Callable[[], T]) -> T:
    """`call` with SQLite's busy handler on, for aiosqlite's thread."""
    connection.execute(f"PRAGMA busy_timeout={wait_ms}")
    try:
        return call()
    finally:
        connection.execute("PRAGMA busy_timeout=0")


async def _ready(value: T) -> T:
    # SQLAlchemy's AsyncConnection.execute insists that the driver awaited something.
    return value


class InLoopCursor:
    """A DBAPI cursor whose rows are all fetched by the time `execute` returns."""

    server_side = False

    def __init__(self, adapt_connection: InLoopConnection) -> None:
        self._adapt_connection = adapt_connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1
        self._rows: collections.deque[Any] = collections.deque()

    def _call(self, operation: str, parameters: Any, many: bool) -> None:
        adapt = self._adapt_connection
        try:
            outcome = adapt.run(lambda db: _run(db, operation, parameters, many))
        except Exception as error:
            adapt._handle_exception(error)
        self.description, self.rowcount, self.lastrowid, rows = outcome
        self._rows = collections.deque(rows)

    def execute(self, operation: str, parameters: Any = None) -> None:
        self._call(operation, parameters, False)

    def executemany(self, operation: str, seq_of_parameters: Any) -> None:
        self._call(operation, list(seq_of_parameters), True)

    def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        size = self.arraysize if size is None else size
        return [self._rows.popleft() for _ in range(min(size, len(self._rows)))]

    def fetchall(self) -> list[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    def __iter__(self) -> Any:
        while self._rows:
            yield self._rows.popleft()

    def close(self) -> None:
        self._rows.clear()

    async def _async_soft_close(self) -> None:
        # SQLAlchemy's asyncio layer closes the driver cursor here; this one holds nothing open.
        pass

    def setinputsizes(self, *sizes: Any) -> None:
        pass

    def setoutputsize(self, size: Any, column: Any = None) -> None:
        pass


class InLoopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("lock_wait_ms",)
    _cursor_cls = InLoopCursor  # type: ignore[assignment]

    def run(self, call: Callable[[sqlite3.Connection], T]) -> T:
        """`call` on the loop's thread; on aiosqlite's, waiting, if another process locks."""
        driver = self._connection
        connection = driver._conn
        try:
            value = call(connection)
        except sqlite3.OperationalError as error:
            if not _busy(error):
                raise
            # A failed statement changed nothing (SQLite statements are atomic): run it again.
            value = await_(
                driver._execute(_waiting, connection, self.lock_wait_ms, lambda: call(connection))
            )
            return value
        return await_(_ready(value))

    def commit(self) -> None:
        if self._connection._connection:
            try:
                self.run(lambda db: db.commit())
            except Exception as error:
                self._handle_exception(error)

    def rollback(self) -> None:
        if self._connection._connection:
            try:
                self.run(lambda db: db.rollback())
            except Exception as error:
                self._handle_exception(error)


class InLoopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> InLoopConnection:
        wait = float(kw.get("timeout", DEFAULT_LOCK_WAIT))
        # The loop's thread and aiosqlite's take turns on this connection, never at once.
        kw["check_same_thread"] = False
        stock = super().connect(*arg, **kw)
        connection = InLoopConnection(self, stock._connection)
        connection.lock_wait_ms = int(wait * 1000)
        # sqlite3.connect's `timeout` is the busy handler: off on the loop, see the module doc.
        connection.run(lambda db: db.execute("PRAGMA busy_timeout=0"))
        return connection


class SQLiteDialect_aiosqlite_inloop(SQLiteDialect_aiosqlite):
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> InLoopDBAPI:  # type: ignore[override]
        return InLoopDBAPI(aiosqlite, sqlite3)
