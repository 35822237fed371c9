from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from storage.engine import make_engine


async def test_sqlite_connections_use_wal_and_enforce_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'var' / 'x.db'}")
    try:
        async with engine.connect() as connection:
            mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
            keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one()
        assert (mode, keys) == ("wal", 1)
    finally:
        await engine.dispose()


async def test_a_writer_waits_for_another_process_lock_without_blocking_the_loop(
    tmp_path: Path,
) -> None:
    # Statements run on the loop's thread (storage/sqlite_driver.py); a lock held elsewhere
    # must be waited for off the loop, and the write must then go through.
    path = tmp_path / "x.db"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE notes (body TEXT)"))
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO notes VALUES ('other process')")
        ticks = 0

        async def count_ticks() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        counter = asyncio.create_task(count_ticks())
        asyncio.get_running_loop().call_later(0.5, other.execute, "COMMIT")
        started = time.monotonic()
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO notes VALUES ('bot')"))
        waited = time.monotonic() - started
        counter.cancel()
        async with engine.connect() as connection:
            bodies = (await connection.execute(text("SELECT body FROM notes"))).scalars().all()
        assert sorted(bodies) == ["bot", "other process"]
        assert waited >= 0.4  # it did wait for the other writer...
        assert ticks >= 20  # ...while the loop kept running other tasks
    finally:
        other.close()
        await engine.dispose()


async def test_statement_errors_and_rollback_on_the_loop(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
            await connection.execute(text("INSERT INTO t VALUES (1)"))
        with pytest.raises(IntegrityError):
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO t VALUES (2)"))
                await connection.execute(text("INSERT INTO t VALUES (1)"))
        with pytest.raises(OperationalError):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT * FROM missing"))
        async with engine.connect() as connection:
            ids = (await connection.execute(text("SELECT id FROM t"))).scalars().all()
        assert ids == [1]  # the failed transaction's first insert was rolled back
    finally:
        await engine.dispose()
