"""The scheduled jobs, run by APScheduler 3 inside `nghedan run`.

Three jobs with fixed ids: `deadlines` every few minutes, `weekly-digest` and
`weekly-reminders` on weekly cron triggers in the configured zone. Each is one sweep over the
database, not one stored job per ticket; what it queues is de-duplicated in the outbox, so
running a job twice, or in two processes, queues nothing twice.

APScheduler's job store is in memory, so a run missed while the process was down would be
lost; the last run of each job is kept in `job_runs`, and on start a job whose scheduled time
passed since then runs once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import AppConfig, WeeklyTime
from bot.services.context import Deps
from bot.services.digests import weekly_digest
from bot.services.reminders import deadline_sweep
from bot.services.weekly import ReceptionSession, weekly_reminders

if TYPE_CHECKING:
    from bot.app import Application

__all__ = ["JOBS", "JobSettings", "Scheduler", "run_job", "scheduler_component"]

log = logging.getLogger("nghedan.scheduler")

DEADLINES = "deadlines"
WEEKLY_DIGEST = "weekly-digest"
WEEKLY_REMINDERS = "weekly-reminders"
JOBS = (DEADLINES, WEEKLY_DIGEST, WEEKLY_REMINDERS)
_MONDAY_0800 = WeeklyTime(0, 8, 0)
_WEDNESDAY_1700 = WeeklyTime(2, 17, 0)


@dataclass(frozen=True)
class JobSettings:
    """What the jobs need from the config, as plain values."""

    timezone: ZoneInfo
    deadlines_every: timedelta = timedelta(minutes=15)
    weekly_digest: WeeklyTime = _MONDAY_0800
    weekly_reminders: WeeklyTime = _WEDNESDAY_1700
    sessions: tuple[ReceptionSession, ...] = ()

    @classmethod
    def from_config(cls, config: AppConfig) -> JobSettings:
        reminders = config.reminders
        return cls(
            timezone=config.tz,
            deadlines_every=timedelta(minutes=reminders.deadlines_every_minutes),
            weekly_digest=reminders.weekly_digest,
            weekly_reminders=reminders.weekly_reminders,
            sessions=tuple(
                ReceptionSession(
                    weekday=s.weekday,
                    at=s.time,
                    place=s.place.as_dict(),
                    note=s.note.as_dict() if s.note else {},
                )
                for s in config.reception_schedule
            ),
        )

    def trigger(self, job: str) -> CronTrigger | IntervalTrigger:
        if job == DEADLINES:
            return IntervalTrigger(
                seconds=int(self.deadlines_every.total_seconds()), timezone=self.timezone
            )
        weekly = self.weekly_digest if job == WEEKLY_DIGEST else self.weekly_reminders
        return CronTrigger(
            day_of_week=weekly.day_name,
            hour=weekly.hour,
            minute=weekly.minute,
            timezone=self.timezone,
        )

    def missed(self, job: str, last_run: datetime, now: datetime) -> bool:
        """Whether a scheduled run of `job` fell after `last_run` and at or before `now`."""
        if job == DEADLINES:
            return now - last_run >= self.deadlines_every
        # Cron fire times are whole seconds; a run recorded at 08:00:00.4 was the 08:00 one.
        after = last_run.replace(microsecond=0) + timedelta(seconds=1)
        due = self.trigger(job).get_next_fire_time(None, after.astimezone(self.timezone))
        return due is not None and due <= now


async def run_job(deps: Deps, settings: JobSettings, job: str, now: datetime) -> Any:
    """Run one job as of `now` and return its report; messages go to the outbox."""
    runners: dict[str, Callable[[], Awaitable[Any]]] = {
        DEADLINES: lambda: deadline_sweep(deps, now),
        WEEKLY_DIGEST: lambda: weekly_digest(deps, now),
        WEEKLY_REMINDERS: lambda: weekly_reminders(deps, now, settings.sessions),
    }
    if job not in runners:
        raise ValueError(f"unknown job {job!r}; one of {', '.join(JOBS)}")
    return await runners[job]()


class Scheduler:
    """The component `nghedan run` starts: APScheduler plus missed-run catch-up."""

    name = "Scheduler"

    def __init__(self, deps: Deps, settings: JobSettings) -> None:
        self.deps = deps
        self.settings = settings
        self._scheduler: AsyncIOScheduler | None = None
        self._catch_up: asyncio.Task[list[str]] | None = None

    async def start(self) -> None:
        scheduler = AsyncIOScheduler(timezone=self.settings.timezone)
        for job in JOBS:
            interval = job == DEADLINES
            scheduler.add_job(
                self.run,
                self.settings.trigger(job),
                args=[job],
                id=job,
                name=job,
                replace_existing=True,
                coalesce=True,
                max_instances=1,
                # A run delayed by a busy loop still happens; one missed while the process
                # was down is catch_up's.
                misfire_grace_time=(
                    int(self.settings.deadlines_every.total_seconds()) if interval else 3600
                ),
            )
        scheduler.start()
        self._scheduler = scheduler
        self._catch_up = asyncio.create_task(self.catch_up(), name="scheduler-catch-up")

    async def stop(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            # Cancels a job in flight; its transaction rolls back and the next run redoes it.
            self._scheduler.shutdown(wait=False)
        self._scheduler = None
        if self._catch_up is not None:
            self._catch_up.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._catch_up
            self._catch_up = None

    async def caught_up(self) -> list[str]:
        """Wait for the start-up catch-up; the jobs it ran."""
        return await self._catch_up if self._catch_up is not None else []

    @property
    def jobs(self) -> list[str]:
        return [job.id for job in self._scheduler.get_jobs()] if self._scheduler else []

    async def missed_jobs(self, now: datetime) -> list[str]:
        """The jobs whose scheduled time passed since their last run.

        A job never run before is not owed a run: its first start is recorded as its baseline,
        so only an outage after that is caught up.
        """
        missed = []
        async with self.deps.uow() as uow:
            for job in JOBS:
                last = await uow.job_runs.last_run(job)
                if last is None:
                    await uow.job_runs.record(job, now)
                elif self.settings.missed(job, last, now):
                    missed.append(job)
            await uow.commit()
        return missed

    async def catch_up(self) -> list[str]:
        """Run, once each, the jobs missed while the process was down."""
        missed = await self.missed_jobs(self.deps.clock.now())
        for job in missed:
            log.info("%s: missed while stopped, running now", job)
            await self.run(job)
        return missed

    async def run(self, job: str) -> None:
        """One run as of the clock's now; recorded only when it succeeds."""
        now = self.deps.clock.now()
        try:
            report = await run_job(self.deps, self.settings, job, now)
        except Exception:
            log.exception("%s: failed; the next run will retry", job)
            return
        async with self.deps.uow() as uow:
            await uow.job_runs.record(job, now)
            await uow.commit()
        log.info("%s: done %s", job, report)


async def scheduler_component(app: Application) -> Scheduler:
    return Scheduler(app.deps, JobSettings.from_config(app.config))
