"""The delivery engine: durable outbox, pacing, 429, 403, faults, stop, restart."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from domain.delivery import behind_schedule, early_start, interleave, next_send_time, one_per_chat, retry_delay
from domain.profile import QuietHours
from storage.outbox import Outgoing
from tests.harness import TestBed

LONDON = ZoneInfo("Europe/London")


def test_quiet_hours_push_to_the_morning_in_local_time():
    late = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)
    assert next_send_time(late, LONDON, QuietHours(21, 8)) == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    early = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    assert next_send_time(early, LONDON, QuietHours(21, 8)) == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    summer = datetime(2027, 6, 1, 22, 0, tzinfo=UTC)  # 23:00 BST
    assert next_send_time(summer, LONDON, QuietHours(21, 8)) == datetime(2027, 6, 2, 7, 0, tzinfo=UTC)
    noon = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert next_send_time(noon, LONDON, QuietHours(21, 8)) == noon
    assert next_send_time(late, LONDON, None) == late


def test_backoff_and_fair_interleaving():
    assert [retry_delay(n).total_seconds() for n in range(1, 6)] == [2, 4, 8, 16, 32]
    assert retry_delay(6) is None
    assert interleave([[1, 2, 3], [10, 20], []]) == [1, 10, 2, 20, 3]
    rows = [(1, 7), (10, 8), (2, 7), (20, 9), (3, 7)]
    assert one_per_chat(rows, lambda _chat: 0.0) == ([1, 10, 20], 0.0), "one to each chat a round"
    assert one_per_chat(rows, {7: 0.0, 8: 0.4, 9: 0.0}.__getitem__) == ([1, 20], 0.0)
    assert one_per_chat(rows[1:2], {8: 0.4}.__getitem__) == ([], 0.4), "a busy chat waits for a later round"
    assert one_per_chat(rows[:1], lambda _chat: 0.0) == ([1], None)


def test_a_reminder_may_start_early_but_not_in_quiet_hours():
    lead = timedelta(minutes=20)
    morning = datetime(2026, 11, 24, 8, 10, tzinfo=UTC)  # 08:10 in London (GMT)
    assert early_start(morning, lead, LONDON, None) == morning - lead
    assert early_start(morning, lead, LONDON, QuietHours(21, 8)) == morning.replace(minute=0)
    summer = datetime(2027, 6, 1, 7, 10, tzinfo=UTC)  # 08:10 BST
    assert early_start(summer, lead, LONDON, QuietHours(21, 8)) == summer.replace(minute=0)
    just_before_quiet = datetime(2026, 11, 24, 20, 59, tzinfo=UTC)
    assert early_start(just_before_quiet, lead, LONDON, QuietHours(21, 8)) == just_before_quiet - lead


def test_sending_early_starts_as_late_as_possible():
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    due = [now + timedelta(seconds=60)] * 60  # a minute's sending at one a second
    assert not behind_schedule(now, 0, due, rate=1.0)
    assert behind_schedule(now + timedelta(seconds=1), 0, due, rate=1.0)
    assert behind_schedule(now, 1, due, rate=1.0)  # one already due goes first
    assert not behind_schedule(now, 0, due, rate=2.0)
    assert not behind_schedule(now, 0, [], rate=1.0)


async def _queue(bed: TestBed, people, kind="test", ref="1", text="Hello {name}", not_before=None, markup=None):
    messages = [
        Outgoing(
            chat_id=p.id,
            participant_id=(await bed.services.participants.by_telegram_id(p.id)).id,
            text=text.format(name=p.user.first_name),
            dedupe_key=f"{kind}:{ref}:{p.id}",
            not_before=not_before or bed.clock.now(),
            markup=markup,
        )
        for p in people
    ]
    batch_id, added = await bed.services.outbox.create_batch(kind, ref, None, bed.clock.now(), messages)
    return batch_id, added


async def test_each_recipient_gets_exactly_one_message_and_blocked_ones_are_marked(bed: TestBed):
    people = [await bed.joined(f"P{i}") for i in range(6)]
    bed.server.block(people[2].id)
    before = {p.id: len(p.messages) for p in people}
    batch_id, added = await _queue(
        bed, people, markup=json.dumps({"inline_keyboard": [[{"text": "OK", "callback_data": "x:y:1"}]]})
    )
    assert added == 6
    _, again = await _queue(bed, people)  # queuing the same thing twice adds nothing
    assert again == 0
    await bed.services.sender.drain()
    for person in people:
        got = len(person.messages) - before[person.id]
        assert got == (0 if person is people[2] else 1), person.user.first_name
    progress = await bed.services.outbox.progress(batch_id)
    assert (progress.sent, progress.unreachable, progress.waiting) == (5, 1, 0)
    blocked = await bed.services.participants.by_telegram_id(people[2].id)
    assert blocked.unreachable
    bed.server.unblock(people[2].id)
    await people[2].send("/help")  # they came back
    assert not (await bed.services.participants.by_telegram_id(people[2].id)).unreachable


async def test_429_and_server_errors_are_retried_without_duplicates(bed: TestBed):
    people = [await bed.joined(f"Q{i}") for i in range(3)]
    before = {p.id: len(p.messages) for p in people}
    bed.server.fail_next("sendMessage", 429, count=1, retry_after=1)
    bed.server.fail_next("sendMessage", 502, count=1)
    await _queue(bed, people)
    await bed.services.sender.drain()
    bed.clock.advance(timedelta(minutes=1))  # the retries were scheduled on the bot's clock
    await bed.services.sender.drain()
    assert all(len(p.messages) - before[p.id] == 1 for p in people)
    assert (await bed.services.outbox.counts()) == {"sent": 3}


async def test_quiet_hours_wait_until_morning(bed: TestBed):
    night = bed.clock.now().replace(hour=23)
    bed.clock.set(night)
    owl = await bed.joined("Owl")
    start = len(owl.messages)
    await _queue(bed, [owl], not_before=next_send_time(night, LONDON, QuietHours(21, 8)))
    await bed.services.sender.drain()
    assert len(owl.messages) == start
    bed.clock.advance(timedelta(hours=9))
    await bed.services.sender.drain()
    assert len(owl.messages) == start + 1


async def test_a_rush_of_reminders_starts_early_enough_to_be_on_time(bed: TestBed):
    people = [await bed.joined(f"E{i}") for i in range(5)]
    before = {p.id: len(p.messages) for p in people}
    start, due = bed.clock.now(), bed.clock.now() + timedelta(seconds=60)
    bed.services.sender.rate = 1.0  # four reminders at one a second take four seconds
    reminders = [
        Outgoing(chat_id=p.id, text="⏰ Reminder", dedupe_key=f"early:{p.id}", not_before=due, send_from=start)
        for p in people[:4]
    ]
    broadcast = Outgoing(chat_id=people[4].id, text="News", dedupe_key="early:news", not_before=due)
    await bed.services.outbox.create_batch("reminder", "1", None, start, [*reminders, broadcast])
    bed.clock.set(due - timedelta(seconds=50))
    await bed.services.sender.drain()
    assert all(len(p.messages) == before[p.id] for p in people), "no rush yet: nothing goes early"
    bed.clock.set(due - timedelta(seconds=3))
    await bed.services.sender.drain()
    assert [len(p.messages) - before[p.id] for p in people] == [1, 1, 1, 1, 0], "only what may go early does"
    bed.clock.set(due)
    await bed.services.sender.drain()
    assert all(len(p.messages) - before[p.id] == 1 for p in people)


async def test_stopping_a_batch_cancels_what_has_not_gone(bed: TestBed):
    people = [await bed.joined(f"S{i}") for i in range(3)]
    batch_id, _ = await _queue(bed, people, not_before=bed.clock.now() + timedelta(hours=1))
    assert await bed.services.outbox.stop_batch(batch_id, bed.clock.now()) == 3
    bed.clock.advance(timedelta(hours=2))
    await bed.services.sender.drain()
    progress = await bed.services.outbox.progress(batch_id)
    assert progress.cancelled == 3 and progress.sent == 0 and progress.stopped


async def test_restart_resumes_and_never_resends_what_was_settled(bed: TestBed):
    people = [await bed.joined(f"R{i}") for i in range(4)]
    before = {p.id: len(p.messages) for p in people}
    later = bed.clock.now() + timedelta(minutes=5)
    await _queue(bed, people[:2])
    await _queue(bed, people[2:], ref="2", not_before=later)
    await bed.services.sender.drain()
    await bed.restart()
    bed.clock.set(later)
    await bed.services.sender.drain()
    await bed.restart()
    await bed.services.sender.drain()
    assert all(len(p.messages) - before[p.id] == 1 for p in people)


async def _members(bed: TestBed, prefix: str, count: int) -> list[tuple[int, int]]:
    """(chat, participant) of `count` members who joined without the talk, for bulk sends."""
    people = []
    for index in range(count):
        user = bed.server.add_user(f"{prefix}{index}")
        participant = await bed.services.participants.create_with_consent(user.id, "en", "2026-11", bed.clock.now())
        people.append((user.id, participant.id))
    return people


async def _broadcast(bed: TestBed, ref: str, people: list[tuple[int, int]]) -> int:
    messages = [
        Outgoing(
            chat_id=chat,
            participant_id=participant,
            text="News",
            dedupe_key=f"{ref}:{chat}",
            not_before=bed.clock.now(),
        )
        for chat, participant in people
    ]
    batch_id, _ = await bed.services.outbox.create_batch("test", ref, None, bed.clock.now(), messages)
    return batch_id


async def test_paced_at_telegram_limits_and_replies_jump_the_queue(bed: TestBed):
    from emulator import RateLimits

    bed.configure(messages_per_second=30.0, chat_interval_seconds=1.0)
    await bed.restart()
    bed.server.limits = RateLimits(global_per_second=30, per_chat_per_second=1, per_chat_burst=3)
    await _broadcast(bed, "pace", await _members(bed, "Many", 75))
    resident = bed.person("Busy")
    started = bed.server.calls[-1].at if bed.server.calls else 0
    import asyncio

    drain = asyncio.create_task(bed.services.sender.drain())
    await asyncio.sleep(0.5)
    await resident.send("/help")
    still_waiting = (await bed.services.outbox.counts()).get("pending", 0)
    assert "/start" in resident.reply_text
    assert still_waiting > 0, "the reply came while the broadcast was still going"
    await drain
    sends = [call for call in bed.server.calls if call.method == "sendMessage" and call.at >= started]
    assert not [call for call in sends if call.status == 429], "the pacer kept under Telegram's limit"
    span = sends[-1].at - sends[0].at
    assert len(sends) == 76 and 75 / span >= 0.8 * 26, f"{len(sends)} sends in {span:.2f}s"


async def test_a_pile_of_messages_to_one_chat_does_not_hold_up_a_broadcast_to_everyone(bed: TestBed):
    """Five nudges queued for one officer, each its own batch, as the officer finishes joining,
    and a broadcast to 60 members: the officer's chat takes one a second, counted with the
    replies it just had (no 429), and the broadcast goes at the full pace beside it."""
    from emulator import RateLimits

    bed.configure(messages_per_second=30.0, chat_interval_seconds=1.0)
    await bed.restart()
    bed.server.limits = RateLimits(global_per_second=30, per_chat_per_second=1, per_chat_burst=3)
    officer = await bed.joined("Olu")
    officer_ref = (officer.id, (await bed.services.participants.by_telegram_id(officer.id)).id)
    for nudge in range(5):
        await _broadcast(bed, f"nudge{nudge}", [officer_ref])
    members = await _members(bed, "Wide", 60)
    started = len(bed.server.calls)
    await _broadcast(bed, "wide", members)
    await bed.services.sender.drain()
    sends = [call for call in bed.server.calls[started:] if call.method == "sendMessage"]
    wide = [call for call in sends if str(call.params.get("chat_id")) != str(officer.id)]
    nudges = [call for call in sends if str(call.params.get("chat_id")) == str(officer.id)]
    assert len(wide) == 60 and len(nudges) == 5 and not [call for call in sends if call.status == 429]
    span = wide[-1].at - wide[0].at
    assert span < 3.0, f"the broadcast took {span:.2f}s beside the officer's five"
    assert all(later.at - earlier.at >= 0.9 for earlier, later in pairwise(nudges)), "one a second to one chat"


async def test_a_flood_from_one_person_is_throttled_without_slowing_others(bed: TestBed):
    flood = await bed.joined("Flo")
    calm = await bed.joined("Cal")
    bed.configure(flood_limit=20)
    await bed.restart()
    before = len(flood.messages)
    for n in range(50):
        await flood.send(f"spam {n}")
    answers = flood.messages[before:]
    assert sum("a lot of messages very quickly" in m.get("text", "") for m in answers) == 1
    assert len(answers) <= 21, "the extra messages were dropped"
    await calm.send("/help")
    assert "/profile" in calm.reply_text


async def test_a_persons_reply_survives_server_errors(bed: TestBed):
    ann = await bed.joined("Ann")
    bed.server.fail_next("sendMessage", 502, count=2)
    await ann.send("/help")
    assert "/profile" in ann.reply_text


async def test_a_busy_database_makes_people_wait_not_fail(bed: TestBed):
    import asyncio

    from storage.engines import database_for

    ann = await bed.joined("Ann")
    other = database_for(bed.settings.database)
    await other.open()
    locked = asyncio.Event()

    async def hold_the_lock() -> None:
        async with other.transaction():
            locked.set()
            await asyncio.sleep(0.5)

    holder = asyncio.create_task(hold_the_lock())
    await locked.wait()
    await ann.send("/profile")
    await ann.tap("Change area")
    await ann.send("Sandhurst")
    await holder
    await other.close()
    assert "Sandhurst" in ann.reply_text and "something went wrong" not in ann.reply_text


async def test_a_storm_of_429s_delays_replies_but_loses_none(bed: TestBed):
    """Telegram says "too many requests" four times running: every person still gets their
    reply, in order, and no message is attempted while Telegram has asked us to wait."""
    people = [await bed.joined(name) for name in ("Ann", "Bob")]
    first_call = len(bed.server.calls)
    bed.server.fail_next("sendMessage", 429, count=4, retry_after=1)
    for person in people:
        await person.send("/help")
        assert "/profile" in person.reply_text
    sends = [c for c in bed.server.calls[first_call:] if c.method == "sendMessage"]
    assert sum(c.status == 429 for c in sends) == 4
    for refused, later in pairwise(sends):
        if refused.status == 429:
            assert later.at - refused.at >= 0.99, "nothing is sent before retry_after has passed"
