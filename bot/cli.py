"""`nghedan` (and `python -m bot`): run, migrate, deadlines, config check."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date, datetime

from bot.domain.errors import DomainError
from bot.domain.kinds import Kind


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from error


def _instant(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 instant: {value!r}") from error


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="nghedan", description="Nghe dân nói: citizens' petitions over chat."
    )
    commands = root.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start every configured channel and the web server")
    commands.add_parser("migrate", help="apply database migrations")

    deadlines = commands.add_parser("deadlines", help="print the legal deadlines as JSON")
    deadlines.add_argument("kind", choices=[k.value for k in Kind])
    deadlines.add_argument("received", type=_date, help="day of receipt, YYYY-MM-DD")
    deadlines.add_argument("--accepted", type=_date, help="day of acceptance, YYYY-MM-DD")
    deadlines.add_argument("--complex", action="store_true")
    deadlines.add_argument("--especially-complex", action="store_true")
    deadlines.add_argument("--remote", action="store_true")
    deadlines.add_argument("--second", action="store_true", help="second complaint")

    jobs = commands.add_parser("jobs", help="scheduled jobs")
    jobs_commands = jobs.add_subparsers(dest="jobs_command", required=True)
    run_job = jobs_commands.add_parser("run", help="run one job once as of an instant, and exit")
    run_job.add_argument("job", choices=["deadlines", "weekly-digest", "weekly-reminders"])
    run_job.add_argument(
        "--at",
        type=_instant,
        required=True,
        help="ISO-8601 instant, e.g. 2026-11-16T08:00:00+07:00 (no offset: the config's zone)",
    )

    config = commands.add_parser("config", help="configuration tools")
    config_commands = config.add_subparsers(dest="config_command", required=True)
    check = config_commands.add_parser("check", help="validate a config file")
    check.add_argument("path", nargs="?", help="default: $NGHEDAN_CONFIG")
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Their start-up chatter ("setup plugin", "Adding job tentatively") hides our own lines.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.scheduler").setLevel(logging.WARNING)
    if args.command == "deadlines":
        return _deadlines(args)
    if args.command == "config":
        return _config_check(args.path)
    settings, config = _load_or_exit()
    if args.command == "migrate":
        from storage.migrate import upgrade

        asyncio.run(upgrade(settings.database_url))
        print("migrations applied")
        return 0
    if args.command == "jobs":
        return asyncio.run(_run_job(settings, config, args.job, args.at))
    if args.command == "run":
        from bot.app import serve

        logging.getLogger().setLevel(settings.log_level)
        from bot.channels.configuration import ConfigurationProblem

        try:
            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(serve(settings, config))
        except ConfigurationProblem as problem:
            print(f"configuration: {problem}", file=sys.stderr)
            return 2
        return 0
    raise AssertionError(args.command)


def _load_or_exit():  # type: ignore[no-untyped-def]
    from pydantic import ValidationError

    from bot.config import ConfigFileError, Settings, load_config

    try:
        settings = Settings()
    except ValidationError as error:
        for problem in error.errors():
            where = ".".join(str(p) for p in problem["loc"]).upper() or "environment"
            print(f"environment: {where}: {problem['msg']}", file=sys.stderr)
        raise SystemExit(2) from None
    try:
        config = load_config(settings.nghedan_config)
    except ConfigFileError as error:
        for line in error.errors:
            print(line, file=sys.stderr)
        raise SystemExit(2) from None
    return settings, config


def _deadlines(args: argparse.Namespace) -> int:
    from bot.domain import deadlines
    from bot.domain.calendar import WorkingCalendar

    _settings, config = _load_or_exit()

    calendar = WorkingCalendar(
        extra_days_off=config.extra_days_off, extra_working_days=config.extra_working_days
    )
    flags = deadlines.ResolutionFlags(
        complex=args.complex,
        especially_complex=args.especially_complex,
        remote=args.remote,
        second=args.second,
    )
    try:
        result = deadlines.describe(
            Kind(args.kind),
            args.received,
            accepted=args.accepted,
            flags=flags,
            policy=deadlines.DeadlinePolicy(overrides=config.deadlines),
            calendar=calendar,
        )
    except (DomainError, ValueError) as error:
        print(f"nghedan deadlines: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def _config_check(path: str | None) -> int:
    from bot.config import Settings, check_config

    target = path or Settings().nghedan_config
    problems = check_config(target)
    if problems:
        for line in problems:
            print(line)
        return 1
    print("OK")
    return 0


async def _run_job(settings, config, job: str, at: datetime) -> int:  # type: ignore[no-untyped-def]
    """`nghedan jobs run JOB --at ISO`: the job as of `at`, its messages queued, then exit."""
    from bot.app import build_deps
    from bot.domain.clock import FixedClock
    from bot.scheduler import JobSettings, run_job
    from storage.engine import make_engine
    from storage.migrate import upgrade

    if at.tzinfo is None:
        at = at.replace(tzinfo=config.tz)
    await upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        deps = build_deps(config, engine, clock=FixedClock(at))
        report = await run_job(deps, JobSettings.from_config(config), job, at)
    finally:
        await engine.dispose()
    print(f"{job} as of {at.isoformat()}: {report}")
    return 0
