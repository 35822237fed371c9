"""Delivery throughput: N messages to N distinct private chats through the fake Bot API with
Telegram's flood limits on (about 30 messages/s per bot, DOMAIN.md §4).

The fake runs in a child process and the delivery worker in this one, over loopback, so the
worker's timing is not helped by sharing an event loop with the server.

    .venv/bin/python bench/delivery.py --messages 2000
    .venv/bin/python bench/delivery.py --database-url postgresql+asyncpg://.../nd_bench

Last line: ``delivery: <rate> msg/s, 429s=<n>, lost=<n>, duplicated=<n>`` (targets: rate at
least 29 against the 30/s ceiling, lost 0, duplicated 0).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIRST_USER = 800_000_000


def text_for(n: int) -> str:
    return f"Thông báo số {n}: lịch tiếp công dân tuần này."


# -- the fake Bot API, in its own process -----------------------------------------------------


async def serve_fake(messages: int) -> None:
    from tests.fakes.telegram_server import FakeTelegramServer, FloodLimits

    async with FakeTelegramServer() as server:
        for n in range(messages):
            server.add_private_chat(server.add_user(f"Dân {n}", user_id=FIRST_USER + n))
        server.enable_flood_limits(FloodLimits())
        print(f"URL {server.url}", flush=True)
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line or line.strip() == "quit":
                return
            if line.strip() == "report":
                texts: Counter[str] = Counter()
                for n in range(messages):
                    for message in server.messages_in(FIRST_USER + n):
                        texts[message.get("text", "")] += 1
                report = {
                    "texts": dict(texts),
                    "rate_limited": len(server.rate_limited),
                    "violations": server.limit_violations,
                    "validation_errors": len(server.validation_errors),
                }
                print(json.dumps(report, ensure_ascii=False), flush=True)


# -- the worker, in this process ---------------------------------------------------------------


async def enqueue(engine: Any, messages: int, now: Any) -> None:
    from sqlalchemy import delete, insert

    from bot.domain.messages import OutgoingMessage
    from storage import orm

    async with engine.begin() as connection:
        await connection.execute(delete(orm.outbox))
    batch: list[dict[str, Any]] = []
    for n in range(messages):
        batch.append(
            {
                "channel": "telegram",
                "chat_id": str(FIRST_USER + n),
                "payload": OutgoingMessage(text=text_for(n)).to_dict(),
                "dedupe_key": f"bench:{n}",
                "purpose": "weekly",
                "attempts": 0,
                "created_at": now,
                "next_attempt_at": now,
            }
        )
        if len(batch) == 1000 or n == messages - 1:
            async with engine.begin() as connection:
                await connection.execute(insert(orm.outbox), batch)
            batch = []


async def run(args: argparse.Namespace) -> str:
    from aiogram import Bot
    from aiogram.client.default import DefaultBotProperties
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from sqlalchemy import func, select, text

    from bot.app import build_deps
    from bot.channels.telegram_aiogram.sender import AiogramSender
    from bot.config import load_config
    from bot.delivery import DeliveryWorker
    from storage import orm
    from storage.engine import make_engine
    from storage.migrate import upgrade

    fake = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--serve-fake",
        "--messages",
        str(args.messages),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        cwd=ROOT,
        limit=64 * 1024 * 1024,  # the report is one long JSON line
    )
    assert fake.stdin is not None and fake.stdout is not None
    try:
        url = (await fake.stdout.readline()).decode().split()[1]
        database_url = args.database_url
        if database_url is None:
            directory = tempfile.mkdtemp(prefix="nghedan-bench-")
            database_url = f"sqlite+aiosqlite:///{directory}/bench.db"
        await upgrade(database_url)
        engine = make_engine(database_url)
        config = load_config(ROOT / "config" / "example.yaml")
        deps = build_deps(config, engine)
        await enqueue(engine, args.messages, deps.clock.now())
        if engine.dialect.name == "postgresql" and not args.no_analyze:
            # A table just emptied and refilled has no statistics until autovacuum runs;
            # without them the claim query's plan is ~100x slower (see --no-analyze).
            async with engine.begin() as connection:
                await connection.execute(text("ANALYZE outbox"))

        session = AiohttpSession(api=TelegramAPIServer.from_base(url))
        bot = Bot("123456:TEST", session=session, default=DefaultBotProperties())
        worker = DeliveryWorker(
            engine=engine,
            deps=deps,
            senders={"telegram": AiogramSender(bot)},
            config=config.delivery,
            poll_interval=0.05,
        )
        outbox = orm.outbox
        started = time.monotonic()
        started_at = datetime.now(UTC)
        await worker.start()
        while True:
            await asyncio.sleep(0.5)
            async with engine.connect() as connection:
                left = (
                    await connection.execute(
                        select(func.count()).where(
                            outbox.c.sent_at.is_(None), outbox.c.failed_at.is_(None)
                        )
                    )
                ).scalar_one()
            if left == 0:
                break
            if args.progress:
                print(f"  {args.messages - left} sent", file=sys.stderr, flush=True)
        async with engine.connect() as connection:
            last_sent = (await connection.execute(select(func.max(outbox.c.sent_at)))).scalar()
            first_sent = (await connection.execute(select(func.min(outbox.c.sent_at)))).scalar()
            failed = (
                await connection.execute(
                    select(func.count()).where(outbox.c.failed_at.is_not(None))
                )
            ).scalar_one()
        elapsed = time.monotonic() - started
        await worker.stop()
        await bot.session.close()
        await engine.dispose()

        fake.stdin.write(b"report\n")
        await fake.stdin.drain()
        report = json.loads(await fake.stdout.readline())
    finally:
        if not fake.stdin.is_closing():
            fake.stdin.write(b"quit\n")
            fake.stdin.close()
        await asyncio.wait_for(fake.wait(), 30)

    texts: dict[str, int] = report["texts"]
    expected = {text_for(n) for n in range(args.messages)}
    lost = sum(1 for body in expected if body not in texts)
    duplicated = sum(count - 1 for count in texts.values() if count > 1)
    unexpected = sum(count for body, count in texts.items() if body not in expected)
    # The rate from the worker's start to the last recorded send; the worker spends its
    # first second as if a predecessor had just used the bot's limit (bot/delivery.py).
    span = (last_sent - first_sent).total_seconds() if last_sent and first_sent else 0.0
    print(f"messages: {args.messages}, database: {database_url.split(':')[0]}")
    print(f"elapsed from start: {elapsed:.1f}s; first to last send: {span:.1f}s")
    print(f"failed rows: {failed}; unexpected texts: {unexpected}")
    print(f"limit violations (sent during a ban): {report['violations']}")
    print(f"validation errors: {report['validation_errors']}")
    print(f"steady rate (first to last send): {(args.messages - 1) / span:.2f} msg/s")
    # Up to the last send, not to when this loop noticed it.
    rate = args.messages / (last_sent - started_at).total_seconds()
    return (
        f"delivery: {rate:.2f} msg/s, 429s={report['rate_limited']}, "
        f"lost={lost}, duplicated={duplicated}"
    )


def main() -> None:
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--progress", action="store_true")
    parser.add_argument("--no-analyze", action="store_true", help="PostgreSQL: skip ANALYZE")
    parser.add_argument("--serve-fake", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fake:
        asyncio.run(serve_fake(args.messages))
        return
    logging.basicConfig(level=logging.WARNING)
    print(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
