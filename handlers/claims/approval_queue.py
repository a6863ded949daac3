"""Officers: /approvals, the queue of what waits for them (claims to check and to pay, and
money asked for in advance), shown a page at a time; agreeing to an advance request is one tap
here, while deciding on a claim is the conversation in handlers/claims/approvals.py."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from approvals import work
from approvals.buttons import ClaimDecisionButton, MoreApprovalsButton, PreapprovalButton
from approvals.views import claim_text
from bot.context import BotContext
from bot.i18n import _, format_money
from bot.keyboards import Button, keyboard
from claims.work import paid_for_meeting
from domain.claims import CATEGORIES
from domain.delivery import CHAT_BURST
from domain.roles import OFFICERS
from handlers.kit.common import acknowledge, audit, clear_buttons, escape, refuse, require, say, show_more, turn_page
from storage.claims import Claim

PAGE = CHAT_BURST  # items per page; the counts after them, with the next-page button, wait their turn


def _decision_buttons(claim: Claim) -> Any:
    rows: list[list[Button]] = []
    if claim.status == "submitted":
        rows.append(
            [
                (_("✅ Approve"), ClaimDecisionButton(claim.id, "a").pack()),
                (_("❌ Reject"), ClaimDecisionButton(claim.id, "r").pack()),
            ]
        )
        rows.append([(_("❓ Ask a question"), ClaimDecisionButton(claim.id, "q").pack())])
    elif claim.status == "query":
        rows.append([(_("❌ Reject"), ClaimDecisionButton(claim.id, "r").pack())])
    elif claim.status == "approved":
        rows.append([(_("💷 Mark paid"), ClaimDecisionButton(claim.id, "p").pack())])
    return keyboard(rows) if rows else None


@require(OFFICERS, "claims.queue")
async def approvals_command(update: Update, context: BotContext) -> None:
    await show_approvals(update, context, start=0)


async def show_approvals(update: Update, context: BotContext, start: int) -> None:
    """A page of what waits, oldest first, then the counts and a button for the next page, so
    a long queue never sends more at once than one chat may get (see CHAT_BURST)."""
    services = context.services
    queue = await services.claims.queue()
    unpaid = await services.claims.approved_unpaid()
    asked = await services.claims.pending_preapprovals()
    waiting: list[dict[str, Any] | Claim] = [*asked, *queue, *unpaid]
    if not waiting:
        await say(update, context, _("Nothing is waiting. Well done."))
        return
    for entry in waiting[start : start + PAGE]:
        await (
            _show_claim(update, context, entry) if isinstance(entry, Claim) else _show_request(update, context, entry)
        )
    left = len(waiting) - start - PAGE
    buttons = keyboard([[show_more(left, PAGE, MoreApprovalsButton(start + PAGE).pack())]]) if left > 0 else None
    await say(
        update,
        context,
        _("Waiting: {queue} to check, {unpaid} to pay, {asked} asked in advance. Oldest first.").format(
            queue=len(queue), unpaid=len(unpaid), asked=len(asked)
        ),
        buttons,
    )


async def _show_request(update: Update, context: BotContext, request: dict[str, Any]) -> None:
    services = context.services
    item = CATEGORIES[request["category"]]
    person = await services.participants.by_id(request["participant_id"])
    meeting = await services.meetings.by_id(request["meeting_id"])
    text = _("Asked in advance by {name}: {item} about {amount} for “{title}”.").format(
        name=escape(person.display_name if person else "?"),
        item=_(item),
        amount=format_money(request["amount_pence"]),
        title=escape(meeting.title if meeting else "?"),
    )
    if context.participant is not None and request["participant_id"] == context.participant.id:
        await say(update, context, text + "\n" + _("You asked for this yourself, so another officer must decide."))
        return
    await say(
        update,
        context,
        text,
        keyboard(
            [
                [
                    (_("✅ Agree"), PreapprovalButton(request["id"], True).pack()),
                    (_("❌ Decline"), PreapprovalButton(request["id"], False).pack()),
                ]
            ]
        ),
    )


async def _show_claim(update: Update, context: BotContext, claim: Claim) -> None:
    services = context.services
    chat_id = update.effective_chat.id
    text = await claim_text(
        services, claim, await paid_for_meeting(services, claim.meeting_id) if claim.meeting_id else None
    )
    if context.participant is not None and claim.participant_id == context.participant.id:
        # The buttons would only be refused: nobody decides on their own claim.
        await say(update, context, text + "\n\n" + _("This is your own claim, so another officer must decide."))
    else:
        await say(update, context, text, _decision_buttons(claim))
    for item in await services.claims.items(claim.id):
        if item.receipt_file_id and item.receipt_type == "photo":
            await context.bot.send_photo(chat_id, item.receipt_file_id, caption=claim.reference)
        elif item.receipt_file_id:
            await context.bot.send_document(chat_id, item.receipt_file_id, caption=claim.reference)


# --- advance approvals ----------------------------------------------------------------


async def on_preapproval(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, PreapprovalButton)
    services = context.services
    request = await services.claims.preapproval(button.request)
    me = context.participant.id if context.participant else 0
    if request is None or request["participant_id"] == me:
        await refuse(update, context, "claims.preapprove")
        return
    if not await work.decide_preapproval(services, request, button.agree, me):
        await acknowledge(update, _("This has already been decided."), alert=True)
        return
    await acknowledge(update)
    await clear_buttons(update)
    await audit(
        context, update, "claims.preapprove", "approved" if button.agree else "declined", subject=str(request["id"])
    )
    await say(update, context, _("Done. They have been told."))


def handlers() -> list[object]:
    return [
        CommandHandler("approvals", approvals_command),
        CallbackQueryHandler(on_preapproval, pattern=PreapprovalButton.pattern()),
        CallbackQueryHandler(turn_page(show_approvals), pattern=MoreApprovalsButton.pattern()),
    ]
