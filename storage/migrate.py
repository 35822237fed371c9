"""Apply Alembic migrations programmatically (`nghedan migrate`, and `nghedan run`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import make_engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


_AT_HEAD: set[str] = set()  # URLs this process already brought to head


async def upgrade(url: str, *, engine: AsyncEngine | None = None, revision: str = "head") -> None:
    if revision == "head" and url in _AT_HEAD:
        return
    own_engine = engine is None
    engine = engine or make_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade_sync, url, revision)
        if revision == "head":
            _AT_HEAD.add(url)
    finally:
        if own_engine:
            await engine.dispose()


def _upgrade_sync(connection, url: str, revision: str) -> None:  # type: ignore[no-untyped-def]
    config = alembic_config(url)
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
