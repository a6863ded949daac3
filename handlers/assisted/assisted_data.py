"""Staff hand someone who takes part without Telegram their data, or erase it, as that
person's own /mydata and /delete would: from their page (handlers/assisted/assisted_people.py),
audited with the staff member."""

from __future__ import annotations

import io
import json

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import column
from handlers.assisted.assisted_people import their_details
from handlers.buttons.assisted_buttons import EraseButton, ExportButton
from handlers.kit.common import acknowledge, audit, escape, say
from privacy.work import CONFIRM_MINUTES, erase, personal_data


async def on_export(update: Update, context: BotContext) -> None:
    """The same as their own /mydata would be, with what staff entered for them marked."""
    button = context.button
    assert isinstance(button, ExportButton)
    if await their_details(update, context, button.person) is None:
        return
    await acknowledge(update)
    data = await personal_data(context.services, button.person)
    payload = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    await audit(context, update, "assisted.export", "ok", subject=str(button.person))
    await context.bot.send_document(
        update.effective_chat.id,
        io.BytesIO(payload),
        filename="their-data.json",
        caption=_("This is everything we hold about them. Please give it to them."),
    )


async def on_erase(update: Update, context: BotContext) -> None:
    """/delete through staff: asked first, then only from a recent confirmation."""
    button = context.button
    assert isinstance(button, EraseButton)
    person = await their_details(update, context, button.person)
    if person is None:
        return
    services = context.services
    now = services.clock.now()
    if button.stamp == 0:
        await acknowledge(update)
        await say(
            update,
            context,
            _("Erase everything about {name}? Only do this if they asked. This cannot be undone.").format(
                name=escape(person["display_name"] or "")
            ),
            column([(_("Yes, erase their data"), EraseButton(button.person, int(now.timestamp())).pack())]),
        )
        return
    if now.timestamp() - button.stamp > CONFIRM_MINUTES * 60:
        await acknowledge(update, _("That button is too old now. Open their page again."), alert=True)
        return
    await acknowledge(update)
    found = await services.participants.by_id(button.person)
    assert found is not None
    await audit(context, update, "assisted.erase", "ok", subject=str(button.person))
    await erase(context.application, services, found)
    await say(update, context, _("Done. Their personal data is erased."))


def handlers() -> list[object]:
    return [
        CallbackQueryHandler(on_export, pattern=ExportButton.pattern()),
        CallbackQueryHandler(on_erase, pattern=EraseButton.pattern()),
    ]
