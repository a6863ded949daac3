"""Scale of state: a real bot process over a database of 100,000 residents and 100,000
pending reminders. Prints its memory, the time from process start to serving, and the
database size per 1,000 residents.

    python -m bench.state [--residents 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.broadcast import peak_rss_mb
from emulator import FakeTelegram, RateLimits
from emulator.runner import BotProcess
from storage.bulk import add_residents
from storage.engines import database_for
from storage.outbox import Outbox, Outgoing

FIRST_ID = 10_000_000


async def seed(path: Path, residents: int) -> float:
    started = time.perf_counter()
    db = database_for(path)
    await db.open()
    now = datetime.now(UTC)
    ids = await add_residents(db, list(range(FIRST_ID, FIRST_ID + residents)), now)
    later = now + timedelta(days=30)
    reminders = [
        Outgoing(
            chat_id=FIRST_ID + n,
            participant_id=pid,
            text="⏰ Reminder: the café meets tomorrow.",
            dedupe_key=f"bench-rem:{pid}",
            not_before=later,
            expires_at=later + timedelta(days=1),
        )
        for n, pid in enumerate(ids)
    ]
    await Outbox(db).create_batch("reminder", "bench", None, now, reminders)
    await db.close()
    return time.perf_counter() - started


async def run(residents: int) -> None:
    server = FakeTelegram(limits=RateLimits.unlimited())
    await server.start()
    workdir = Path(tempfile.mkdtemp(prefix="bench-state-"))
    database = workdir / "bot.sqlite3"
    seconds = await seed(database, residents)
    size_mb = sum(p.stat().st_size for p in workdir.glob("bot.sqlite3*")) / 1e6
    bot = BotProcess(server, database, workdir / "bot.log")
    newcomer = server.add_user("Newcomer")
    started = time.perf_counter()
    await bot.start()
    server.push_message(newcomer.id, "/start")  # waiting for the bot, as a person would
    while not server.bot_messages(newcomer.id):
        await asyncio.sleep(0.01)
    serving = time.perf_counter() - started
    await asyncio.sleep(3)  # let it settle: the sender's first pass, the scheduler's first tick
    assert bot.process is not None
    rss = peak_rss_mb(bot.process.pid)
    await bot.stop()
    await server.stop()
    print(f"residents                      {residents:>10,}")
    print(f"pending reminders              {residents:>10,}")
    print(f"seeding took                   {seconds:>10.1f} s")
    print(f"process start to first reply   {serving:>10.2f} s   (goal < 3 s)")
    print(f"bot peak RSS                   {rss:>10.1f} MB  (goal < 200 MB)")
    print(f"database size                  {size_mb:>10.1f} MB")
    print(f"per 1,000 residents            {size_mb / residents * 1000:>10.2f} MB (with one reminder each)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=100_000)
    asyncio.run(run(parser.parse_args().residents))


if __name__ == "__main__":
    main()
