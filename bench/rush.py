"""Rush hour: people join at once from a poster's group link while a broadcast goes out, under
Telegram's limits (30 new messages a second overall, one message or edit a second per private
chat after a burst of three, 20 a minute per group), against a real bot process.

    python -m bench.rush                          # 200 people joining, a broadcast to 2,000
    python -m bench.rush --people 120 --broadcast 500
    python -m bench.rush --webhook                # updates posted to the bot instead of polled
    python -m bench.rush --edits-per-second 30    # edits capped overall too, and the bot told so

Each simulated person sends the link's /start, then answers every step of joining as soon as
the bot's answer is on screen and their chat would take another message. Prints: how long taps
waited for their answer (the spinner), how long each step waited for the next screen, taps
answered after Telegram's 10 seconds, 429s, joins completed, and the broadcast's rate as a share
of what people's new messages left of the 30 a second while they were joining, over the rush's
whole seconds, averaged over where those seconds start (edits are not part of that budget: see
emulator/limits.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from domain.deeplinks import LinkKind, make_payload
from domain.participation import Level
from emulator import Call, FakeTelegram, RateLimits
from emulator.driver import Person
from emulator.runner import BotProcess
from storage.bulk import add_residents
from storage.engines import database_for
from storage.outbox import Outbox, Outgoing
from storage.projects import Projects

JOIN_CODE = "rushhour"
STEPS = [
    ("tap", "English"),
    ("tap", "Yes, I agree"),
    ("text", "Sim"),
    ("tap", "For myself"),
    ("tap", "Done ✔"),
    ("tap", "Skip »"),
    ("tap", "Any time is fine"),
]
SCREENS = ("sendMessage", "editMessageText", "sendPhoto", "sendDocument")
COUNTED = ("send",)  # what the emulator counts against the overall limit of new messages
BROADCAST_FROM = 60_000_000
WEBHOOK_URL = "https://bot.example.gov.uk/telegram"


class Watch:
    """Times every step: the answer to a tap, and the first new screen in the person's chat."""

    def __init__(self, server: FakeTelegram) -> None:
        self.acks: dict[str, asyncio.Future[float]] = {}
        self.screens: dict[int, asyncio.Future[float]] = {}
        self.woken: dict[int, asyncio.Event] = {}
        server.listeners.append(self.heard)

    def heard(self, call: Call) -> None:
        if call.status != 200:
            return
        if call.method == "answerCallbackQuery":
            future = self.acks.pop(str(call.params.get("callback_query_id")), None)
        elif call.method in SCREENS:
            chat = call.params.get("chat_id")
            if (event := self.woken.get(chat)) is not None:
                event.set()
            future = self.screens.pop(chat, None)
        else:
            return
        if future is not None and not future.done():
            future.set_result(call.at)

    async def until_written(self, chat_id: int) -> None:
        event = self.woken.setdefault(chat_id, asyncio.Event())
        try:
            await asyncio.wait_for(event.wait(), 1.0)
        except TimeoutError:
            pass
        finally:
            self.woken.pop(chat_id, None)


async def seed(server: FakeTelegram, path: Path, recipients: int) -> set[int]:
    """A group with a join link, and a broadcast to `recipients` registered residents, queued."""
    db = database_for(path)
    await db.open()
    now = datetime.now(UTC)
    ids = [BROADCAST_FROM + n for n in range(recipients)]
    for telegram_id in ids:
        server.add_user(f"Reader{telegram_id}", user_id=telegram_id)
    participants = await add_residents(db, ids, now)
    await Projects(db).create(
        name="Library café",
        description="Plan the café together.",
        level=Level.CO_DESIGN,
        lead_coordinator_id=None,
        lead_officer_id=None,
        join_code=JOIN_CODE,
        now=now,
    )
    await Outbox(db).create_batch(
        "bench",
        "rush",
        None,
        now,
        [
            Outgoing(
                chat_id=telegram_id,
                participant_id=pid,
                text="A new opportunity for you to shape the library.",
                dedupe_key=f"rush:{telegram_id}",
                not_before=now,
            )
            for telegram_id, pid in zip(ids, participants, strict=True)
        ],
    )
    await db.close()
    return set(ids)


async def join(
    server: FakeTelegram,
    watch: Watch,
    person: Person,
    acks: list[float],
    screens: list[float],
    by_step: dict[str, list[float]] | None = None,
    *,
    again_after: float | None = None,
    again: list[int] | None = None,
) -> None:
    """One person joining, as fast as their chat allows. With `again_after`, a step whose next
    screen has not come in that many seconds is tried again, as a person taps the newest such
    button again when one did nothing (the instance that took it died); each retry's person
    goes in `again`."""
    loop = asyncio.get_running_loop()
    for kind, value in [("text", f"/start {make_payload(LinkKind.PROJECT, JOIN_CODE)}"), *STEPS]:
        while (wait := server.chat_wait(person.id)) > 0:  # no faster than their chat allows
            await asyncio.sleep(wait)
        screen: asyncio.Future[float] = loop.create_future()
        if kind == "text":
            watch.screens[person.id] = screen
            started = time.time()
            server.push_message(person.id, value)
        else:
            while True:
                try:
                    message, data = person.find_button(value)
                    break
                except AssertionError:
                    await watch.until_written(person.id)
            ack: asyncio.Future[float] = loop.create_future()
            watch.screens[person.id] = screen
            started = time.time()
            _update, query = server.push_callback(person.id, message["message_id"], data)
            watch.acks[query] = ack
            acks.append(await asyncio.wait_for(ack, 120) - started)
        if again_after is not None:
            try:
                await asyncio.wait_for(asyncio.shield(screen), again_after)
            except TimeoutError:
                (again if again is not None else []).append(person.id)
                if kind == "text":
                    server.push_message(person.id, value)
                else:  # the newest button with that label, as a person would tap (if none, the same)
                    with contextlib.suppress(AssertionError):
                        message, data = person.find_button(value)
                    server.push_callback(person.id, message["message_id"], data)
        try:
            screens.append(await asyncio.wait_for(screen, 120) - started)
        except TimeoutError as exc:  # say who and where, so a failure can be followed in the bots' logs
            raise TimeoutError(f"person {person.id} saw no new screen for 120 s after {value!r}") from exc
        if by_step is not None:
            by_step.setdefault(value.split(" ")[0], []).append(screens[-1])


def broadcast_and_left(sends: list[Call], readers: set[int], start: float, seconds: int) -> tuple[int, int]:
    """Of the new messages sent in `seconds` whole seconds from `start`: how many went to the
    broadcast's readers, and how many of the 30 a second people's replies left."""
    counted = [c for c in sends if start <= c.at < start + seconds]
    broadcast = sum(1 for c in counted if c.params.get("chat_id") in readers)
    return broadcast, 30 * seconds - (len(counted) - broadcast)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(people: int, recipients: int, webhook: bool = False, edits: float | None = None) -> None:
    limits = RateLimits(
        global_per_second=30, edits_per_second=edits, per_chat_per_second=1, per_chat_burst=3, group_per_minute=20
    )
    server = FakeTelegram(limits=limits)
    await server.start()
    workdir = Path(tempfile.mkdtemp(prefix="bench-rush-"))
    readers = await seed(server, workdir / "bot.sqlite3", recipients)
    joiners = [Person(server, no_settle, server.add_user(f"Joiner{n}")) for n in range(people)]
    watch = Watch(server)
    bot = BotProcess(
        server, workdir / "bot.sqlite3", workdir / "bot.log", {"EDITS_PER_SECOND": f"{edits:g}"} if edits else None
    )
    if webhook:
        server.route_webhook(WEBHOOK_URL, [bot.use_webhook(WEBHOOK_URL, "bench-secret")])
    await bot.start()
    while not any(c.method == "sendMessage" and c.status == 200 for c in server.calls):
        await asyncio.sleep(0.05)  # the bot is up once the broadcast starts
    await asyncio.sleep(2.0)  # and has settled into its pace
    acks: list[float] = []
    screens: list[float] = []
    by_step: dict[str, list[float]] = {}
    began = time.time()
    await asyncio.gather(*(join(server, watch, p, acks, screens, by_step) for p in joiners))
    ended = time.time()
    await bot.stop()
    await server.stop()

    db = database_for(workdir / "bot.sqlite3")
    await db.open()
    joined = await db.fetchval(
        "SELECT COUNT(*) FROM participants WHERE registered_at IS NOT NULL AND telegram_id < ?", (BROADCAST_FROM,)
    )
    await db.close()
    during = [c for c in server.calls if began <= c.at <= ended and c.status == 200]
    window = [c for c in during if c.method.startswith(COUNTED)]

    def to_readers(calls: list[Call]) -> int:
        return sum(1 for c in calls if c.params.get("chat_id") in readers)

    broadcast = to_readers(window)
    replies = len(window) - broadcast
    edited = sum(1 for c in during if c.method.startswith("edit"))
    # The share is taken over whole seconds from the start of the rush. Sends paced to 30 in any
    # one second repeat each second (a slot comes free one second after it was used), so the 30
    # replies that answer the /starts at once come back as a cluster every second; a window that
    # ends part-way through a second would count such a cluster or miss it by chance, which moved
    # the share by up to 0.15 between runs that sent the same.
    shared, left = broadcast_and_left(window, readers, began, int(ended - began))
    # Where the whole seconds start still matters: a cluster of sends that drifts a few
    # milliseconds a second (each place is reused a second after its answer came back) crosses
    # the window's end in some runs and not in others, which moved the share between 0.925 and
    # 1.000 for the same code. So it is also taken with the whole seconds starting at every
    # hundredth of the rush's first second, one second fewer so each window lies in the rush,
    # and the mean of those is the figure the goal is judged by.
    phases = [
        broadcast_and_left(window, readers, began + offset / 100, int(ended - began) - 1) for offset in range(100)
    ]
    shares = [part / room if room > 0 else 0.0 for part, room in phases]
    print(
        f"{people} people joining at once, a broadcast to {recipients:,}, Telegram's limits (2-core machine), "
        f"{'webhook' if webhook else 'long polling'}, "
        f"edits {f'capped at {edits:g}/s overall' if edits else 'within each chat limit only'}"
    )
    print(
        f"  tap answered        p50 {percentile(acks, 0.5):6.2f} s   p95 {percentile(acks, 0.95):6.2f} s   "
        f"p99 {percentile(acks, 0.99):6.2f} s   max {max(acks):6.2f} s   (goal p99 < 1 s)"
    )
    print(
        f"  next screen         p50 {percentile(screens, 0.5):6.2f} s   p95 {percentile(screens, 0.95):6.2f} s   "
        f"p99 {percentile(screens, 0.99):6.2f} s   (goal p95 < 2 s)"
    )
    print(
        "  next screen p95 by step  "
        + "   ".join(f"{step} {percentile(times, 0.95):.1f}" for step, times in by_step.items())
    )
    print(f"  taps answered > 10 s {sum(a > 10 for a in acks):>5} of {len(acks):,}   (goal 0)")
    refused = Counter(
        f"{c.method} to {'a reader' if c.params.get('chat_id') in readers else 'a joiner'}"
        for c in server.calls
        if c.status == 429
    )
    print(f"  429s received        {sum(refused.values()):>5}   (goal 0) {dict(refused) or ''}")
    print(f"  joins completed      {joined:>5} of {people}")
    print(
        f"  rush lasted          {ended - began:6.1f} s: {replies:,} new replies, {edited:,} edits, "
        f"{broadcast:,} broadcast"
    )
    kinds = Counter(c.method for c in during if c.params.get("chat_id") not in readers and "chat_id" in c.params)
    print(f"  to joiners, per person {', '.join(f'{m} {n / people:.1f}' for m, n in kinds.most_common())}")
    share = shared / left if left > 0 else 0.0
    print(
        f"  broadcast / left     {sum(shares) / len(shares):6.3f}   (goal >= 0.95 of the 30/s replies left; "
        f"mean over where the seconds start, {min(shares):.3f} to {max(shares):.3f}; "
        f"from the rush's start {share:.3f}: {shared} of {left} over {int(ended - began)} whole seconds)"
    )


async def no_settle(update_id: int) -> None:
    """The load generator times answers itself; it never waits for the whole update."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--broadcast", type=int, default=2000)
    parser.add_argument("--webhook", action="store_true", help="deliver updates by webhook, not long polling")
    parser.add_argument(
        "--edits-per-second",
        type=float,
        default=None,
        help="cap edits overall as well (the bot is given the same EDITS_PER_SECOND)",
    )
    args = parser.parse_args()
    asyncio.run(run(args.people, args.broadcast, args.webhook, args.edits_per_second))


if __name__ == "__main__":
    main()
