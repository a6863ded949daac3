"""Update handling: simulated residents drive a real bot process through the emulator, and
the same harness drives a bare python-telegram-bot echo bot for comparison.

    python -m bench.updates                  # 100 and 1,000 residents, database of 100,000
    python -m bench.updates --residents 100  # one size only
    python -m bench.updates --residents 100 --database-url postgresql://postgres@127.0.0.1:54329/postgres
    python -m bench.updates --residents 100 --chat-interval 0   # the bot's per-chat pacing off

Closed loop, like people: each simulated resident joins (8 steps), joins a group from its
link, sends an expense claim (9 steps), then, once an organiser has sent a meeting-time poll to
the group, answers it (3 steps), each waiting for the bot's answer before the next. The echo
bot gets the same number of text messages. Open loop: /help (echo: text) at a steady 100
updates a second. Latency is from the update reaching the server to the bot's first answer;
throughput counts residents' updates over the two phases (the organiser's setup between them
is not counted). The simulated residents answer the instant an answer arrives, faster than
Telegram's one message or edit a second per chat, which the bot keeps and the echo bot does
not; `--chat-interval 0` takes that pacing off the bot to compare the work per update alone.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import target
from bench.rush import no_settle
from emulator import Call, FakeTelegram, RateLimits
from emulator.driver import Person
from emulator.runner import BotProcess
from storage.bulk import add_residents
from storage.engines import database_for

chat_interval = 1.0  # seconds; --chat-interval
JOIN = [
    ("text", "/start"),
    ("tap", "English"),
    ("tap", "Yes, I agree"),
    ("text", "Sim"),
    ("tap", "For myself"),
    ("tap", "Done ✔"),
    ("tap", "Skip »"),
    ("tap", "Any time is fine"),
]
CLAIM = [
    ("text", "/claim"),
    ("tap", "Something else I did for the council"),
    ("text", "Ran the stall"),
    ("tap", "Food and drink"),
    ("text", "3.20"),
    ("tap", "✅ Review and send"),
    ("tap", "Skip »"),
    ("tap", "Vouchers"),
    ("tap", "📨 Send my claim"),
]
VOTE = [("tap", "1 ✅"), ("tap", "2 ✅"), ("tap", "📨 Send my answers")]
ORGANISER_ID = 49_999_999
ECHO_AIOHTTP = "echo with aiohttp"
ANSWERS = {
    "sendMessage",
    "editMessageText",
    "editMessageReplyMarkup",
    "sendPhoto",
    "sendDocument",
    "answerCallbackQuery",
}


class Timer:
    """Resolves a future at the bot's first answer to a chat or to a button press, and wakes
    a simulated person when the bot writes to their chat (so nobody polls, which would cost
    the shared cores more as the crowd grows)."""

    def __init__(self, server: FakeTelegram) -> None:
        self.by_chat: dict[int, asyncio.Future[float]] = {}
        self.by_query: dict[str, asyncio.Future[float]] = {}
        self.watching: dict[int, asyncio.Event] = {}
        server.listeners.append(self.heard)

    async def next_write(self, chat_id: int, timeout: float = 1.0) -> None:
        event = self.watching.setdefault(chat_id, asyncio.Event())
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass
        finally:
            self.watching.pop(chat_id, None)

    def heard(self, call: Call) -> None:
        if call.method not in ANSWERS:
            return
        if (event := self.watching.get(call.params.get("chat_id"))) is not None:
            event.set()
        future = (
            self.by_query.pop(str(call.params.get("callback_query_id")), None)
            if call.method == "answerCallbackQuery"
            else self.by_chat.pop(call.params.get("chat_id"), None)
        )
        if future is not None and not future.done():
            future.set_result(call.at)


def _button(person: Person, label: str) -> tuple[dict[str, Any], str] | None:
    """The newest button labelled `label`, or containing it (marks such as "● " or emoji come
    and go), if one is on screen; but never a longer answer that starts with it ("Yes" is not
    "Yes, fully")."""
    for message in reversed(person.messages):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                text = button["text"]
                if label in text and not text.startswith(label + ",") and "callback_data" in button:
                    return message, button["callback_data"]
    return None


async def act(server: FakeTelegram, timer: Timer, person: Person, kind: str, value: str) -> float:
    loop = asyncio.get_running_loop()
    future: asyncio.Future[float] = loop.create_future()
    if kind == "text":
        timer.by_chat[person.id] = future
        started = time.time()
        server.push_message(person.id, value)
    else:
        deadline = time.monotonic() + 120
        while True:  # the previous answer's next question may still be on its way
            # Exactly this label: a question edited in place keeps its message, so "Yes" must not
            # match the "Yes, fully" still on screen before the edit arrives.
            found = _button(person, value)
            if found is not None:
                message, data = found
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"No button {value!r}; buttons now: {person.buttons()}")
            await timer.next_write(person.id)
        started = time.time()
        _update, query = server.push_callback(person.id, message["message_id"], data)
        timer.by_query[query] = future
    return await asyncio.wait_for(future, 120) - started


async def start(mode: str, server: FakeTelegram, workdir: Path, population: int) -> BotProcess:
    database = await target.database_in(workdir) if mode == "bot" else workdir / "bot.sqlite3"
    if mode == "bot":
        db = database_for(database)
        await db.open()
        await add_residents(db, list(range(50_000_000, 50_000_000 + population)), datetime.now(UTC))
        await db.close()
    process = BotProcess(
        server,
        database,
        workdir / f"{mode}.log",
        {
            "MESSAGES_PER_SECOND": "1000",
            "ADMIN_IDS": str(ORGANISER_ID),
            "FLOOD_LIMIT": "1000",
            "CHAT_INTERVAL_SECONDS": f"{chat_interval:g}",
            "ECHO_HTTP": "aiohttp" if mode == ECHO_AIOHTTP else "httpx",
        },
        module="bot" if mode == "bot" else "bench.echo_bot",
    )
    await process.start()
    return process


@contextlib.asynccontextmanager
async def running(mode: str, population: int, prefix: str, latency: float = 0.0) -> AsyncIterator[BotProcess]:
    """The bot (or an echo bot) against a fake Telegram, answering; both are stopped however the
    run ends, so a run that fails leaves no bot process behind."""
    server = FakeTelegram(limits=RateLimits.unlimited())
    server.latency = latency
    await server.start()
    process: BotProcess | None = None
    try:
        process = await start(mode, server, Path(tempfile.mkdtemp(prefix=f"{prefix}-{mode}-")), population)
        probe = server.add_user("Probe")
        server.push_message(probe.id, "/help")
        deadline = time.monotonic() + 60
        while not server.bot_messages(probe.id):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the {mode} did not answer within 60 s: see {process.log_path}")
            await asyncio.sleep(0.05)
        yield process
    finally:
        if process is not None:
            await process.stop()
        await server.stop()


def summary(label: str, latencies: list[float], seconds: float) -> dict[str, float]:
    ordered = sorted(latencies)
    figures = {
        "updates_per_s": len(latencies) / seconds,
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[int(0.95 * len(ordered))] * 1000,
        "p99": ordered[int(0.99 * len(ordered))] * 1000,
    }
    print(
        f"  {label:<34} {figures['updates_per_s']:>8.1f} updates/s   p50 {figures['p50']:>6.1f} ms   "
        f"p95 {figures['p95']:>6.1f} ms   p99 {figures['p99']:>6.1f} ms"
    )
    return figures


async def closed_loop(mode: str, residents: int, population: int, latency: float = 0.0) -> dict[str, float]:
    async with running(mode, population, "bench-updates", latency) as process:
        server = process.server
        timer = Timer(server)
        people = [Person(server, no_settle, server.add_user(f"Sim{n}")) for n in range(residents)]
        latencies: list[float] = []
        organiser = Person(server, no_settle, server.add_user("Organiser", user_id=ORGANISER_ID))
        join_link = await _group(server, timer, organiser) if mode == "bot" else "hello"
        echo = [("text", f"hello {n}") for n in range(len(JOIN) + 1 + len(CLAIM))]

        async def resident(person: Person, steps: list[tuple[str, str]]) -> None:
            for kind, value in steps:
                latencies.append(await act(server, timer, person, kind, value))

        first = [*JOIN, ("text", join_link), *CLAIM] if mode == "bot" else echo
        began = time.perf_counter()
        await asyncio.gather(*(resident(p, first) for p in people))
        elapsed = time.perf_counter() - began
        if mode == "bot":
            await _poll(server, timer, organiser, people)
        began = time.perf_counter()
        await asyncio.gather(*(resident(p, VOTE if mode == "bot" else echo[: len(VOTE)]) for p in people))
        elapsed += time.perf_counter() - began
    where = f", {latency * 1000:.0f} ms network" if latency else ""
    figures = summary(f"{mode}, {residents} residents at once{where}", latencies, elapsed)
    if mode == "bot":
        await _check_outcomes(process.database, residents)
    return figures


async def _check_outcomes(database: str | Path, residents: int) -> None:
    """Figures only count if the work was really done: every claim saved, every poll answered."""
    db = database_for(database)
    await db.open()
    claims = await db.fetchval("SELECT COUNT(*) FROM claims")
    answered = await db.fetchval("SELECT COUNT(*) FROM meeting_invitees WHERE answered_at IS NOT NULL")
    await db.close()
    print(f"  {'':<34} claims saved {claims}/{residents}, polls answered {answered}/{residents}")


async def _group(server: FakeTelegram, timer: Timer, organiser: Person) -> str:
    """The organiser joins and creates a group; returns the /start command of its join link."""
    for kind, value in [
        *JOIN,
        ("text", "/newproject"),
        ("text", "Bench group"),
        ("text", "For the benchmark."),
        *(("tap", answer) for answer in ("Yes, fully", "Yes", "Some of it", "Yes")),
        ("tap", "Co-design"),
    ]:
        await act(server, timer, organiser, kind, value)
    while not (poster := next((m for m in organiser.messages if "start=" in (m.get("caption") or "")), None)):
        await asyncio.sleep(0.01)
    return "/start " + poster["caption"].split("start=")[1].split()[0]


async def _poll(server: FakeTelegram, timer: Timer, organiser: Person, people: list[Person]) -> None:
    """The organiser sends a two-time poll to the group; returns once everyone has it."""
    soon = datetime.now(UTC) + timedelta(days=10)
    slots = f"{soon:%d/%m} 18:30\n{soon + timedelta(days=2):%d/%m} 10:00"
    for kind, value in [
        ("text", "/meeting"),
        ("text", "Bench meeting"),
        ("text", "Plan things."),
        ("tap", "Co-design"),
        ("tap", "In person"),
        ("text", "The library"),
        ("tap", "Done ✔"),
        ("tap", "1 hour"),
        ("text", slots),
        ("tap", "Done ✔"),
        ("tap", "In 2 days"),
        ("tap", "Members of"),
        ("tap", "Done ✔"),
        ("tap", "Only me"),
        ("tap", "Send the poll"),
    ]:
        await act(server, timer, organiser, kind, value)
    while not all(
        any(
            "1 ✅" in b["text"]
            for m in p.messages
            for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row
        )
        for p in people
    ):
        await asyncio.sleep(0.05)


async def open_loop(mode: str, rate: int, seconds: int, population: int) -> dict[str, float]:
    async with running(mode, population, "bench-open") as process:
        server = process.server
        timer = Timer(server)
        people = [Person(server, no_settle, server.add_user(f"Open{n}", user_id=50_000_000 + n)) for n in range(rate)]
        tasks = []
        began = time.perf_counter()
        for tick in range(rate * seconds):
            person = people[tick % len(people)]
            tasks.append(asyncio.create_task(act(server, timer, person, "text", "/help" if mode == "bot" else "hi")))
            await asyncio.sleep(max(0.0, began + (tick + 1) / rate - time.perf_counter()))
        latencies = list(await asyncio.gather(*tasks))
        elapsed = time.perf_counter() - began
    return summary(f"{mode}, steady {rate} updates/s", latencies, elapsed)


async def run(sizes: list[int], population: int, latency: float) -> None:
    engine = "PostgreSQL" if target.server_url else "SQLite"
    print(f"Database: {population:,} residents (bot only), {engine}. Machine: see README.")
    for size in sizes:
        for delay in sorted({0.0, latency}) if size == min(sizes) else [0.0]:
            ours = await closed_loop("bot", size, population, delay)
            echo = await closed_loop("echo", size, population, delay)
            print(
                f"  ratio ours/echo (throughput)        {ours['updates_per_s'] / echo['updates_per_s']:>8.2f}   "
                "(goal >= 0.5)"
            )
            if not delay:
                fair = await closed_loop(ECHO_AIOHTTP, size, population)
                print(f"  ratio ours/echo with aiohttp        {ours['updates_per_s'] / fair['updates_per_s']:>8.2f}")
    await open_loop("bot", 100, 20, population)
    await open_loop("echo", 100, 20, population)
    print("  (goal: bot p99 < 50 ms at 100 updates/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, action="append")
    parser.add_argument("--population", type=int, default=100_000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds of network delay per API call")
    parser.add_argument(
        "--chat-interval",
        type=float,
        default=1.0,
        help="the bot's seconds between messages to one chat after a burst (0: no pacing)",
    )
    target.add_option(parser)
    args = parser.parse_args()
    target.use(args.database_url)
    global chat_interval
    chat_interval = args.chat_interval
    asyncio.run(run(args.residents or [100, 1000], args.population, args.latency))


if __name__ == "__main__":
    main()
