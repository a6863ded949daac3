"""The items of a /claim (costs and time kept apart): the menu, each item's questions (amount
and receipt, miles and passengers, hours), up to Review. The rules are `claims.work`; the rest
of the flow is `handlers/claims/claims.py`, `claim_summary.py` and `claim_advance.py`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.i18n import N_, _, babel_locale, format_money
from bot.keyboards import keyboard
from claims import work
from claims.buttons import ClaimChoice
from claims.draft import ClaimDraft, ClaimItem
from claims.views import BENEFITS_NOTE, VEHICLES, item_line
from domain.claims import CATEGORIES, HOURS_CHOICES, Item, hours_pence, needs_receipt
from domain.money import parse_miles
from domain.pay import TIME_CATEGORIES
from handlers.kit.choose import choose_one
from handlers.kit.common import acknowledge, ask, clear_buttons, escape, say
from handlers.kit.drafts import DraftLost, DraftSlot
from handlers.kit.flow_steps import read_money
from handlers.kit.write_in import type_in

DRAFT = "claim_draft"
(
    WHAT,
    ACTIVITY,
    MENU,
    AMOUNT,
    RECEIPT,
    VEHICLE,
    MILES,
    PASSENGERS,
    HOURS,
    NOTE,
    PAYMENT,
    DONATE,
    SUMMARY,
    PRE_MEETING,
    PRE_CATEGORY,
    PRE_AMOUNT,
) = (
    "what",
    "activity",
    "menu",
    "amount",
    "receipt",
    "vehicle",
    "miles",
    "passengers",
    "hours",
    "note",
    "payment",
    "donate",
    "summary",
    "pre_meeting",
    "pre_category",
    "pre_amount",
)
# What each step's buttons carry after "cl:" (a step's name is not always its state's).
FOR, ADD, REVIEW, VEH, PAS, HRS = "for", "add", "review", "veh", "pas", "hrs"
MAX_RECEIPT_BYTES = 20 * 1024 * 1024  # what a bot can download again later
MAX_ITEMS = 20  # keeps the summary within one message


CLAIM = DraftSlot(DRAFT, ClaimDraft)


async def show_menu(update: Update, context: BotContext) -> Any:
    draft = CLAIM.of(context)
    lines = [_("Claim for: {title}").format(title=escape(draft.title))]
    lines += [item_line(item) for item in draft.items] or [_("No items yet.")]
    lines += ["", _("What would you like to claim? Add as many items as you need.")]
    offered = [key for key in CATEGORIES if work.offered(key, draft)]
    buttons = [(_(CATEGORIES[key]), ClaimChoice(ADD, key).pack()) for key in offered]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    if draft.items:
        rows.append([(_("✅ Review and send"), ClaimChoice(REVIEW, "").pack())])
    await ask(update, context, "\n".join(lines), keyboard(rows))
    return MENU


async def on_add(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    draft = CLAIM.of(context)
    category = ClaimChoice.chosen(context.button, ADD) or ""
    if category not in CATEGORIES or not work.offered(category, draft):
        return await show_menu(update, context)
    if len(draft.items) >= MAX_ITEMS:
        await say(
            update,
            context,
            _("That is the most items one claim can hold. Send this claim, then start another for the rest."),
        )
        return await show_menu(update, context)
    await clear_buttons(update)
    assert context.participant is not None
    if await work.claimed_before(context.services, context.participant.id, draft, category):
        await say(
            update,
            context,
            _(
                "You have already claimed “{item}” for this meeting. If something is "
                "missing, ask us with /feedback or talk to the organiser."
            ).format(item=_(CATEGORIES[category])),
        )
        return await show_menu(update, context)
    item = draft.current = ClaimItem(category)
    if item.category in TIME_CATEGORIES:
        assert draft.meeting_id is not None  # work.offered: time goes with a meeting
        item.rate = await work.hourly_rate(context.services, draft.meeting_id, category)
    CLAIM.save(context, draft)
    if category == "mileage":
        return await ask_vehicle(update, context)
    if item.rate is not None:
        return await ask_hours(update, context)
    return await ask_amount(update, context)


def _keep_amount(context: BotContext, pence: int) -> None:
    with CLAIM.editing(context) as draft:
        _current(draft).amount = pence


async def _after_amount(update: Update, context: BotContext) -> Any:
    """A receipt is asked for above the council's amount; below it the item is added."""
    settings = context.services.settings
    current = _current(CLAIM.of(context))
    if needs_receipt(Item(current.category, current.amount or 0), settings.receipt_above_pence):
        await ask(
            update,
            context,
            _(
                "Please send a photo of the receipt, or the receipt as a PDF. Receipts are needed above {amount}."
            ).format(amount=format_money(settings.receipt_above_pence)),
        )
        return RECEIPT
    return await _add_current(update, context)


async def on_receipt(update: Update, context: BotContext) -> Any:
    message = update.effective_message
    draft = CLAIM.of(context)
    current = _current(draft)
    if message.photo:
        current.receipt, current.receipt_type = message.photo[-1].file_id, "photo"
    elif message.document and ((message.document.mime_type or "") in ("application/pdf", "image/jpeg", "image/png")):
        if (message.document.file_size or 0) > MAX_RECEIPT_BYTES:
            await say(update, context, _("That file is too big. Please send a photo of the receipt instead."))
            return RECEIPT
        current.receipt, current.receipt_type = message.document.file_id, "document"
    else:
        await say(update, context, _("Please send a photo of the receipt, or a PDF. Send /cancel to stop."))
        return RECEIPT
    CLAIM.save(context, draft)
    return await _add_current(update, context)


def _current(draft: ClaimDraft) -> ClaimItem:
    """The item being asked about: its step is only reached once the item is chosen."""
    if draft.current is None:
        raise DraftLost(DRAFT)
    return draft.current


async def _add_current(update: Update, context: BotContext) -> Any:
    with CLAIM.editing(context) as draft:
        current, draft.current = draft.current, None
        assert context.participant is not None
        if current and not await work.add_item(context.services, context.participant.id, draft, current):
            await say(update, context, _("You have already added this item, so I did not add it twice."))
    return await show_menu(update, context)


async def _typed_miles(update: Update, context: BotContext) -> Decimal | None:
    most = context.services.settings.most_miles_per_journey
    miles = parse_miles(update.effective_message.text or "", babel_locale(context.language), most)
    if miles is None:
        await say(update, context, _("Please type the miles as a number from 1 to {most}.").format(most=most))
    return miles


def _keep_miles(context: BotContext, miles: Decimal) -> None:
    with CLAIM.editing(context) as draft:
        _current(draft).miles = str(miles)


async def _keep_lifts(context: BotContext, chosen: str) -> None:
    with CLAIM.editing(context) as draft:
        current = _current(draft)
        if current.miles is None or current.vehicle is None:
            raise DraftLost(DRAFT)
        current.passengers = int(chosen)
        assert context.participant is not None
        current.amount = await work.mileage(
            context.services, context.participant.id, draft.items, current.miles, current.vehicle, current.passengers
        )


def _keep_vehicle(context: BotContext, chosen: str) -> None:
    with CLAIM.editing(context) as draft:
        _current(draft).vehicle = chosen


def _hours_question(context: BotContext) -> str:
    item = _current(CLAIM.of(context))
    question = (
        _("How many hours did you spend preparing and reading? We pay {rate} an hour.")
        if item.category == "preparation"
        else _("How many hours did you give, including travel time? We pay {rate} an hour.")
    )
    return question.format(rate=format_money(item.rate or 0)) + "\n" + _(BENEFITS_NOTE)


async def hour_options(_context: BotContext) -> dict[str, str]:
    """The hours offered for time, as the buttons show them (1½, not 1.5); `time_asks` too."""
    return {hours: hours.replace(".5", "½") for hours in HOURS_CHOICES}


def _keep_hours(context: BotContext, chosen: str) -> None:
    with CLAIM.editing(context) as draft:
        current = _current(draft)
        current.hours = chosen
        rate = context.services.settings.hourly_rate_pence if current.rate is None else current.rate
        current.amount = hours_pence(Decimal(chosen), rate)


async def _lift_options(_context: BotContext) -> dict[str, str]:
    return {str(people): str(people) for people in range(5)}


ask_passengers, on_passengers = choose_one(
    ClaimChoice,
    PAS,
    PASSENGERS,
    N_("Did you give anyone a lift to the same meeting?"),
    _lift_options,
    _keep_lifts,
    _add_current,
    across=5,
)
ask_miles, on_miles = type_in(
    MILES,
    lambda _context: _("How many miles, there and back? Type a number, like 12."),
    _typed_miles,
    _keep_miles,
    ask_passengers,
)
ask_vehicle, on_vehicle = choose_one(
    ClaimChoice,
    VEH,
    VEHICLE,
    N_("How did you travel?"),
    {vehicle.value: label for vehicle, label in VEHICLES.items()},
    _keep_vehicle,
    ask_miles,
    across=len(VEHICLES),
)
ask_amount, on_amount = type_in(
    AMOUNT,
    lambda _context: _("How much was it? Type the amount in pounds, like 4.50."),
    read_money,
    _keep_amount,
    _after_amount,
)
ask_hours, on_hours = choose_one(
    ClaimChoice, HRS, HOURS, _hours_question, hour_options, _keep_hours, _add_current, across=len(HOURS_CHOICES)
)
