"""Staff acting for someone who takes part through them: their feedback, and the letters that
carry what the bot would have messaged them (printed and posted, or read out)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, language
from bot.keyboards import column
from feedback.work import TEXT_MAX, submit_feedback
from handlers.assisted.assisted_people import entered_by_staff, their_details
from handlers.buttons.assisted_buttons import FeedbackForButton, LettersButton, PersonButton, PostedButton
from handlers.kit.choose import stoppable
from handlers.kit.common import acknowledge, audit, escape, say
from handlers.kit.drafts import DraftSlot, restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed_text
from handlers.kit.letters import letter_page
from handlers.kit.write_in import write_last

DRAFT = "feedback_for"
SAY = "say"


@dataclass
class FeedbackForDraft:
    """Whose feedback staff are typing: the person's participant id, carried by the button."""

    person: int


FEEDBACK_FOR = DraftSlot(DRAFT, FeedbackForDraft)


# --- their feedback --------------------------------------------------------------------


async def start_feedback(update: Update, context: BotContext) -> Any:
    button = context.button
    assert isinstance(button, FeedbackForButton)
    if await their_details(update, context, button.person) is None:
        return ConversationHandler.END
    await acknowledge(update)
    FEEDBACK_FOR.begin(context, FeedbackForDraft(button.person))
    return await ask_say(update, context)


async def _submit(update: Update, context: BotContext, text: str) -> Any:
    person = FEEDBACK_FOR.pop(context).person
    await ending(update, context)
    if await context.services.assisted.details(person) is None:
        return ConversationHandler.END
    item = await submit_feedback(context.services, person, {"text": text}, named=False, quoted=False)
    await entered_by_staff(update, context, person, "feedback", item.reference)
    await say(
        update,
        context,
        _("Their feedback {reference} is with the team. The answer will come as a letter for you to send them.").format(
            reference=item.reference
        ),
        column([(_("Back to their page"), PersonButton(person).pack())]),
    )
    return ConversationHandler.END


ask_say, on_say = write_last(
    SAY,
    stoppable(N_("Type their feedback in their own words. It is not quoted to anyone.")),
    TEXT_MAX,
    _submit,
)


# --- letters ---------------------------------------------------------------------------


async def on_letters(update: Update, context: BotContext) -> None:
    """One printable page with every letter waiting, in their language."""
    button = context.button
    assert isinstance(button, LettersButton)
    person = await their_details(update, context, button.person)
    if person is None:
        return
    await acknowledge(update)
    letters = await context.services.assisted.letters(button.person, waiting=True)
    if not letters:
        await say(update, context, _("No letters are waiting for them."))
        return
    needs = await context.services.access.get(button.person)
    with language(person["language"]):
        page = letter_page(
            person["display_name"] or "",
            letters,
            context.services.settings.timezone,
            large_print="large_print" in needs.needs,
        )
    await audit(context, update, "assisted.letters", "ok", subject=str(button.person), detail=str(len(letters)))
    await context.bot.send_document(
        update.effective_chat.id,
        io.BytesIO(page.encode()),
        filename=f"letters-{button.person}.html",
        caption=_("Print this page and post it to {name}, or read it out to them. Then tap the button.").format(
            name=escape(person["display_name"] or "")
        ),
        reply_markup=column([(_("✅ Posted or read out"), PostedButton(button.person, letters[-1].id).pack())]),
    )


async def on_posted(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, PostedButton)
    if await their_details(update, context, button.person) is None:
        return
    assert context.participant is not None
    services = context.services
    marked = await services.assisted.mark_posted(
        button.person, button.up_to, context.participant.id, services.clock.now()
    )
    await audit(context, update, "assisted.posted", "ok", subject=str(button.person), detail=str(marked))
    await acknowledge(update, _("Thank you. Marked as sent."))


def feedback_conversation() -> Flow:
    return Flow(
        name="feedback_for",
        noun=N_("their feedback"),
        states=restarting({SAY: step(ask_say, MessageHandler(typed_text(), on_say))}, None),
        entry_points=[CallbackQueryHandler(start_feedback, pattern=FeedbackForButton.pattern())],
        cancel=stopped(),
        prefixes=(),
        drafts=(DRAFT,),
    )


def handlers() -> list[object]:
    return [
        CallbackQueryHandler(on_letters, pattern=LettersButton.pattern()),
        CallbackQueryHandler(on_posted, pattern=PostedButton.pattern()),
    ]
