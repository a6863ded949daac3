"""Admin: `/jobs` lists scheduled jobs that failed, parked ones first, with "Retry now".

A parked job runs again only from here, so the admin sees why it failed before trying again.
Its button is declared for admins only (`handlers.buttons.admin_buttons`), so the gate refuses anyone else.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import _, format_datetime, ngettext
from bot.keyboards import column
from bot.text import fit_lines
from domain.jobs import error_summary
from domain.roles import ADMINS
from handlers.buttons.admin_buttons import RetryJobButton
from handlers.kit.common import acknowledge, audit, clear_buttons, escape, require, say
from storage.jobs import Job

# As many as fit one message with their errors (each error at most 200 characters).
LISTED = 12


def _name(job: Job) -> str:
    return f"{job.kind} {job.ref}"


def _status(job: Job, context: BotContext) -> str:
    if job.retry_at is None:  # parked
        return ngettext(
            "Stopped after {count} failed try.", "Stopped after {count} failed tries.", job.attempts
        ).format(count=job.attempts)
    return ngettext(
        "Failed {count} time. Next try: {time}.", "Failed {count} times. Next try: {time}.", job.attempts
    ).format(count=job.attempts, time=format_datetime(job.retry_at, context.services.settings.timezone))


@require(ADMINS, "jobs")
async def jobs_command(update: Update, context: BotContext) -> None:
    failing = await context.services.jobs.failing(LISTED)
    if not failing:
        await say(update, context, _("No scheduled jobs are failing."))
        return
    lines = [_("<b>Jobs that failed</b>"), _("A stopped job waits until you tap “Retry now”.")]
    for job in failing:
        lines += [
            "",
            f"• <code>{escape(_name(job))}</code>",
            _status(job, context),
            _("Last error: {error}").format(error=escape(error_summary(job.last_error))),
        ]
    buttons = [(_("Retry now: {job}").format(job=_name(job)[:40]), RetryJobButton(job.id).pack()) for job in failing]
    await say(update, context, fit_lines(lines), column(buttons))


async def on_retry(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, RetryJobButton)
    await acknowledge(update)  # now: the job may take longer than Telegram waits for an answer
    await clear_buttons(update)
    jobs = context.services.jobs
    job_id = button.job
    job = await jobs.get(job_id)
    scheduler = context.services.scheduler
    succeeded = None if job is None or scheduler is None else await scheduler.retry_now(job_id)
    outcome = {True: "done", False: "failed", None: "nothing"}[succeeded]
    await audit(context, update, "jobs.retry", outcome, subject=_name(job) if job else str(job_id))
    if job is None or succeeded is None:
        await say(update, context, _("That job has already run or was cancelled."))
    elif succeeded:
        await say(update, context, _("Done: {job} ran without an error.").format(job=escape(_name(job))))
    else:
        after = await jobs.get(job_id)
        await say(
            update,
            context,
            _("{job} failed again: {error}").format(
                job=escape(_name(job)), error=escape(error_summary(after.last_error if after else None))
            ),
        )
    await jobs_command(update, context)


def handlers() -> list[object]:
    return [
        CommandHandler("jobs", jobs_command),
        CallbackQueryHandler(on_retry, pattern=RetryJobButton.pattern()),
    ]
