"""Officers decide on a claim: approve, reject with a reason, ask a question whose answer comes
back into the claim, mark paid (the queue is handlers/claims/approval_queue.py, the finance
export handlers/claims/claims_export.py; the work is in approvals/)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from approvals import work
from approvals.buttons import ClaimDecisionButton, ClaimReplyButton
from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import keyboard
from handlers.claims.approval_draft import APPROVAL, ApprovalDraft
from handlers.kit.common import acknowledge, audit, clear_buttons, refuse, say
from handlers.kit.drafts import restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed, typed_text
from handlers.kit.flow_steps import read_text
from handlers.kit.write_in import type_last, write_last
from storage.claims import Claim

REASON, QUESTION, ANSWER = "reject_reason", "question", "answer"
WORDS_MAX = 1000  # a reason, question or answer: the other person reads it in one message


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
        await say(
            update,
            context,
            _("Approved {reference}.").format(reference=claim.reference),
            keyboard([[(_("💷 Mark paid"), ClaimDecisionButton(claim.id, "p").pack())]]),
        )
    else:
        await say(update, context, _("Marked {reference} as paid.").format(reference=claim.reference))
    return ConversationHandler.END


async def _reference(context: BotContext) -> str:
    claim = await context.services.claims.by_id(APPROVAL.of(context).claim)
    return claim.reference if claim else "?"


async def _why(context: BotContext) -> str:
    return _("Why is {reference} not approved? Write it in plain words: the person will read it.").format(
        reference=await _reference(context)
    )


async def _what_to_ask(context: BotContext) -> str:
    return _("What would you like to ask about {reference}?").format(reference=await _reference(context))


async def _type_answer(context: BotContext) -> str:
    return _("Type your answer. It goes into your claim {reference}.").format(reference=await _reference(context))


async def _working(context: BotContext) -> Claim | None:
    """The claim the flow is about; the flow's draft is done with."""
    return await context.services.claims.by_id(APPROVAL.pop(context).claim)


async def _read_reason(update: Update, context: BotContext) -> str | None:
    reason = typed(update)
    if len(reason) < 5:
        await say(update, context, _("A reason is needed, in a few plain words, so the person understands."))
        return None
    return await read_text(update, context, WORDS_MAX)


async def _reject(update: Update, context: BotContext, reason: str) -> Any:
    claim = await _working(context)
    if claim is None or not await _audited(
        update, context, claim, "reject", await work.reject(context.services, claim, _me(context), reason)
    ):
        return ConversationHandler.END
    await ending(update, context)
    await say(
        update, context, _("Rejected {reference}. The person has been told why.").format(reference=claim.reference)
    )
    return ConversationHandler.END


async def _ask(update: Update, context: BotContext, question: str) -> Any:
    claim = await _working(context)
    if claim is None or not await _audited(
        update,
        context,
        claim,
        "question",
        await work.ask(context.services, claim, _me(context), question, str(update.update_id)),
    ):
        return ConversationHandler.END
    await ending(update, context)
    await say(update, context, _("Asked. Their answer will come back into the claim and to you."))
    return ConversationHandler.END


async def _answer(update: Update, context: BotContext, answer: str) -> Any:
    claim = await _working(context)
    if claim is None or not await work.answer(context.services, claim, answer, str(update.update_id)):
        await say(update, context, _("This question has already been answered."))
        return ConversationHandler.END
    await ending(update, context)
    await say(update, context, _("Thank you. Your answer has been added to your claim."))
    return ConversationHandler.END


ask_reason, on_reason = type_last(REASON, _why, _read_reason, _reject)
ask_question, on_question = write_last(QUESTION, _what_to_ask, WORDS_MAX, _ask, one_line=True)
ask_answer, on_answer = write_last(ANSWER, _type_answer, WORDS_MAX, _answer, one_line=True)


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


def conversation() -> Flow:
    return Flow(
        name="approvals",
        noun=N_("your answer about a claim"),
        states=restarting(
            {
                REASON: step(ask_reason, MessageHandler(typed_text(), on_reason)),
                QUESTION: step(ask_question, MessageHandler(typed_text(), on_question)),
                ANSWER: step(ask_answer, MessageHandler(typed_text(), on_answer)),
            },
            None,
        ),
        entry_points=[
            CallbackQueryHandler(on_decision, pattern=ClaimDecisionButton.pattern()),
            CallbackQueryHandler(on_reply_button, pattern=ClaimReplyButton.pattern()),
        ],
        cancel=cancel,
        prefixes=(ClaimDecisionButton.prefix, ClaimReplyButton.prefix),
        drafts=(APPROVAL.key,),
    )
