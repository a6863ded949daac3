"""The outbox sender: works from database rows, so a restart loses nothing.

It claims due rows (round-robin across batches, one to each chat whose own limits let it go
now, so a busy chat never holds a round back), plus rows allowed to go early (reminders)
when a rush would otherwise make them late, sends them through the Pacer with a few
requests in flight, records each request as it leaves (once the Pacer gives it a slot) and
settles each row as soon as Telegram answers. Rows claimed but not settled when the process
died are sent again on start (at-least-once). Only those whose request had left go silently:
the Bot API has no idempotency key, so a message in flight at the instant of a kill may
arrive twice. That window is one request wide per worker; a row still waiting for its slot
goes with its notification, and everything settled is never sent again.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.clock import Clock
from bot.pacing import BULK
from bot.tasks import cancel_and_wait
from domain.delivery import retry_delay
from storage.outbox import BatchProgress, Outbox, QueuedMessage

log = logging.getLogger(__name__)

ProgressHook = Callable[[BatchProgress], Awaitable[None]]
REPORTS_KEPT = 256  # batches whose last report is remembered, the oldest forgotten first


class OutboxSender:
    def __init__(
        self,
        outbox: Outbox,
        bot: ExtBot[Any],
        clock: Clock,
        *,
        rate: float,
        workers: int = 4,
        per_batch: int = 30,
        idle_poll: float = 1.0,
        paid: bool = False,
        chat_busy_for: Callable[[int], float] = lambda _chat: 0.0,
    ) -> None:
        self.outbox = outbox
        self.bot = bot
        self.clock = clock
        self.rate = rate
        self.workers = workers
        self.per_batch = per_batch
        self.idle_poll = idle_poll
        self.paid = paid
        self.chat_busy_for = chat_busy_for  # the pacer's view of each chat's own limits
        self.progress_hooks: dict[str, ProgressHook] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._reporting = asyncio.Lock()
        self._reported: dict[int, BatchProgress] = {}  # what each batch's last report showed
        self.recovered = 0

    def on_progress(self, kind: str, hook: ProgressHook) -> None:
        """Features register how to show progress and completion for their kind of batch."""
        self.progress_hooks[kind] = hook

    async def start(self) -> None:
        self.recovered = await self.outbox.recover_in_flight()
        if self.recovered:
            log.warning("Re-queued %d message(s) that were in flight when the bot stopped", self.recovered)
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    @property
    def alive(self) -> bool:
        """Started and its loop still running (the health endpoint reports this)."""
        return self._task is not None and not self._task.done()

    def wake(self) -> None:
        """New rows were queued, or the clock moved: look again now."""
        self._idle.clear()
        self._wake.set()

    async def drain(self) -> None:
        """Wait until nothing due is left (used by tests and at the end of benchmarks)."""
        self.wake()
        await self._idle.wait()

    async def _run(self) -> None:
        while True:
            self._wake.clear()  # before looking, so a wake-up during the round is not lost
            held: float | None = None
            try:
                sent, held = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bad row or a database hiccup must not stop all delivery
                log.exception("Outbox cycle failed; trying again shortly")
                sent = 0
            if sent or self._wake.is_set():
                continue
            if held is None:
                self._idle.set()
            try:  # rows held back for a busy chat are due: look again as soon as it is free
                await asyncio.wait_for(self._wake.wait(), timeout=self.idle_poll if held is None else max(held, 0.01))
            except TimeoutError:
                pass

    async def run_once(self) -> tuple[int, float | None]:
        """Send one round of due messages; returns how many rows were handled, and when to look
        again for due rows held back because their chat was busy (None: none was)."""
        claim = await self.outbox.claim_due(self.clock.now(), self.per_batch, self.rate, self.chat_busy_for)
        rows = claim.rows
        if not rows:
            return 0, claim.held
        queue: asyncio.Queue[QueuedMessage] = asyncio.Queue()
        for row in rows:
            queue.put_nowait(row)

        async def worker() -> None:
            while not queue.empty():
                await self._deliver(queue.get_nowait())

        await asyncio.gather(*(worker() for _ in range(min(self.workers, len(rows)))))
        for batch_id in sorted({row.batch_id for row in rows}):
            await self.report(batch_id)
        return len(rows), claim.held

    async def _deliver(self, row: QueuedMessage) -> None:
        now = self.clock.now()
        limits = {**BULK, "started": partial(self.outbox.mark_requested, row.id, now)}
        try:
            markup = InlineKeyboardMarkup.de_json(json.loads(row.markup), self.bot) if row.markup else None
            if row.file_id and row.file_kind == "photo":  # a meeting's papers: files Telegram already holds
                message = await self.bot.send_photo(
                    row.chat_id,
                    row.file_id,
                    caption=row.text or None,
                    reply_markup=markup,
                    disable_notification=row.maybe_sent,
                    allow_paid_broadcast=self.paid,
                    rate_limit_args=limits,
                )
            elif row.file_id:
                message = await self.bot.send_document(
                    row.chat_id,
                    row.file_id,
                    caption=row.text or None,
                    reply_markup=markup,
                    disable_notification=row.maybe_sent,
                    allow_paid_broadcast=self.paid,
                    rate_limit_args=limits,
                )
            elif row.file_name and row.file_data is not None and row.file_name.endswith(".png"):
                # A picture (a vote's results chart) shows in the chat, readable without opening a file.
                message = await self.bot.send_photo(
                    row.chat_id,
                    io.BytesIO(row.file_data),
                    caption=row.text,
                    reply_markup=markup,
                    disable_notification=row.maybe_sent,
                    allow_paid_broadcast=self.paid,
                    rate_limit_args=limits,
                )
            elif row.file_name and row.file_data is not None:
                message = await self.bot.send_document(
                    row.chat_id,
                    io.BytesIO(row.file_data),
                    filename=row.file_name,
                    caption=row.text,
                    reply_markup=markup,
                    disable_notification=row.maybe_sent,
                    allow_paid_broadcast=self.paid,
                    rate_limit_args=limits,
                )
            else:
                message = await self.bot.send_message(
                    row.chat_id,
                    row.text,
                    reply_markup=markup,
                    disable_notification=row.maybe_sent,
                    allow_paid_broadcast=self.paid,
                    rate_limit_args=limits,
                )
        except Forbidden:
            await self.outbox.mark_unreachable(row.id, row.participant_id, now)
        except RetryAfter as exc:
            seconds = exc._retry_after.total_seconds()  # noqa: SLF001 - PTB exposes it as int or timedelta
            await self.outbox.retry_later(row.id, now + timedelta(seconds=seconds), "429", count_attempt=False)
        except BadRequest as exc:  # before NetworkError, its parent class: a refusal is not transient
            log.error("Telegram refused outbox message %s: %s", row.id, exc)
            await self.outbox.mark_failed(row.id, str(exc))
        except (TimedOut, NetworkError) as exc:
            delay = retry_delay(row.attempts + 1)
            if delay is None:
                await self.outbox.mark_failed(row.id, str(exc))
            else:
                await self.outbox.retry_later(row.id, now + delay, str(exc))
        else:
            await self.outbox.mark_sent(row.id, message.message_id, self.clock.now())

    async def report(self, batch_id: int) -> None:
        """Show a batch's progress to whoever started it. Also called once its progress message
        exists, since a small batch can be delivered before the message that reports on it is sent.
        One report at a time, each reading the counts afresh, so an older count never lands last."""
        async with self._reporting:
            progress = await self.outbox.progress(batch_id)
            if progress is None or progress.progress_chat_id is None:
                return  # no progress message yet: the handler asks again once it exists
            if self._reported.get(batch_id) == progress:
                return  # nothing new to show: Telegram refuses an edit that changes nothing
            self._reported[batch_id] = progress
            if len(self._reported) > REPORTS_KEPT:
                del self._reported[next(iter(self._reported))]
            hook = self.progress_hooks.get(progress.kind)
            if hook is not None:
                try:
                    await hook(progress)  # what was compared is what is shown
                except Exception:  # progress display is best effort; delivery goes on
                    log.exception("Progress report for batch %s failed", batch_id)
