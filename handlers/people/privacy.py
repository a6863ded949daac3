"""Privacy rights: read the notice, download everything we hold, erase it. The work behind
them is in privacy/; this parses, calls and answers."""

from __future__ import annotations

import io
import json
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import keyboard
from bot.scheduler import JobHandler
from bot.services import Services
from handlers.kit.common import acknowledge, audit, clear_buttons, say
from privacy import work
from privacy.buttons import Answer, PrivacyButton
from privacy.notice import NOTICE_VERSION, privacy_summary


async def privacy_command(update: Update, context: BotContext) -> None:
    lines = [
        privacy_summary(),
        "",
        _(
            "Who we are: your council's co-production team. Why: to involve you in planning services, "
            "because you agreed."
        ),
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
        data.update(await work.personal_data(services, context.participant.id))
    stored_role = await services.roles.stored_role(user.id)
    if stored_role:
        data["staff_role"] = stored_role
    data["conversation_drafts"] = dict(context.user_data or {})
    data["actions_log"] = await services.audit.entries(limit=1000, actor_telegram_id=user.id)
    payload = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    await audit(context, update, "privacy.export", "ok")
    await context.bot.send_document(
        update.effective_chat.id,
        io.BytesIO(payload),
        filename="my-data.json",
        caption=_("This is everything we hold about you."),
    )


async def delete_command(update: Update, context: BotContext) -> None:
    if context.participant is None:
        await say(update, context, _("We hold no personal data about you, so there is nothing to delete."))
        return
    asked = int(context.services.clock.now().timestamp())
    text = "\n".join(
        [
            _("<b>Delete your data?</b>"),
            _("We will erase your name, details, topics and groups, and you will stop getting messages."),
            _("Records the council must keep, such as paid expense claims, are kept without your name."),
            _("This cannot be undone."),
        ]
    )
    markup = keyboard(
        [
            [(_("Yes, delete my data"), PrivacyButton(Answer.ERASE, asked).pack())],
            [(_("No, keep it"), PrivacyButton(Answer.KEEP).pack())],
        ]
    )
    await say(update, context, text, markup)


async def on_button(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, PrivacyButton)
    if button.answer is Answer.ERASE:
        await _erase(update, context, button.asked)
    elif button.answer is Answer.KEEP:
        await acknowledge(update)
        await clear_buttons(update)
        await say(update, context, _("Good. Nothing was deleted."))
    else:
        await _stay(update, context)


async def _erase(update: Update, context: BotContext, asked: int) -> None:
    """Only ever erases the person who pressed the button, and only from a recent confirmation."""
    await clear_buttons(update)
    if context.services.clock.now().timestamp() - asked > work.CONFIRM_MINUTES * 60:
        await acknowledge(update, _("That confirmation has expired. Send /delete again."), alert=True)
        return
    await acknowledge(update)
    if context.participant is None:
        await say(update, context, _("We hold no personal data about you, so there is nothing to delete."))
        return
    # Audited first: erasing then detaches this very entry from their Telegram account too.
    await audit(context, update, "privacy.erase", "ok", subject=str(context.participant.id))
    await work.erase(context.application, context.services, context.participant)
    context.participant = None
    await say(
        update,
        context,
        _("Done. We have erased your personal data.") + "\n" + _("If you want to join again one day, send /start."),
    )


async def _stay(update: Update, context: BotContext) -> None:
    """Any use of the bot counts as activity (see load_user); this tap just says so."""
    await acknowledge(update)
    await clear_buttons(update)
    if context.participant is None:
        await say(update, context, _("Your data has already been erased. If you want to join again, send /start."))
        return
    await say(update, context, _("Good. We will keep your account."))


def job_handlers(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> dict[str, JobHandler]:
    async def daily_sweep(ref: str) -> None:
        await work.daily_sweep(application, services)

    return {work.RETENTION: daily_sweep}


def handlers() -> list[object]:
    return [
        CommandHandler("privacy", privacy_command),
        CommandHandler("mydata", mydata_command),
        CommandHandler("delete", delete_command),
        CallbackQueryHandler(on_button, pattern=PrivacyButton.pattern()),
    ]
