"""The core's cost per update, in process and without any chat framework or HTTP.

Drives handlers/dispatcher.py `Dispatcher.handle` through the phản ánh intake (the same eight
steps as bench/intake.py), first one citizen at a time, then many at once, and counts the SQL
statements each update runs. Use it to see what a change to the core or storage costs before
running the whole bench/intake.py.

    .venv/bin/python bench/core.py [--database-url URL] [--citizens 40] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from bot.app import build_core, build_deps  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.domain.messages import Reply  # noqa: E402
from handlers.events import IncomingEvent, Sender  # noqa: E402
from storage.engine import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

DESCRIPTION = "Đường Lê Duẩn có ổ gà lớn trước số {n}, xe máy rất dễ ngã vào ban đêm."


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="an empty database")
    parser.add_argument("--citizens", type=int, default=40)
    parser.add_argument("--profile", action="store_true", help="pyinstrument the sequential run")
    args = parser.parse_args()
    url = args.database_url or f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/core.db"
    await upgrade(url)
    engine = make_engine(url)
    statements: Counter[str] = Counter()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements[statement.split()[0].upper()] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    core = build_core(build_deps(load_config(str(ROOT / "config/example.yaml")), engine))
    # Fresh ids on every run, so a reused database neither skips updates nor rate-limits.
    base = time.time_ns() // 1000 % 10**12
    update_ids = iter(range(base, base + 10**9))

    async def step(chat: str, **kw: Any) -> Reply:
        event = IncomingEvent(
            channel="telegram",
            chat_id=chat,
            sender=Sender(id=chat),
            update_id=str(next(update_ids)),
            **kw,
        )
        return await core.handle(event)

    def data(reply: Reply, part: str) -> str:
        return next(
            c.data for m in reply.messages for row in m.choices for c in row if part in c.label
        )

    async def citizen(n: int) -> None:
        chat = str(base + n)
        r = await step(chat, text="/start")
        r = await step(chat, choice=data(r, "phản ánh"))
        r = await step(chat, choice=data(r, "Hạ tầng"))
        r = await step(chat, choice=data(r, "Hải Châu"))
        r = await step(chat, text=DESCRIPTION.format(n=n))
        r = await step(chat, choice=data(r, "bỏ qua"))
        r = await step(chat, choice=data(r, "ẩn danh"))
        r = await step(chat, choice=data(r, "Gửi"))
        assert "PA" in r.messages[0].text, r.messages[0].text

    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(async_mode="enabled")
        profiler.start()
    started, cpu = time.perf_counter(), time.process_time()
    for n in range(args.citizens):
        await citizen(n)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler is not None:
        profiler.stop()
        profiler.print(show_all=False)
    updates = 8 * args.citizens
    per_update = ", ".join(f"{k} {v / updates:.2f}" for k, v in statements.most_common())
    print(f"statements per update: {per_update}")
    # CPU time too: the machine is shared, and wall time moves with everyone else's load.
    print(
        f"sequential: {updates / elapsed:.0f} updates/s, {elapsed / updates * 1000:.2f} ms "
        f"and {cpu / updates * 1000:.2f} ms CPU per update"
    )
    started = time.perf_counter()
    await asyncio.gather(*(citizen(n) for n in range(10_000, 10_000 + args.citizens)))
    elapsed = time.perf_counter() - started
    print(f"concurrent {args.citizens}: {updates / elapsed:.0f} updates/s")
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
