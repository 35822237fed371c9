"""Many citizens complete the phản ánh intake at once through the aiogram channel.

The fake Bot API server and the simulated citizens run in this process; the product runs as
`nghedan run` in another, on loopback (SQLite by default, PostgreSQL with --database-url). The
same run measures a bare aiogram echo bot against the same fake as the framework's ceiling.

Two phases, because one closed loop cannot measure both figures: with N citizens each sending
its next step the moment it gets the reply, N updates are always in flight, so latency is
N / throughput whatever the bot does (200 citizens on an 800 updates/s echo: 250 ms).

- latency (p95): a paced, human-like load. Citizens arrive spread over --arrival seconds and
  think --think seconds (uniform) between steps; p95 is over every step's reply time.
- throughput (updates/s, and the ratio): a closed loop, every citizen as fast as it can, for
  the product and then for the echo bot with the same citizens and rounds.

Every citizen files one ticket in each product phase: `tickets` counts them (each citizen's
ticket exactly once) against the citizens that ran.

The citizens wait for their replies through a per-chat hook, not the fake's wait_for (which
wakes every waiter on every request: with 200 citizens that alone took half of this
process's CPU and was the benchmark's own bottleneck).

    .venv/bin/python bench/intake.py [--citizens 200] [--database-url URL]

Last line: `intake: <n> updates/s, p95 <ms> ms, ceiling <n> updates/s, ratio <r>, tickets <n>/<n>`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from storage.engine import make_engine  # noqa: E402
from storage.orm import tickets  # noqa: E402
from tests.fakes.telegram_server import FakeChat, FakeTelegramServer  # noqa: E402
from tests.support.telegram_user import button_data  # noqa: E402

DESCRIPTION = "Đường Lê Duẩn có ổ gà lớn trước số {n}, xe máy rất dễ ngã vào ban đêm."
TIMEOUT = 120.0
STEPS = 8  # updates per intake, /start to the ticket code


class BenchServer(FakeTelegramServer):
    """The fake, plus a queue of the bot's new messages per chat for the citizens to read."""

    def __init__(self) -> None:
        super().__init__()
        self.inbox: defaultdict[int, asyncio.Queue[dict[str, Any]]] = defaultdict(asyncio.Queue)

    def _store_message(self, chat: FakeChat, sender: dict[str, Any], *args: Any, **kw: Any):  # type: ignore[no-untyped-def]
        message = super()._store_message(chat, sender, *args, **kw)
        if sender.get("is_bot"):
            self.inbox[chat.id].put_nowait(message)
        return message


class Timer:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.updates = 0


def cpu_seconds(pid: int) -> float:
    """CPU time a process used so far (Linux; 0 elsewhere): steadier than wall time here."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Citizen:
    def __init__(self, server: BenchServer, name: str, timer: Timer) -> None:
        self.server = server
        self.timer = timer
        self.user = server.add_user(name, language_code="vi")
        self.chat = server.add_private_chat(self.user)
        self.last: dict[str, Any] | None = None

    async def step(self, send: Callable[[], object], fragment: str) -> None:
        """Send one update and wait for the bot's message containing `fragment`."""
        inbox = self.server.inbox[self.chat.id]
        started = time.perf_counter()
        send()
        self.timer.updates += 1
        while True:
            message = await asyncio.wait_for(inbox.get(), TIMEOUT)
            if fragment in (message.get("text") or ""):
                break
        self.timer.latencies.append(time.perf_counter() - started)
        self.last = message

    def say(self, text: str) -> Callable[[], object]:
        return lambda: self.server.send_text(self.user, self.chat, text)

    def press(self, label_part: str) -> Callable[[], object]:
        assert self.last is not None
        message = self.last
        data = button_data(message, label_part)
        return lambda: self.server.press_button(self.user, message, data)


async def intake(citizen: Citizen, n: int, think: Callable[[], float]) -> None:
    steps: list[tuple[Callable[[], Callable[[], object]], str]] = [
        (lambda: citizen.say("/start"), "Bạn muốn làm gì"),
        (lambda: citizen.press("phản ánh"), "Bước 2/7"),
        (lambda: citizen.press("Hạ tầng"), "Bước 3/7"),
        (lambda: citizen.press("Hải Châu"), "Bước 4/7"),
        (lambda: citizen.say(DESCRIPTION.format(n=n)), "Bước 5/7"),
        (lambda: citizen.press("bỏ qua"), "Bước 6/7"),
        (lambda: citizen.press("ẩn danh"), "Bước 7/7"),
        (lambda: citizen.press("Gửi"), "PA"),
    ]
    for index, (action, fragment) in enumerate(steps):
        if index:
            await asyncio.sleep(think())
        await citizen.step(action(), fragment)


async def echo(citizen: Citizen, n: int, rounds: int, think: Callable[[], float]) -> None:
    for i in range(rounds):
        if i:
            await asyncio.sleep(think())
        text = f"tin {n}-{i}"
        await citizen.step(citizen.say(text), text)


async def paced(
    run: Callable[[int, Callable[[], float]], Any], citizens: int, arrival: float, think: float
) -> None:
    rng = random.Random(3)

    async def one(n: int) -> None:
        await asyncio.sleep(rng.uniform(0, arrival))
        await run(n, lambda: rng.uniform(think / 3, think))

    await asyncio.gather(*(one(n) for n in range(citizens)))


async def closed(run: Callable[[int, Callable[[], float]], Any], citizens: int) -> float:
    """Updates per second with every citizen sending its next update at once."""
    started = time.perf_counter()
    await asyncio.gather(*(run(n, lambda: 0.0) for n in range(citizens)))
    return time.perf_counter() - started


def p95(timer: Timer) -> float:
    return statistics.quantiles(timer.latencies, n=20)[-1] * 1000


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
    if process.stderr is not None:
        errors = (await process.stderr.read()).decode(errors="replace")
        if "Traceback" in errors:
            print(errors[-3000:], file=sys.stderr)


async def wait_polling(server: FakeTelegramServer) -> None:
    await server.wait_for(
        lambda: server.calls("getUpdates"), timeout=60, description="the bot to start polling"
    )


class Phases:
    """The figures of one bot: paced latency, then closed-loop rate, on fresh citizens."""

    def __init__(self, server: BenchServer, label: str) -> None:
        self.server = server
        self.label = label
        self.paced = Timer()
        self.closed = Timer()
        self.rate = 0.0
        self.cpu_per_update = 0.0  # ms of the bot's CPU per update, closed loop

    def citizens(self, timer: Timer, phase: str, count: int) -> list[Citizen]:
        return [Citizen(self.server, f"{self.label} {phase} {n}", timer) for n in range(count)]


async def measure_product(args: argparse.Namespace, database_url: str) -> tuple[Phases, str]:
    async with BenchServer() as server:
        env = {
            "TELEGRAM_BOT_TOKEN": server.token,
            "TELEGRAM_API_URL": server.url,
            "DATABASE_URL": database_url,
            "WEB_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
        }
        product = await spawn(sys.executable, "-m", "bot", "run", env=env)
        figures = Phases(server, "Dân")
        try:
            await wait_polling(server)
            people = figures.citizens(figures.paced, "p", args.citizens)
            await paced(
                lambda n, think: intake(people[n], n, think),
                args.citizens,
                args.arrival,
                args.think,
            )
            calls_before = len(server.requests)
            people = figures.citizens(figures.closed, "c", args.citizens)
            cpu = cpu_seconds(product.pid)
            elapsed = await closed(lambda n, think: intake(people[n], n, think), args.citizens)
            figures.rate = figures.closed.updates / elapsed
            figures.cpu_per_update = (cpu_seconds(product.pid) - cpu) / figures.closed.updates
            made = Counter(r.method for r in server.requests[calls_before:])
        finally:
            await stop(product)
        per_update = ", ".join(
            f"{method} {count / figures.closed.updates:.2f}"
            for method, count in made.most_common()
        )
        if server.validation_errors:
            print(f"validation errors: {server.validation_errors[:3]}", file=sys.stderr)
        return figures, per_update


async def measure_ceiling(args: argparse.Namespace) -> Phases:
    async with BenchServer() as server:
        bot = await spawn(sys.executable, "bench/echo_bot.py", server.url, server.token, env={})
        figures = Phases(server, "Echo")
        try:
            await wait_polling(server)
            people = figures.citizens(figures.paced, "p", args.citizens)
            await paced(
                lambda n, think: echo(people[n], n, STEPS, think),
                args.citizens,
                args.arrival,
                args.think,
            )
            people = figures.citizens(figures.closed, "c", args.citizens)
            cpu = cpu_seconds(bot.pid)
            elapsed = await closed(
                lambda n, think: echo(people[n], n, STEPS, think), args.citizens
            )
            figures.rate = figures.closed.updates / elapsed
            figures.cpu_per_update = (cpu_seconds(bot.pid) - cpu) / figures.closed.updates
        finally:
            await stop(bot)
        return figures


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
    parser.add_argument("--database-url", default=None, help="an empty database")
    parser.add_argument("--arrival", type=float, default=10.0, help="paced: arrivals over (s)")
    parser.add_argument("--think", type=float, default=3.0, help="paced: think up to (s)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="nghedan-bench-"))
    database_url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    product, per_update = await measure_product(args, database_url)
    ceiling = await measure_ceiling(args)
    total, distinct = await count_tickets(database_url)
    expected = 2 * args.citizens
    median = statistics.median(product.paced.latencies) * 1000
    print(
        f"paced ({args.citizens} citizens, think {args.think / 3:.0f}-{args.think:.0f} s): "
        f"median {median:.0f} ms, p95 {p95(product.paced):.0f} ms; "
        f"echo p95 {p95(ceiling.paced):.0f} ms; database {database_url.split(':')[0]}"
    )
    print(
        f"closed loop: {product.rate:.0f} updates/s (p95 {p95(product.closed):.0f} ms), "
        f"echo {ceiling.rate:.0f} updates/s; Bot API calls per update: {per_update}"
    )
    print(
        f"CPU per update (closed loop): bot {product.cpu_per_update * 1000:.2f} ms, "
        f"echo {ceiling.cpu_per_update * 1000:.2f} ms"
    )
    once = total if total == distinct else f"{total} (for {distinct} citizens)"
    print(
        f"intake: {product.rate:.0f} updates/s, p95 {p95(product.paced):.0f} ms, "
        f"ceiling {ceiling.rate:.0f} updates/s, ratio {product.rate / ceiling.rate:.2f}, "
        f"tickets {once}/{expected}"
    )


if __name__ == "__main__":
    asyncio.run(main())
