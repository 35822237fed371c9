"""`nghedan jobs run JOB --at ISO-8601`, through `python -m bot` in a subprocess."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.app import build_deps
from bot.config import AppConfig
from bot.domain.clock import VN_TZ, FixedClock
from bot.services.citizens import CitizenService
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.conftest import EXAMPLE_CONFIG, ROOT
from tests.scheduler.support import outbox, submit_on, vn


def _nghedan(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NGHEDAN_CONFIG": str(EXAMPLE_CONFIG),
        "WEB_ENABLED": "false",
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _queued(url: str, app_config: AppConfig) -> list[dict]:
    engine = make_engine(url)
    try:
        return await outbox(build_deps(app_config, engine, clock=FixedClock(vn(date(2027, 1, 1)))))
    finally:
        await engine.dispose()


async def _seed(url: str, app_config: AppConfig) -> None:
    await upgrade(url)
    engine = make_engine(url)
    try:
        clock = FixedClock(vn(date(2026, 11, 2)))
        deps = build_deps(app_config, engine, clock=clock)
        await submit_on(deps, clock, date(2026, 11, 2))
        citizens = CitizenService(deps)
        citizen = await citizens.ensure("telegram", "7001", locale="en")
        assert citizen.id is not None
        await citizens.set_subscribed(citizen.id, True)
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("job", "at", "purpose", "count"),
    [
        ("deadlines", "2026-11-17T09:00:00+07:00", "escalation", 2),
        ("weekly-digest", "2026-11-23T08:00:00+07:00", "digest", 11),
        ("weekly-reminders", "2026-11-18T17:00", "weekly", 1),
    ],
)
def test_jobs_run_queues_the_jobs_messages_and_exits(
    tmp_path: Path, app_config: AppConfig, job: str, at: str, purpose: str, count: int
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    asyncio.run(_seed(url, app_config))
    result = _nghedan(url, "jobs", "run", job, "--at", at)
    assert result.returncode == 0, result.stderr
    assert f"{job} as of " in result.stdout
    queued = asyncio.run(_queued(url, app_config))
    assert len([r for r in queued if r["purpose"] == purpose]) == count
    again = _nghedan(url, "jobs", "run", job, "--at", at)
    assert again.returncode == 0, again.stderr
    assert asyncio.run(_queued(url, app_config)) == queued


def test_jobs_run_rejects_an_unknown_job_and_a_bad_instant(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    assert _nghedan(url, "jobs", "run", "cleanup", "--at", "2026-11-17T09:00").returncode == 2
    assert _nghedan(url, "jobs", "run", "deadlines", "--at", "tomorrow").returncode == 2


def test_a_naive_instant_is_read_in_the_configured_zone(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    result = _nghedan(url, "jobs", "run", "deadlines", "--at", "2026-11-17T09:00")
    assert result.returncode == 0, result.stderr
    assert "as of 2026-11-17T09:00:00+07:00" in result.stdout
    assert VN_TZ.key == "Asia/Ho_Chi_Minh"
