"""The end of a /claim: a note for the checker, how to be paid, the summary, and Send (the
reference comes only once the claim is committed)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import keyboard
from bot.services import Services
from claims import work
from claims.buttons import ClaimChoice
from claims.views import BENEFITS_NOTE, expenses_of, summary_text, year_lines
from domain.claims import PAYMENT_CHOICES
from handlers.claims.claim_steps import CLAIM, DONATE, NOTE, PAYMENT, SUMMARY, show_menu
from handlers.kit.choose import choose_one
from handlers.kit.common import acknowledge, ask, clear_buttons, say
from handlers.kit.drafts import DraftLost
from handlers.kit.flow import ending
from handlers.kit.glossary import explain_button
from handlers.kit.write_in import SKIP, write_in

# What the steps' buttons carry after "cl:".
PAY, SEND, MORE, PAY_CHANGE, CANCEL = "pay", "send", "more", "paychange", "cancel"
NOTE_MAX = 300  # characters in the note for the checker


async def on_review(update: Update, context: BotContext) -> Any:
    """Review, under the list of items: with none yet, the list again; else the note."""
    await acknowledge(update)
    await clear_buttons(update)
    if not context.participant or not CLAIM.of(context).items:
        return await show_menu(update, context)
    return await ask_note(update, context)


async def _after_note(update: Update, context: BotContext) -> Any:
    """How they like to be paid comes from the last claim, so it is asked only the first time."""
    assert context.participant is not None
    with CLAIM.editing(context) as draft:
        stored = await context.services.participants.raw(context.participant.id)
        if draft.preference is None and stored.get("payment_preference"):
            draft.preference, draft.donate_to = stored["payment_preference"], stored.get("donate_to")
    if draft.preference is None:
        return await ask_payment(update, context)
    return await show_summary(update, context)


ask_note, on_note = write_in(
    NOTE,
    lambda _context: _("Anything to add for the person checking your claim? Type a short note, or tap Skip."),
    NOTE_MAX,
    CLAIM.keeper("note"),
    _after_note,
    skip=ClaimChoice(NOTE, SKIP),
)


async def _save_preference_and_summarise(update: Update, context: BotContext) -> Any:
    assert context.participant is not None
    draft = CLAIM.of(context)
    if draft.preference is None:
        raise DraftLost(CLAIM.key)
    await context.services.participants.set_payment_preference(
        context.participant.id, draft.preference, draft.donate_to
    )
    return await show_summary(update, context)


def _payment_question(_context: BotContext) -> str:
    return "\n".join(
        [
            _("How would you like to be paid? You choose once; you can change it for any claim."),
            _(
                "We never ask for bank details in this chat: for a bank transfer, the council's finance "
                "team contacts you directly."
            ),
            "",
            _(BENEFITS_NOTE),
        ]
    )


def _keep_payment(context: BotContext, chosen: str) -> None:
    with CLAIM.editing(context) as draft:
        draft.preference, draft.donate_to = chosen, None


async def _paid_how(update: Update, context: BotContext) -> Any:
    if CLAIM.of(context).preference == "donate":
        return await ask_charity(update, context)
    return await _save_preference_and_summarise(update, context)


ask_charity, on_donate = write_in(
    DONATE,
    lambda _context: _("Which charity should get it? Type its name."),
    100,
    CLAIM.keeper("donate_to"),
    _save_preference_and_summarise,
)
ask_payment, on_payment = choose_one(
    ClaimChoice,
    PAY,
    PAYMENT,
    _payment_question,
    PAYMENT_CHOICES,
    _keep_payment,
    _paid_how,
    rows_after=lambda _context: [[explain_button("payment", "expenses")]],
)


async def show_summary(update: Update, context: BotContext) -> Any:
    draft = CLAIM.of(context)
    if draft.preference is None:
        return await ask_payment(update, context)
    uncovered = await work.costs_not_covered(context.services, draft, (i.category for i in expenses_of(draft)))
    await ask(
        update,
        context,
        summary_text(draft, draft.preference, not_covered=uncovered),
        keyboard(
            [
                [(_("📨 Send my claim"), ClaimChoice(SEND, draft.key or "0").pack())],
                [(_("➕ Add another item"), ClaimChoice(MORE, "").pack())],
                [(_("💷 Change how I'm paid"), ClaimChoice(PAY_CHANGE, "").pack())],
                [(_("Cancel"), ClaimChoice(CANCEL, "").pack())],
            ]
        ),
    )
    return SUMMARY


async def on_summary(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    await clear_buttons(update)
    pressed = context.button
    action = pressed.step if isinstance(pressed, ClaimChoice) else SEND
    if action == MORE:
        return await show_menu(update, context)
    if action == PAY_CHANGE:
        return await ask_payment(update, context)
    if action == CANCEL:
        return await cancel(update, context)
    return await submit(update, context)


async def submit(update: Update, context: BotContext) -> Any:
    """The reference is given only after the claim is committed."""
    draft = CLAIM.pop(context)
    if draft.preference is None:
        raise DraftLost(CLAIM.key)
    assert context.participant is not None
    claim = await work.submit_claim(context.services, context.participant.id, draft)
    await ending(update, context)
    await thank(update, context, claim.reference)
    return ConversationHandler.END


async def thank(update: Update, context: BotContext, reference: str) -> None:
    assert context.participant is not None
    lines = [
        _(
            "Thank you. Your claim {reference} has been sent. We will message you here when it is checked and "
            "when it is paid."
        ).format(reference=reference)
    ]
    lines += await this_year(context.services, context.participant.id)
    await say(update, context, "\n".join(lines))


async def this_year(services: Services, participant_id: int) -> list[str]:
    return year_lines(
        await work.paid_for_time_this_year(services, participant_id), services.settings.yearly_payment_warning_pence
    )


async def cancel(update: Update, context: BotContext) -> Any:
    CLAIM.drop(context)
    await say(update, context, _("Stopped. Nothing was sent."))
    return ConversationHandler.END
