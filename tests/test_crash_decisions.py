"""Kill the real bot process (SIGKILL) while it closes a proposal and tells thirty members, then
start it again: every member hears that it closed exactly once (a repeat only as a silent
re-send of a request in flight at the kill), and the lead is asked for the outcome once."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from pathlib import Path

import pytest

from emulator import RateLimits
from emulator.runner import BotProcess
from tests.builders import members
from tests.conftest import ADMIN_ID
from tests.harness import TestBed
from tests.test_crash_interactive import _quiet, _sent, _texts, _wait
from tests.test_decisions import _group, _propose

pytestmark = pytest.mark.slow  # a real bot process or browser: left out of the quick set

MEMBERS = 30
CLOSED = "The group's leads will now say what happens next."


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15])
async def test_sigkill_mid_close_tells_nobody_twice_and_nobody_never(bed: TestBed, tmp_path: Path, delay: float):
    bed.to_real_time()
    cora, payload = await _group(bed)
    people = await members(bed, payload, *(f"Member{index}" for index in range(MEMBERS)))
    await _propose(people[0])
    await bed.services.sender.drain()
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("Open decisions")
    card = next(m for m in cora.messages[::-1] if "Open on Sunday" in (m.get("text") or ""))
    close = next(
        b["callback_data"]
        for row in card["reply_markup"]["inline_keyboard"]
        for b in row
        if "Close it now" in b["text"]
    )
    await bed.stop()

    server = bed.server
    server.limits = RateLimits(global_per_second=200, per_chat_per_second=100)
    bot = BotProcess(
        server,
        bed.settings.database,
        tmp_path / "bot.log",
        {"ADMIN_IDS": str(ADMIN_ID), "MESSAGES_PER_SECOND": "150", "FLOOD_LIMIT": "1000"},
    )
    try:
        await bot.start()
        server.push_callback(cora.id, card["message_id"], close)
        baseline = len(server.calls)
        await _wait(lambda: _sent(server, baseline, "sendMessage", CLOSED) >= 1)
        await asyncio.sleep(random.Random(delay).uniform(0, delay))
        await bot.kill()
        await bot.start()
        await _quiet(server)
        if not any(CLOSED in t for t in _texts(server, people[1])):  # nothing came back: the lead taps again
            server.push_callback(cora.id, card["message_id"], close)
            await _quiet(server)
    finally:
        await bot.stop()

    await bed.start()
    assert (await bed.services.decisions.by_id(1)).status == "closed"
    told = Counter(
        c.params["chat_id"]
        for c in server.calls
        if c.method == "sendMessage" and c.status == 200 and CLOSED in c.params.get("text", "")
    )
    silent = Counter(
        c.params["chat_id"]
        for c in server.calls
        if c.method == "sendMessage"
        and c.status == 200
        and CLOSED in c.params.get("text", "")
        and c.params.get("disable_notification")
    )
    for person in people:
        assert told[person.id] >= 1, "every member hears it closed"
        assert told[person.id] - 1 <= silent[person.id], "a repeat is only ever a silent in-flight re-send"
    assert sum(silent.values()) <= 4, "at most the sender's requests in flight at the kill"
    prompts = [
        c
        for c in server.calls
        if c.method == "sendMessage"
        and c.status == 200
        and c.params.get("chat_id") == cora.id
        and "Please record the outcome" in c.params.get("text", "")
    ]
    assert len(prompts) - sum(1 for c in prompts if c.params.get("disable_notification")) == 1
