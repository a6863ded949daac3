"""Privacy rights: read the notice, download everything we hold, erase it."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import _, format_date, language
from bot.keyboards import callback_parts, keyboard
from bot.notify import notify
from bot.scheduler import JobHandler
from bot.services import Services
from domain.retention import NOTICE_DAYS, cutoffs, next_sweep
from handlers.common import acknowledge, audit, clear_buttons, say
from handlers.onboarding import NOTICE_VERSION, privacy_summary
from storage.participants import Participant

CONFIRM_MINUTES = 10
RETENTION = "privacy.retention"


async def privacy_command(update: Update, context: BotContext) -> None:
    lines = [
        privacy_summary(),
        "",
        _("Who we are: your council's co-production team. Why: to involve you in planning services, "
          "because you agreed."),
        _("How long: until you delete your data, or two years after you last used this service."),
        _("Records the council must keep by law, such as paid expenses, are kept without your name."),
        _("Got a question or a complaint? Ask your council contact. Or ask the ICO, the data watchdog (ico.org.uk)."),
    ]
    await say(update, context, "\n".join(lines))


async def mydata_command(update: Update, context: BotContext) -> None:
    """Everything stored about the person, as a JSON file they can keep."""
    user = update.effective_user
    services = context.services
    data: dict[str, Any] = {"telegram_id": user.id, "notice_version": NOTICE_VERSION}
    if context.participant is not None:
        data.update(await personal_data(services, context.participant.id))
    stored_role = await services.roles.stored_role(user.id)
    if stored_role:
        data["staff_role"] = stored_role
    data["conversation_drafts"] = dict(context.user_data or {})
    data["actions_log"] = await services.audit.entries(limit=1000, actor_telegram_id=user.id)
    payload = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    await audit(context, update, "privacy.export", "ok")
    await context.bot.send_document(
        update.effective_chat.id, io.BytesIO(payload), filename="my-data.json",
        caption=_("This is everything we hold about you."))


async def personal_data(services: Services, participant_id: int) -> dict[str, Any]:
    """What /mydata holds about a participant; also what staff hand someone who takes part
    through them, so both exports stay the same."""
    raw = await services.participants.raw(participant_id)
    data: dict[str, Any] = {"profile": {key: value for key, value in raw.items() if key != "telegram_id"}}
    data["consents"] = await services.participants.consents(participant_id)
    data["topics"] = await services.participants.topics(participant_id)
    data["groups"] = await services.projects.memberships_export(participant_id)
    data.update(await services.opportunities.export(participant_id))
    data["meetings"] = await services.meetings.export(participant_id)
    data["claims"] = await services.claims.export_personal(participant_id)
    data["paid_time_asks"] = await services.pay.export(participant_id)
    data.update(await services.feedback.export_personal(participant_id))
    data["decisions"] = await services.decisions.export_rows(participant_id)
    data.update(await services.cycles.export_personal(participant_id))
    data["what_i_know_about"] = await services.involvement.export(participant_id)
    data["success_ratings"] = await services.success.export_personal(participant_id)
    data["group_reflections"] = await services.closings.export(participant_id)
    data["questions"] = await services.questions.export(participant_id)
    needs = await services.access.get(participant_id)
    data["access_needs"] = {"needs": sorted(needs.needs), "prefers": needs.prefers, "times": sorted(needs.times),
                            "longest": needs.longest, "other": needs.other}
    data["support"] = await services.support.export(participant_id)
    data["entered_by_staff"] = await services.assisted.entries_export(participant_id)
    data["letters"] = await services.assisted.letters_export(participant_id)
    return data


async def delete_command(update: Update, context: BotContext) -> None:
    if context.participant is None:
        await say(update, context, _("We hold no personal data about you, so there is nothing to delete."))
        return
    stamp = int(context.services.clock.now().timestamp())
    text = "\n".join([
        _("<b>Delete your data?</b>"),
        _("We will erase your name, details, topics and groups, and you will stop getting messages."),
        _("Records the council must keep, such as paid expense claims, are kept without your name."),
        _("This cannot be undone."),
    ])
    markup = keyboard([[(_("Yes, delete my data"), f"pv:erase:{stamp}")], [(_("No, keep it"), "pv:keep:0")]])
    await say(update, context, text, markup)


async def on_erase(update: Update, context: BotContext) -> None:
    """Only ever erases the person who pressed the button, and only from a recent confirmation."""
    parts = callback_parts(update.callback_query.data if update.callback_query else None, 3)
    await clear_buttons(update)
    now = context.services.clock.now()
    if parts is None or not parts[2].isdigit() or now.timestamp() - int(parts[2]) > CONFIRM_MINUTES * 60:
        await acknowledge(update, _("That confirmation has expired. Send /delete again."), alert=True)
        return
    await acknowledge(update)
    if context.participant is None:
        await say(update, context, _("We hold no personal data about you, so there is nothing to delete."))
        return
    # Audited first: erasing then detaches this very entry from their Telegram account too.
    await audit(context, update, "privacy.erase", "ok", subject=str(context.participant.id))
    await erase(context.application, context.services, context.participant)
    context.participant = None
    await say(update, context, _("Done. We have erased your personal data.") + "\n"
              + _("If you want to join again one day, send /start."))


async def erase(application: Application[Any, Any, Any, Any, Any, Any], services: Services,
                participant: Participant) -> None:
    """/delete and the retention sweep erase alike: every declared table, and drafts held in memory."""
    await services.participants.erase(participant.id, services.clock.now())
    if participant.telegram_id is not None:
        application.drop_user_data(participant.telegram_id)


async def sweep(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    """Erase people silent for RETENTION_DAYS who were told a month ago; tell those nearly there."""
    now = services.clock.now()
    limits = cutoffs(now.date(), services.settings.retention_days)
    for participant_id in await services.participants.to_expire(limits.erase_if_last_used_by,
                                                                limits.erase_if_warned_by):
        person = await services.participants.by_id(participant_id)
        if person is not None:
            await services.audit.record(at=now, actor_telegram_id=None, actor_participant_id=None,
                                        action="privacy.expire", outcome="ok", subject=str(participant_id))
            await erase(application, services, person)
    erase_on = now + timedelta(days=NOTICE_DAYS)
    for participant_id in await services.participants.to_warn(limits.warn_if_last_used_by):
        queued = await notify(
            services, participant_id, f"retention:{participant_id}:{now.date()}",
            lambda: _("You have not used this service for a long time. To keep your data safe, we will erase it "
                      "on {date}. Tap the button if you want to stay.").format(
                          date=format_date(erase_on, services.settings.timezone)),
            lambda: keyboard([[(_("Keep my account"), "pv:stay")]]), wait_for_quiet=True)
        if queued:
            await services.participants.mark_warned(participant_id, now.date())


async def on_stay(update: Update, context: BotContext) -> None:
    """Any use of the bot counts as activity (see load_user); this tap just says so."""
    await acknowledge(update)
    await clear_buttons(update)
    if context.participant is None:
        await say(update, context, _("Your data has already been erased. If you want to join again, send /start."))
        return
    await say(update, context, _("Good. We will keep your account."))


def job_handlers(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> dict[str, JobHandler]:
    async def daily_sweep(ref: str) -> None:
        """Each day's sweep books the next one, so the chain survives restarts."""
        with language(services.settings.default_language):
            await sweep(application, services)
        now = services.clock.now()
        tomorrow = next_sweep(now, services.settings.timezone)
        await services.jobs.schedule(RETENTION, tomorrow.date().isoformat(), tomorrow)

    return {RETENTION: daily_sweep}


async def on_keep(update: Update, context: BotContext) -> None:
    await acknowledge(update)
    await clear_buttons(update)
    await say(update, context, _("Good. Nothing was deleted."))


def handlers() -> list[object]:
    return [
        CommandHandler("privacy", privacy_command),
        CommandHandler("mydata", mydata_command),
        CommandHandler("delete", delete_command),
        CallbackQueryHandler(on_erase, pattern="^pv:erase:"),
        CallbackQueryHandler(on_keep, pattern="^pv:keep:"),
        CallbackQueryHandler(on_stay, pattern="^pv:stay$"),
    ]
