"""Flood limits like Telegram's: a global cap on new messages a second, an optional separate cap
on edits, an optional per-chat cap and a per-group per-minute cap. Sliding windows of
timestamps on `time.monotonic()` so a bot that waits `retry_after` seconds really does get
through, and tests can drive bursts.

What counts where follows what Telegram's Bot API maintainers have said, since the FAQ gives
only the new-message figures: the 30 a second is for messages to many chats; editing a message
is "subject to per chat limits", which sending and editing share (tdlib/telegram-bot-api#648,
tdlib/td#3034); answering a tap is limited by none of them."""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimits:
    """Limits for methods that send or edit messages. None switches a limit off.

    `per_chat_burst` messages may go to one chat within `per_chat_burst / per_chat_per_second`
    seconds, which allows Telegram's "short bursts" while holding the long-run rate. Edits count
    against the chat's and the group's limits like new messages, and against `edits_per_second`
    overall instead of `global_per_second` (None: no overall cap on edits).
    """

    global_per_second: float | None = 30
    edits_per_second: float | None = None
    per_chat_per_second: float | None = None
    per_chat_burst: int = 3  # Telegram's "short bursts": a reply, its edit and one more at once
    group_per_minute: int | None = 20

    @classmethod
    def unlimited(cls) -> RateLimits:
        """No limits at all, for benchmarks that measure the bot and not the flood control."""
        return cls(global_per_second=None, edits_per_second=None, per_chat_per_second=None, group_per_minute=None)


class SlidingWindow:
    """At most `capacity` events in any `window` seconds. Amortised O(1) per event."""

    __slots__ = ("capacity", "window", "events")

    def __init__(self, capacity: int, window: float) -> None:
        self.capacity = capacity
        self.window = window
        self.events: deque[float] = deque()

    @classmethod
    def for_rate(cls, per_second: float) -> SlidingWindow:
        # 30/s -> 30 in 1 s; 0.5/s -> 1 in 2 s; 1.5/s -> 1 in 0.67 s.
        capacity = max(1, math.floor(per_second))
        return cls(capacity, capacity / per_second)

    def wait_time(self, now: float) -> float:
        """Seconds until one more event fits, 0.0 if it fits now."""
        events = self.events
        horizon = now - self.window
        while events and events[0] <= horizon:
            events.popleft()
        if len(events) < self.capacity:
            return 0.0
        return events[0] + self.window - now

    def add(self, now: float) -> None:
        self.events.append(now)


class RateLimiter:
    """Applies one RateLimits; replaced wholesale when the limits change at run time."""

    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self._global = SlidingWindow.for_rate(limits.global_per_second) if limits.global_per_second else None
        self._edits = SlidingWindow.for_rate(limits.edits_per_second) if limits.edits_per_second else None
        self._per_chat: dict[int, SlidingWindow] = {}
        self._per_group: dict[int, SlidingWindow] = {}
        self._checks = 0

    def _chat_window(self, chat_id: int) -> SlidingWindow | None:
        rate = self.limits.per_chat_per_second
        if not rate:
            return None
        window = self._per_chat.get(chat_id)
        if window is None:
            burst = max(1, self.limits.per_chat_burst)
            window = self._per_chat[chat_id] = SlidingWindow(burst, burst / rate)
        return window

    def _group_window(self, chat_id: int, is_group: bool) -> SlidingWindow | None:
        per_minute = self.limits.group_per_minute
        if not is_group or not per_minute:
            return None
        window = self._per_group.get(chat_id)
        if window is None:
            window = self._per_group[chat_id] = SlidingWindow(per_minute, 60.0)
        return window

    def acquire(self, chat_id: int, *, is_group: bool, edit: bool = False, now: float | None = None) -> int | None:
        """Record one message or edit if every limit allows it; otherwise return retry_after (>= 1)."""
        now = time.monotonic() if now is None else now
        overall = self._edits if edit else self._global
        windows = [
            w for w in (overall, self._chat_window(chat_id), self._group_window(chat_id, is_group)) if w is not None
        ]
        wait = max((w.wait_time(now) for w in windows), default=0.0)
        if wait > 0:
            return max(1, math.ceil(wait))
        for window in windows:
            window.add(now)
        self._checks += 1
        if self._checks % 4096 == 0:
            self._forget_idle(now)
        return None

    def chat_wait(self, chat_id: int, now: float | None = None) -> float:
        """Seconds until one more message or edit fits in this private chat (0.0: it fits now)."""
        window = self._chat_window(chat_id)
        return window.wait_time(time.monotonic() if now is None else now) if window else 0.0

    def _forget_idle(self, now: float) -> None:
        """Drop windows of chats that have gone quiet, so a long broadcast doesn't keep 10k deques."""
        for table in (self._per_chat, self._per_group):
            idle = [key for key, window in table.items() if window.wait_time(now) == 0.0 and not window.events]
            for key in idle:
                del table[key]
