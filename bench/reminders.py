"""Reminder accuracy: 10,000 reminders all due within the same minute, sent by a real bot
process through the emulator at the allowed rate. Prints how late (or early) they arrived.

Each reminder may go up to REMINDER_LEAD early, as the bot's own meeting reminders may. The bot
is started as long before the minute as sending them all takes at the full rate (plus 10 s to
start): a bot running any earlier would only idle, since it starts as late as it can.

    python -m bench.reminders               # 10,000 reminders, limit scaled to 300/s
    python -m bench.reminders --rate 30     # Telegram's real limit (about 6 minutes)
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from emulator import FakeTelegram, RateLimits
from emulator.runner import BotProcess
from meetings.notices import REMINDER_LEAD
from storage.bulk import add_residents
from storage.engines import database_for
from storage.outbox import Outbox, Outgoing

FIRST_ID = 20_000_000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(count: int, rate: int) -> None:
    server = FakeTelegram(limits=RateLimits(global_per_second=rate, per_chat_per_second=1))
    await server.start()
    workdir = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    database = workdir / "bot.sqlite3"
    db = database_for(database)
    await db.open()
    now = datetime.now(UTC)
    for n in range(count):
        server.add_user(f"R{n}", user_id=FIRST_ID + n)
    ids = await add_residents(db, list(range(FIRST_ID, FIRST_ID + count)), now)
    lead_in = count / rate + 10
    minute = now + timedelta(seconds=lead_in)
    rng = random.Random(3)
    due = {FIRST_ID + n: minute + timedelta(seconds=rng.uniform(0, 60)) for n in range(count)}
    await Outbox(db).create_batch(
        "reminder",
        "bench",
        None,
        now,
        [
            Outgoing(
                chat_id=chat,
                participant_id=pid,
                text="⏰ Reminder: the café meets in two hours.",
                dedupe_key=f"bench-rem:{pid}",
                not_before=due[chat],
                send_from=due[chat] - REMINDER_LEAD,
            )
            for chat, pid in zip(due, ids, strict=True)
        ],
    )
    await db.close()
    bot = BotProcess(server, database, workdir / "bot.log", {"MESSAGES_PER_SECOND": str(rate)})
    await bot.start()
    deadline = asyncio.get_running_loop().time() + lead_in + 70 + count / rate * 2
    while asyncio.get_running_loop().time() < deadline:
        sent = {c.params["chat_id"] for c in server.calls if c.method == "sendMessage" and c.status == 200}
        if len(sent) >= count:
            break
        await asyncio.sleep(0.5)
    await bot.stop()
    await server.stop()
    arrivals = {c.params["chat_id"]: c.at for c in server.calls if c.method == "sendMessage" and c.status == 200}
    lateness = [arrivals[chat] - due[chat].timestamp() for chat in due if chat in arrivals]
    print(f"reminders due in one minute    {count:>10,}")
    print(f"allowed rate                   {rate:>10} msg/s")
    early = REMINDER_LEAD.total_seconds() / 60
    print(f"bot running before the minute  {lead_in:>10.0f} s   (may send up to {early:.0f} min early)")
    print(f"delivered                      {len(arrivals):>10,}")
    print(f"late                           {sum(1 for s in lateness if s > 0):>10,}")
    print(f"lateness p50                   {statistics.median(lateness):>10.1f} s   (negative: early)")
    print(f"lateness p99                   {percentile(lateness, 0.99):>10.1f} s   (goal < 60 s at 30/s)")
    print(f"lateness max                   {max(lateness):>10.1f} s")
    print(f"earliest                       {-min(lateness):>10.1f} s before its time")
    floor = max(0.0, count / rate - 60)
    print(f"p99 if none could go early     {floor * 0.99:>10.1f} s   (the rate limit alone: {count:,} at {rate}/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=300)
    args = parser.parse_args()
    asyncio.run(run(args.reminders, args.rate))


if __name__ == "__main__":
    main()
