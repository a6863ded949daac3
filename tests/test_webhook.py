"""Webhook mode, end to end: the real Application behind its own aiohttp server, with the
emulator posting updates to it as Telegram would through a council's reverse proxy; the
health endpoint; and what long polling says when a second copy polls with the same token."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.config import ConfigError, load_settings
from bot.runtime import ALLOWED_UPDATES, ANOTHER_POLLER
from bot.webhook import SECRET_HEADER
from emulator import FakeTelegram, RateLimits
from emulator.driver import Person
from emulator.runner import ROOT, BotProcess
from storage.engines import database_for
from storage.inbox import MOST_ATTEMPTS
from tests.conftest import ADMIN_ID
from tests.harness import WEBHOOK_SECRET, WEBHOOK_URL, TestBed, until


@pytest.fixture
async def hooked(server: FakeTelegram, tmp_path: Path) -> AsyncIterator[TestBed]:
    test_bed = TestBed(server, tmp_path, admin_ids=frozenset({ADMIN_ID}), webhook=True)
    await test_bed.start()
    yield test_bed
    await test_bed.stop()
    assert not server.rejected, server.rejected


def _local(bed: TestBed) -> str:
    assert bed.running is not None and bed.running.webhook is not None
    return bed.running.webhook.local_url


async def _post(url: str, body: Any, headers: dict[str, str]) -> int:
    async with aiohttp.ClientSession() as session, session.post(url, data=body, headers=headers) as response:
        return response.status


async def _health(bed: TestBed) -> tuple[int, dict[str, str]]:
    url = _local(bed).rsplit("/", 1)[0] + "/health"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


def _asked_language(server: FakeTelegram, chat_id: int) -> int:
    return sum("Which language" in message.get("text", "") for message in server.bot_messages(chat_id))


def _start_posted(user: Any, update_id: int) -> str:
    """The body Telegram posts when `user` sends /start."""
    return json.dumps(
        {
            "update_id": update_id,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "text": "/start",
                "from": user.as_user(),
                "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
    )


async def test_a_resident_joins_over_the_webhook(hooked: TestBed):
    server = hooked.server
    [set_call] = [call for call in server.calls if call.method == "setWebhook"]
    assert set_call.params["url"] == WEBHOOK_URL and set_call.params["secret_token"] == WEBHOOK_SECRET
    assert set_call.params["allowed_updates"] == ALLOWED_UPDATES
    assert int(set_call.params["max_connections"]) == 100, "a crowd's waiting answers must not hold every connection"

    ann = hooked.person("Ann")
    await ann.send("/start")
    assert "Which language" in ann.reply_text
    await ann.tap("English")
    assert "Your privacy" in ann.reply_text
    await ann.tap("Yes, I agree")
    assert "What should we call you" in ann.reply_text
    await ann.send("Annie")
    assert "for yourself" in ann.reply_text
    await hooked.joined("Ben")

    assert not [call for call in server.calls if call.method == "getUpdates"], "webhook mode never polls"
    info = await hooked.running.application.bot.get_webhook_info()  # type: ignore[union-attr]
    assert info.url == WEBHOOK_URL and info.pending_update_count == 0 and info.last_error_message is None
    ben = await hooked.services.participants.by_telegram_id(
        next(user.id for user in server.users.values() if user.first_name == "Ben")
    )
    assert ben.registered


async def test_a_post_without_the_secret_gets_403_and_changes_nothing(hooked: TestBed):
    server = hooked.server
    eve = server.add_user("Eve")
    forged = _start_posted(eve, 999_999)
    json_type = {"Content-Type": "application/json"}
    assert await _post(_local(hooked), forged, json_type) == 403
    assert await _post(_local(hooked), forged, {**json_type, SECRET_HEADER: "guessed"}) == 403
    assert await _post(_local(hooked), forged, {**json_type, SECRET_HEADER: WEBHOOK_SECRET + "x"}) == 403
    assert await _post(_local(hooked), "{not json", {**json_type, SECRET_HEADER: WEBHOOK_SECRET}) == 400
    assert await _post(_local(hooked), "[1, 2]", {**json_type, SECRET_HEADER: WEBHOOK_SECRET}) == 400

    # A real update through Telegram is handled after anything queued before it.
    ann = hooked.person("Ann")
    await ann.send("/start")
    assert "Which language" in ann.reply_text
    assert server.bot_messages(eve.id) == []
    assert await hooked.services.participants.by_telegram_id(eve.id) is None

    # The same update with the right secret is handled: the 403s above were the secret's doing.
    assert await _post(_local(hooked), forged, {**json_type, SECRET_HEADER: WEBHOOK_SECRET}) == 200
    await hooked.running.webhook.arrivals.idle()  # type: ignore[union-attr]
    assert server.bot_messages(eve.id), "the update with the right secret got no answer"


async def test_updates_a_stopped_process_had_stored_are_handled_when_it_starts_again(hooked: TestBed):
    """A process stores each update before answering Telegram, so what it had not handled when it
    died is still here: the next start handles it once. One that three starts took and none
    finished is dropped; it may be what stopped them."""
    server = hooked.server
    eve, fay = server.add_user("Eve"), server.add_user("Fay")
    await hooked.stop()
    db = database_for(hooked.settings.database)
    await db.open()
    try:
        for user, update_id, attempts in ((eve, 999_001, 1), (fay, 999_002, MOST_ATTEMPTS)):
            await db.execute(
                "INSERT INTO inbox (update_id, person, body, taken_by, received_at, attempts)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (update_id, user.id, _start_posted(user, update_id), 7, "2026-12-01T10:00:00+00:00", attempts),
            )
    finally:
        await db.close()
    await hooked.start()
    await hooked.running.webhook.arrivals.idle()  # type: ignore[union-attr]
    assert _asked_language(server, eve.id) == 1
    assert server.bot_messages(fay.id) == []
    assert await hooked.db.fetchval("SELECT COUNT(*) FROM inbox") == 0, "nothing is kept once handled"
    await hooked.restart()
    await hooked.running.webhook.arrivals.idle()  # type: ignore[union-attr]
    assert _asked_language(server, eve.id) == 1, "handled once"


async def test_a_tap_is_answered_while_a_crowds_first_answers_wait_for_the_budget(server: FakeTelegram, tmp_path: Path):
    """Telegram posts at most 100 updates at a time. When each was answered only once handled,
    300 people's /start, whose answers wait for the budget of new messages, held every
    connection and a tap behind them was not even posted until 200 answers had gone."""
    bed = TestBed(server, tmp_path, webhook=True)
    bed.configure(messages_per_second=50.0)
    await bed.start()
    try:
        ann = await bed.joined("Ann")
        crowd = [server.add_user(f"Crowd{n}") for n in range(300)]
        server.limits = RateLimits(global_per_second=50, group_per_minute=None)
        for user in crowd:
            server.push_message(user.id, "/start")
        message, data = ann.find_button("♿ What I need to take part")
        _update, query_id = server.push_callback(ann.id, message["message_id"], data)
        await until(lambda: query_id in server.callback_answers, 30, "the tap was never answered")
        ids = {user.id for user in crowd}
        answered_at = next(
            n
            for n, call in enumerate(server.calls)
            if call.method == "answerCallbackQuery" and call.params.get("callback_query_id") == query_id
        )
        before = [
            call
            for call in server.calls[:answered_at]
            if call.method == "sendMessage" and call.params.get("chat_id") in ids
        ]
        await until(lambda: all(server.bot_messages(user.id) for user in crowd), 60, "a /start went unanswered")
    finally:
        await bed.stop()
    assert len(before) < 100, f"the tap waited behind {len(before)} of the crowd's answers"


@pytest.mark.parametrize("part", ["scheduler", "sender", "database"])
async def test_health_is_200_until_a_part_stops(hooked: TestBed, part: str):
    status, body = await _health(hooked)
    assert status == 200 and body == {"status": "ok", "database": "ok", "sender": "ok", "scheduler": "ok"}
    if part == "database":
        await hooked.db.close()
    else:
        await getattr(hooked.services, part).stop()
    status, body = await _health(hooked)
    assert status == 503 and body["status"] == "failing" and body[part] == "failing"
    assert [name for name in ("database", "sender", "scheduler") if body[name] == "failing"] == [part]
    if part == "database":
        await hooked.db.open()  # so the bed shuts down as usual


@pytest.mark.slow
async def test_a_second_polling_copy_is_named_once_and_the_first_carries_on(
    bed: TestBed, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    server = bed.server

    def conflicts() -> int:
        return sum(1 for call in server.calls if call.method == "getUpdates" and call.status == 409)

    other = BotProcess(server, tmp_path / "other" / "bot.sqlite3", tmp_path / "other.log")
    (tmp_path / "other").mkdir()
    await other.start()
    try:
        # Both copies keep retrying: each poll of one ends the other's with 409 Conflict.
        await until(lambda: conflicts() >= 4, 30)
    finally:
        await other.stop()
    ann = bed.person("Ann")
    await ann.send("/start")
    assert "Which language" in ann.reply_text

    told = [record for record in caplog.records if record.getMessage() == ANOTHER_POLLER]
    assert len(told) == 1 and told[0].levelno == logging.ERROR
    assert ANOTHER_POLLER in (tmp_path / "other.log").read_text()  # the second copy says so too
    assert not [record for record in caplog.records if record.exc_info and "poll" in record.getMessage().lower()]


@pytest.mark.parametrize(
    ("env", "word"),
    [
        ({"WEBHOOK_URL": "https://bot.example.gov.uk/tg"}, "WEBHOOK_SECRET must be set"),
        ({"WEBHOOK_URL": "https://bot.example.gov.uk/tg", "WEBHOOK_SECRET": "has spaces"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "https://bot.example.gov.uk/tg", "WEBHOOK_SECRET": "x" * 257}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "http://bot.example.gov.uk/tg", "WEBHOOK_SECRET": "ok"}, "WEBHOOK_URL must start with https"),
        ({"WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_URL": "https://bot.example.gov.uk/health", "WEBHOOK_SECRET": "ok"}, "health checks"),
    ],
)
def test_webhook_settings_name_what_to_fix(env: dict[str, str], word: str):
    with pytest.raises(ConfigError, match=word):
        load_settings({"BOT_TOKEN": "1:a", **env}, env_file=None)


def test_webhook_settings_default_to_long_polling_and_read_when_given():
    assert load_settings({"BOT_TOKEN": "1:a"}, env_file=None).webhook_url == ""
    settings = load_settings(
        {
            "BOT_TOKEN": "1:a",
            "WEBHOOK_URL": "https://bot.example.gov.uk/tg",
            "WEBHOOK_SECRET": "A-z_09" * 40,
            "WEBHOOK_LISTEN": "0.0.0.0",
            "WEBHOOK_PORT": "8080",
        },
        env_file=None,
    )
    assert (settings.webhook_url, settings.webhook_listen, settings.webhook_port) == (
        "https://bot.example.gov.uk/tg",
        "0.0.0.0",
        8080,
    )
    assert settings.webhook_secret == "A-z_09" * 40


@pytest.mark.slow
async def test_python_m_bot_in_webhook_mode_serves_and_reports_health(server: FakeTelegram, tmp_path: Path):
    process = BotProcess(server, tmp_path / "bot.sqlite3", tmp_path / "bot.log")
    local = process.use_webhook(WEBHOOK_URL, WEBHOOK_SECRET)
    server.route_webhook(WEBHOOK_URL, [local])
    await process.start()
    try:
        user = server.add_user("Ann")
        await server.wait_consumed(server.push_message(user.id, "/start"), timeout=20)
        await until(lambda: bool(server.bot_messages(user.id)), 20)
        assert "Which language" in server.bot_messages(user.id)[-1]["text"]
        async with aiohttp.ClientSession() as session, session.get(local.rsplit("/", 1)[0] + "/health") as response:
            assert response.status == 200 and (await response.json())["status"] == "ok"
        assert await _health_check(process.extra_env, tmp_path) == 0
    finally:
        await process.stop()
    assert server.webhook_url == WEBHOOK_URL, "a stopping instance leaves the webhook to the others"
    assert await _health_check(process.extra_env, tmp_path) == 1, "the container's check fails once it is down"
    assert await _health_check({}, tmp_path) == 0, "with long polling there is nothing to ask"


async def _health_check(env: dict[str, str], cwd: Path) -> int:
    """The container's HEALTHCHECK command, `python -m bot.healthcheck`, with these settings."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("WEBHOOK_")}
    check = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.healthcheck",
        cwd=cwd,
        env={**clean, **env, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    return await check.wait()


async def test_two_instances_on_one_webhook_each_take_their_turn(server: FakeTelegram, tmp_path: Path):
    """The harness side of two instances: both beds are targets of one URL, and each update is
    handled by whichever receives it. Each bed has its own SQLite file here, so each person only
    says /start: their next step could land on the instance that has not heard of them."""
    beds = [TestBed(server, tmp_path / name, webhook=True) for name in ("one", "two")]
    for each in beds:
        await each.start()
    try:
        assert len(server.webhook_routes[WEBHOOK_URL]) == 2

        async def settle(update_id: int) -> None:
            await server.wait_consumed(update_id)
            for each in beds:
                await each.settle(update_id)

        for n in range(4):
            person = Person(server, settle, server.add_user(f"P{n}"))
            await person.send("/start")
            assert "Which language" in person.reply_text
        known = [await each.db.fetchval("SELECT COUNT(*) FROM conversation_states") for each in beds]
        assert known == [2, 2], "updates alternate between the two instances"
    finally:
        for each in beds:
            await each.stop()
    assert server.webhook_routes[WEBHOOK_URL] == []
    assert not server.rejected, server.rejected
