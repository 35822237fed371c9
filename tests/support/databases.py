"""Test databases: a migrated SQLite file per test, and PostgreSQL when TEST_DATABASE_URL is
set (CI sets it), cleaned between tests."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import make_engine
from storage.migrate import upgrade
from storage.orm import metadata

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgres"] if POSTGRES_URL else [])]


def migrated_sqlite_template(directory: Path) -> Path:
    template = directory / "template.db"
    asyncio.run(upgrade(f"sqlite+aiosqlite:///{template}"))
    return template


def fresh_sqlite_url(template: Path, directory: Path) -> str:
    target = directory / "test.db"
    shutil.copyfile(template, target)
    return f"sqlite+aiosqlite:///{target}"


def migrate_postgres() -> None:
    assert POSTGRES_URL
    asyncio.run(upgrade(POSTGRES_URL))


async def truncate_postgres(engine: AsyncEngine) -> None:
    tables = ", ".join(table.name for table in metadata.sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def engine_for(url: str) -> AsyncEngine:
    return make_engine(url)
