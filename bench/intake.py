"""Many citizens complete the phản ánh intake at once through the aiogram channel.

The fake Bot API server and the simulated citizens run in this process; the product runs as
`nghedan run` in another, on loopback (SQLite by default, PostgreSQL with --database-url). The
same run measures a bare aiogram echo bot against the same fake as the framework's ceiling.

    .venv/bin/python bench/intake.py [--citizens 200] [--database-url URL]

Last line: `intake: <n> updates/s, p95 <ms> ms, ceiling <n> updates/s, ratio <r>, tickets <n>/<n>`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from storage.engine import make_engine  # noqa: E402
from storage.orm import tickets  # noqa: E402
from tests.fakes.telegram_server import FakeTelegramServer  # noqa: E402
from tests.support.telegram_user import TelegramUser  # noqa: E402

DESCRIPTION = "Đường Lê Duẩn có ổ gà lớn trước số {n}, xe máy rất dễ ngã vào ban đêm."
TIMEOUT = 120.0


class Timer:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.updates = 0

    async def step(self, send: Callable[[], None], wait: Awaitable[object]) -> None:
        started = time.perf_counter()
        send()
        self.updates += 1
        await wait
        self.latencies.append(time.perf_counter() - started)


async def one_citizen(server: FakeTelegramServer, n: int, timer: Timer) -> None:
    citizen = TelegramUser(server, f"Dân {n}")

    async def reply(fragment: str) -> None:
        await citizen.expect(fragment, within=TIMEOUT)

    await timer.step(lambda: citizen.say("/start"), reply("Bạn muốn làm gì"))
    await timer.step(lambda: citizen.press("phản ánh"), reply("Bước 2/7"))
    await timer.step(lambda: citizen.press("Hạ tầng"), reply("Bước 3/7"))
    await timer.step(lambda: citizen.press("Hải Châu"), reply("Bước 4/7"))
    await timer.step(lambda: citizen.say(DESCRIPTION.format(n=n)), reply("Bước 5/7"))
    await timer.step(lambda: citizen.press("bỏ qua"), reply("Bước 6/7"))
    await timer.step(lambda: citizen.press("ẩn danh"), reply("Bước 7/7"))
    await timer.step(lambda: citizen.press("Gửi"), reply("PA"))


async def echo_citizen(server: FakeTelegramServer, n: int, rounds: int, timer: Timer) -> None:
    user = server.add_user(f"Echo {n}")
    chat = server.add_private_chat(user)
    for i in range(rounds):
        text = f"tin {n}-{i}"
        wait = server.wait_for_message(
            chat.id, lambda m, t=text: m.get("text") == t, timeout=TIMEOUT
        )
        await timer.step(lambda t=text: server.send_text(user, chat, t), wait)


async def spawn(*args: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *args,
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 15)
        except TimeoutError:
            process.kill()
            await process.wait()


async def wait_polling(server: FakeTelegramServer) -> None:
    await server.wait_for(
        lambda: server.calls("getUpdates"), timeout=60, description="the bot to start polling"
    )


async def measure_ceiling(citizens: int, rounds: int) -> float:
    async with FakeTelegramServer() as server:
        bot = await spawn(sys.executable, "bench/echo_bot.py", server.url, server.token, env={})
        try:
            await wait_polling(server)
            timer = Timer()
            started = time.perf_counter()
            await asyncio.gather(
                *(echo_citizen(server, n, rounds, timer) for n in range(citizens))
            )
            return timer.updates / (time.perf_counter() - started)
        finally:
            await stop(bot)


async def count_tickets(database_url: str) -> tuple[int, int]:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            total = (
                await connection.execute(select(func.count()).select_from(tickets))
            ).scalar_one()
            distinct = (
                await connection.execute(select(func.count(func.distinct(tickets.c.citizen_id))))
            ).scalar_one()
            return int(total), int(distinct)
    finally:
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="nghedan-bench-"))
    database_url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    async with FakeTelegramServer() as server:
        env = {
            "TELEGRAM_BOT_TOKEN": server.token,
            "TELEGRAM_API_URL": server.url,
            "DATABASE_URL": database_url,
            "WEB_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
        }
        product = await spawn(sys.executable, "-m", "bot", "run", env=env)
        try:
            await wait_polling(server)
            timer = Timer()
            started = time.perf_counter()
            await asyncio.gather(*(one_citizen(server, n, timer) for n in range(args.citizens)))
            elapsed = time.perf_counter() - started
        finally:
            await stop(product)
            if product.stderr is not None:
                errors = (await product.stderr.read()).decode(errors="replace")
                if "Traceback" in errors:
                    print(errors[-3000:], file=sys.stderr)
        invalid = len(server.validation_errors)
    rate = timer.updates / elapsed
    p95 = statistics.quantiles(timer.latencies, n=20)[-1] * 1000
    ceiling = await measure_ceiling(args.citizens, rounds=8)
    total, distinct = await count_tickets(database_url)
    print(
        f"citizens {args.citizens}, updates {timer.updates}, {elapsed:.1f} s, "
        f"median {statistics.median(timer.latencies) * 1000:.0f} ms, "
        f"validation errors {invalid}, database {database_url.split(':')[0]}"
    )
    once = total if total == distinct else f"{total} (for {distinct} citizens)"
    print(
        f"intake: {rate:.0f} updates/s, p95 {p95:.0f} ms, ceiling {ceiling:.0f} updates/s, "
        f"ratio {rate / ceiling:.2f}, tickets {once}/{args.citizens}"
    )


if __name__ == "__main__":
    asyncio.run(main())
