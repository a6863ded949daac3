"""The work of privacy rights, callable from handlers, jobs and tests alike: what we hold about
a person, erasing it, and the daily retention sweep that erases people long silent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram.ext import Application

from bot.i18n import _, format_date, language
from bot.keyboards import keyboard
from bot.notify import notify
from bot.services import Services
from domain.retention import NOTICE_DAYS, cutoffs, next_sweep
from privacy.buttons import Answer, PrivacyButton
from storage.participants import Participant

CONFIRM_MINUTES = 10  # how long a "Yes, delete" button stays good
RETENTION = "privacy.retention"


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
    data["access_needs"] = {
        "needs": sorted(needs.needs),
        "prefers": needs.prefers,
        "times": sorted(needs.times),
        "longest": needs.longest,
        "other": needs.other,
    }
    data["support"] = await services.support.export(participant_id)
    data["entered_by_staff"] = await services.assisted.entries_export(participant_id)
    data["letters"] = await services.assisted.letters_export(participant_id)
    return data


async def erase(
    application: Application[Any, Any, Any, Any, Any, Any], services: Services, participant: Participant
) -> None:
    """/delete and the retention sweep erase alike: every declared table, and drafts held in memory."""
    await services.participants.erase(participant.id, services.clock.now())
    if participant.telegram_id is not None:
        application.drop_user_data(participant.telegram_id)


async def sweep(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    """Erase people silent for RETENTION_DAYS who were told a month ago; tell those nearly there."""
    now = services.clock.now()
    limits = cutoffs(now.date(), services.settings.retention_days)
    for participant_id in await services.participants.to_expire(
        limits.erase_if_last_used_by, limits.erase_if_warned_by
    ):
        person = await services.participants.by_id(participant_id)
        if person is not None:
            await services.audit.record(
                at=now,
                actor_telegram_id=None,
                actor_participant_id=None,
                action="privacy.expire",
                outcome="ok",
                subject=str(participant_id),
            )
            await erase(application, services, person)
    erase_on = now + timedelta(days=NOTICE_DAYS)
    for participant_id in await services.participants.to_warn(limits.warn_if_last_used_by):
        queued = await notify(
            services,
            participant_id,
            f"retention:{participant_id}:{now.date()}",
            lambda: _(
                "You have not used this service for a long time. To keep your data safe, we will erase it "
                "on {date}. Tap the button if you want to stay."
            ).format(date=format_date(erase_on, services.settings.timezone)),
            lambda: keyboard([[(_("Keep my account"), PrivacyButton(Answer.STAY).pack())]]),
            wait_for_quiet=True,
        )
        if queued:
            await services.participants.mark_warned(participant_id, now.date())


async def daily_sweep(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    """Each day's sweep books the next one, so the chain survives restarts."""
    with language(services.settings.default_language):
        await sweep(application, services)
    tomorrow = next_sweep(services.clock.now(), services.settings.timezone)
    await services.jobs.schedule(RETENTION, tomorrow.date().isoformat(), tomorrow)
