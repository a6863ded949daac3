"""After a proposal closes: a lead or co-lead records the outcome in plain words (and must
answer any block), with an optional review date; and /decisions, the group's log, as a
message and a CSV file for the council's governance papers."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import column
from bot.text import fit_lines
from decide import work
from decide.buttons import DraftChoice, GroupActionButton, OutcomeButton
from decide.views import log_csv, log_lines
from domain.decisions import OUTCOME_NAMES, Answer, Outcome
from handlers.kit.choose import choose_one
from handlers.kit.common import acknowledge, audit, escape, require_registered, say
from handlers.kit.drafts import DraftLost, DraftSlot, restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed_text
from handlers.kit.write_in import write_in

OUTCOME, NEXT, BLOCK, REVIEW = "outcome", "next", "block", "review"
DRAFT = "outcome_draft"
TEXT_MAX = 1000
REVIEWS = {"none": None, "3m": timedelta(days=91), "6m": timedelta(days=182), "1y": timedelta(days=365)}


@dataclass
class RecordingDraft:
    """The outcome being recorded. The field names are the keys the draft had as a dict, so an
    outcome begun before drafts were typed carries on after the upgrade."""

    decision: int
    blocks: int  # how many members blocked it: then the lead must answer them
    outcome: Outcome | None = None
    text: str | None = None  # what happens next
    block: str | None = None  # the answer to the blocks
    review: str = "none"  # a key of REVIEWS


RECORDING = DraftSlot(DRAFT, RecordingDraft)


async def start(update: Update, context: BotContext) -> Any:
    """The gate has checked this is a lead of the decision's group."""
    await acknowledge(update)
    button = context.button
    assert isinstance(button, OutcomeButton)
    decision = await context.services.decisions.by_id(button.decision)
    if decision is None or decision.status != "closed":
        await say(update, context, _("The outcome of this is already recorded. Send /decisions to see it."))
        return ConversationHandler.END
    blocks = sum(1 for a in await context.services.decisions.answers(decision.id) if a.answer is Answer.BLOCK)
    RECORDING.begin(context, RecordingDraft(decision.id, blocks))
    return await ask_outcome(update, context)


# The steps are declared last first, as each names the one after it.


async def save(update: Update, context: BotContext) -> Any:
    """Records the outcome, once the review is chosen: every member is told in their language."""
    draft = RECORDING.of(context)
    if draft.outcome is None or draft.text is None:  # both are answered before the review is asked
        raise DraftLost(DRAFT)
    services = context.services
    delay = REVIEWS[draft.review]
    review_on = (
        (services.clock.now() + delay).astimezone(services.settings.timezone).date().isoformat() if delay else None
    )
    assert context.participant is not None
    recorded = await work.record_outcome(
        services,
        draft.decision,
        work.OutcomeDraft(draft.outcome, draft.text, draft.block, review_on),
        context.participant.id,
    )
    RECORDING.drop(context)
    await ending(update, context)
    if recorded:
        await audit(context, update, "decision.outcome", "ok", subject=str(draft.decision))
        await say(update, context, _("Saved. We are telling every member now, in their own language."))
    else:
        await say(update, context, _("The outcome of this is already recorded. Send /decisions to see it."))
    return ConversationHandler.END


ask_review, on_review = choose_one(
    DraftChoice,
    REVIEW,
    REVIEW,
    N_("Should the group look at this again later?"),
    {"3m": N_("In 3 months"), "6m": N_("In 6 months"), "1y": N_("In a year"), "none": N_("No review")},
    RECORDING.keeper("review"),
    save,
)


ask_block, on_block = write_in(
    BLOCK,
    lambda _context: _("Someone blocked this. What is your answer to them? Say what you heard and what you will do."),
    TEXT_MAX,
    RECORDING.keeper("block"),
    ask_review,
    one_line=False,
)


async def _after_next(update: Update, context: BotContext) -> Any:
    return await (ask_block if RECORDING.of(context).blocks else ask_review)(update, context)


ask_next, on_next = write_in(
    NEXT,
    lambda _context: _("What happens next? Say it in plain words. Every member will get this."),
    TEXT_MAX,
    RECORDING.keeper("text"),
    _after_next,
    one_line=False,
)


ask_outcome, on_outcome = choose_one(
    DraftChoice,
    OUTCOME,
    OUTCOME,
    N_("What did the group decide?"),
    {o.value: OUTCOME_NAMES[o] for o in Outcome},
    RECORDING.keeper("outcome"),
    ask_next,
)


def conversation() -> Flow:
    choice = DraftChoice.pattern()
    return Flow(
        name="decision_outcome",
        noun=N_("the outcome you are recording"),
        states=restarting(
            {
                OUTCOME: step(ask_outcome, CallbackQueryHandler(on_outcome, pattern=choice)),
                NEXT: step(ask_next, MessageHandler(typed_text(), on_next)),
                BLOCK: step(ask_block, MessageHandler(typed_text(), on_block)),
                REVIEW: step(ask_review, CallbackQueryHandler(on_review, pattern=choice)),
            },
            None,
        ),
        entry_points=[CallbackQueryHandler(start, pattern=OutcomeButton.pattern())],
        cancel=stopped(),
        prefixes=(DraftChoice.prefix, OutcomeButton.prefix),
        drafts=(DRAFT,),
    )


# --- the decision log -------------------------------------------------------------------------


@require_registered
async def decisions_command(update: Update, context: BotContext) -> None:
    services = context.services
    assert context.participant is not None
    groups = await work.groups_of(services, context.participant.id)
    if not groups:
        await say(update, context, _("You are not in a group yet, so there are no decisions to show."))
        return
    if len(groups) == 1:
        await show_log(update, context, groups[0].id)
        return
    await say(
        update,
        context,
        _("Which group's decisions?"),
        column((g.name[:40], GroupActionButton(g.id, "log").pack()) for g in groups[:20]),
    )


async def show_log(update: Update, context: BotContext, group_id: int) -> None:
    services = context.services
    project = await services.projects.by_id(group_id)
    assert project is not None
    entries = await work.log_entries(services, group_id)
    heading = _("📒 <b>Decisions of {group}</b>, newest first").format(group=escape(project.name))
    if not entries:
        await say(
            update, context, heading + "\n" + _("No decisions yet. Anyone in the group can start one with /propose.")
        )
        return
    await say(
        update,
        context,
        fit_lines([heading, *log_lines(entries, services.settings.timezone)]),
        column([(_("📄 Download as a spreadsheet"), GroupActionButton(group_id, "csv").pack())]),
    )


async def send_log_csv(update: Update, context: BotContext, group_id: int) -> None:
    project = await context.services.projects.by_id(group_id)
    assert project is not None and update.effective_chat is not None
    data = log_csv(project.name, await work.log_entries(context.services, group_id))
    await context.bot.send_document(
        update.effective_chat.id,
        io.BytesIO(data),
        filename="decisions.csv",
        caption=_("The decisions as a spreadsheet."),
    )


async def on_log_button(update: Update, context: BotContext) -> None:
    """The group card's Decision log, and its download, for any member of the group."""
    button = context.button
    assert isinstance(button, GroupActionButton)
    await acknowledge(update)
    if await context.services.projects.by_id(button.group) is None:
        return
    if button.action == "csv":
        await send_log_csv(update, context, button.group)
    else:
        await show_log(update, context, button.group)


def handlers() -> list[object]:
    return [
        CommandHandler("decisions", decisions_command),
        CallbackQueryHandler(on_log_button, pattern=GroupActionButton.pattern_where(action=("log", "csv"))),
    ]
