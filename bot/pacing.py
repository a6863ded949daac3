"""One rate limiter for every request the bot makes, built for Telegram's limits.

Why not PTB's AIORateLimiter: it does not pace private chats (about one message a second
each), and its pause after a 429 can be lifted early when another request finishes. Here:
- overall: at most `overall_per_second` messages in any one-second window;
- people's own replies win every tie with bulk sends (outbox): a bulk send waiting for a slot
  wakes a moment later than a reply would, so a reply waits at most for the next slot to free
  (a thirtieth of a second while a broadcast runs), and bulk sends use every slot replies leave;
- bulk sends are spread over the second (at most a tenth of a second's worth in any tenth),
  never one big burst, so slots keep coming free for replies instead of all at once when the
  window turns over;
- the window is 20 ms longer than a second, to absorb network jitter between here and Telegram;
- bulk sends to one chat are at least `per_chat_interval` apart; groups get 20 a minute;
- a person's own new messages to one private chat may come `chat_burst` at once (Telegram
  allows short bursts), then one per `per_chat_interval`, so a long answer is slowed here, not
  by 429s; edits count against the overall budget only (Telegram paces them more loosely);
- a bulk send may pass `started` (an async callable) in its rate_limit_args: it is awaited once
  the send has its slot, just before the request leaves, so the outbox knows what is in flight;
- a 429 pauses *everything* until its retry_after has passed, and nothing lifts it early; a
  person's reply is sent once it has passed, through any number of 429s up to a minute's wait.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

from domain.delivery import CHAT_BURST

BULK = {"bulk": True}
WINDOW = 1.02
BULK_SLICE = 0.1  # seconds: bulk sends take at most this share of a second's slots at a time
BULK_YIELD = 0.005  # bulk waiters wake this much later, so a waiting reply takes the slot


class Pacer(BaseRateLimiter[dict[str, Any]]):
    def __init__(self, overall_per_second: float = 30, per_chat_interval: float = 1.0,
                 group_per_minute: int = 20, chat_burst: int = CHAT_BURST, interactive_retries: int = 2,
                 interactive_patience: float = 60.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.overall = overall_per_second
        self.per_chat_interval = per_chat_interval
        self.group_per_minute = group_per_minute
        self.chat_burst = chat_burst
        self.interactive_retries = interactive_retries
        self.interactive_patience = interactive_patience
        self._now = monotonic
        self._window: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}
        self._last_bulk: dict[int, float] = {}
        self._replies: dict[int, deque[float]] = {}  # recent replies per private chat
        self._paused_until = 0.0
        self._bulk_recent: deque[float] = deque()  # the last few bulk sends' slots
        self._lock = asyncio.Lock()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._now() + seconds)

    def _wait_time(self, chat_id: int | None, bulk: bool, new: bool = True) -> float:
        now = self._now()
        waits = [self._paused_until - now]
        while self._window and self._window[0] <= now - WINDOW:
            self._window.popleft()
        if len(self._window) >= self.overall:
            waits.append(self._window[0] + WINDOW - now + (BULK_YIELD if bulk else 0.0))
        if chat_id is not None and chat_id < 0:
            sent = self._groups.setdefault(chat_id, deque())
            while sent and sent[0] <= now - 60.0:
                sent.popleft()
            if len(sent) >= self.group_per_minute:
                waits.append(sent[0] + 60.0 - now)
        if new and not bulk and chat_id is not None and chat_id > 0 and self.per_chat_interval > 0:
            waits.append(self._reply_wait(chat_id, now))
        if bulk:
            span = BULK_SLICE * WINDOW
            while self._bulk_recent and self._bulk_recent[0] <= now - span:
                self._bulk_recent.popleft()
            if len(self._bulk_recent) >= max(1, int(self.overall * BULK_SLICE)):
                waits.append(self._bulk_recent[0] + span - now)
        if bulk and chat_id is not None and chat_id in self._last_bulk:
            waits.append(self._last_bulk[chat_id] + self.per_chat_interval - now)
        return max(waits)

    def _reply_wait(self, chat_id: int, now: float) -> float:
        span = self.chat_burst * self.per_chat_interval + WINDOW - 1.0  # the same jitter margin
        if len(self._replies) > 10_000:  # forget chats that have gone quiet
            self._replies = {chat: sent for chat, sent in self._replies.items() if sent and sent[-1] > now - span}
        sent = self._replies.setdefault(chat_id, deque())
        while sent and sent[0] <= now - span:
            sent.popleft()
        return sent[0] + span - now if len(sent) >= self.chat_burst else 0.0

    async def _acquire(self, chat_id: int | None, bulk: bool, new: bool = True) -> None:
        while True:
            async with self._lock:
                wait = self._wait_time(chat_id, bulk, new)
                if wait <= 0:
                    now = self._now()
                    self._window.append(now)
                    if chat_id is not None and chat_id < 0:
                        self._groups[chat_id].append(now)
                    if bulk:
                        self._bulk_recent.append(now)
                    if bulk and chat_id is not None:
                        self._last_bulk[chat_id] = now
                    elif new and chat_id in self._replies:  # a person's new message to a private chat
                        self._replies[chat_id].append(now)
                    return
            await asyncio.sleep(wait)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
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
        while True:
            await self._acquire(chat_id, bulk, new=endpoint.startswith("send"))
            if started is not None:
                await started()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = (exc.retry_after if isinstance(exc.retry_after, int | float)
                           else exc.retry_after.total_seconds())
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
