"""Update handling: simulated residents drive a real bot process through the emulator, and
the same harness drives a bare python-telegram-bot echo bot for comparison.

    python -m bench.updates                  # 100 and 1,000 residents, database of 100,000
    python -m bench.updates --residents 100  # one size only

Closed loop: each simulated resident joins (8 steps) and then asks for /help and /profile,
waiting for each answer like a person. Open loop: /help (echo: text) at a steady 100 updates
a second. Latency is from the update reaching the server to the bot's first answer.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from emulator import Call, FakeTelegram, RateLimits
from emulator.driver import Person
from emulator.runner import BotProcess
from storage.bulk import add_residents
from storage.db import Database

JOIN = [("text", "/start"), ("tap", "English"), ("tap", "Yes, I agree"), ("text", "Sim"), ("tap", "For myself"),
        ("tap", "Done ✔"), ("tap", "Skip »"), ("tap", "Any time is fine"), ("text", "/help"), ("text", "/profile")]
ECHO = [("text", f"hello {n}") for n in range(10)]
ANSWERS = {"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto", "sendDocument",
           "answerCallbackQuery"}


class Timer:
    """Resolves a future at the bot's first answer to a chat or to a button press."""

    def __init__(self, server: FakeTelegram) -> None:
        self.by_chat: dict[int, asyncio.Future[float]] = {}
        self.by_query: dict[str, asyncio.Future[float]] = {}
        server.listeners.append(self.heard)

    def heard(self, call: Call) -> None:
        if call.method not in ANSWERS:
            return
        future = (self.by_query.pop(str(call.params.get("callback_query_id")), None)
                  if call.method == "answerCallbackQuery" else self.by_chat.pop(call.params.get("chat_id"), None))
        if future is not None and not future.done():
            future.set_result(call.at)


async def act(server: FakeTelegram, timer: Timer, person: Person, kind: str, value: str) -> float:
    loop = asyncio.get_running_loop()
    future: asyncio.Future[float] = loop.create_future()
    if kind == "text":
        timer.by_chat[person.id] = future
        started = time.time()
        server.push_message(person.id, value)
    else:
        for _ in range(500):  # the previous answer's next question may still be on its way
            try:
                message, data = person.find_button(value)
                break
            except AssertionError:
                await asyncio.sleep(0.01)
        started = time.time()
        _update, query = server.push_callback(person.id, message["message_id"], data)
        timer.by_query[query] = future
    return await asyncio.wait_for(future, 30) - started


async def start(mode: str, server: FakeTelegram, workdir: Path, population: int) -> BotProcess:
    database = workdir / "bot.sqlite3"
    if mode == "bot":
        db = Database(database)
        await db.open()
        await add_residents(db, list(range(50_000_000, 50_000_000 + population)), datetime.now(UTC))
        await db.close()
    process = BotProcess(server, database, workdir / f"{mode}.log", {"MESSAGES_PER_SECOND": "1000"},
                         module="bot" if mode == "bot" else "bench.echo_bot")
    await process.start()
    probe = server.add_user("Probe")
    server.push_message(probe.id, "/help")
    while not server.bot_messages(probe.id):
        await asyncio.sleep(0.05)
    return process


def summary(label: str, latencies: list[float], seconds: float) -> dict[str, float]:
    ordered = sorted(latencies)
    figures = {"updates_per_s": len(latencies) / seconds, "p50": statistics.median(ordered) * 1000,
               "p95": ordered[int(0.95 * len(ordered))] * 1000, "p99": ordered[int(0.99 * len(ordered))] * 1000}
    print(f"  {label:<34} {figures['updates_per_s']:>8.1f} updates/s   p50 {figures['p50']:>6.1f} ms   "
          f"p95 {figures['p95']:>6.1f} ms   p99 {figures['p99']:>6.1f} ms")
    return figures


async def closed_loop(mode: str, residents: int, population: int, latency: float = 0.0) -> dict[str, float]:
    server = FakeTelegram(limits=RateLimits.unlimited())
    server.latency = latency
    await server.start()
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-updates-{mode}-"))
    process = await start(mode, server, workdir, population)
    timer = Timer(server)
    people = [Person(server, _no_settle, server.add_user(f"Sim{n}")) for n in range(residents)]
    latencies: list[float] = []

    async def resident(person: Person) -> None:
        for kind, value in (JOIN if mode == "bot" else ECHO):
            latencies.append(await act(server, timer, person, kind, value))

    began = time.perf_counter()
    await asyncio.gather(*(resident(p) for p in people))
    elapsed = time.perf_counter() - began
    await process.stop()
    await server.stop()
    where = f", {latency * 1000:.0f} ms network" if latency else ""
    return summary(f"{mode}, {residents} residents at once{where}", latencies, elapsed)


async def open_loop(mode: str, rate: int, seconds: int, population: int) -> dict[str, float]:
    server = FakeTelegram(limits=RateLimits.unlimited())
    await server.start()
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-open-{mode}-"))
    process = await start(mode, server, workdir, population)
    timer = Timer(server)
    people = [Person(server, _no_settle, server.add_user(f"Open{n}", user_id=50_000_000 + n)) for n in range(rate)]
    latencies: list[float] = []
    tasks = []
    began = time.perf_counter()
    for tick in range(rate * seconds):
        person = people[tick % len(people)]
        tasks.append(asyncio.create_task(act(server, timer, person, "text", "/help" if mode == "bot" else "hi")))
        await asyncio.sleep(max(0.0, began + (tick + 1) / rate - time.perf_counter()))
    latencies = list(await asyncio.gather(*tasks))
    elapsed = time.perf_counter() - began
    await process.stop()
    await server.stop()
    return summary(f"{mode}, steady {rate} updates/s", latencies, elapsed)


async def _no_settle(update_id: int) -> None:
    """The load generator times answers itself; it never waits for the whole update."""


async def run(sizes: list[int], population: int, latency: float) -> None:
    print(f"Database: {population:,} residents (bot only). Machine: see README.")
    for size in sizes:
        for delay in sorted({0.0, latency}) if size == min(sizes) else [0.0]:
            ours = await closed_loop("bot", size, population, delay)
            echo = await closed_loop("echo", size, population, delay)
            print(f"  ratio ours/echo (throughput)        {ours['updates_per_s'] / echo['updates_per_s']:>8.2f}   "
                  "(goal >= 0.5)")
    await open_loop("bot", 100, 20, population)
    await open_loop("echo", 100, 20, population)
    print("  (goal: bot p99 < 50 ms at 100 updates/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, action="append")
    parser.add_argument("--population", type=int, default=100_000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds of network delay per API call")
    args = parser.parse_args()
    asyncio.run(run(args.residents or [100, 1000], args.population, args.latency))


if __name__ == "__main__":
    main()
