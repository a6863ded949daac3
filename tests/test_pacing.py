"""The pacer's windows count each request from its answer, so a late delivery can't draw a 429."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.pacing import BULK, BULK_YIELD, IN_FLIGHT_POLL, Pacer, Window


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Naps:
    """The pacer's sleep, run on the test's clock: each nap is noted and moves the clock on."""

    def __init__(self, clock: Clock, hold_from: float = float("inf")) -> None:
        self.clock = clock
        self.taken: list[float] = []
        self.hold_from = hold_from  # naps this long wait for `release`: a request kept in line
        self.release = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self.taken.append(round(seconds, 9))
        if seconds >= self.hold_from:
            await self.release.wait()
        self.clock.now += seconds


async def answered(**_: Any) -> bool:
    return True


def test_a_window_counts_from_the_answer_and_holds_a_place_while_in_flight() -> None:
    window = Window(2, 1.0)
    window.take()
    window.take()
    assert window.wait(100.0) == IN_FLIGHT_POLL  # both in flight: nothing is known to expire yet
    window.settle(100.3)  # the first answer came back 0.3 s after it left
    window.settle(100.4)
    assert abs(window.wait(101.0) - 0.3) < 1e-9
    assert window.wait(101.3) == 0.0
    window.take()
    assert window.wait(101.35) > 0  # one counted from its answer, one in flight: full


async def test_the_next_request_waits_a_whole_window_after_the_slowest_answer() -> None:
    clock = Clock()
    pacer = Pacer(overall_per_second=2, per_chat_interval=0, monotonic=clock)
    sent: list[float] = []

    async def slow_request(**_: Any) -> bool:
        sent.append(clock.now)
        clock.now += 0.25  # the network holds each request back a quarter of a second
        return True

    for chat in (1, 2):
        await pacer.process_request(slow_request, (), {}, "sendMessage", {"chat_id": chat}, None)
    windows = pacer._windows(3, bulk=False, new=True)
    # Timed from leaving, the third would fit at 101.0; timed from the first answer it waits to 101.25.
    clock.now = sent[0] + 1.0
    assert abs(pacer._wait_time(windows, bulk=False) - 0.25) < 1e-9
    clock.now = sent[0] + 1.25
    assert pacer._wait_time(windows, bulk=False) <= 0


async def test_a_persons_burst_then_one_a_second_counts_from_answers_too() -> None:
    clock = Clock()
    pacer = Pacer(overall_per_second=1000, per_chat_interval=1.0, chat_burst=3, monotonic=clock)

    async def request(**_: Any) -> bool:
        clock.now += 0.1
        return True

    for _ in range(3):
        await pacer.process_request(request, (), {}, "sendMessage", {"chat_id": 7}, None)
    windows = pacer._windows(7, bulk=False, new=True)
    assert pacer._wait_time(windows, bulk=False) > 0  # the burst of three is spent
    clock.now = 100.1 + 3.0  # three seconds after the first answer
    assert pacer._wait_time(windows, bulk=False) <= 0
    edits = pacer._windows(7, bulk=False, new=False, edit=True)
    assert edits == [pacer._replies[7]]  # an edit shares the chat's limit, not the overall budget
    assert pacer._wait_time(edits, bulk=False) <= 0


async def test_edits_leave_the_overall_budget_to_new_messages_unless_given_their_own() -> None:
    clock = Clock()
    loose = Pacer(overall_per_second=2, per_chat_interval=0, monotonic=clock)
    paced = Pacer(overall_per_second=2, per_chat_interval=0, monotonic=clock, edits_per_second=4)

    async def request(**_: Any) -> bool:
        return True

    for pacer in (loose, paced):
        for chat in range(1, 5):
            await pacer.process_request(request, (), {}, "editMessageText", {"chat_id": chat}, None)
        new = pacer._windows(9, bulk=False, new=True)
        assert pacer._wait_time(new, bulk=False) <= 0  # four edits took none of the two new messages
    assert loose._wait_time(loose._windows(9, bulk=False, new=False, edit=True), bulk=False) <= 0
    assert paced._wait_time(paced._windows(9, bulk=False, new=False, edit=True), bulk=False) > 0  # 4 a second
    paced.share(2)
    assert paced._edits is not None and paced._edits.capacity == 2  # two instances halve the edits too


async def test_a_bigger_share_waits_a_window_for_the_stopped_instances_last_sends() -> None:
    clock = Clock()
    pacer = Pacer(overall_per_second=30, per_chat_interval=0, monotonic=clock)

    async def request(**_: Any) -> bool:
        return True

    pacer.share(2)
    assert pacer.overall == 15  # a smaller share at once
    pacer.share(1)  # the other instance died; its last second still counts at Telegram
    await pacer.process_request(request, (), {}, "sendMessage", {"chat_id": 1}, None)
    assert pacer.overall == 15
    clock.now += 1.0
    await pacer.process_request(request, (), {}, "sendMessage", {"chat_id": 2}, None)
    assert pacer.overall == 30  # taken a window later


async def test_replies_waiting_for_the_overall_budget_go_in_the_order_they_came() -> None:
    """A crowd's answers queue for the 30 a second: the first to write is the first answered,
    not whoever's timer the event loop happens to run first."""
    pacer = Pacer(overall_per_second=30, per_chat_interval=0)
    sent: list[int] = []

    async def request(chat: int) -> bool:
        sent.append(chat)
        return True

    queued = []
    for chat in range(1, 91):  # three seconds' worth, queued in this order
        queued.append(
            asyncio.create_task(pacer.process_request(request, (chat,), {}, "sendMessage", {"chat_id": chat}, None))
        )
        await asyncio.sleep(0)  # each one reaches the pacer before the next is written
    await asyncio.gather(*queued)
    assert sent == list(range(1, 91))


async def test_a_bulk_send_takes_a_freed_place_at_once_unless_a_reply_is_in_line() -> None:
    """A place left empty is lost for good: a broadcast takes it the moment it frees. It steps
    aside only when a person's reply is waiting, so the reply still wins."""
    clock = Clock()
    naps = Naps(clock)
    pacer = Pacer(overall_per_second=2, per_chat_interval=1.0, chat_burst=1, monotonic=clock, sleep=naps)
    for chat in (1, 2):
        await pacer.process_request(answered, (), {}, "sendMessage", {"chat_id": chat}, None)
    await pacer.process_request(answered, (), {}, "sendMessage", {"chat_id": 3}, BULK)
    assert naps.taken == [1.0]  # to the instant the first place freed, not a moment later

    naps.taken.clear()
    naps.hold_from = 0.5
    clock.now += 1.0  # both places free again; chat 3's reply below waits for its own chat's second
    await pacer.process_request(answered, (), {}, "sendMessage", {"chat_id": 3}, None)
    waiting = asyncio.create_task(pacer.process_request(answered, (), {}, "sendMessage", {"chat_id": 3}, None))
    await asyncio.sleep(0)  # the reply is in line now
    await pacer.process_request(answered, (), {}, "sendMessage", {"chat_id": 4}, BULK)
    assert naps.taken == [1.0, BULK_YIELD]  # the reply's wait for its chat, then the broadcast's step aside
    naps.release.set()
    await waiting


async def test_a_broadcast_takes_a_crowds_cluster_of_places_as_they_come_free() -> None:
    """Twelve replies answered at once free twelve places together a second later: the
    broadcast takes all twelve then, as the crowd did, rather than leave some empty."""
    clock = Clock()
    naps = Naps(clock)
    pacer = Pacer(overall_per_second=30, per_chat_interval=0, monotonic=clock, sleep=naps)
    for chat in range(1, 13):
        await pacer.process_request(answered, (), {}, "sendMessage", {"chat_id": chat}, None)
    clock.now += 0.5
    for chat in range(13, 31):
        await pacer.process_request(answered, (), {}, "sendMessage", {"chat_id": chat}, None)
    clock.now += 0.5  # the first twelve places are free
    for chat in range(100, 113):
        await pacer.process_request(answered, (), {}, "sendMessage", {"chat_id": chat}, BULK)
    assert naps.taken == [0.5]  # twelve at once; the thirteenth waits for the next places to free


async def test_a_broadcast_on_its_own_is_spread_over_the_second() -> None:
    """Places free for a while are taken a tenth's worth at a time (three of 30 a second), so a
    reply that comes along never finds the whole second's places taken in one burst."""
    clock = Clock()
    naps = Naps(clock)
    pacer = Pacer(overall_per_second=30, per_chat_interval=0, monotonic=clock, sleep=naps)
    for chat in range(100, 107):
        await pacer.process_request(answered, (), {}, "sendMessage", {"chat_id": chat}, BULK)
    assert naps.taken == [0.1, 0.1]  # three, three a tenth later, and the seventh a tenth after that
