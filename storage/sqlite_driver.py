"""SQLAlchemy's aiosqlite dialect, with one trip to aiosqlite's thread per statement.

aiosqlite runs every DBAPI call in its own thread and hands the result back through the event
loop: SQLAlchemy's stock adapter makes four such trips per statement (cursor, execute, fetchall,
close). Each trip costs about 60 µs idle and several milliseconds when the loop is busy, because
the two threads take turns on the GIL. A SELECT by key took 338 µs through the stock adapter
and 58 µs for one trip on this machine (sqlite3 itself: 11 µs); the intake ran 30-40 trips
per update. Here a statement runs, fetches and closes in one trip.

It uses aiosqlite's `Connection._execute` (queue a callable on its thread), present since
aiosqlite 0.17; `make_engine` falls back to the stock dialect when it is missing.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.util.concurrency import await_

AVAILABLE = callable(getattr(aiosqlite.Connection, "_execute", None))

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


class OneTripCursor:
    """A DBAPI cursor whose rows are all fetched by the time `execute` returns."""

    server_side = False

    def __init__(self, adapt_connection: OneTripConnection) -> None:
        self._adapt_connection = adapt_connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1
        self._rows: collections.deque[Any] = collections.deque()

    def _call(self, operation: str, parameters: Any, many: bool) -> None:
        adapt = self._adapt_connection
        driver = adapt._connection
        try:
            outcome: Outcome = await_(
                driver._execute(_run, driver._conn, operation, parameters, many)
            )
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


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneTripCursor  # type: ignore[assignment]


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        stock = super().connect(*arg, **kw)
        return OneTripConnection(self, stock._connection)


class SQLiteDialect_aiosqlite_onetrip(SQLiteDialect_aiosqlite):
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> OneTripDBAPI:  # type: ignore[override]
        return OneTripDBAPI(aiosqlite, sqlite3)
