"""Privacy rights: read the notice, download everything we hold, erase it."""

from __future__ import annotations

import io
import json
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import callback_parts, keyboard
from handlers.common import acknowledge, audit, clear_buttons, say
from handlers.onboarding import NOTICE_VERSION, privacy_summary

CONFIRM_MINUTES = 10


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
    participant = context.participant
    data: dict[str, Any] = {"telegram_id": user.id, "notice_version": NOTICE_VERSION}
    if participant is not None:
        raw = await services.participants.raw(participant.id)
        data["profile"] = {key: value for key, value in raw.items() if key != "telegram_id"}
        data["consents"] = await services.participants.consents(participant.id)
        data["topics"] = await services.participants.topics(participant.id)
        data["groups"] = await services.projects.memberships_export(participant.id)
        data.update(await services.opportunities.export(participant.id))
        data["meetings"] = await services.meetings.export(participant.id)
        data["claims"] = await services.claims.export_personal(participant.id)
        data.update(await services.feedback.export_personal(participant.id))
        needs = await services.access.get(participant.id)
        data["access_needs"] = {"needs": sorted(needs.needs), "prefers": needs.prefers, "times": sorted(needs.times),
                                "longest": needs.longest, "other": needs.other}
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
    await context.services.participants.erase(context.participant.id, now)
    if context.user_data is not None:
        context.user_data.clear()
    context.participant = None
    await say(update, context, _("Done. We have erased your personal data.") + "\n"
              + _("If you want to join again one day, send /start."))


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
    ]
