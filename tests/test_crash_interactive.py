"""Kill the real bot process (SIGKILL) at a random instant while people join, send claims and an
officer publishes a "we did"; start it again, let people do what they would (tap again when
nothing came back), and count: nothing acknowledged is lost, nothing is created or sent twice.

The state up to the last tap is built by the in-process bot on the same database and emulator,
then a separate `python -m bot` process takes over, so the kill is a real one."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from pathlib import Path

import pytest

from emulator import FakeTelegram, RateLimits
from emulator.runner import BotProcess
from tests.conftest import ADMIN_ID
from tests.harness import Person, TestBed
from tests.test_feedback import give_feedback, group
from tests.test_onboarding import at_the_last_question, parks_link
from tests.test_opportunities import staff

pytestmark = pytest.mark.slow  # a real bot process or browser: left out of the quick set

CLAIMANTS, JOINERS, CONTRIBUTORS = 4, 4, 30
WE_DID = "We repaired the lift at the library."


async def _ready_claim(person: Person) -> tuple[int, str]:
    """A claim filled in up to its last button; returns that button (message id, data)."""
    await person.send("/claim")
    await person.tap("Something else")
    await person.send("Ran the stall on 1 November")
    await person.tap("Food and drink")
    await person.send("3.20")
    await person.tap("Review and send")
    await person.tap("Skip")
    await person.tap("Vouchers")
    return person.find_button("Send my claim")[0]["message_id"], person.find_button("Send my claim")[1]


async def _prepare(
    bed: TestBed,
) -> tuple[dict[Person, tuple[int, str]], dict[Person, tuple[int, str]], Person, tuple[int, str], list[Person]]:
    cora = await staff(bed)
    olive = await staff(bed, "Officer", "Olive")
    claims = {}
    for index in range(CLAIMANTS):
        person = await bed.joined(f"Claimant{index}")
        claims[person] = await _ready_claim(person)
    joins = {}
    for index in range(JOINERS):
        person = bed.person(f"Joiner{index}")
        await person.send("/start")
        await person.tap("English")
        joins[person] = (person.find_button("Yes, I agree")[0]["message_id"], person.find_button("Yes, I agree")[1])
    await group(bed, cora)
    contributors = []
    for index in range(CONTRIBUTORS):
        person = await bed.joined(f"Contributor{index}")
        await give_feedback(person, "A council service", "The lift is broken", hide=False, service="Library")
        contributors.append(person)
    await olive.send("/inbox")
    await olive.press(olive.replies[0]["message_id"], "fb:1:t")
    await olive.tap("A new theme")
    await olive.send("The library lift is broken")
    for feedback_id in range(2, CONTRIBUTORS + 1):
        await olive.press(olive.messages[-1]["message_id"], f"fb:{feedback_id}:t")
        await olive.tap("The library lift")
    await olive.send("/themes")
    await olive.tap("We did it")
    await olive.send(WE_DID)  # previewed: the press of Send it publishes
    publish = (olive.find_button("Send it")[0]["message_id"], olive.find_button("Send it")[1])
    return claims, joins, olive, publish, contributors


async def _wait(condition, limit: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.005)


async def _quiet(server: FakeTelegram, seconds: float = 0.6, limit: float = 30) -> None:
    """Wait until the bot has made no request for `seconds` (long polls aside)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while loop.time() < deadline:
        busy = [c for c in server.calls if c.method != "getUpdates"]
        before = len(busy)
        await asyncio.sleep(seconds)
        if len([c for c in server.calls if c.method != "getUpdates"]) == before:
            return
    raise TimeoutError("the bot never went quiet")


def _texts(server: FakeTelegram, person: Person) -> list[str]:
    return [message.get("text") or message.get("caption") or "" for message in server.bot_messages(person.id)]


def _new_texts(server: FakeTelegram, person: Person, before: list[str]) -> list[str]:
    """What the bot said since `before`: new messages, and earlier ones it edited (a step moving on)."""
    return [text for index, text in enumerate(_texts(server, person)) if index >= len(before) or text != before[index]]


def _sent(server: FakeTelegram, baseline: int, method: str, text: str = "") -> int:
    return sum(1 for c in server.calls[baseline:] if c.method == method and text in c.params.get("text", ""))


# When to kill, as (what must have happened, a random delay after it, up to): the first answer
# to a tap, the first "we did" going out, and half of them gone.
KILL_POINTS = {
    "first-replies": (lambda s, b: _sent(s, b, "answerCallbackQuery") >= 1, 0.05),
    "we-did-starts": (lambda s, b: _sent(s, b, "sendMessage", WE_DID) >= 1, 0.03),
    "we-did-half-way": (lambda s, b: _sent(s, b, "sendMessage", WE_DID) >= CONTRIBUTORS // 2, 0.03),
    "anywhere": (lambda s, b: _sent(s, b, "answerCallbackQuery") >= 1, 0.5),
}


@pytest.mark.parametrize("point", KILL_POINTS)
async def test_sigkill_while_joining_claiming_and_publishing(bed: TestBed, tmp_path: Path, point: str):
    bed.to_real_time()
    claims, joins, olive, publish, contributors = await _prepare(bed)
    await bed.stop()
    server = bed.server
    server.limits = RateLimits(global_per_second=200, per_chat_per_second=100)
    bot = BotProcess(
        server,
        bed.settings.database,
        tmp_path / "bot.log",
        {"ADMIN_IDS": str(ADMIN_ID), "MESSAGES_PER_SECOND": "150", "FLOOD_LIMIT": "1000"},
    )
    rng = random.Random(point)
    happened, jitter = KILL_POINTS[point]
    seen_before = {p: _texts(server, p) for p in [*claims, *joins, olive, *contributors]}
    try:
        await bot.start()
        for person, (message_id, data) in claims.items():
            server.push_callback(person.id, message_id, data)
        for person, (message_id, data) in joins.items():
            server.push_callback(person.id, message_id, data)
        server.push_callback(olive.id, *publish)
        baseline = len(server.calls)
        await _wait(lambda: happened(server, baseline))
        await asyncio.sleep(rng.uniform(0, jitter))
        await bot.kill()

        await bot.start()
        await _quiet(server)
        # What people do when nothing came back: tap or send the same thing again.
        for person, (message_id, data) in claims.items():
            if not any("C-2026-" in t for t in _new_texts(server, person, seen_before[person])):
                server.push_callback(person.id, message_id, data)
        for person, (message_id, data) in joins.items():
            if not any("call you" in t for t in _new_texts(server, person, seen_before[person])):
                server.push_callback(person.id, message_id, data)
        if not any("On its way" in t for t in _new_texts(server, olive, seen_before[olive])):
            server.push_callback(olive.id, *publish)
        await _quiet(server)
    finally:
        await bot.stop()

    await bed.start()
    db = bed.db
    for person in claims:
        participant = await bed.services.participants.by_telegram_id(person.id)
        assert await db.fetchval("SELECT COUNT(*) FROM claims WHERE participant_id = ?", (participant.id,)) == 1
        assert any("C-2026-" in t for t in _texts(server, person)), "the claim was acknowledged in the end"
    for person in joins:
        participant = await bed.services.participants.by_telegram_id(person.id)
        assert participant is not None
        assert await db.fetchval("SELECT COUNT(*) FROM consents WHERE participant_id = ?", (participant.id,)) == 1
        assert any("call you" in t for t in _texts(server, person)), "they were asked the next question"
    assert await db.fetchval("SELECT COUNT(*) FROM themes WHERE published_at IS NOT NULL") == 1
    received = Counter(
        call.params["chat_id"]
        for call in server.calls
        if call.method == "sendMessage" and call.status == 200 and WE_DID in call.params["text"]
    )
    silent = Counter(
        call.params["chat_id"]
        for call in server.calls
        if call.method == "sendMessage"
        and call.status == 200
        and WE_DID in call.params["text"]
        and call.params.get("disable_notification")
    )
    for person in contributors:
        assert received[person.id] >= 1, "every contributor hears what was done"
        assert received[person.id] - 1 <= silent[person.id], "a repeat is only ever a silent in-flight re-send"
    assert sum(received[p.id] - 1 for p in contributors) <= 4, "at most the sender's in-flight requests repeat"
    assert sum(silent.values()) <= 4, "only requests in flight at the kill go silently; the rest notify"


async def test_sigkill_while_the_welcome_is_on_its_way(bed: TestBed, tmp_path: Path):
    """The process dies after joining's end is saved and before its welcome reaches Telegram
    (held, so the kill falls there every time). Tapping the last answer again, as someone who
    saw nothing would, brings the welcome and the group they came for; joining does not reopen."""
    bed.to_real_time()
    sam, (message, data) = await at_the_last_question(bed, "/start " + await parks_link(bed))
    await bed.stop()
    server = bed.server
    bot = BotProcess(server, bed.settings.database, tmp_path / "bot.log", {"ADMIN_IDS": str(ADMIN_ID)})
    welcome = server.hold("editMessageText", sam.id)
    try:
        await bot.start()
        server.push_callback(sam.id, message["message_id"], data)
        await asyncio.wait_for(welcome.arrived.wait(), 30)
        await bot.kill()  # the welcome is never answered: lost with the process
        await bot.start()
        await _quiet(server)
        assert not any("All set" in text for text in _texts(server, sam))
        server.push_callback(sam.id, message["message_id"], data)  # nothing came back: tap again
        await _quiet(server)
        server.push_message(sam.id, "Hello")
        await _quiet(server)
    finally:
        await bot.stop()
    texts = _texts(server, sam)
    assert [text for text in texts if "All set, Sam!" in text and "Parks" in text] != [], "welcomed to the group"
    assert "not sure what you mean" in texts[-1], "joining did not reopen"
