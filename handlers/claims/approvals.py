"""Officers: the approval queue, questions that come back into the claim, payment and advance
approvals (the finance export is handlers/claims/claims_export.py; the work is in approvals/)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from approvals import work
from approvals.buttons import (ClaimDecisionButton, ClaimReplyButton, MoreApprovalsButton, PreapprovalButton)
from approvals.views import claim_text
from bot.context import BotContext
from bot.i18n import N_, _, format_money, ngettext
from bot.keyboards import Button, keyboard
from claims.work import paid_for_meeting
from domain.claims import CATEGORIES
from domain.delivery import CHAT_BURST
from domain.roles import OFFICERS
from handlers.claims.approval_draft import APPROVAL, ApprovalDraft
from handlers.kit.common import acknowledge, audit, clear_buttons, escape, refuse, require, say
from handlers.kit.drafts import restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed, typed_text
from storage.claims import Claim

REASON, QUESTION, ANSWER = "reject_reason", "question", "answer"
PAGE = CHAT_BURST  # items per page; the counts after them, with the next-page button, wait their turn


def _decision_buttons(claim: Claim) -> Any:
    rows: list[list[Button]] = []
    if claim.status == "submitted":
        rows.append([(_("✅ Approve"), ClaimDecisionButton(claim.id, "a").pack()),
                     (_("❌ Reject"), ClaimDecisionButton(claim.id, "r").pack())])
        rows.append([(_("❓ Ask a question"), ClaimDecisionButton(claim.id, "q").pack())])
    elif claim.status == "query":
        rows.append([(_("❌ Reject"), ClaimDecisionButton(claim.id, "r").pack())])
    elif claim.status == "approved":
        rows.append([(_("💷 Mark paid"), ClaimDecisionButton(claim.id, "p").pack())])
    return keyboard(rows) if rows else None


@require(OFFICERS, "claims.queue")
async def approvals_command(update: Update, context: BotContext) -> None:
    await show_approvals(update, context, start=0)


async def on_more_approvals(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, MoreApprovalsButton)
    await acknowledge(update)
    await show_approvals(update, context, start=max(button.start, 0))


async def show_approvals(update: Update, context: BotContext, *, start: int) -> None:
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
    for entry in waiting[start:start + PAGE]:
        await (_show_claim(update, context, entry) if isinstance(entry, Claim)
               else _show_request(update, context, entry))
    left = len(waiting) - start - PAGE
    more = min(left, PAGE)
    buttons = keyboard([[(ngettext("Show {count} more", "Show {count} more", more).format(count=more),
                          MoreApprovalsButton(start + PAGE).pack())]]) if left > 0 else None
    await say(update, context, _("Waiting: {queue} to check, {unpaid} to pay, {asked} asked in advance. Oldest "
                                 "first.").format(queue=len(queue), unpaid=len(unpaid), asked=len(asked)), buttons)


async def _show_request(update: Update, context: BotContext, request: dict[str, Any]) -> None:
    services = context.services
    item = CATEGORIES[request["category"]]
    person = await services.participants.by_id(request["participant_id"])
    meeting = await services.meetings.by_id(request["meeting_id"])
    text = _("Asked in advance by {name}: {item} about {amount} for “{title}”.").format(
        name=escape(person.display_name if person else "?"), item=_(item),
        amount=format_money(request["amount_pence"]), title=escape(meeting.title if meeting else "?"))
    if context.participant is not None and request["participant_id"] == context.participant.id:
        await say(update, context, text + "\n" + _("You asked for this yourself, so another officer must decide."))
        return
    await say(update, context, text, keyboard([[(_("✅ Agree"), PreapprovalButton(request["id"], True).pack()),
                                                (_("❌ Decline"), PreapprovalButton(request["id"], False).pack())]]))


async def _show_claim(update: Update, context: BotContext, claim: Claim) -> None:
    services = context.services
    chat_id = update.effective_chat.id
    text = await claim_text(services, claim, await paid_for_meeting(services, claim.meeting_id)
                            if claim.meeting_id else None)
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


async def _officer_claim(update: Update, context: BotContext, claim_id: int) -> Claim | None:
    """The claim a button is about; nobody decides on their own claim."""
    claim = await context.services.claims.by_id(claim_id)
    if claim is None or (context.participant is not None and claim.participant_id == context.participant.id):
        await refuse(update, context, "claims.decide", subject=str(claim_id))
        return None
    return claim


async def _audited(update: Update, context: BotContext, claim: Claim, action: str, changed: bool) -> bool:
    """Audit an officer's step on a claim, and say so if it had already moved on."""
    await audit(context, update, f"claims.{action}", "ok" if changed else "nothing", subject=claim.reference)
    if not changed:
        await acknowledge(update, _("This claim has already moved on, so nothing was changed."), alert=True)
    return changed


def _me(context: BotContext) -> int | None:
    return context.participant.id if context.participant else None


async def on_decision(update: Update, context: BotContext) -> Any:
    """Approve and Mark paid act at once; Reject and Ask wait for the officer's words."""
    button = context.button
    assert isinstance(button, ClaimDecisionButton)
    claim = await _officer_claim(update, context, button.claim)
    if claim is None:
        return ConversationHandler.END
    code = button.action
    if code in ("r", "q"):
        await acknowledge(update)
        APPROVAL.begin(context, ApprovalDraft(claim.id))
        return await (ask_reason if code == "r" else ask_question)(update, context)
    action = {"a": "approve", "p": "paid"}.get(code)
    if action is None:
        return ConversationHandler.END
    act = work.approve if action == "approve" else work.mark_paid
    if not await _audited(update, context, claim, action, await act(context.services, claim, _me(context))):
        return ConversationHandler.END
    await acknowledge(update)
    await clear_buttons(update)
    if action == "approve":
        await say(update, context, _("Approved {reference}.").format(reference=claim.reference),
                  keyboard([[(_("💷 Mark paid"), ClaimDecisionButton(claim.id, "p").pack())]]))
    else:
        await say(update, context, _("Marked {reference} as paid.").format(reference=claim.reference))
    return ConversationHandler.END


async def _reference(context: BotContext) -> str:
    claim = await context.services.claims.by_id(APPROVAL.of(context).claim)
    return claim.reference if claim else "?"


async def ask_reason(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Why is {reference} not approved? Write it in plain words: the person "
                                 "will read it.").format(reference=await _reference(context)))
    return REASON


async def ask_question(update: Update, context: BotContext) -> Any:
    await say(update, context, _("What would you like to ask about {reference}?").format(
        reference=await _reference(context)))
    return QUESTION


async def ask_answer(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Type your answer. It goes into your claim {reference}.").format(
        reference=await _reference(context)))
    return ANSWER


async def _working_claim(context: BotContext) -> Claim | None:
    return await context.services.claims.by_id(APPROVAL.pop(context).claim)


async def on_reason(update: Update, context: BotContext) -> Any:
    reason = typed(update)
    if len(reason) < 5:
        await say(update, context, _("A reason is needed, in a few plain words, so the person understands."))
        return REASON
    claim = await _working_claim(context)
    if claim is None or not await _audited(update, context, claim, "reject",
                                           await work.reject(context.services, claim, _me(context), reason)):
        return ConversationHandler.END
    await ending(update, context)
    await say(update, context, _("Rejected {reference}. The person has been told why.").format(
        reference=claim.reference))
    return ConversationHandler.END


async def on_question(update: Update, context: BotContext) -> Any:
    question = typed(update)
    if not question:
        return QUESTION
    claim = await _working_claim(context)
    if claim is None or not await _audited(update, context, claim, "question", await work.ask(
            context.services, claim, _me(context), question, str(update.update_id))):
        return ConversationHandler.END
    await ending(update, context)
    await say(update, context, _("Asked. Their answer will come back into the claim and to you."))
    return ConversationHandler.END


cancel = stopped()


# --- the resident answers a question ---------------------------------------------------

async def on_reply_button(update: Update, context: BotContext) -> Any:
    button = context.button
    assert isinstance(button, ClaimReplyButton)
    claim = await context.services.claims.by_id(button.claim)
    if claim is None or context.participant is None or claim.participant_id != context.participant.id:
        await refuse(update, context, "claims.answer")
        return ConversationHandler.END
    if claim.status != "query":
        await acknowledge(update, _("This question has already been answered."), alert=True)
        return ConversationHandler.END
    await acknowledge(update)
    APPROVAL.begin(context, ApprovalDraft(claim.id))
    return await ask_answer(update, context)


async def on_answer(update: Update, context: BotContext) -> Any:
    answer = typed(update)
    if not answer:
        return ANSWER
    claim = await _working_claim(context)
    if claim is None or not await work.answer(context.services, claim, answer, str(update.update_id)):
        await say(update, context, _("This question has already been answered."))
        return ConversationHandler.END
    await ending(update, context)
    await say(update, context, _("Thank you. Your answer has been added to your claim."))
    return ConversationHandler.END


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
    await audit(context, update, "claims.preapprove", "approved" if button.agree else "declined",
                subject=str(request["id"]))
    await say(update, context, _("Done. They have been told."))


def conversation() -> Flow:
    return Flow(
        name="approvals",
        noun=N_("your answer about a claim"),
        states=restarting({
            REASON: step(ask_reason, MessageHandler(typed_text(), on_reason)),
            QUESTION: step(ask_question, MessageHandler(typed_text(), on_question)),
            ANSWER: step(ask_answer, MessageHandler(typed_text(), on_answer)),
        }, None),
        entry_points=[CallbackQueryHandler(on_decision, pattern=ClaimDecisionButton.pattern()),
                      CallbackQueryHandler(on_reply_button, pattern=ClaimReplyButton.pattern())],
        cancel=cancel,
        prefixes=(ClaimDecisionButton.prefix, ClaimReplyButton.prefix),
        drafts=(APPROVAL.key,),
    )


def handlers() -> list[object]:
    return [
        CommandHandler("approvals", approvals_command),
        CallbackQueryHandler(on_preapproval, pattern=PreapprovalButton.pattern()),
        CallbackQueryHandler(on_more_approvals, pattern=MoreApprovalsButton.pattern()),
    ]
