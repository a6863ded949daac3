"""Broadcast benchmark: a real bot process sends one message to each of N residents through
the local emulator, which enforces Telegram's flood limits (optionally scaled up).

    python -m bench.broadcast                 # 10,000 residents, limit scaled to 300/s
    python -m bench.broadcast --rate 30       # Telegram's real limit (takes ~6 minutes)
    python -m bench.broadcast --database-url postgresql://postgres@127.0.0.1:54329/postgres

Prints the achieved rate as a fraction of the allowed rate, duplicates, losses, 429s and the
bot's peak memory, for a clean run and for a run killed (SIGKILL) half-way and restarted.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections import Counter
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

from bench import target
from emulator import FakeTelegram, RateLimits
from emulator.runner import BotProcess
from storage.engines import database_for
from storage.outbox import Outbox, Outgoing
from storage.participants import Participants


async def seed(server: FakeTelegram, path: str | Path, residents: int) -> list[int]:
    db = database_for(path)
    await db.open()
    people = Participants(db)
    now = datetime.now(UTC)
    chats, rows = [], []
    for index in range(residents):
        user = server.add_user(f"Resident{index}")
        participant = await people.create_with_consent(user.id, "en", "2026-11", now)
        await people.mark_registered(participant.id, now)
        rows.append(
            Outgoing(
                chat_id=user.id,
                participant_id=participant.id,
                text=f"Opportunity for you, #{index}",
                dedupe_key=f"bench:{user.id}",
                not_before=now,
            )
        )
        chats.append(user.id)
    await Outbox(db).create_batch("bench", "1", None, now, rows)
    await db.close()
    return chats


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def run(residents: int, rate: int, kill_at: float | None) -> dict[str, float]:
    server = FakeTelegram(limits=RateLimits(global_per_second=rate, per_chat_per_second=1))
    await server.start()
    workdir = Path(tempfile.mkdtemp(prefix="bench-broadcast-"))
    database = await target.database_in(workdir)
    chats = await seed(server, database, residents)
    wanted = set(chats)

    def sends() -> list:
        return [c for c in server.calls if c.method == "sendMessage" and c.params.get("chat_id") in wanted]

    bot = BotProcess(server, database, workdir / "bot.log", {"MESSAGES_PER_SECOND": str(rate)})
    peak = 0.0
    downtime = 0.0
    await bot.start()
    killed = kill_at is None
    while True:
        delivered = {c.params["chat_id"] for c in sends() if c.status == 200}
        assert bot.process is not None
        if bot.process.returncode is None:
            peak = max(peak, peak_rss_mb(bot.process.pid))
        if not killed and len(delivered) >= residents * kill_at:
            await bot.kill()
            await bot.start()
            killed = True
        if len(delivered) >= residents:
            break
        await asyncio.sleep(0.25)
    await asyncio.sleep(0.5)
    await bot.stop()
    await server.stop()

    ok = [c for c in sends() if c.status == 200]
    counts = Counter(c.params["chat_id"] for c in ok)
    # A sliding one-second window lets the first second go at once; measure after it, and
    # leave out the time the process was down (it sends nothing then by definition).
    steady = [c for c in ok if c.at >= ok[0].at + 1.0]
    if kill_at is not None:  # from the last send before the kill to the first after the restart
        downtime = max(later.at - earlier.at for earlier, later in pairwise(steady))
    span = steady[-1].at - steady[0].at - downtime
    achieved = (len(steady) - 1) / span
    return {
        "residents": residents,
        "allowed_rate": rate,
        "achieved_rate": achieved,
        "ratio": achieved / rate,
        "duplicates": sum(n - 1 for n in counts.values()),
        "lost": len(wanted - set(counts)),
        "http_429": sum(1 for c in server.calls if c.status == 429),
        "peak_rss_mb": peak,
        "restart_seconds": downtime,
        "seconds": ok[-1].at - ok[0].at,
    }


def show(title: str, figures: dict[str, float]) -> None:
    print(f"\n{title}")
    print(f"  residents          {figures['residents']:>10,}")
    print(f"  allowed rate       {figures['allowed_rate']:>10.1f} msg/s")
    print(f"  achieved rate      {figures['achieved_rate']:>10.1f} msg/s  (ratio {figures['ratio']:.3f}, goal >= 0.95)")
    print(f"  duplicates         {figures['duplicates']:>10}  (goal 0)")
    print(f"  lost               {figures['lost']:>10}  (goal 0)")
    print(f"  429s received      {figures['http_429']:>10}")
    print(f"  bot peak RSS       {figures['peak_rss_mb']:>10.1f} MB")
    print(f"  kill to resumed    {figures['restart_seconds']:>10.1f} s")
    print(f"  wall time          {figures['seconds']:>10.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=300, help="allowed messages per second (Telegram: 30)")
    target.add_option(parser)
    args = parser.parse_args()
    target.use(args.database_url)
    show("Clean run", asyncio.run(run(args.residents, args.rate, None)))
    show("Killed (SIGKILL) at 50% and restarted", asyncio.run(run(args.residents, args.rate, 0.5)))


if __name__ == "__main__":
    main()
