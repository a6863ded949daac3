"""Scheduled jobs on the bot's clock: a failing job never holds up the others, is retried on
its backoff schedule, is parked after JOB_MAX_ATTEMPTS, and a restart changes none of it;
the APScheduler wake-up runs due (and missed) jobs by itself; admins see and retry parked
jobs with /jobs, residents cannot."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.config import ConfigError, load_settings
from domain.jobs import error_summary, retry_delay
from handlers.buttons.admin_buttons import RetryJobButton
from storage.times import from_db
from tests.conftest import ADMIN_ID
from tests.harness import TestBed
from tests.test_meetings import create_meeting, group_with
from tests.test_opportunities import staff

BROKEN = "test.broken"


class Flaky:
    """A job handler that fails until it is fixed, and remembers when it was called."""

    def __init__(self, bed: TestBed) -> None:
        self.bed = bed
        self.fixed = False
        self.calls: list[str] = []
        self.ran = asyncio.Event()

    def register(self) -> None:
        """After every (re)start, as the bot's own kinds are registered at start-up."""
        self.bed.services.scheduler.register(BROKEN, self)

    async def __call__(self, ref: str) -> None:
        self.calls.append(ref)
        self.ran.set()
        if not self.fixed:
            raise RuntimeError("printer on fire\nTraceback detail an admin need not read")


async def row(bed: TestBed, kind: str = BROKEN) -> dict:
    found = await bed.db.fetchone("SELECT * FROM jobs WHERE kind = ?", (kind,))
    assert found is not None
    return dict(found)


def test_backoff_grows_then_parks() -> None:
    waits = [retry_delay(failures, 5) for failures in range(1, 6)]
    assert waits == [timedelta(minutes=1), timedelta(minutes=4), timedelta(minutes=16), timedelta(minutes=64), None]
    assert retry_delay(9, 20) == timedelta(hours=6)
    assert retry_delay(1, 1) is None
    assert error_summary("ValueError: bad\nmore") == "ValueError: bad"
    assert len(error_summary("x" * 500)) == 200 and error_summary(None) == ""


def test_job_max_attempts_setting() -> None:
    assert load_settings({"BOT_TOKEN": "1:abc"}, env_file=None).job_max_attempts == 5
    assert load_settings({"BOT_TOKEN": "1:abc", "JOB_MAX_ATTEMPTS": "3"}, env_file=None).job_max_attempts == 3
    with pytest.raises(ConfigError, match="JOB_MAX_ATTEMPTS"):
        load_settings({"BOT_TOKEN": "1:abc", "JOB_MAX_ATTEMPTS": "0"}, env_file=None)


async def test_a_failing_job_does_not_delay_the_job_due_after_it(bed: TestBed):
    cora = await staff(bed)
    await group_with(bed, cora, "Ann")
    await create_meeting(cora)  # its poll closes in 2 days: a real job, due after the broken ones
    flaky = Flaky(bed)
    flaky.register()
    now = bed.clock.now()
    await bed.services.jobs.schedule(BROKEN, "7", now + timedelta(hours=1))
    await bed.services.jobs.schedule("test.nobody", "1", now + timedelta(hours=2))  # no handler at all

    await bed.services.scheduler.run_due()  # the retention check seeded at first start
    failed_at = bed.clock.advance(timedelta(days=2, minutes=1))
    # The poll closed, its reminder ran, and the next daily retention check.
    assert await bed.services.scheduler.run_due() == 3
    assert "The poll has closed" in cora.last_text
    assert flaky.calls == ["7"]
    broken = await row(bed)
    assert broken["attempts"] == 1 and broken["done_at"] is None and broken["parked_at"] is None
    assert broken["last_error"].startswith("RuntimeError: printer on fire")
    assert broken["retry_at"] == (failed_at + timedelta(minutes=1)).isoformat(timespec="seconds")
    assert (await row(bed, "test.nobody"))["last_error"] == "LookupError: no handler for job kind test.nobody"

    # It no longer comes back first every pass: nothing else runs it before its retry time.
    assert await bed.services.scheduler.run_due() == 0
    assert flaky.calls == ["7"]
    assert bed.services.scheduler.next_wake == failed_at + timedelta(minutes=1)


async def test_a_failing_job_is_retried_on_the_backoff_schedule_and_parked_across_restarts(bed: TestBed):
    flaky = Flaky(bed)
    flaky.register()
    await bed.services.scheduler.run_due()  # the retention check seeded at first start; its next is tomorrow
    first = bed.clock.now() + timedelta(hours=1)
    await bed.services.jobs.schedule(BROKEN, "7", first)
    assert bed.services.scheduler.next_wake == first  # the wake-up is set for the due time, not a poll
    bed.clock.set(first)
    await bed.services.scheduler.run_due()
    for attempt, wait in enumerate((1, 4, 16, 64), start=1):
        assert len(flaky.calls) == attempt
        retry_at = bed.clock.now() + timedelta(minutes=wait)
        assert (await row(bed))["retry_at"] == retry_at.isoformat(timespec="seconds")
        await bed.restart()  # a restart in between: the row keeps the count and the next try
        flaky.register()
        assert bed.services.scheduler.next_wake == retry_at
        bed.clock.set(retry_at - timedelta(seconds=1))
        await bed.services.scheduler.run_due()
        assert len(flaky.calls) == attempt, "retried before its time"
        bed.clock.set(retry_at)
        await bed.services.scheduler.run_due()

    parked = await row(bed)
    assert len(flaky.calls) == 5 and parked["attempts"] == 5
    assert parked["parked_at"] == bed.clock.now().isoformat(timespec="seconds") and parked["retry_at"] is None
    others = await bed.db.fetchval("SELECT MIN(due_at) FROM jobs WHERE done_at IS NULL AND kind != ?", (BROKEN,))
    assert bed.services.scheduler.next_wake == from_db(others)  # a parked job wakes nobody
    await bed.restart()
    flaky.register()
    bed.clock.advance(timedelta(days=365))
    await bed.services.scheduler.run_due()
    assert len(flaky.calls) == 5, "a parked job runs only when an admin asks"

    # Scheduling the job again (say, a poll moved) starts it afresh.
    await bed.services.jobs.schedule(BROKEN, "7", bed.clock.now())
    assert (await row(bed))["attempts"] == 0


async def test_the_wake_up_runs_due_jobs_by_itself_and_missed_jobs_once_after_downtime(bed: TestBed):
    cora = await staff(bed)
    await group_with(bed, cora, "Ann")
    await create_meeting(cora)
    flaky = Flaky(bed)
    flaky.fixed = True
    flaky.register()
    await bed.services.jobs.schedule(BROKEN, "soon", bed.clock.now() + timedelta(days=3))

    await bed.stop()
    bed.clock.advance(timedelta(days=10))  # the poll's closing, its reminder and our job all missed
    await bed.start()
    flaky.register()  # before the loop runs again, as the bot's own kinds are
    await asyncio.wait_for(flaky.ran.wait(), timeout=10)  # the wake-up fires at once, unprompted
    assert await bed.services.scheduler.run_due() == 0  # each missed job ran once, none is left
    assert flaky.calls == ["soon"]
    assert "The poll has closed" in cora.last_text
    assert (
        await bed.db.fetchval("SELECT COUNT(*) FROM jobs WHERE done_at IS NULL AND kind != 'privacy.retention'") == 0
    )  # that one books the next day

    # A job scheduled for now, while the bot runs, is run by the wake-up too.
    flaky.ran.clear()
    await bed.services.jobs.schedule(BROKEN, "now", bed.clock.now())
    await asyncio.wait_for(flaky.ran.wait(), timeout=10)
    assert flaky.calls == ["soon", "now"]


async def test_admins_see_parked_jobs_and_retry_them_and_residents_cannot(bed: TestBed):
    bed.configure(job_max_attempts=2)
    await bed.restart()
    admin = await bed.joined("Ada", user_id=ADMIN_ID)
    rex = await bed.joined("Rex")
    flaky = Flaky(bed)
    flaky.register()
    await admin.send("/jobs")
    assert "No scheduled jobs are failing" in admin.reply_text

    await bed.services.jobs.schedule(BROKEN, "7", bed.clock.advance(timedelta(hours=1)))
    await bed.services.scheduler.run_due()
    await admin.send("/jobs")
    assert "Failed 1 time. Next try: Monday 23 November 2026, 11:01." in admin.reply_text, admin.reply_text
    bed.clock.advance(timedelta(minutes=1))
    await bed.services.scheduler.run_due()
    await admin.send("/jobs")
    listing = admin.reply_text
    assert "test.broken 7" in listing and "Stopped after 2 failed tries" in listing
    assert "RuntimeError: printer on fire" in listing and "Traceback detail" not in listing

    list_message = admin.messages[-1]["message_id"]
    await rex.send("/jobs")
    assert "can't do that" in rex.reply_text and "test.broken" not in rex.reply_text
    job_id = (await row(bed))["id"]
    await rex.press(list_message, RetryJobButton(job_id).pack())
    assert "can't do that" in rex.callback_answer()["text"]
    assert len(flaky.calls) == 2 and (await row(bed))["attempts"] == 2

    await admin.tap("Retry now: test.broken 7")
    assert "failed again: RuntimeError: printer on fire" in admin.reply_text
    assert (await row(bed))["attempts"] == 3 and (await row(bed))["parked_at"] is not None
    flaky.fixed = True
    await admin.tap("Retry now: test.broken 7")
    assert "Done: test.broken 7 ran without an error" in admin.reply_text
    assert "No scheduled jobs are failing" in admin.reply_text
    assert (await row(bed))["done_at"] is not None and len(flaky.calls) == 4
    await admin.press(list_message, RetryJobButton(job_id).pack())  # a second tap on an old list
    assert "already run" in admin.reply_text and len(flaky.calls) == 4

    outcomes = [
        tuple(r)
        for r in await bed.db.fetchall(
            "SELECT actor_telegram_id, action, outcome FROM audit_log"
            " WHERE action IN ('jobs', 'button.aj', 'jobs.retry') ORDER BY id"
        )
    ]
    assert outcomes == [
        (rex.id, "jobs", "refused"),
        (rex.id, "button.aj", "refused"),
        (ADMIN_ID, "jobs.retry", "failed"),
        (ADMIN_ID, "jobs.retry", "done"),
        (ADMIN_ID, "jobs.retry", "nothing"),
    ]
