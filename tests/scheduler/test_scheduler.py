"""The Scheduler component: its three jobs, and the runs missed while the process was down."""

from __future__ import annotations

from datetime import date, timedelta

from bot.app import default_factories
from bot.config import AppConfig
from bot.domain.clock import VN_TZ, FixedClock
from bot.scheduler import JOBS, JobSettings, Scheduler, scheduler_component
from bot.services.context import Deps
from tests.scheduler.support import outbox, submit_on, vn


def _scheduler(deps: Deps, app_config: AppConfig) -> Scheduler:
    return Scheduler(deps, JobSettings.from_config(app_config))


async def test_three_jobs_with_fixed_ids_on_the_configured_times(
    deps: Deps, app_config: AppConfig
) -> None:
    assert scheduler_component in default_factories()
    scheduler = _scheduler(deps, app_config)
    await scheduler.start()
    try:
        assert await scheduler.caught_up() == []  # first start: a baseline, nothing owed
        assert sorted(scheduler.jobs) == sorted(JOBS)
        assert scheduler._scheduler is not None
        jobs = {job.id: job for job in scheduler._scheduler.get_jobs()}
        digest = jobs["weekly-digest"].next_run_time.astimezone(VN_TZ)
        assert (digest.weekday(), digest.hour, digest.minute) == (0, 8, 0)
        reminders = jobs["weekly-reminders"].next_run_time.astimezone(VN_TZ)
        assert (reminders.weekday(), reminders.hour, reminders.minute) == (2, 17, 0)
        assert jobs["deadlines"].trigger.interval == timedelta(minutes=15)
        assert all(job.coalesce and job.max_instances == 1 for job in jobs.values())
    finally:
        await scheduler.stop()
    assert scheduler.jobs == []


async def test_missed_runs_run_once_on_start(
    deps: Deps, clock: FixedClock, app_config: AppConfig
) -> None:
    await submit_on(deps, clock, date(2026, 11, 2))
    scheduler = _scheduler(deps, app_config)
    clock.set(vn(date(2026, 11, 16), 9))
    assert await scheduler.catch_up() == []  # never ran: the baseline
    clock.set(vn(date(2026, 11, 16), 9, 10))
    assert await scheduler.catch_up() == []  # within 15 minutes: nothing missed

    # Down from Monday 16/11 09:10 to Monday 23/11 10:00: Wednesday's reminders, Monday's
    # digest and the sweeps were missed; each runs once.
    clock.set(vn(date(2026, 11, 23), 10))
    assert await scheduler.catch_up() == ["deadlines", "weekly-digest", "weekly-reminders"]
    digests = await outbox(deps, purpose="digest")
    assert {r["key"].split(":")[2] for r in digests} == {"2026-W48"}
    assert await outbox(deps, purpose="escalation")

    clock.set(vn(date(2026, 11, 23), 10, 5))
    assert await scheduler.catch_up() == []
    clock.set(vn(date(2026, 11, 23), 10, 20))
    assert await scheduler.catch_up() == ["deadlines"]

    # Three weeks down: the digest runs once, for the current week (coalesced).
    clock.set(vn(date(2026, 12, 14), 9))
    assert "weekly-digest" in await scheduler.catch_up()
    weeks = {r["key"].split(":")[2] for r in await outbox(deps, purpose="digest")}
    assert weeks == {"2026-W48", "2026-W51"}


async def test_a_run_exactly_at_the_scheduled_time_is_not_run_again(
    deps: Deps, clock: FixedClock, app_config: AppConfig
) -> None:
    scheduler = _scheduler(deps, app_config)
    clock.set(vn(date(2026, 11, 22), 9))
    await scheduler.catch_up()
    clock.set(vn(date(2026, 11, 23), 8, 0).replace(microsecond=300_000))
    await scheduler.run("weekly-digest")
    clock.set(vn(date(2026, 11, 23), 8, 5))
    assert "weekly-digest" not in await scheduler.catch_up()
