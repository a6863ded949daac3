"""/claim for residents: what it is for, the items (costs and time kept apart), receipts,
how they want to be paid, a summary, Submit; plus /claims and /statement. The steps are in
`claim_steps.py` (items), `claim_summary.py` (the end) and `claim_advance.py` (asking in
advance); the rules and the work are the `claims` package."""

from __future__ import annotations

import io
from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import N_, _, format_date
from bot.keyboards import Button, column, keyboard
from claims import work
from claims.buttons import ClaimChoice
from claims.draft import ClaimDraft
from claims.export import render_statement
from claims.views import STATUS_NAMES
from domain.claims import tax_year_bounds
from domain.money import tax_year_start
from handlers.claims import time_asks
from handlers.claims.claim_advance import PRE, PRE_CAT, ask_pre_meeting, on_pre_amount, on_pre_category, on_pre_meeting
from handlers.claims.claim_steps import (
    ACTIVITY,
    ADD,
    AMOUNT,
    CLAIM,
    DONATE,
    DRAFT,
    FOR,
    HOURS,
    HRS,
    MENU,
    MILES,
    NOTE,
    PAS,
    PASSENGERS,
    PAYMENT,
    PRE_AMOUNT,
    PRE_CATEGORY,
    PRE_MEETING,
    RECEIPT,
    REVIEW,
    SUMMARY,
    VEH,
    VEHICLE,
    WHAT,
    ask_amount,
    ask_hours,
    ask_miles,
    ask_passengers,
    ask_vehicle,
    on_add,
    on_amount,
    on_hours,
    on_miles,
    on_passengers,
    on_receipt,
    on_vehicle,
    show_menu,
)
from handlers.claims.claim_summary import (
    CANCEL,
    MORE,
    PAY,
    PAY_CHANGE,
    SEND,
    ask_note,
    ask_payment,
    cancel,
    on_donate,
    on_note,
    on_payment,
    on_review,
    on_summary,
    show_summary,
    thank,
    this_year,
)
from handlers.kit.common import acknowledge, ask, clear_buttons, escape, require_registered, say, stale_button
from handlers.kit.drafts import restarting
from handlers.kit.flow import Flow, step, typed_text
from handlers.kit.write_in import write_in

STATEMENT = "stmt"  # what /statement's buttons carry after "cl:"
SUBMISSION = "[0-9a-f]+"  # a draft's key, on its Send button


# --- what the claim is for -------------------------------------------------------------


@require_registered
async def start_claim(update: Update, context: BotContext) -> Any:
    assert context.participant is not None
    CLAIM.begin(context, ClaimDraft(key=uuid4().hex))
    attended = await context.services.meetings.attended_by(context.participant.id)
    rows: list[list[Button]] = [[(f"🗓 {m.title[:40]}", ClaimChoice(FOR, str(m.id)).pack())] for m in attended]
    rows += [
        [(f"🕒 {agreed.description[:40]}", ClaimChoice(FOR, f"t{agreed.id}").pack())]
        for agreed in await context.services.pay.agreed_unclaimed(context.participant.id)
    ]
    rows.append([(_("Something else I did for the council"), ClaimChoice(FOR, "other").pack())])
    rows.append([(_("Ask to be paid for time on something else"), ClaimChoice(FOR, "time").pack())])
    rows.append([(_("Ask in advance for a cost I can't pay upfront"), ClaimChoice(FOR, "ask").pack())])
    text = _("What is this claim for?")
    if not attended:
        text += "\n" + _("Meetings show here once the organiser has marked that you came.")
    await ask(update, context, text, keyboard(rows))
    return WHAT


async def on_what(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    services = context.services
    assert context.participant is not None
    choice = ClaimChoice.chosen(context.button, FOR) or ""
    if choice == "other":
        await clear_buttons(update)
        return await ask_activity(update, context)
    if choice == "ask":
        await clear_buttons(update)
        return await ask_pre_meeting(update, context)
    if choice == "time":
        await clear_buttons(update)
        return await time_asks.ask_meeting(update, context)
    agreed = {
        f"t{paid_time.id}": paid_time for paid_time in await services.pay.agreed_unclaimed(context.participant.id)
    }
    if choice in agreed:
        await clear_buttons(update)
        paid_time = agreed[choice]
        with CLAIM.editing(context) as draft:
            draft.activity = draft.title = paid_time.description
            draft.items = [await work.agreed_item(services, paid_time)]
        return await show_menu(update, context)
    attended = {m.id: m for m in await services.meetings.attended_by(context.participant.id)}
    if not choice.isdigit() or int(choice) not in attended:
        await say(update, context, _("You can only claim for a meeting the organiser marked you as attending."))
        return WHAT
    await clear_buttons(update)
    with CLAIM.editing(context) as draft:
        draft.meeting_id, draft.title = int(choice), attended[int(choice)].title
    return await show_menu(update, context)


def _keep_activity(context: BotContext, words: str) -> None:
    with CLAIM.editing(context) as draft:
        draft.activity = draft.title = words


ask_activity, on_activity = write_in(
    ACTIVITY, lambda _context: _("In a few words, what did you do and when?"), 200, _keep_activity, show_menu
)


@require_registered
async def on_sent_again(update: Update, context: BotContext) -> None:
    """Send tapped again after the claim was saved and the flow ended (a crash ate the reply)."""
    pressed = context.button
    assert context.participant is not None
    claim = (
        await context.services.claims.by_submission(context.participant.id, pressed.value)
        if isinstance(pressed, ClaimChoice)
        else None
    )
    if claim is None:
        await stale_button(update, context)
        return
    await acknowledge(update)
    await clear_buttons(update)
    await thank(update, context, claim.reference)


# --- /claims and /statement ------------------------------------------------------------


@require_registered
async def claims_command(update: Update, context: BotContext) -> None:
    services = context.services
    assert context.participant is not None
    mine = await services.claims.mine(context.participant.id)
    lines = [_("<b>Your claims</b>")]
    for claim in mine:
        line = f"• {claim.reference} – {format_date(claim.submitted_at, services.settings.timezone)} – " + _(
            STATUS_NAMES[claim.status]
        )
        if claim.status == "rejected" and claim.reason:
            line += f" ({escape(claim.reason)})"
        lines.append(line)
    if not mine:
        lines.append(_("None yet. Send /claim to make one."))
    lines += ["", *await this_year(services, context.participant.id)]
    await say(update, context, "\n".join(lines))


@require_registered
async def statement_command(update: Update, context: BotContext) -> None:
    this_tax_year = tax_year_start(context.services.clock.now().date())
    buttons = [
        (_("{start}–{end} tax year").format(start=year, end=year + 1), ClaimChoice(STATEMENT, str(year)).pack())
        for year in (this_tax_year, this_tax_year - 1)
    ]
    await say(
        update,
        context,
        _("A statement of what we paid you, to show a benefits adviser. Which tax year?"),
        column(buttons),
    )


@require_registered
async def on_statement(update: Update, context: BotContext) -> None:
    chosen = ClaimChoice.chosen(context.button, STATEMENT) or ""
    await acknowledge(update)
    if not chosen.isdigit():
        return
    services = context.services
    assert context.participant is not None
    year = int(chosen)
    start, end = tax_year_bounds(year)
    rows = await services.claims.year_items(context.participant.id, start, end)
    body = render_statement(context.participant.display_name or "", year, rows)
    await context.bot.send_document(
        update.effective_chat.id,
        io.BytesIO(body.encode()),
        filename=f"payments-{year}-{year + 1}.html",
        caption=_("Your statement for the {start}–{end} tax year.").format(start=year, end=year + 1),
    )


def conversation() -> Flow:
    receipt = filters.PHOTO | filters.Document.ALL
    at = ClaimChoice.at
    states = restarting(
        {
            WHAT: step(start_claim, CallbackQueryHandler(on_what, pattern=at(FOR))),
            ACTIVITY: step(ask_activity, MessageHandler(typed_text(), on_activity)),
            MENU: step(
                show_menu,
                CallbackQueryHandler(on_add, pattern=at(ADD)),
                CallbackQueryHandler(on_review, pattern=at(REVIEW, None)),
            ),
            AMOUNT: step(ask_amount, MessageHandler(typed_text(), on_amount)),
            RECEIPT: step(show_menu, MessageHandler(receipt, on_receipt), MessageHandler(~filters.COMMAND, on_receipt)),
            VEHICLE: step(ask_vehicle, CallbackQueryHandler(on_vehicle, pattern=at(VEH))),
            MILES: step(ask_miles, MessageHandler(typed_text(), on_miles)),
            PASSENGERS: step(ask_passengers, CallbackQueryHandler(on_passengers, pattern=at(PAS))),
            HOURS: step(ask_hours, CallbackQueryHandler(on_hours, pattern=at(HRS))),
            NOTE: step(
                ask_note, MessageHandler(typed_text(), on_note), CallbackQueryHandler(on_note, pattern=at(NOTE))
            ),
            PAYMENT: step(ask_payment, CallbackQueryHandler(on_payment, pattern=at(PAY))),
            DONATE: step(ask_payment, MessageHandler(typed_text(), on_donate)),
            SUMMARY: step(
                show_summary,
                CallbackQueryHandler(on_summary, pattern=at(SEND, SUBMISSION)),
                CallbackQueryHandler(on_summary, pattern=at(f"{MORE}|{PAY_CHANGE}|{CANCEL}", None)),
            ),
            PRE_MEETING: step(ask_pre_meeting, CallbackQueryHandler(on_pre_meeting, pattern=at(PRE))),
            PRE_CATEGORY: step(ask_pre_meeting, CallbackQueryHandler(on_pre_category, pattern=at(PRE_CAT))),
            PRE_AMOUNT: step(ask_pre_meeting, MessageHandler(typed_text(), on_pre_amount)),
            **time_asks.states(),
        },
        start_claim,
    )
    return Flow(
        name="claim",
        noun=N_("your claim"),
        states=states,
        entry_points=[CommandHandler("claim", start_claim)],
        cancel=cancel,
        prefixes=(ClaimChoice.prefix,),
        drafts=(DRAFT, time_asks.DRAFT),
        start=start_claim,
        command="claim",
    )


def handlers() -> list[object]:
    return [
        CommandHandler("claims", claims_command),
        CommandHandler("statement", statement_command),
        CallbackQueryHandler(on_statement, pattern=ClaimChoice.at(STATEMENT, r"\d+")),
        CallbackQueryHandler(on_sent_again, pattern=ClaimChoice.at(SEND, SUBMISSION)),
    ]
