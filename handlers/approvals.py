"""Officers: the approval queue, questions that come back into the claim, payment, advance
approvals, the finance export and nudges about claims that wait too long."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, format_date, format_money, language, ngettext
from bot.keyboards import Button, column, keyboard
from bot.notify import notify
from bot.services import Services
from domain.claims import CATEGORIES, PAYMENT_CHOICES, Item, Kind, tax_year_bounds, totals
from domain.delivery import CHAT_BURST
from domain.money import tax_year_start
from domain.pay import not_covered
from domain.roles import OFFICERS, Role
from claims.buttons import ReplyButton
from handlers.approval_buttons import ClaimDecisionButton, ExportButton, MoreApprovalsButton, PreapprovalButton
from handlers.common import acknowledge, audit, clear_buttons, escape, refuse, require, say
from handlers.flow import Flow, cancel_clearing, ending, step, typed, typed_text
from claims.work import NUDGE_JOB, paid_for_meeting
from storage.claims import Claim, ClaimItem

REASON, QUESTION, ANSWER = "reject_reason", "question", "answer"
WORKING = "approval_claim"
PAGE = CHAT_BURST  # items per page; the counts after them, with the next-page button, wait their turn


async def claim_text(services: Services, claim: Claim) -> str:
    """Everything an officer needs to decide, with the attendance record; typed text escaped."""
    tz = services.settings.timezone
    person = await services.participants.by_id(claim.participant_id)
    items = await services.claims.items(claim.id)
    sums = totals(Item(i.category, i.amount_pence) for i in items)
    name = escape(person.display_name) if person and person.display_name else _("(deleted their data)")
    lines = [f"🧾 <b>{claim.reference}</b> · {name} · P-{claim.participant_id}",
             _("Sent: {date}").format(date=format_date(claim.submitted_at, tz))]
    if claim.meeting_id:
        meeting = await services.meetings.by_id(claim.meeting_id)
        invitee = await services.meetings.invitee(claim.meeting_id, claim.participant_id)
        attended = _("attended") if invitee and invitee.attended else _("attendance NOT recorded")
        lines.append(_("Meeting: {title} ({attended})").format(title=escape(meeting.title if meeting else "?"),
                                                              attended=attended))
    else:
        lines.append(_("Other activity: {text}").format(text=escape(claim.activity)))
    for item in items:
        extra = []
        if item.miles:
            extra.append(_("{miles} miles by {vehicle}, {passengers} passengers").format(
                miles=item.miles, vehicle=item.vehicle, passengers=item.passengers or 0))
        if item.hours:
            extra.append(_("{hours} hours").format(hours=item.hours))
        if item.preapproval_id:
            extra.append(_("agreed in advance"))
        if item.time_ask_id:
            extra.append(_("agreed first by the organiser"))
        if item.receipt_file_id:
            extra.append(_("receipt below"))
        kind = _("time") if item.kind == Kind.INVOLVEMENT.value else _("cost")
        lines.append(f"• {_(CATEGORIES[item.category])} ({kind}): {format_money(item.amount_pence)}"
                     + (f" – {', '.join(extra)}" if extra else ""))
    lines += await _not_covered_lines(services, claim, items)
    lines.append(_("Costs {costs} · Time {time} · Total {total}").format(
        costs=format_money(sums.expenses), time=format_money(sums.involvement), total=format_money(sums.total)))
    lines.append(_("Paid as: {choice}").format(choice=_(PAYMENT_CHOICES.get(claim.payment_preference, "none"))))
    if claim.note:
        lines.append(_("Note: {note}").format(note=escape(claim.note)))
    for event in await services.claims.events(claim.id):
        if event["action"] in ("question", "answer") and event["detail"]:
            who = _("We asked") if event["action"] == "question" else _("They answered")
            lines.append(f"💬 {who}: {escape(event['detail'])}")
    return "\n".join(lines)


async def _not_covered_lines(services: Services, claim: Claim, items: list[ClaimItem]) -> list[str]:
    """Costs the meeting's settings say are not paid: flagged to the approver, who decides."""
    if claim.meeting_id is None:
        return []
    flagged = not_covered([item.category for item in items], await paid_for_meeting(services, claim.meeting_id))
    if not flagged:
        return []
    return [_("⚠️ This meeting does not pay for: {items}. Check before you approve.").format(
        items=", ".join(_(CATEGORIES[category]) for category in flagged))]


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
    text = await claim_text(services, claim)
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


async def _apply(update: Update, context: BotContext, claim: Claim, action: str, detail: str | None = None) -> bool:
    services = context.services
    me = context.participant.id if context.participant else None
    changed = await services.claims.transition(claim.id, action, me, services.clock.now(), detail)
    await audit(context, update, f"claims.{action}", "ok" if changed else "nothing", subject=claim.reference)
    if not changed:
        await acknowledge(update, _("This claim has already moved on, so nothing was changed."), alert=True)
    return changed


async def on_decision(update: Update, context: BotContext) -> Any:
    """Approve and Mark paid act at once; Reject and Ask wait for the officer's words."""
    button = context.button
    assert isinstance(button, ClaimDecisionButton)
    claim = await _officer_claim(update, context, button.claim)
    if claim is None:
        return ConversationHandler.END
    services = context.services
    code = button.action
    if code in ("r", "q"):
        await acknowledge(update)
        context.drafts[WORKING] = claim.id
        return await (ask_reason if code == "r" else ask_question)(update, context)
    action = {"a": "approve", "p": "paid"}.get(code)
    if action is None or not await _apply(update, context, claim, action):
        return ConversationHandler.END
    await acknowledge(update)
    await clear_buttons(update)
    if action == "approve":
        await notify(services, claim.participant_id, f"claim:{claim.id}:approved", lambda: _(
            "✅ Your claim {reference} is approved. We will tell you when it is paid."
        ).format(reference=claim.reference))
        await say(update, context, _("Approved {reference}.").format(reference=claim.reference),
                  keyboard([[(_("💷 Mark paid"), ClaimDecisionButton(claim.id, "p").pack())]]))
    else:
        await notify(services, claim.participant_id, f"claim:{claim.id}:paid", lambda: _(
            "💷 Your claim {reference} has been paid. Thank you for your time.").format(reference=claim.reference))
        await say(update, context, _("Marked {reference} as paid.").format(reference=claim.reference))
    return ConversationHandler.END


async def _reference(context: BotContext) -> str:
    claim = await context.services.claims.by_id(int(context.drafts.get(WORKING) or 0))
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
    claim_id = context.drafts.pop(WORKING, None)
    return await context.services.claims.by_id(int(claim_id)) if claim_id else None


async def on_reason(update: Update, context: BotContext) -> Any:
    reason = typed(update)
    if len(reason) < 5:
        await say(update, context, _("A reason is needed, in a few plain words, so the person understands."))
        return REASON
    claim = await _working_claim(context)
    if claim is None or not await _apply(update, context, claim, "reject", reason[:500]):
        return ConversationHandler.END
    await notify(context.services, claim.participant_id, f"claim:{claim.id}:rejected", lambda: _(
        "Your claim {reference} was not approved. The reason:\n{reason}\n\nIf you think this is wrong, reply "
        "with /feedback or talk to your organiser.").format(reference=claim.reference, reason=escape(reason)))
    await ending(update, context)
    await say(update, context, _("Rejected {reference}. The person has been told why.").format(
        reference=claim.reference))
    return ConversationHandler.END


async def on_question(update: Update, context: BotContext) -> Any:
    question = typed(update)
    if not question:
        return QUESTION
    claim = await _working_claim(context)
    if claim is None or not await _apply(update, context, claim, "question", question[:500]):
        return ConversationHandler.END
    await notify(context.services, claim.participant_id, f"claim:{claim.id}:question:{update.update_id}",
                 lambda: _("❓ A question about your claim {reference}: {question}").format(
                     reference=claim.reference, question=escape(question)),
                 lambda: keyboard([[(_("✏️ Reply"), ReplyButton(claim.id).pack())]]))
    await ending(update, context)
    await say(update, context, _("Asked. Their answer will come back into the claim and to you."))
    return ConversationHandler.END


cancel = cancel_clearing(WORKING)


# --- the resident answers a question ---------------------------------------------------

async def on_reply_button(update: Update, context: BotContext) -> Any:
    button = context.button
    assert isinstance(button, ReplyButton)
    services = context.services
    claim = await services.claims.by_id(button.claim)
    if claim is None or context.participant is None or claim.participant_id != context.participant.id:
        await refuse(update, context, "claims.answer")
        return ConversationHandler.END
    if claim.status != "query":
        await acknowledge(update, _("This question has already been answered."), alert=True)
        return ConversationHandler.END
    await acknowledge(update)
    context.drafts[WORKING] = claim.id
    return await ask_answer(update, context)


async def on_answer(update: Update, context: BotContext) -> Any:
    answer = typed(update)
    if not answer:
        return ANSWER
    claim = await _working_claim(context)
    services = context.services
    if claim is None or not await services.claims.transition(claim.id, "answer", claim.participant_id,
                                                             services.clock.now(), answer[:1000]):
        await say(update, context, _("This question has already been answered."))
        return ConversationHandler.END
    asker = next((e["actor_participant_id"] for e in reversed(await services.claims.events(claim.id))
                  if e["action"] == "question"), None)
    if asker:
        await notify(services, asker, f"claim:{claim.id}:answer:{update.update_id}", lambda: _(
            "💬 An answer about {reference}:\n{answer}\n\nIt is back in /approvals.").format(
            reference=claim.reference, answer=escape(answer)), quotes=(claim.participant_id,))
    await ending(update, context)
    await say(update, context, _("Thank you. Your answer has been added to your claim."))
    return ConversationHandler.END


# --- advance approvals, export, nudges -------------------------------------------------

async def on_preapproval(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, PreapprovalButton)
    services = context.services
    request = await services.claims.preapproval(button.request)
    me = context.participant.id if context.participant else 0
    if request is None or request["participant_id"] == me:
        await refuse(update, context, "claims.preapprove")
        return
    approve = button.agree
    if not await services.claims.decide_preapproval(request["id"], approve, me, services.clock.now()):
        await acknowledge(update, _("This has already been decided."), alert=True)
        return
    await acknowledge(update)
    await clear_buttons(update)
    await audit(context, update, "claims.preapprove", "approved" if approve else "declined", subject=str(request["id"]))
    amount = format_money(request["amount_pence"])
    item = CATEGORIES[request["category"]]
    if approve:
        await notify(services, request["participant_id"], f"pre:{request['id']}", lambda: _(
            "✅ Agreed: we will refund {item} up to about {amount}. Keep the receipt and claim it after the meeting "
            "with /claim.").format(item=_(item), amount=amount))
    else:
        await notify(services, request["participant_id"], f"pre:{request['id']}", lambda: _(
            "We can't agree {item} in advance this time. Please talk to your organiser about other help.").format(
            item=_(item)))
    await say(update, context, _("Done. They have been told."))


@require(OFFICERS, "claims.export")
async def export_command(update: Update, context: BotContext) -> None:
    today = context.services.clock.now().astimezone(context.services.settings.timezone).date()
    month_start = today.replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    year_start, year_end = tax_year_bounds(tax_year_start(today))
    ranges = [(_("This month"), month_start, today), (_("Last month"), last_month_end.replace(day=1), last_month_end),
              (_("This tax year"), year_start, year_end)]
    await say(update, context, _("Approved and paid claims, one row per item, for finance. Which dates?"),
              column((label, ExportButton(start, end).pack()) for label, start, end in ranges))


async def on_export(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, ExportButton)
    start, end = button.start, button.end
    await acknowledge(update)
    rows = await context.services.claims.export_rows(start, end)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["claim_reference", "participant_reference", "meeting", "activity", "kind", "category",
                     "amount_gbp", "miles", "vehicle", "passengers", "hours", "payment_preference", "donate_to",
                     "status", "submitted_at", "approved_at", "approved_by", "paid_at"])
    for row in rows:
        writer.writerow([row["reference"], f"P-{row['participant_id']}", row["meeting"] or "", row["activity"] or "",
                         row["kind"], row["category"], f"{row['amount_pence'] // 100}.{row['amount_pence'] % 100:02d}",
                         row["miles"] or "", row["vehicle"] or "", row["passengers"] if row["passengers"] is not None
                         else "", row["hours"] or "", row["payment_preference"], row["donate_to"] or "", row["status"],
                         row["submitted_at"], row["decided_at"] or "", row["approver"] or "", row["paid_at"] or ""])
    await audit(context, update, "claims.export", "ok", detail=f"{start}..{end}:{len(rows)}")
    await context.bot.send_document(update.effective_chat.id, io.BytesIO(buffer.getvalue().encode("utf-8-sig")),
                                    filename=f"claims-{start}-{end}.csv",
                                    caption=_("{count} rows, {start} to {end}.").format(count=len(rows), start=start,
                                                                                       end=end))


async def officer_ids(services: Services) -> list[int]:
    """Participants who can approve claims: stored officers and configured admins."""
    ids = [member.telegram_id for member in await services.roles.staff() if member.role is Role.OFFICER]
    ids += list(services.settings.admin_ids)
    people = [await services.participants.by_telegram_id(telegram_id) for telegram_id in sorted(set(ids))]
    return [person.id for person in people if person is not None]


async def nudge(services: Services, claim_id: int) -> None:
    """A claim still waiting after the configured days: officers are nudged, the person told."""
    claim = await services.claims.by_id(claim_id)
    if claim is None or claim.status != "submitted":
        return
    days = services.settings.claim_nudge_days
    for officer in await officer_ids(services):
        await notify(services, officer, f"nudge:{claim.id}:{officer}", lambda: _(
            "⏰ Claim {reference} has waited {days} days. Please check it in /approvals.").format(
            reference=claim.reference, days=days), wait_for_quiet=True)
    await notify(services, claim.participant_id, f"delay:{claim.id}", lambda: _(
        "Your claim {reference} is taking longer than usual. Sorry. We have reminded the team.").format(
        reference=claim.reference), wait_for_quiet=True)
    await services.claims.mark_nudged([claim.id], services.clock.now())


def conversation() -> Flow:
    return Flow(
        name="approvals",
        noun=N_("your answer about a claim"),
        states={
            REASON: step(ask_reason, MessageHandler(typed_text(), on_reason)),
            QUESTION: step(ask_question, MessageHandler(typed_text(), on_question)),
            ANSWER: step(ask_answer, MessageHandler(typed_text(), on_answer)),
        },
        entry_points=[CallbackQueryHandler(on_decision, pattern=ClaimDecisionButton.pattern()),
                      CallbackQueryHandler(on_reply_button, pattern=ReplyButton.pattern())],
        cancel=cancel,
        prefixes=("ap", ReplyButton.prefix),
        drafts=(WORKING,),
    )


def handlers() -> list[object]:
    return [
        CommandHandler("approvals", approvals_command),
        CommandHandler("export_claims", export_command),
        CallbackQueryHandler(on_preapproval, pattern=PreapprovalButton.pattern()),
        CallbackQueryHandler(on_more_approvals, pattern=MoreApprovalsButton.pattern()),
        CallbackQueryHandler(on_export, pattern=ExportButton.pattern()),
    ]


def job_handlers(services: Services) -> dict[str, Any]:
    async def run_nudge(ref: str) -> None:
        with language(services.settings.default_language):
            await nudge(services, int(ref))

    return {NUDGE_JOB: run_nudge}
