"""The people who take part through staff (/people) and a person's page, from which staff act
for them; and the two things every act for them does: check the person really takes part
through staff (so no one acts for a Telegram user), and mark what staff entered for them."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from assisted.work import CONSENTS, WAYS
from bot.context import BotContext
from bot.i18n import _, language_name, ngettext
from bot.keyboards import column
from domain.roles import ORGANISERS
from handlers.buttons.assisted_buttons import (
    ASK,
    CheckinForButton,
    ClaimForButton,
    EraseButton,
    ExportButton,
    FeedbackForButton,
    LettersButton,
    PersonButton,
    PollForButton,
    RsvpForButton,
)
from handlers.kit.common import acknowledge, audit, escape, require, say, stale_button


async def entered_by_staff(update: Update, context: BotContext, participant_id: int, kind: str, ref: str) -> None:
    """Marked as entered by staff, in their export and in the audit log."""
    assert context.participant is not None
    await context.services.assisted.record(
        participant_id, context.participant.id, kind, ref, context.services.clock.now()
    )
    await audit(context, update, f"assisted.{kind}", "ok", subject=str(participant_id), detail=ref)


async def their_details(update: Update, context: BotContext, participant_id: int) -> dict[str, Any] | None:
    """Their details, if they take part through staff; a button for anyone else is stale."""
    found = await context.services.assisted.details(participant_id)
    if found is None:
        await stale_button(update, context)
    return found


@require(ORGANISERS, "assisted.list")
async def people_command(update: Update, context: BotContext) -> None:
    people = await context.services.assisted.everyone()
    if not people:
        await say(update, context, _("No one takes part through staff yet. Add someone with /addperson."))
        return
    rows = [
        (f"{name[:40]}" + (f" ✉ {waiting}" if waiting else ""), PersonButton(pid).pack())
        for pid, name, waiting in people[:40]
    ]
    await say(
        update, context, _("People who take part through staff. ✉ shows letters waiting to be sent."), column(rows)
    )


async def on_person(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, PersonButton)
    person = await their_details(update, context, button.person)
    if person is None:
        return
    await acknowledge(update)
    waiting = len(await context.services.assisted.letters(button.person, waiting=True))
    way = _(WAYS[person["takes_part"]])
    if person["partner_name"]:
        way += f" ({escape(person['partner_name'])})"
    lines = [
        f"👤 <b>{escape(person['display_name'] or '')}</b>",
        _("Takes part: {way}").format(way=way),
        _("Agreed to the privacy notice: {how}").format(how=_(CONSENTS[person["consent_how"]])),
        _("Language: {language}").format(language=language_name(person["language"])),
        _("How to reach them: {note}").format(note=escape(person["contact_note"] or "–")),
        ngettext("{count} letter waiting to be sent.", "{count} letters waiting to be sent.", waiting).format(
            count=waiting
        ),
    ]
    pid = button.person
    await say(
        update,
        context,
        "\n".join(lines),
        column(
            [
                (_("🗓 Answer a meeting poll for them"), PollForButton(pid, 0).pack()),
                (_("✋ Say if they are coming to a meeting"), RsvpForButton(pid, 0, ASK).pack()),
                (_("🙂 Their check-in after a meeting"), CheckinForButton(pid, 0, 0, 0).pack()),
                (_("💬 Take down their feedback"), FeedbackForButton(pid).pack()),
                (_("🧾 Take down their travel claim"), ClaimForButton(pid).pack()),
                (_("✉ Letters to send"), LettersButton(pid).pack()),
                (_("📄 Their data, to give them"), ExportButton(pid).pack()),
                (_("🗑 Erase their data"), EraseButton(pid, 0).pack()),
            ]
        ),
    )


def handlers() -> list[object]:
    return [
        CommandHandler("people", people_command),
        CallbackQueryHandler(on_person, pattern=PersonButton.pattern()),
    ]
