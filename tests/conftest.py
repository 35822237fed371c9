"""Fixtures shared by every ring of tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.app import build_deps
from bot.config import AppConfig, load_config
from bot.domain.clock import VN_TZ, FixedClock
from bot.i18n import Translator
from bot.services.citizens import CitizenService
from bot.services.context import Deps
from bot.services.tickets import TicketService
from tests.support import databases

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CONFIG = ROOT / "config" / "example.yaml"


@pytest.fixture(scope="session")
def app_config() -> AppConfig:
    return load_config(EXAMPLE_CONFIG)


@pytest.fixture(scope="session")
def translator() -> Translator:
    return Translator()


@pytest.fixture
def clock() -> FixedClock:
    # A Monday morning in Hanoi time, clear of holidays.
    return FixedClock(datetime(2026, 11, 16, 9, 0, tzinfo=VN_TZ))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return databases.migrated_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_ready() -> Iterator[bool]:
    if databases.POSTGRES_URL:
        databases.migrate_postgres()
        yield True
    else:
        yield False


@pytest.fixture(params=databases.BACKENDS)
def database_url(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path) -> str:
    if request.param == "postgres":
        request.getfixturevalue("postgres_ready")
        assert databases.POSTGRES_URL
        return databases.POSTGRES_URL
    return databases.fresh_sqlite_url(sqlite_template, tmp_path)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[object]:
    engine = databases.engine_for(database_url)
    if engine.dialect.name == "postgresql":
        await databases.truncate_postgres(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def deps(app_config: AppConfig, engine, clock: FixedClock) -> Deps:  # type: ignore[no-untyped-def]
    return build_deps(app_config, engine, clock=clock)


@pytest.fixture
def tickets(deps: Deps) -> TicketService:
    return TicketService(deps)


@pytest.fixture
def citizens(deps: Deps) -> CitizenService:
    return CitizenService(deps)
