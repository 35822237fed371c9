"""How long the deadline sweep's scan takes over 100,000 and 1,000,000 open tickets.

    .venv/bin/python bench/deadlines.py [--database-url URL] [--sizes 100000 1000000]

Fills its own PostgreSQL database (default `nd_bench`; every table in it is dropped first) by
COPY with open tickets whose due dates are spread as in a busy province, each with the
`next_notice_at` it has in the steady state: the previous run (15 minutes ago) queued what was
owed then, so most tickets' next notice is days away. A few hundred tickets are owed a look
now, as officers' actions in the last quarter of an hour leave them. Also 5% answered
tickets, a handful past the reopen window. Then it times:

- the scan: the sweep's read of the tickets owed a notice now, through the partial index on
  `next_notice_at` (a page of up to 500 rows, locked FOR UPDATE SKIP LOCKED), rolled back;
- that query and the reopen-window query under EXPLAIN ANALYZE, to show the plans;
- the whole sweep twice: first as it finds the database (queuing what the few hundred owe,
  rendering each message, closing the expired answers), then again (nothing owed: what most
  15-minute runs do);
- the read at 00:05 the next day, when a day's worth of thresholds is reached at once.

The last line reads `deadlines: 100k <ms> ms, 1M <ms> ms` (median scan).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.app import build_deps  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.domain.calendar import WorkingCalendar  # noqa: E402
from bot.domain.clock import VN_TZ, FixedClock, local  # noqa: E402
from bot.domain.kinds import Kind  # noqa: E402
from bot.domain.model import Ticket  # noqa: E402
from bot.domain.notices import next_notice_at, notice_owed  # noqa: E402
from bot.domain.statuses import Status  # noqa: E402
from bot.services.reminders import deadline_sweep  # noqa: E402
from storage.engine import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=VN_TZ)  # a Wednesday
PREVIOUS_RUN = NOW - timedelta(minutes=15)
NEXT_MIDNIGHT = datetime(2026, 11, 19, 0, 5, tzinfo=VN_TZ)
TOUCHED = 300  # tickets an officer acted on since the previous run
BATCH = 500  # deadline_sweep's default page
DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/nd_bench"
COLUMNS = [
    "code", "kind", "status", "category", "commune", "description", "unit_id", "channel",
    "origin", "anonymous", "report_only", "received_at", "decision_due", "forward_due",
    "resolution_due", "rules", "flags", "extensions", "accepted_at", "decided_at",
    "resolved_at", "version", "updated_at", "next_notice_at",
]  # fmt: skip
SCAN = (
    "SELECT id, status, decision_due, resolution_due FROM tickets WHERE next_notice_at <= :now "
    f"ORDER BY next_notice_at, id LIMIT {BATCH} FOR UPDATE SKIP LOCKED"
)
CLOSE = (
    "SELECT code FROM tickets WHERE status = 'resolved' AND resolved_at <= :before "
    f"ORDER BY resolved_at, id LIMIT {BATCH}"
)


def _end_of_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=VN_TZ).astimezone(UTC)


class _Schedule:
    """Each ticket's steady-state next notice, computed once per (status, due) pair."""

    def __init__(self, thresholds: tuple[int, ...], calendar: WorkingCalendar) -> None:
        self.thresholds = thresholds
        self.calendar = calendar
        self.cache: dict[tuple[str, datetime], datetime | None] = {}

    def __call__(self, status: str, due: datetime) -> datetime | None:
        key = (status, due)
        if key not in self.cache:
            probe = Ticket(
                code="PA26-00000",
                kind=Kind.PHAN_ANH,
                description="",
                unit_id="",
                received_at=PREVIOUS_RUN,
                rules={},
                status=Status(status),
                decision_due=due,
                resolution_due=due,
            )
            owed = notice_owed(probe, self.thresholds, self.calendar, PREVIOUS_RUN)
            self.cache[key] = next_notice_at(
                probe, self.thresholds, self.calendar, PREVIOUS_RUN, after=owed
            )
        return self.cache[key]


def _rows(n: int, units: list[str], schedule: _Schedule, seed: int = 7):  # type: ignore[no-untyped-def]
    """Open tickets as a province's backlog looks: most accepted and being worked, due dates
    spread over the next weeks, a few percent late; then the answered ones."""
    rng = random.Random(seed)
    today = local(NOW).date()
    rules = json.dumps({})
    touched = set(rng.sample(range(n), min(TOUCHED, n)))
    for i in range(n):
        # About 3% late (the seeds' on-time rate is 99%); the rest due over the coming weeks.
        late = rng.random() < 0.03
        roll = rng.random()
        if roll < 0.25:
            status = "submitted"
            decision = today + timedelta(days=-rng.randint(1, 5) if late else rng.randint(0, 14))
            received = decision - timedelta(days=14)
            accepted_at = resolution = None
            pending = _end_of_day(decision)
        else:
            status = "accepted" if roll < 0.85 else "needs_info" if roll < 0.95 else "reopened"
            due = today + timedelta(days=-rng.randint(1, 10) if late else rng.randint(0, 60))
            accepted = due - timedelta(days=rng.choice((21, 30, 45, 60)))
            received = accepted - timedelta(days=rng.randint(1, 10))
            decision = received + timedelta(days=14)
            resolution = pending = _end_of_day(due)
            accepted_at = datetime(accepted.year, accepted.month, accepted.day, 3, tzinfo=UTC)
        received_at = datetime(received.year, received.month, received.day, 2, tzinfo=UTC)
        if i in touched:
            notice = NOW - timedelta(seconds=rng.randint(1, 900))
        else:
            notice = schedule(status, pending)
        yield (
            f"PA{i // 10_000_000:02d}-{i:08d}", "phan_anh", status, "ha-tang", None,
            "Ổ gà trên đường, đề nghị sửa chữa.", units[i % len(units)], "telegram", "chat",
            False, False, received_at, _end_of_day(decision),
            _end_of_day(received + timedelta(days=7)), resolution, rules, "{}", "{}",
            accepted_at, accepted_at, None, 1, received_at, notice,
        )  # fmt: skip
    # Answered tickets wait 7 days for a rating; the run closes the few whose week is over.
    for i in range(n, n + n // 20):
        expired = i - n < 20
        resolved_at = (
            NOW - timedelta(days=7, minutes=rng.randint(1, 600))
            if expired
            else NOW - timedelta(minutes=rng.randint(1, 7 * 24 * 60 - 1))
        )
        received_at = resolved_at - timedelta(days=30)
        yield (
            f"PA{i // 10_000_000:02d}-{i:08d}", "phan_anh", "resolved", "ha-tang", None,
            "Ổ gà trên đường, đề nghị sửa chữa.", units[i % len(units)], "telegram", "chat",
            False, False, received_at, received_at + timedelta(days=14),
            received_at + timedelta(days=7), resolved_at + timedelta(days=5), rules, "{}",
            "{}", received_at + timedelta(days=3), received_at + timedelta(days=3),
            resolved_at, 1, resolved_at, None,
        )  # fmt: skip


async def _fill(url: str, n: int, units: list[str], schedule: _Schedule) -> float:
    started = time.perf_counter()
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    # "heads", not "head": upgrade() skips a URL it brought to head before in this process,
    # and the schema was just dropped.
    await upgrade(url, revision="heads")
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("SET synchronous_commit = off")
        batch: list[tuple] = []  # type: ignore[type-arg]
        for row in _rows(n, units, schedule):
            batch.append(row)
            if len(batch) == 50_000:
                await connection.copy_records_to_table("tickets", records=batch, columns=COLUMNS)
                batch.clear()
        if batch:
            await connection.copy_records_to_table("tickets", records=batch, columns=COLUMNS)
        await connection.execute("VACUUM ANALYZE tickets")
    finally:
        await connection.close()
    return time.perf_counter() - started


async def _scan(deps, now: datetime) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    """The sweep's read, rolled back: tickets read and milliseconds."""
    started = time.perf_counter()
    async with deps.uow() as uow:
        got = await uow.tickets.owing_notice(now, limit=BATCH)
    return len(got), (time.perf_counter() - started) * 1000


async def _explain(engine, query: str, **params: object) -> str:  # type: ignore[no-untyped-def]
    async with engine.connect() as connection:
        plan = await connection.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {query}"), params)
        lines = "\n".join(row[0] for row in plan)
        await connection.rollback()
    return lines


async def _count(engine, query: str, **params: object) -> int:  # type: ignore[no-untyped-def]
    async with engine.connect() as connection:
        return int((await connection.execute(text(query), params)).scalar_one())


async def bench(url: str, n: int, runs: int, config_path: Path) -> float:
    config = load_config(config_path)
    units = [u.id for u in config.units]
    engine = make_engine(url)
    try:
        deps = build_deps(config, engine, clock=FixedClock(NOW))
        schedule = _Schedule(deps.reminder_thresholds, deps.calendar)
        fill = await _fill(url, n, units, schedule)
        print(f"\n== {n:,} open tickets, {n // 20:,} answered (filled in {fill:.1f} s)")
        owed = await _count(
            engine, "SELECT count(*) FROM tickets WHERE next_notice_at <= :now", now=NOW
        )
        later = await _count(
            engine, "SELECT count(*) FROM tickets WHERE next_notice_at > :now", now=NOW
        )
        print(f"next notice: {owed:,} owed a look now, {later:,} later, the rest none")
        await _scan(deps, NOW)  # warm the cache and the connection pool
        scans: list[float] = []
        rows = 0
        for _ in range(runs):
            rows, ms = await _scan(deps, NOW)
            scans.append(ms)
        scan = statistics.median(scans)
        print(
            f"scan: {rows:,} tickets read; median {scan:.1f} ms, min {min(scans):.1f}, "
            f"max {max(scans):.1f} over {runs} runs"
        )
        print("plan of the scan:")
        print(await _explain(engine, SCAN, now=NOW))
        before = NOW - timedelta(days=deps.limits.reopen_days)
        print("plan of the reopen-window query (once a run):")
        print(await _explain(engine, CLOSE, before=before))
        started = time.perf_counter()
        first = await deadline_sweep(deps, NOW)
        first_ms = (time.perf_counter() - started) * 1000
        print(
            f"sweep, first (reads {first.scanned}, queues {first.reminders} reminders and "
            f"{first.escalations} escalations, renders each, closes {first.closed}): "
            f"{first_ms:,.0f} ms"
        )
        steady: list[float] = []
        for _ in range(runs):
            started = time.perf_counter()
            again = await deadline_sweep(deps, NOW + timedelta(seconds=1))
            steady.append((time.perf_counter() - started) * 1000)
        print(
            f"sweep, again (reads {again.scanned}, queues "
            f"{again.reminders + again.escalations}, closes {again.closed}): median "
            f"{statistics.median(steady):.1f} ms over {runs} runs"
        )
        peak = await _count(
            engine,
            "SELECT count(*) FROM tickets WHERE next_notice_at <= :now",
            now=NEXT_MIDNIGHT,
        )
        _, peak_ms = await _scan(deps, NEXT_MIDNIGHT)
        print(
            f"00:05 next day: {peak:,} tickets owed a look ({peak / n:.1%}), read "
            f"{BATCH} a page; first page {peak_ms:.1f} ms"
        )
    finally:
        await engine.dispose()
    return scan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--config", type=Path, default=ROOT / "config" / "example.yaml")
    args = parser.parse_args()
    if make_url(args.database_url).get_backend_name() != "postgresql":
        parser.error("the benchmark needs PostgreSQL")
    results = {}
    for n in args.sizes:
        results[n] = asyncio.run(bench(args.database_url, n, args.runs, args.config))
    figures = ", ".join(f"{_label(n)} {ms:.0f} ms" for n, ms in results.items())
    print(f"deadlines: {figures}")
    return 0


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


if __name__ == "__main__":
    raise SystemExit(main())
