"""How long the deadline sweep's scan takes over 100,000 and 1,000,000 open tickets.

    .venv/bin/python bench/deadlines.py [--database-url URL] [--sizes 100000 1000000]

Fills its own PostgreSQL database (default `nd_bench`; every table in it is dropped first) by
COPY with open tickets whose due dates are spread as in a busy province, then times:

- the scan: the sweep's keyset pages over the (status, due) indexes, for every pending
  deadline, as `deadline_sweep` walks them (what runs every 15 minutes);
- one page query under EXPLAIN ANALYZE, to show the plan;
- the whole sweep once cold (queuing the reminders and escalations: rendering, reported
  apart) and once warm (everything already queued: the steady state).

The last line reads `deadlines: 100k <ms> ms, 1M <ms> ms` (median full scan).
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
from bot.domain.clock import VN_TZ, FixedClock, local  # noqa: E402
from bot.services.ports import DueRef  # noqa: E402
from bot.services.reminders import PENDING_DEADLINES, _window_end, deadline_sweep  # noqa: E402
from storage.engine import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=VN_TZ)  # a Wednesday
BATCH = 2000  # deadline_sweep's default page
DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/nd_bench"
COLUMNS = [
    "code", "kind", "status", "category", "commune", "description", "unit_id", "channel",
    "origin", "anonymous", "report_only", "received_at", "decision_due", "forward_due",
    "resolution_due", "rules", "flags", "extensions", "accepted_at", "version", "updated_at",
]  # fmt: skip


def _end_of_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=VN_TZ).astimezone(UTC)


def _rows(n: int, units: list[str], seed: int = 7):  # type: ignore[no-untyped-def]
    """Open tickets as a province's backlog looks: most accepted and being worked, due dates
    spread over the next weeks, a few percent late."""
    rng = random.Random(seed)
    today = local(NOW).date()
    rules = json.dumps({})
    for i in range(n):
        # About 3% late (the seeds' on-time rate is 99%); the rest due over the coming weeks.
        late = rng.random() < 0.03
        roll = rng.random()
        if roll < 0.25:
            status = "submitted"
            decision = today + timedelta(days=-rng.randint(1, 5) if late else rng.randint(0, 14))
            received = decision - timedelta(days=14)
            accepted_at = resolution = None
        else:
            status = "accepted" if roll < 0.85 else "needs_info" if roll < 0.95 else "reopened"
            due = today + timedelta(days=-rng.randint(1, 10) if late else rng.randint(0, 60))
            accepted = due - timedelta(days=rng.choice((21, 30, 45, 60)))
            received = accepted - timedelta(days=rng.randint(1, 10))
            decision = received + timedelta(days=14)
            resolution = _end_of_day(due)
            accepted_at = datetime(accepted.year, accepted.month, accepted.day, 3, tzinfo=UTC)
        received_at = datetime(received.year, received.month, received.day, 2, tzinfo=UTC)
        yield (
            f"PA{i // 10_000_000:02d}-{i:08d}", "phan_anh", status, "ha-tang", None,
            "Ổ gà trên đường, đề nghị sửa chữa.", units[i % len(units)], "telegram", "chat",
            False, False, received_at, _end_of_day(decision),
            _end_of_day(received + timedelta(days=7)), resolution, rules, "{}", "{}",
            accepted_at, 1, received_at,
        )  # fmt: skip


async def _fill(url: str, n: int, units: list[str]) -> float:
    started = time.perf_counter()
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    await upgrade(url)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("SET synchronous_commit = off")
        batch: list[tuple] = []  # type: ignore[type-arg]
        for row in _rows(n, units):
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


async def _scan(deps, bound: datetime, page: int = BATCH) -> tuple[int, int, list[float]]:  # type: ignore[no-untyped-def]
    """The sweep's page walk: rows seen, pages, and each page's time (ms)."""
    rows = pages = 0
    times: list[float] = []
    for deadline, statuses in PENDING_DEADLINES.items():
        for status in statuses:
            after: DueRef | None = None
            while True:
                started = time.perf_counter()
                async with deps.uow() as uow:
                    got = await uow.tickets.due_page(
                        deadline, status.value, due_before=bound, after=after, limit=page
                    )
                times.append((time.perf_counter() - started) * 1000)
                pages += 1
                rows += len(got)
                if len(got) < page:
                    break
                after = got[-1]
    return rows, pages, times


async def _explain(engine, bound: datetime) -> str:  # type: ignore[no-untyped-def]
    async with engine.connect() as connection:
        window = (
            await connection.execute(
                text(
                    "SELECT count(*) FROM tickets WHERE status = 'accepted' "
                    "AND resolution_due < :bound"
                ),
                {"bound": bound},
            )
        ).scalar_one()
        middle = (
            await connection.execute(
                text(
                    "SELECT resolution_due, id FROM tickets WHERE status = 'accepted' "
                    "AND resolution_due < :bound ORDER BY resolution_due, id "
                    "OFFSET :middle LIMIT 1"
                ),
                {"bound": bound, "middle": window // 2},
            )
        ).first()
        after = (middle[0], middle[1]) if middle else (bound, 0)
        plan = await connection.execute(
            text(
                "EXPLAIN (ANALYZE, BUFFERS) SELECT id, resolution_due FROM tickets "
                "WHERE status = 'accepted' AND resolution_due IS NOT NULL "
                "AND resolution_due < :bound AND resolution_due >= :due "
                "AND (resolution_due > :due OR (resolution_due = :due AND id > :id)) "
                f"ORDER BY resolution_due, id LIMIT {BATCH}"
            ),
            {"bound": bound, "due": after[0], "id": after[1]},
        )
        return "\n".join(row[0] for row in plan)


async def _mark_all_queued(deps, engine) -> None:  # type: ignore[no-untyped-def]
    """Put in the outbox the keys a cold sweep would queue, without rendering anything."""
    from bot.services.reminders import _notice

    today = local(NOW).date()
    bound = _window_end(deps, today, 3)
    rows = []
    for deadline, statuses in PENDING_DEADLINES.items():
        for status in statuses:
            after = None
            while True:
                async with deps.uow() as uow:
                    page = await uow.tickets.due_page(
                        deadline, status.value, due_before=bound, after=after, limit=BATCH
                    )
                for ref in page:
                    notice = _notice(deps, ref, deadline, NOW, today, (3, 1))
                    if notice is not None:
                        rows += [(k, ref.ticket_id) for k in notice.dedupe_keys(lead=True)]
                if len(page) < BATCH:
                    break
                after = page[-1]
    now = NOW.astimezone(UTC)
    async with engine.begin() as connection:
        raw = await connection.get_raw_connection()
        await raw.driver_connection.copy_records_to_table(
            "outbox",
            records=[
                ("telegram", "-1", "{}", key, "reminder", tid, 0, now, now)
                for key, tid in rows
            ],
            columns=[
                "channel", "chat_id", "payload", "dedupe_key", "purpose", "ticket_id",
                "attempts", "created_at", "next_attempt_at",
            ],
        )  # fmt: skip
    print(f"outbox: {len(rows):,} keys copied in as if a cold sweep had queued them")


async def bench(url: str, n: int, runs: int, config_path: Path) -> float:
    config = load_config(config_path)
    units = [u.id for u in config.units]
    fill = await _fill(url, n, units)
    print(f"\n== {n:,} open tickets (filled in {fill:.1f} s)")
    engine = make_engine(url)
    try:
        deps = build_deps(config, engine, clock=FixedClock(NOW))
        bound = _window_end(deps, local(NOW).date(), max(config.reminders.before_deadline_days))
        await _scan(deps, bound)  # warm the cache and the connection pool
        scans: list[float] = []
        page_times: list[float] = []
        rows = pages = 0
        for _ in range(runs):
            started = time.perf_counter()
            rows, pages, times = await _scan(deps, bound)
            scans.append((time.perf_counter() - started) * 1000)
            page_times += times
        scan = statistics.median(scans)
        print(
            f"scan: {rows:,} tickets in the window ({rows / n:.1%}) in {pages} pages; "
            f"median {scan:.1f} ms, min {min(scans):.1f}, max {max(scans):.1f} over {runs} runs; "
            f"page median {statistics.median(page_times):.2f} ms, "
            f"max {max(page_times):.2f} ms"
        )
        print("plan of one page (keyset in the middle of the accepted tickets):")
        print(await _explain(engine, bound))
        if n > 100_000:
            print("sweep, cold: skipped above 100k (it renders every owed message)")
            await _mark_all_queued(deps, engine)
        else:
            started = time.perf_counter()
            cold = await deadline_sweep(
                deps, NOW, thresholds=config.reminders.before_deadline_days
            )
            cold_ms = (time.perf_counter() - started) * 1000
            print(
                f"sweep, cold (queues {cold.reminders:,} reminders, {cold.escalations:,} "
                f"escalations, renders each): {cold_ms:,.0f} ms"
            )
        started = time.perf_counter()
        warm = await deadline_sweep(deps, NOW, thresholds=config.reminders.before_deadline_days)
        warm_ms = (time.perf_counter() - started) * 1000
        print(
            f"sweep, warm (all already queued: {warm.reminders + warm.escalations} new): "
            f"{warm_ms:,.0f} ms"
        )
    finally:
        await engine.dispose()
    return scan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
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
