"""Staff take down a travel claim for someone who takes part through them: one cost for a
meeting they came to, with a photo of the paper receipt where one is needed, and how they want
to be paid. It is the residents' claim (same rules, same approvals), marked as entered by staff;
decisions about it reach them as letters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import N_, _, format_money
from bot.keyboards import column
from claims.draft import ClaimDraft, ClaimItem
from claims.work import submit_claim
from domain.claims import CATEGORIES, PAYMENT_CHOICES, Item, needs_receipt
from handlers.assisted.assisted_people import entered_by_staff, their_details
from handlers.buttons.assisted_buttons import AddChoice, ClaimForButton, PersonButton
from handlers.kit.choose import choose_one, stoppable
from handlers.kit.common import acknowledge, ask, say
from handlers.kit.drafts import DraftLost, DraftSlot, restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed_text
from handlers.kit.flow_steps import read_money
from handlers.kit.write_in import type_in

DRAFT = "claim_for"
MEETING, COST, AMOUNT, RECEIPT, PAYMENT = "cmeeting", "ccost", "camount", "creceipt", "cpay"
# Costs with a fixed amount; mileage, hours and cover need the resident's own, fuller claim.
COSTS = ("public_transport", "taxi", "parking")
# Choices that need nothing more typed (a charity's name is for the resident's own claim).
PAYMENTS = {key: label for key, label in PAYMENT_CHOICES.items() if key != "donate"}


@dataclass
class ClaimForDraft:
    """The one cost staff take down for `person`; `key` makes sending it twice give back the first claim."""

    person: int
    key: str
    meeting_id: int | None = None
    category: str | None = None  # one of COSTS
    amount: int | None = None  # pence
    receipt: str | None = None  # Telegram's file id of the photo
    payment: str | None = None  # one of PAYMENTS, the last answer


CLAIM_FOR = DraftSlot(DRAFT, ClaimForDraft)


async def _meetings(context: BotContext) -> dict[str, str]:
    person = CLAIM_FOR.of(context).person
    return {str(m.id): m.title for m in await context.services.meetings.attended_by(person)}


async def start(update: Update, context: BotContext) -> Any:
    button = context.button
    assert isinstance(button, ClaimForButton)
    if await their_details(update, context, button.person) is None:
        return ConversationHandler.END
    await acknowledge(update)
    CLAIM_FOR.begin(context, ClaimForDraft(button.person, uuid4().hex))
    if not await _meetings(context):
        CLAIM_FOR.drop(context)
        await say(update, context, _("They have not come to a meeting yet."))
        return ConversationHandler.END
    return await ask_meeting(update, context)


async def _meeting_titles(context: BotContext) -> dict[str, str]:
    return {key: title[:40] for key, title in (await _meetings(context)).items()}


def _keep_amount(context: BotContext, pence: int) -> None:
    with CLAIM_FOR.editing(context) as draft:
        if draft.category is None:
            raise DraftLost(DRAFT)  # a draft that lost the cost: they begin again
        draft.amount = pence


async def _after_amount(update: Update, context: BotContext) -> Any:
    draft = CLAIM_FOR.of(context)
    if needs_receipt(Item(draft.category or "", draft.amount or 0), context.services.settings.receipt_above_pence):
        return await ask_receipt(update, context)
    return await ask_payment(update, context)


ask_amount, on_amount = type_in(
    AMOUNT, lambda _context: _("How much was it? For example 4.20"), read_money, _keep_amount, _after_amount
)


ask_cost, on_cost = choose_one(
    AddChoice,
    COST,
    COST,
    N_("What did it cost them?"),
    {key: CATEGORIES[key] for key in COSTS},
    CLAIM_FOR.keeper("category"),
    ask_amount,
    put=ask,
    clears=False,
)
ask_meeting, on_meeting = choose_one(
    AddChoice,
    MEETING,
    MEETING,
    stoppable(N_("Which meeting is the claim for?")),
    _meeting_titles,
    CLAIM_FOR.keeper("meeting_id"),
    ask_cost,
    put=ask,
    clears=False,
)


async def ask_receipt(update: Update, context: BotContext) -> Any:
    await say(
        update,
        context,
        _("Receipts are needed above {amount}. Please send a photo of their receipt.").format(
            amount=format_money(context.services.settings.receipt_above_pence)
        ),
    )
    return RECEIPT


async def on_receipt(update: Update, context: BotContext) -> Any:
    with CLAIM_FOR.editing(context) as draft:
        draft.receipt = update.effective_message.photo[-1].file_id
    return await ask_payment(update, context)


async def _submit(update: Update, context: BotContext) -> Any:
    draft = CLAIM_FOR.pop(context)
    if draft.category is None or draft.amount is None or draft.meeting_id is None or draft.payment is None:
        raise DraftLost(DRAFT)  # a draft that lost its answers: they begin again
    await ending(update, context)
    person = draft.person
    if await context.services.assisted.details(person) is None:
        return ConversationHandler.END
    item = ClaimItem(
        draft.category, draft.amount, receipt=draft.receipt, receipt_type="photo" if draft.receipt else None
    )
    claim = await submit_claim(
        context.services,
        person,
        ClaimDraft(meeting_id=draft.meeting_id, preference=draft.payment, items=[item], key=draft.key),
    )
    await entered_by_staff(update, context, person, "claim", claim.reference)
    await say(
        update,
        context,
        _("Their claim {reference} is sent. The answer will come as a letter for you to send them.").format(
            reference=claim.reference
        ),
        column([(_("Back to their page"), PersonButton(person).pack())]),
    )
    return ConversationHandler.END


ask_payment, on_payment = choose_one(
    AddChoice,
    PAYMENT,
    PAYMENT,
    N_("How would they like to be paid? The finance team contacts them for bank details."),
    PAYMENTS,
    CLAIM_FOR.keeper("payment"),
    _submit,
)


def conversation() -> Flow:
    choice = AddChoice.pattern()
    return Flow(
        name="claim_for",
        noun=N_("their claim"),
        states=restarting(
            {
                MEETING: step(ask_meeting, CallbackQueryHandler(on_meeting, pattern=choice)),
                COST: step(ask_cost, CallbackQueryHandler(on_cost, pattern=choice)),
                AMOUNT: step(ask_amount, MessageHandler(typed_text(), on_amount)),
                RECEIPT: step(ask_receipt, MessageHandler(filters.PHOTO, on_receipt)),
                PAYMENT: step(ask_payment, CallbackQueryHandler(on_payment, pattern=choice)),
            },
            None,
        ),
        entry_points=[CallbackQueryHandler(start, pattern=ClaimForButton.pattern())],
        cancel=stopped(),
        prefixes=(AddChoice.prefix,),
        drafts=(DRAFT,),
    )
