"""/claim for residents: what it is for, the items (costs and time kept apart), receipts,
how they want to be paid, a summary, Submit; plus /claims and /statement."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from uuid import uuid4
from typing import Any

from telegram import Update
from telegram.ext import (CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler,
                          filters)

from bot.context import BotContext
from bot.i18n import N_, _, babel_locale, format_date, format_money
from bot.keyboards import Button, callback_parts, column, keyboard
from bot.services import Services
from bot.text import html_page
from domain.claims import (CATEGORIES, PAYMENT_CHOICES, PREAPPROVABLE, Item, Kind, duplicate_categories, hours_pence,
                           kind_of, near_threshold, needs_receipt, payable, tax_year_bounds, totals)
from domain.money import AmountProblem, Vehicle, mileage_pence, parse_amount, parse_miles, tax_year_start
from handlers.common import acknowledge, clear_buttons, escape, require_registered, say, stale_button
from handlers.flow import Flow, ending, picked, read_text, step, typed, typed_text
from handlers.glossary import explain_button

DRAFT = "claim_draft"
(WHAT, ACTIVITY, MENU, AMOUNT, RECEIPT, VEHICLE, MILES, PASSENGERS, HOURS, NOTE, PAYMENT, DONATE, SUMMARY,
 PRE_MEETING, PRE_CATEGORY, PRE_AMOUNT) = (
    "what", "activity", "menu", "amount", "receipt", "vehicle", "miles", "passengers", "hours", "note", "payment",
    "donate", "summary", "pre_meeting", "pre_category", "pre_amount")
MAX_RECEIPT_BYTES = 20 * 1024 * 1024  # what a bot can download again later
MAX_ITEMS = 20  # keeps the summary within one message
VEHICLES = {Vehicle.CAR: N_("Car"), Vehicle.MOTORCYCLE: N_("Motorbike"), Vehicle.BICYCLE: N_("Bicycle")}
HOURS_CHOICES = ("1", "1.5", "2", "3", "4")
AMOUNT_PROBLEMS = {
    AmountProblem.EMPTY: N_("Please type an amount, like 4.50."),
    AmountProblem.NOT_A_NUMBER: N_("Please type the amount in numbers, like 4.50."),
    AmountProblem.NEGATIVE_OR_ZERO: N_("The amount must be more than zero."),
    AmountProblem.TOO_MANY_DECIMALS: N_("Please use pounds and pence only, like 4.50."),
    AmountProblem.OVER_CEILING: N_("That is more than one claim can be ({limit}). Please check it, or talk to us."),
}
BENEFITS_NOTE = N_("Payment for your time can affect some benefits. Money back for costs does not, as a rule. "
                   "For free advice, ask Citizens Advice (citizensadvice.org.uk) or Turn2us (turn2us.org.uk).")


def _draft(context: BotContext) -> dict[str, Any]:
    draft: dict[str, Any] = context.drafts.setdefault(DRAFT, {"items": []})
    return draft


def _items(draft: dict[str, Any]) -> list[Item]:
    return [Item(i["category"], i["amount"]) for i in draft.get("items", [])]


# --- what the claim is for -------------------------------------------------------------

@require_registered
async def start_claim(update: Update, context: BotContext) -> Any:
    assert context.participant is not None
    context.drafts[DRAFT] = {"items": [], "key": uuid4().hex}
    attended = await context.services.meetings.attended_by(context.participant.id)
    rows: list[list[Button]] = [[(f"🗓 {m.title[:40]}", f"cl:for:{m.id}")] for m in attended]
    rows.append([(_("Something else I did for the council"), "cl:for:other")])
    rows.append([(_("Ask in advance for a cost I can't pay upfront"), "cl:for:ask")])
    text = _("What is this claim for?")
    if not attended:
        text += "\n" + _("Meetings show here once the organiser has marked that you came.")
    await say(update, context, text, keyboard(rows))
    return WHAT


async def on_what(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    parts = callback_parts(update.callback_query.data, 3)
    services = context.services
    assert context.participant is not None
    choice = parts[2] if parts else ""
    if choice == "other":
        await clear_buttons(update)
        return await ask_activity(update, context)
    if choice == "ask":
        await clear_buttons(update)
        return await ask_pre_meeting(update, context)
    attended = {m.id: m for m in await services.meetings.attended_by(context.participant.id)}
    if not choice.isdigit() or int(choice) not in attended:
        await say(update, context, _("You can only claim for a meeting the organiser marked you as attending."))
        return WHAT
    await clear_buttons(update)
    _draft(context)["meeting_id"] = int(choice)
    _draft(context)["title"] = attended[int(choice)].title
    return await show_menu(update, context)


async def ask_activity(update: Update, context: BotContext) -> Any:
    await say(update, context, _("In a few words, what did you do and when?"))
    return ACTIVITY


async def on_activity(update: Update, context: BotContext) -> Any:
    text = await read_text(update, context, 200)
    if text is None:
        return ACTIVITY
    _draft(context)["activity"] = text
    _draft(context)["title"] = text
    return await show_menu(update, context)


# --- items -----------------------------------------------------------------------------

def _item_line(item: dict[str, Any]) -> str:
    category = CATEGORIES[item["category"]]
    label = _(category)
    extra = ""
    if item.get("miles"):
        extra = " " + _("({miles} miles)").format(miles=item["miles"])
    if item.get("hours"):
        extra = " " + _("({hours} hours)").format(hours=item["hours"])
    receipt = " 🧾" if item.get("receipt") else ""
    return f"• {label}{extra}: {format_money(item['amount'])}{receipt}"


async def show_menu(update: Update, context: BotContext) -> Any:
    draft = _draft(context)
    lines = [_("Claim for: {title}").format(title=escape(draft["title"]))]
    lines += [_item_line(item) for item in draft["items"]] or [_("No items yet.")]
    lines += ["", _("What would you like to claim? Add as many items as you need.")]
    offered = [key for key in CATEGORIES if key != "involvement" or draft.get("meeting_id")]
    buttons = [(_(CATEGORIES[key]), f"cl:add:{key}") for key in offered]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    if draft["items"]:
        rows.append([(_("✅ Review and send"), "cl:review")])
    await say(update, context, "\n".join(lines), keyboard(rows))
    return MENU


async def on_add(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    parts = callback_parts(update.callback_query.data, 3)
    draft = _draft(context)
    category = parts[2] if parts else ""
    if category not in CATEGORIES or (category == "involvement" and not draft.get("meeting_id")):
        return await show_menu(update, context)
    if len(draft["items"]) >= MAX_ITEMS:
        await say(update, context, _("That is the most items one claim can hold. Send this claim, then start "
                                     "another for the rest."))
        return await show_menu(update, context)
    await clear_buttons(update)
    assert context.participant is not None
    if draft.get("meeting_id"):
        earlier = await context.services.claims.categories_claimed(context.participant.id, draft["meeting_id"])
        if duplicate_categories([category], earlier):
            await say(update, context, _("You have already claimed “{item}” for this meeting. If something is "
                                         "missing, ask us with /feedback or talk to the organiser.").format(
                item=_(CATEGORIES[category])))
            return await show_menu(update, context)
    draft["current"] = {"category": category}
    if category == "mileage":
        await say(update, context, _("How did you travel?"),
                  keyboard([[(_(label), f"cl:veh:{key.value}") for key, label in VEHICLES.items()]]))
        return VEHICLE
    if category == "involvement":
        rate = format_money(context.services.settings.hourly_rate_pence)
        await say(update, context, _("How many hours did you give, including travel time? We pay {rate} an "
                                     "hour.").format(rate=rate) + "\n" + _(BENEFITS_NOTE),
                  keyboard([[(h.replace(".5", "½"), f"cl:hrs:{h}") for h in HOURS_CHOICES]]))
        return HOURS
    return await ask_amount(update, context)


async def ask_amount(update: Update, context: BotContext) -> Any:
    await say(update, context, _("How much was it? Type the amount in pounds, like 4.50."))
    return AMOUNT


async def read_amount(update: Update, context: BotContext) -> int | None:
    """Pence from what was typed, in the reader's number format; None after a kind explanation."""
    ceiling = context.services.settings.claim_ceiling_pence
    parsed = parse_amount(update.effective_message.text or "", babel_locale(context.language), ceiling)
    if parsed.pence is None:
        assert parsed.problem is not None
        message = _(AMOUNT_PROBLEMS[parsed.problem]).format(limit=format_money(ceiling))
        if parsed.suggestion:
            message += " " + _("Did you mean {amount}? Type it with a dot for pence.").format(
                amount=format_money(parsed.suggestion))
        await say(update, context, message)
    return parsed.pence


async def on_amount(update: Update, context: BotContext) -> Any:
    settings = context.services.settings
    amount = await read_amount(update, context)
    if amount is None:
        return AMOUNT
    current = _draft(context)["current"]
    current["amount"] = amount
    if needs_receipt(Item(current["category"], amount), settings.receipt_above_pence):
        await say(update, context, _("Please send a photo of the receipt, or the receipt as a PDF. "
                                     "Receipts are needed above {amount}.").format(
            amount=format_money(settings.receipt_above_pence)))
        return RECEIPT
    return await _add_current(update, context)


async def on_receipt(update: Update, context: BotContext) -> Any:
    message = update.effective_message
    current = _draft(context).get("current") or {}
    if message.photo:
        current.update(receipt=message.photo[-1].file_id, receipt_type="photo")
    elif message.document and ((message.document.mime_type or "") in ("application/pdf", "image/jpeg", "image/png")):
        if (message.document.file_size or 0) > MAX_RECEIPT_BYTES:
            await say(update, context, _("That file is too big. Please send a photo of the receipt instead."))
            return RECEIPT
        current.update(receipt=message.document.file_id, receipt_type="document")
    else:
        await say(update, context, _("Please send a photo of the receipt, or a PDF. Send /cancel to stop."))
        return RECEIPT
    _draft(context)["current"] = current
    return await _add_current(update, context)


async def _add_current(update: Update, context: BotContext) -> Any:
    draft = _draft(context)
    current = draft.pop("current", None)
    if current:
        same = [i for i in draft["items"] if i["category"] == current["category"] and i["amount"] == current["amount"]]
        if same:
            await say(update, context, _("You have already added this item, so I did not add it twice."))
        else:
            if draft.get("meeting_id") and current["category"] in PREAPPROVABLE:
                assert context.participant is not None
                agreed = await context.services.claims.approved_preapproval(
                    context.participant.id, draft["meeting_id"], current["category"])
                if agreed:
                    current["preapproval_id"] = agreed["id"]
            draft["items"].append(current)
    return await show_menu(update, context)


async def on_vehicle(update: Update, context: BotContext) -> Any:
    choice = await picked(update, {v.value for v in Vehicle})
    if choice is None:
        return VEHICLE
    _draft(context)["current"]["vehicle"] = choice
    return await ask_miles(update, context)


async def ask_miles(update: Update, context: BotContext) -> Any:
    await say(update, context, _("How many miles, there and back? Type a number, like 12."))
    return MILES


async def on_miles(update: Update, context: BotContext) -> Any:
    most = context.services.settings.most_miles_per_journey
    miles = parse_miles(update.effective_message.text or "", babel_locale(context.language), most)
    if miles is None:
        await say(update, context, _("Please type the miles as a number from 1 to {most}.").format(most=most))
        return MILES
    _draft(context)["current"]["miles"] = str(miles)
    await say(update, context, _("Did you give anyone a lift to the same meeting?"),
              keyboard([[(str(n), f"cl:pas:{n}") for n in range(5)]]))
    return PASSENGERS


async def on_passengers(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    parts = callback_parts(update.callback_query.data, 3)
    if parts is None or not parts[2].isdigit() or int(parts[2]) > 4:
        return PASSENGERS
    await clear_buttons(update)
    current = _draft(context)["current"]
    current["passengers"] = int(parts[2])
    assert context.participant is not None
    start, end = tax_year_bounds(tax_year_start(context.services.clock.now().date()))
    so_far = await context.services.claims.car_miles(context.participant.id, start, end)
    so_far += sum((Decimal(i["miles"]) for i in _draft(context)["items"] if i.get("vehicle") == "car"), Decimal(0))
    current["amount"] = mileage_pence(Decimal(current["miles"]), Vehicle(current["vehicle"]), current["passengers"],
                                      so_far)
    return await _add_current(update, context)


async def on_hours(update: Update, context: BotContext) -> Any:
    choice = await picked(update, HOURS_CHOICES)
    if choice is None:
        return HOURS
    current = _draft(context)["current"]
    current["hours"] = choice
    current["amount"] = hours_pence(Decimal(choice), context.services.settings.hourly_rate_pence)
    return await _add_current(update, context)


# --- review, payment choice, submit ----------------------------------------------------

async def on_review(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    await clear_buttons(update)
    if not context.participant or not _draft(context)["items"]:
        return await show_menu(update, context)
    await say(update, context, _("Anything to add for the person checking your claim? Type a short note, or tap "
                                 "Skip."), column([(_("Skip »"), "cl:note:skip")]))
    return NOTE


async def on_note(update: Update, context: BotContext) -> Any:
    if update.callback_query:
        await acknowledge(update)
        await clear_buttons(update)
    else:
        _draft(context)["note"] = typed(update)[:300] or None
    assert context.participant is not None
    stored = await context.services.participants.raw(context.participant.id)
    if not stored.get("payment_preference"):
        return await ask_payment(update, context)
    _draft(context).setdefault("preference", stored["payment_preference"])
    _draft(context).setdefault("donate_to", stored.get("donate_to"))
    return await show_summary(update, context)


async def ask_payment(update: Update, context: BotContext) -> Any:
    text = "\n".join([_("How would you like to be paid? You choose once; you can change it for any claim."),
                      _("We never ask for bank details in this chat: for a bank transfer, the council's finance "
                        "team contacts you directly."), "", _(BENEFITS_NOTE)])
    await say(update, context, text, column([*((_(label), f"cl:pay:{key}") for key, label in PAYMENT_CHOICES.items()),
                                             explain_button("payment", "expenses")]))
    return PAYMENT


async def on_payment(update: Update, context: BotContext) -> Any:
    choice = await picked(update, PAYMENT_CHOICES)
    if choice is None:
        return PAYMENT
    _draft(context)["preference"] = choice
    _draft(context)["donate_to"] = None
    if choice == "donate":
        await say(update, context, _("Which charity should get it? Type its name."))
        return DONATE
    return await _save_preference_and_summarise(update, context)


async def on_donate(update: Update, context: BotContext) -> Any:
    text = await read_text(update, context, 100)
    if text is None:
        return DONATE
    _draft(context)["donate_to"] = text
    return await _save_preference_and_summarise(update, context)


async def _save_preference_and_summarise(update: Update, context: BotContext) -> Any:
    assert context.participant is not None
    await context.services.participants.set_payment_preference(
        context.participant.id, _draft(context)["preference"], _draft(context).get("donate_to"))
    return await show_summary(update, context)


async def show_summary(update: Update, context: BotContext) -> Any:
    draft = _draft(context)
    sums = totals(_items(draft))
    paid = payable(sums, draft["preference"])
    lines = [_("<b>Your claim</b>"), _("For: {title}").format(title=escape(draft["title"])), ""]
    expenses = [i for i in draft["items"] if kind_of(i["category"]) is Kind.EXPENSE]
    time_items = [i for i in draft["items"] if kind_of(i["category"]) is Kind.INVOLVEMENT]
    if expenses:
        lines += [_("<b>Costs to refund</b>"), *[_item_line(i) for i in expenses],
                  _("Costs: {amount}").format(amount=format_money(sums.expenses)), ""]
    if time_items:
        lines += [_("<b>Payment for your time</b>"), *[_item_line(i) for i in time_items],
                  _("Time: {amount}").format(amount=format_money(sums.involvement)), ""]
    preference = PAYMENT_CHOICES[draft["preference"]]
    choice = _(preference)
    if draft.get("donate_to"):
        choice += f" ({escape(draft['donate_to'])})"
    lines += [_("Total: {amount}").format(amount=format_money(sums.total)),
              _("Paid as: {choice}").format(choice=choice)]
    if paid != sums:
        lines.append(_("With this choice we pay {amount}.").format(amount=format_money(paid.total)))
    if draft.get("note"):
        lines.append(_("Note: {note}").format(note=escape(draft["note"])))
    await say(update, context, "\n".join(lines), keyboard([
        [(_("📨 Send my claim"), f"cl:send:{draft.get('key') or 0}")], [(_("➕ Add another item"), "cl:more")],
        [(_("💷 Change how I'm paid"), "cl:paychange")], [(_("Cancel"), "cl:cancel")]]))
    return SUMMARY


async def on_summary(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    await clear_buttons(update)
    action = (update.callback_query.data or "").split(":")[1]
    if action == "more":
        return await show_menu(update, context)
    if action == "paychange":
        return await ask_payment(update, context)
    if action == "cancel":
        return await cancel(update, context)
    return await submit(update, context)


async def submit(update: Update, context: BotContext) -> Any:
    """The reference is given only after the claim is committed."""
    services = context.services
    draft = context.drafts.pop(DRAFT, {})
    assert context.participant is not None
    now = services.clock.now()
    claim, created = await services.claims.submit(
        participant_id=context.participant.id, meeting_id=draft.get("meeting_id"), activity=draft.get("activity"),
        preference=draft["preference"], donate_to=draft.get("donate_to"), note=draft.get("note"),
        items=draft["items"], now=now, key=draft.get("key"))
    if created:  # the same Send again (after a restart) just repeats the reference
        await services.jobs.schedule("claims.nudge", str(claim.id),
                                     now + timedelta(days=services.settings.claim_nudge_days))
    await ending(update, context)
    await _thank(update, context, claim.reference)
    return ConversationHandler.END


async def _thank(update: Update, context: BotContext, reference: str) -> None:
    assert context.participant is not None
    lines = [_("Thank you. Your claim {reference} has been sent. We will message you here when it is checked and "
               "when it is paid.").format(reference=reference)]
    lines += await _year_lines(context.services, context.participant.id)
    await say(update, context, "\n".join(lines))


@require_registered
async def on_sent_again(update: Update, context: BotContext) -> None:
    """Send tapped again after the claim was saved and the flow ended (a crash ate the reply)."""
    parts = callback_parts(update.callback_query.data if update.callback_query else None, 3)
    assert context.participant is not None
    claim = await context.services.claims.by_submission(context.participant.id, parts[2]) if parts else None
    if claim is None:
        await stale_button(update, context)
        return
    await acknowledge(update)
    await clear_buttons(update)
    await _thank(update, context, claim.reference)


async def _year_lines(services: Services, participant_id: int) -> list[str]:
    start, end = tax_year_bounds(tax_year_start(services.clock.now().date()))
    rows = await services.claims.year_items(participant_id, start, end)
    paid = sum(r["amount_pence"] for r in rows if r["kind"] == Kind.INVOLVEMENT.value)
    lines = [_("Payments for your time this tax year (from 6 April): {amount}.").format(amount=format_money(paid))]
    if near_threshold(paid, services.settings.yearly_payment_warning_pence):
        lines.append("⚠️ " + _("You are close to {amount} this year. If you get benefits, please check with an "
                               "adviser before taking more payments for your time.").format(
            amount=format_money(services.settings.yearly_payment_warning_pence)) + " " + _(BENEFITS_NOTE))
    return lines


async def cancel(update: Update, context: BotContext) -> Any:
    context.drafts.pop(DRAFT, None)
    await say(update, context, _("Stopped. Nothing was sent."))
    return ConversationHandler.END


# --- asking in advance -----------------------------------------------------------------

async def ask_pre_meeting(update: Update, context: BotContext) -> Any:
    assert context.participant is not None
    upcoming = await context.services.meetings.upcoming_for(context.participant.id, context.services.clock.now())
    if not upcoming:
        await say(update, context, _("You can ask in advance for a meeting you are invited to and going to. "
                                     "There is none coming up yet."))
        context.drafts.pop(DRAFT, None)
        return ConversationHandler.END
    await say(update, context, _("Which meeting is it for?"),
              column((f"🗓 {m.title[:40]}", f"cl:pre:{m.id}") for m in upcoming))
    return PRE_MEETING


async def on_pre_meeting(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    parts = callback_parts(update.callback_query.data, 3)
    assert context.participant is not None
    upcoming = {m.id for m in await context.services.meetings.upcoming_for(context.participant.id,
                                                                            context.services.clock.now())}
    if parts is None or not parts[2].isdigit() or int(parts[2]) not in upcoming:
        return PRE_MEETING
    await clear_buttons(update)
    _draft(context)["meeting_id"] = int(parts[2])
    await say(update, context, _("What cost can't you pay upfront?"),
              column((_(CATEGORIES[key]), f"cl:precat:{key}") for key in PREAPPROVABLE))
    return PRE_CATEGORY


async def on_pre_category(update: Update, context: BotContext) -> Any:
    choice = await picked(update, PREAPPROVABLE)
    if choice is None:
        return PRE_CATEGORY
    _draft(context)["category"] = choice
    await say(update, context, _("About how much will it be? Type the amount in pounds, like 18.00."))
    return PRE_AMOUNT


async def on_pre_amount(update: Update, context: BotContext) -> Any:
    services = context.services
    amount = await read_amount(update, context)
    if amount is None:
        return PRE_AMOUNT
    draft = context.drafts.pop(DRAFT, {})
    assert context.participant is not None
    await services.claims.ask_preapproval(context.participant.id, draft["meeting_id"], draft["category"],
                                          amount, services.clock.now())
    await ending(update, context)
    await say(update, context, _("Sent. An officer will check it and tell you here before the meeting. Keep the "
                                 "receipt: you claim it afterwards with /claim."))
    return ConversationHandler.END


# --- /claims and /statement ------------------------------------------------------------

STATUS_NAMES = {"submitted": N_("waiting to be checked"), "query": N_("we asked you a question"),
                "approved": N_("approved, waiting to be paid"), "rejected": N_("not approved"), "paid": N_("paid")}


@require_registered
async def claims_command(update: Update, context: BotContext) -> None:
    services = context.services
    assert context.participant is not None
    mine = await services.claims.mine(context.participant.id)
    lines = [_("<b>Your claims</b>")]
    for claim in mine:
        line = f"• {claim.reference} – {format_date(claim.submitted_at, services.settings.timezone)} – " + _(
            STATUS_NAMES[claim.status])
        if claim.status == "rejected" and claim.reason:
            line += f" ({escape(claim.reason)})"
        lines.append(line)
    if not mine:
        lines.append(_("None yet. Send /claim to make one."))
    lines += ["", *await _year_lines(services, context.participant.id)]
    await say(update, context, "\n".join(lines))


@require_registered
async def statement_command(update: Update, context: BotContext) -> None:
    this_year = tax_year_start(context.services.clock.now().date())
    buttons = [(_("{start}–{end} tax year").format(start=year, end=year + 1), f"cl:stmt:{year}")
               for year in (this_year, this_year - 1)]
    await say(update, context, _("A statement of what we paid you, to show a benefits adviser. Which tax year?"),
              column(buttons))


@require_registered
async def on_statement(update: Update, context: BotContext) -> None:
    parts = callback_parts(update.callback_query.data, 3)
    await acknowledge(update)
    if parts is None or not parts[2].isdigit():
        return
    services = context.services
    assert context.participant is not None
    year = int(parts[2])
    start, end = tax_year_bounds(year)
    rows = await services.claims.year_items(context.participant.id, start, end)
    body = render_statement(context.participant.display_name or "", year, rows)
    await context.bot.send_document(update.effective_chat.id, io.BytesIO(body.encode()),
                                    filename=f"payments-{year}-{year + 1}.html",
                                    caption=_("Your statement for the {start}–{end} tax year.").format(
                                        start=year, end=year + 1))


def _statement_row(row: dict[str, Any]) -> str:
    item = CATEGORIES[row["category"]]
    kind = _("Payment for time") if row["kind"] == Kind.INVOLVEMENT.value else _("Refund of costs")
    cells = [row["reference"], row["submitted_at"][:10], row["meeting"] or row["activity"] or "", _(item), kind]
    return ("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in cells)
            + f"<td style='text-align:right'>{escape(format_money(row['amount_pence']))}</td></tr>")


def render_statement(name: str, year: int, rows: list[dict[str, Any]]) -> str:
    """A plain HTML page that opens on any phone and prints on one sheet."""
    expenses = sum(r["amount_pence"] for r in rows if r["kind"] == Kind.EXPENSE.value)
    time_paid = sum(r["amount_pence"] for r in rows if r["kind"] == Kind.INVOLVEMENT.value)
    table = "".join(_statement_row(row) for row in rows)
    title = _("Payments from the council's co-production team, {start}–{end} tax year").format(
        start=year, end=year + 1)
    return html_page(title,
                     f"<p>{escape(_('Name: {value}').format(value=name))}</p>"
                     f"<table border='1' cellpadding='4'><tr><th>{escape(_('Reference'))}</th>"
                     f"<th>{escape(_('Date'))}</th><th>{escape(_('For'))}</th><th>{escape(_('Item'))}</th>"
                     f"<th>{escape(_('Type'))}</th><th>{escape(_('Amount'))}</th></tr>{table}</table>"
                     f"<p>{escape(_('Payments for time: {amount}').format(amount=format_money(time_paid)))}</p>"
                     f"<p>{escape(_('Refunds of costs: {amount}').format(amount=format_money(expenses)))}</p>"
                     f"<p>{escape(_(BENEFITS_NOTE))}</p>")


def conversation() -> Flow:
    receipt = filters.PHOTO | filters.Document.ALL
    states = {
        WHAT: step(start_claim, CallbackQueryHandler(on_what, pattern="^cl:for:")),
        ACTIVITY: step(ask_activity, MessageHandler(typed_text(), on_activity)),
        MENU: step(show_menu, CallbackQueryHandler(on_add, pattern="^cl:add:"),
                   CallbackQueryHandler(on_review, pattern="^cl:review$")),
        AMOUNT: step(ask_amount, MessageHandler(typed_text(), on_amount)),
        RECEIPT: step(show_menu, MessageHandler(receipt, on_receipt), MessageHandler(~filters.COMMAND, on_receipt)),
        VEHICLE: step(show_menu, CallbackQueryHandler(on_vehicle, pattern="^cl:veh:")),
        MILES: step(ask_miles, MessageHandler(typed_text(), on_miles)),
        PASSENGERS: step(show_menu, CallbackQueryHandler(on_passengers, pattern="^cl:pas:")),
        HOURS: step(show_menu, CallbackQueryHandler(on_hours, pattern="^cl:hrs:")),
        NOTE: step(show_menu, MessageHandler(typed_text(), on_note),
                   CallbackQueryHandler(on_note, pattern="^cl:note:")),
        PAYMENT: step(ask_payment, CallbackQueryHandler(on_payment, pattern="^cl:pay:")),
        DONATE: step(ask_payment, MessageHandler(typed_text(), on_donate)),
        SUMMARY: step(show_summary,
                      CallbackQueryHandler(on_summary, pattern="^cl:(send:[0-9a-f]+|more|paychange|cancel)$")),
        PRE_MEETING: step(ask_pre_meeting, CallbackQueryHandler(on_pre_meeting, pattern="^cl:pre:")),
        PRE_CATEGORY: step(ask_pre_meeting, CallbackQueryHandler(on_pre_category, pattern="^cl:precat:")),
        PRE_AMOUNT: step(ask_pre_meeting, MessageHandler(typed_text(), on_pre_amount)),
    }
    return Flow(name="claim", noun=N_("your claim"), states=states, entry_points=[CommandHandler("claim", start_claim)],
                cancel=cancel, prefixes=("cl",), drafts=(DRAFT,), start=start_claim, command="claim")


def handlers() -> list[object]:
    return [
        CommandHandler("claims", claims_command),
        CommandHandler("statement", statement_command),
        CallbackQueryHandler(on_statement, pattern=r"^cl:stmt:\d+$"),
        CallbackQueryHandler(on_sent_again, pattern=r"^cl:send:[0-9a-f]+$"),
    ]
