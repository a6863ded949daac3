"""One rate limiter for every request the bot makes, built for Telegram's limits.

Why not PTB's AIORateLimiter: it does not pace private chats (about one message a second
each), and its pause after a 429 can be lifted early when another request finishes. Here:
- overall: at most `overall_per_second` messages in any one-second window;
- people's own replies win every tie with bulk sends (outbox): a bulk send that finds a place
  while replies stand in line steps aside for a moment, so a reply waits at most for the next
  slot to free (a thirtieth of a second while a broadcast runs). With nobody in line it takes
  the place the moment it frees: a place left empty for a moment is a moment lost for good, and
  a broadcast sharing the budget with a crowd's replies has few places to lose;
- bulk sends are spread over the second (at most a tenth of a second's worth in any tenth),
  never one big burst, so slots keep coming free for replies instead of all at once when the
  window turns over. The one exception is places that came free in the last tenth: bulk sends
  may take as many as that at once. Replies come in clusters (a crowd answered at once), and
  when the crowd goes quiet the broadcast inherits their places a second later, a cluster at a
  time; spreading each cluster out again would leave places empty, and keeping it makes no
  burst that was not already there;
- every limit is timed from when a request's answer came back, not from when it left: the
  moment Telegram counted it lies somewhere in between, so however late the network delivers
  a request (two saturated cores can hold one back for tens of milliseconds), the next one
  cannot reach Telegram inside the same window; a request still in flight holds its place;
- bulk sends to one chat are at least `per_chat_interval` apart, and also count in that chat's
  window of replies when it has one (the person is talking to the bot); groups get 20 a minute;
- a person's own new messages and edits in one private chat may come `chat_burst` at once
  (Telegram allows short bursts), then one per `per_chat_interval`, so a long answer is slowed
  here, not by 429s. Sending and editing share a chat's limits, but edits are not part of the
  overall budget of new messages (Telegram's 30 a second is for messages to many chats); they
  have their own overall pace when `edits_per_second` is set;
- replies waiting for the same place are sent in the order they came (see `_acquire`), so
  when a crowd's first answers queue for the 30 a second nobody waits twice as long by chance;
- a bulk send may pass `started` (an async callable) in its rate_limit_args: it is awaited once
  the send has its slot, just before the request leaves, so the outbox knows what is in flight;
- a 429 pauses *everything* until its retry_after has passed, and nothing lifts it early; a
  person's reply is sent once it has passed, through any number of 429s up to a minute's wait.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

from bot import taps
from domain.delivery import CHAT_BURST

BULK = {"bulk": True}
BULK_SLICE = 0.1  # seconds: bulk sends take at most this share of a second's slots at a time
BULK_YIELD = 0.005  # a bulk send steps aside this long when replies are in line for the place
Answer = bool | dict[str, Any] | list[dict[str, Any]]  # what a Bot API call returns
IN_FLIGHT_POLL = 0.01  # seconds: how often a waiter looks again when every place is in flight
LINE_STEP = 1e-4  # seconds: a waiting reply wakes this much later per reply ahead of it in line
LINE_HELD = 40  # places kept in order; 40 steps (4 ms) stay below BULK_YIELD, and those behind move up


class Window:
    """At most `capacity` requests in any `span` seconds, each counted from its answer."""

    __slots__ = ("capacity", "span", "done", "in_flight", "remember", "freed")

    def __init__(self, capacity: int, span: float, remember: float = 0.0) -> None:
        self.capacity = capacity
        self.span = span
        self.done: deque[float] = deque()  # when answered requests came back, oldest first
        self.in_flight = 0
        self.remember = remember  # seconds: how long to remember when places came free (0: not at all)
        self.freed: deque[float] = deque()  # when places came free in the last `remember` seconds

    def wait(self, now: float) -> float:
        """0.0 when one more request fits now, else how long to wait before looking again."""
        while self.done and self.done[0] <= now - self.span:
            answered = self.done.popleft()
            if self.remember:
                self.freed.append(answered + self.span)
        while self.freed and self.freed[0] <= now - self.remember:
            self.freed.popleft()
        if len(self.done) + self.in_flight < self.capacity:
            return 0.0
        return self.done[0] + self.span - now if self.done else IN_FLIGHT_POLL

    def next_free(self) -> float:
        """When the oldest place taken comes free (infinity when none is known to)."""
        return self.done[0] + self.span if self.done else math.inf

    def take(self) -> None:
        self.in_flight += 1

    def settle(self, now: float) -> None:
        self.in_flight -= 1
        self.done.append(now)

    @property
    def idle(self) -> bool:
        return not self.in_flight and not self.done


class Pacer(BaseRateLimiter[dict[str, Any]]):
    def __init__(
        self,
        overall_per_second: float = 30,
        per_chat_interval: float = 1.0,
        group_per_minute: int = 20,
        chat_burst: int = CHAT_BURST,
        interactive_retries: int = 2,
        interactive_patience: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
        edits_per_second: float | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.overall = overall_per_second
        self._base = overall_per_second
        self._edits_base = edits_per_second
        self._edits = _window_for(edits_per_second) if edits_per_second else None
        self.per_chat_interval = per_chat_interval
        self.group_per_minute = group_per_minute
        self.chat_burst = chat_burst
        self.interactive_retries = interactive_retries
        self.interactive_patience = interactive_patience
        self._now = monotonic
        self._sleep = sleep  # with `monotonic`, lets a test run the pacer's time itself
        self._window = _window_for(overall_per_second, remember=BULK_SLICE)
        self._groups: dict[int, Window] = {}
        self._bulk_chats: dict[int, Window] = {}  # bulk sends per chat, one per interval
        self._replies: dict[int, Window] = {}  # a person's own new messages per private chat
        self._paused_until = 0.0
        self._growth: tuple[float, int] | None = None  # (when, instances): a bigger share, not yet taken
        self._bulk_recent: deque[float] = deque()  # the last few bulk sends' slots
        self._tickets = itertools.count()  # each reply's place in line, in the order they came
        self._line: list[int] = []  # tickets of the replies waiting for a place, in order
        self._lock = asyncio.Lock()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def share(self, instances: int) -> None:
        """Take an equal part of the overall budget when `instances` processes send (bot/peers.py).
        A bigger part (another process stopped) is taken one window later: what that process sent
        in its last second still counts at Telegram, and the window cannot see it."""
        instances = max(1, instances)
        if self._base / instances > self.overall:
            self._growth = (self._now() + self._window.span, instances)
            return
        self._growth = None
        self._take_share(instances)

    def _take_share(self, instances: int) -> None:
        self.overall = self._base / instances
        _resize(self._window, self.overall)
        if self._edits is not None and self._edits_base:
            _resize(self._edits, self._edits_base / instances)

    def chat_busy_for(self, chat_id: int) -> float:
        """Seconds until a bulk send to `chat_id` fits its chat's own limits (0.0: now), so the
        outbox can leave it for a later round instead of making a round wait for it."""
        now = self._now()
        windows = (self._groups.get(chat_id), self._bulk_chats.get(chat_id), self._replies.get(chat_id))
        return max((window.wait(now) for window in windows if window is not None), default=0.0)

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._now() + seconds)

    def _windows(self, chat_id: int | None, bulk: bool, new: bool, edit: bool = False) -> list[Window]:
        """Every limit one request to `chat_id` counts against."""
        overall = self._edits if edit else self._window
        windows = [overall] if overall is not None else []
        if chat_id is None:
            return windows
        if chat_id < 0:
            windows.append(self._groups.setdefault(chat_id, Window(self.group_per_minute, 60.0)))
        if bulk and self.per_chat_interval > 0:
            windows.append(self._bulk_chats.setdefault(chat_id, Window(1, self.per_chat_interval)))
            replies = self._replies.get(chat_id)
            if replies is not None:  # Telegram counts both: a nudge right after a burst of replies waits
                windows.append(replies)
        elif (new or edit) and chat_id > 0 and self.per_chat_interval > 0:
            if len(self._replies) > 10_000:  # forget chats that have gone quiet
                self._replies = {chat: window for chat, window in self._replies.items() if not window.idle}
            windows.append(
                self._replies.setdefault(chat_id, Window(self.chat_burst, self.chat_burst * self.per_chat_interval))
            )
        return windows

    def _wait_time(self, windows: list[Window], bulk: bool) -> float:
        now = self._now()
        waits = [self._paused_until - now, *(window.wait(now) for window in windows)]
        if bulk:
            while self._bulk_recent and self._bulk_recent[0] <= now - BULK_SLICE:
                self._bulk_recent.popleft()
            if len(self._bulk_recent) >= max(1, int(self.overall * BULK_SLICE), len(self._window.freed)):
                waits.append(min(self._bulk_recent[0] + BULK_SLICE, self._window.next_free()) - now)
        return max(waits)

    async def _acquire(self, chat_id: int | None, bulk: bool, new: bool = True, edit: bool = False) -> list[Window]:
        """Wait for a place in every window the request counts against, and take it.

        Waiters all sleep until the same moment, when the oldest place comes free, and the event
        loop would wake them in no set order. So each reply sleeps a little longer for each reply
        ahead of it in line: the first to come wakes first and takes the place."""
        ticket = -1 if bulk else next(self._tickets)
        try:
            return await self._wait_in_line(chat_id, bulk, new, edit, ticket)
        finally:
            if ticket >= 0:  # bulk sends never stand in line
                place = bisect.bisect_left(self._line, ticket)
                if place < len(self._line) and self._line[place] == ticket:
                    del self._line[place]  # served, or gave up waiting

    async def _wait_in_line(self, chat_id: int | None, bulk: bool, new: bool, edit: bool, ticket: int) -> list[Window]:
        yielded = False  # a bulk send stepped aside once for the replies in line
        while True:
            async with self._lock:
                if self._growth is not None and self._now() >= self._growth[0]:
                    self._take_share(self._growth[1])
                    self._growth = None
                windows = self._windows(chat_id, bulk, new, edit)
                wait = self._wait_time(windows, bulk)
                if bulk and wait <= 0 and self._line and not yielded:
                    wait, yielded = BULK_YIELD, True  # a person is waiting: their reply takes this place
                elif wait > 0:
                    yielded = False
                if wait <= 0:
                    for window in windows:
                        window.take()
                    if bulk:
                        self._bulk_recent.append(self._now())
                    return windows
                lag = 0.0
                if ticket >= 0:
                    place = bisect.bisect_left(self._line, ticket)
                    if place == len(self._line) or self._line[place] != ticket:
                        self._line.insert(place, ticket)
                    lag = min(place, LINE_HELD) * LINE_STEP
            await self._sleep(wait + lag)

    async def _send(
        self,
        windows: list[Window],
        started: Callable[[], Awaitable[None]] | None,
        callback: Callable[..., Coroutine[Any, Any, Answer]],
        args: Any,
        kwargs: dict[str, Any],
    ) -> Answer:
        """Send with the places taken; they count from the moment the answer (or error) is back."""
        try:
            if started is not None:
                await started()
            return await callback(*args, **kwargs)
        finally:
            now = self._now()
            for window in windows:
                window.settle(now)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Answer]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> Answer:
        raw_chat = data.get("chat_id")
        bulk = bool(rate_limit_args and rate_limit_args.get("bulk"))
        started: Callable[[], Awaitable[None]] | None = rate_limit_args.get("started") if rate_limit_args else None
        if raw_chat is None:
            # Not a message (answers to button presses, polling, menus): not counted by Telegram.
            return await callback(*args, **kwargs)
        try:
            chat_id: int | None = int(raw_chat)
        except (TypeError, ValueError):
            chat_id = None
        attempts = 0
        flood_wait = 0.0
        edit = endpoint.startswith("edit")
        new = endpoint.startswith("send") and endpoint != "sendChatAction"
        while True:
            windows = await self._acquire(chat_id, bulk, new=new, edit=edit)
            try:
                answer = await self._send(windows, started, callback, args, kwargs)
                if edit:
                    taps.edited(raw_chat, data.get("message_id"))
                return answer
            except RetryAfter as exc:
                seconds = (
                    exc.retry_after if isinstance(exc.retry_after, int | float) else exc.retry_after.total_seconds()
                )
                self.pause(seconds)
                flood_wait += seconds
                # Bulk sends are rescheduled by the outbox. A person's reply waits the flood out,
                # however many 429s it takes, unless it would keep them waiting beyond patience.
                if bulk or flood_wait > self.interactive_patience:
                    raise
            except (BadRequest, Forbidden):
                raise  # Telegram said no: trying again would not change its mind
            except (TimedOut, NetworkError):
                # A server error or a timeout: the reply a person is waiting for is worth a retry.
                if bulk or attempts >= self.interactive_retries:
                    raise
                attempts += 1
                await asyncio.sleep(0.5 * attempts)


def _window_for(per_second: float, remember: float = 0.0) -> Window:
    """A whole number of places in the span that gives `per_second` (0.5/s: one place in 2 s)."""
    window = Window(1, 1.0, remember)
    _resize(window, per_second)
    return window


def _resize(window: Window, per_second: float) -> None:
    window.capacity = max(1, int(per_second))
    window.span = window.capacity / per_second
