"""Step 2, Collect: a participant gives the two things that are working, the two that are not,
and what they want for the future, each typed (one on each line) or as a voice note, in their
own words and language; a carer's answers are marked as given on someone's behalf. In step 6 a
member proposes an action, and in step 7 an action's owner posts an update, which every member
hears."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import N_, _
from cycle import work
from cycle.buttons import ActionUpdateButton, AnswerCycleButton, ProposeActionButton
from domain.cycles import Kind, Step, split_lines
from handlers.kit.common import acknowledge, say
from handlers.kit.drafts import DraftLost, DraftSlot, restarting
from handlers.kit.flow import Flow, ending, read_text, step, stopped, typed_text
from handlers.kit.write_in import write_last

WORKING, NOT_WORKING, FUTURE, UPDATE, PROPOSAL = (
    "cycle_working",
    "cycle_not_working",
    "cycle_future",
    "cycle_update",
    "cycle_proposal",
)
DRAFT, UPDATE_DRAFT, PROPOSAL_DRAFT = "cycle_answers", "cycle_update_draft", "cycle_proposal_draft"
ANSWER_MAX, UPDATE_MAX, PROPOSAL_MAX = 1000, 1000, 200
QUESTIONS = {
    WORKING: N_("What are the two things that are working well? Type them on two lines, or send a voice note."),
    NOT_WORKING: N_("What are the two things that are not working? Type them on two lines, or send a voice note."),
    FUTURE: N_("What do you want for the future? Type it, or send a voice note."),
}
KINDS = {WORKING: Kind.WORKING, NOT_WORKING: Kind.NOT_WORKING, FUTURE: Kind.FUTURE}
ORDER = (WORKING, NOT_WORKING, FUTURE)


@dataclass
class AnswersDraft:
    """Field names and shapes are those of the dict the draft was, so answers begun before drafts
    were typed carry on."""

    cycle: int = 0
    answers: list[list[str | None]] = field(default_factory=list)  # [kind, text, voice note's file id]


@dataclass
class ProposalDraft:
    cycle: int = 0


@dataclass
class UpdateDraft:
    action: int  # the action whose owner is writing
    cycle: int = 0


ANSWERS = DraftSlot(DRAFT, AnswersDraft)
PROPOSING = DraftSlot(PROPOSAL_DRAFT, ProposalDraft)
UPDATING = DraftSlot(UPDATE_DRAFT, UpdateDraft)


def _given(draft: AnswersDraft) -> list[tuple[Kind, str | None, str | None]]:
    """The answers kept so far; one of another shape means the draft is not this flow's."""
    given = []
    for answer in draft.answers:
        match answer:
            case [str(kind), text, voice] if kind in {k.value for k in KINDS.values()}:
                given.append((Kind(kind), text, voice))
            case _:
                raise DraftLost(DRAFT)
    return given


async def start(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    button = context.button
    if not isinstance(button, AnswerCycleButton):
        return ConversationHandler.END
    cycle = await context.services.cycles.by_id(button.cycle)
    if cycle is None or cycle.project_id != button.group or cycle.step is not Step.COLLECT or cycle.step_closed:
        await say(update, context, _("Answers for this step have closed. Send /cycle to see where the cycle is."))
        return ConversationHandler.END
    assert context.participant is not None
    if not await work.takes_part(context.services, cycle, context.participant.id):
        await say(
            update,
            context,
            _("The lead picked who takes part in this cycle, and you are not one of them. Send /cycle to follow it."),
        )
        return ConversationHandler.END
    ANSWERS.begin(context, AnswersDraft(cycle.id))
    return await _ask(update, context, WORKING)


async def _ask(update: Update, context: BotContext, state: str) -> Any:
    await say(update, context, _(QUESTIONS[state]) + "\n" + _("Send /cancel to stop."))
    return state


def _asker(state: str) -> Any:
    async def ask_again(update: Update, context: BotContext) -> Any:
        return await _ask(update, context, state)

    return ask_again


def _answerer(state: str) -> Any:
    async def on_answer(update: Update, context: BotContext) -> Any:
        message = update.effective_message
        kind = KINDS[state].value
        if message.voice:
            given: list[list[str | None]] = [[kind, None, message.voice.file_id]]
        else:
            text = await read_text(update, context, ANSWER_MAX, one_line=False)
            if text is None:
                return state
            given = [[kind, line, None] for line in split_lines(text, 1 if state == FUTURE else 2)]
        with ANSWERS.editing(context) as draft:
            draft.answers += given
        following = ORDER.index(state) + 1
        if following < len(ORDER):
            return await _ask(update, context, ORDER[following])
        return await _send(update, context)

    return on_answer


async def _send(update: Update, context: BotContext) -> Any:
    services = context.services
    draft = ANSWERS.pop(context)
    cycle = await services.cycles.by_id(draft.cycle)
    assert context.participant is not None
    people = await services.decisions.people([context.participant.id])
    answers = _given(draft)
    await ending(update, context)
    if cycle is None or not people or not await work.give_answers(services, cycle, people[0], answers):
        await say(update, context, _("Sorry, answers for this step closed before yours arrived."))
        return ConversationHandler.END
    await say(
        update,
        context,
        _(
            "Thank you. Your answers are saved. Next, the lead groups everyone's answers into "
            "themes, and you will be asked to check them. Send /cycle to see where it is."
        ),
    )
    return ConversationHandler.END


def conversation() -> Flow:
    answer = typed_text() | filters.VOICE
    return Flow(
        name="cycle_answers",
        noun=N_("your answers"),
        states=restarting(
            {state: step(_asker(state), MessageHandler(answer, _answerer(state))) for state in ORDER}, None
        ),
        entry_points=[CallbackQueryHandler(start, pattern=AnswerCycleButton.pattern())],
        cancel=stopped(),
        prefixes=(),
        drafts=(DRAFT,),
        command="cycle",
    )


# --- a member's proposal for the plan ---------------------------------------------------------


async def start_proposal(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    button = context.button
    cycle = await context.services.cycles.by_id(button.cycle) if isinstance(button, ProposeActionButton) else None
    if cycle is None or cycle.project_id != button.group or cycle.step is not Step.PLAN:
        await say(update, context, _("The plan is made, so proposals are closed. Send /cycle to see where it is."))
        return ConversationHandler.END
    PROPOSING.begin(context, ProposalDraft(cycle.id))
    return await ask_proposal(update, context)


async def _propose(update: Update, context: BotContext, text: str) -> Any:
    services = context.services
    cycle = await services.cycles.by_id(PROPOSING.pop(context).cycle)
    assert context.participant is not None
    people = await services.decisions.people([context.participant.id])
    await ending(update, context)
    if cycle is None or not people or not await work.propose_action(services, cycle, people[0], text):
        await say(update, context, _("The plan is made, so proposals are closed. Send /cycle to see where it is."))
        return ConversationHandler.END
    await say(update, context, _("Thank you. The leads have your proposal."))
    return ConversationHandler.END


ask_proposal, on_proposal = write_last(
    PROPOSAL,
    lambda _context: _("What action do you propose? Type it in one line. Send /cancel to stop."),
    PROPOSAL_MAX,
    _propose,
    one_line=True,
)


def proposal_conversation() -> Flow:
    return Flow(
        name="cycle_proposal",
        noun=N_("your proposed action"),
        states=restarting({PROPOSAL: step(ask_proposal, MessageHandler(typed_text(), on_proposal))}, None),
        entry_points=[CallbackQueryHandler(start_proposal, pattern=ProposeActionButton.pattern())],
        cancel=stopped(),
        prefixes=(),
        drafts=(PROPOSAL_DRAFT,),
    )


# --- an owner's update -------------------------------------------------------------------------


async def start_update(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    button = context.button
    assert context.participant is not None
    found = await context.services.cycles.action(button.action) if isinstance(button, ActionUpdateButton) else None
    if found is None or found[1] != context.participant.id:
        await say(update, context, _("Only the owner of an action can post its updates."))
        return ConversationHandler.END
    UPDATING.begin(context, UpdateDraft(button.action, found[0]))
    return await ask_update(update, context)


async def _post_update(update: Update, context: BotContext, text: str) -> Any:
    draft = UPDATING.pop(context)
    services = context.services
    cycle = await services.cycles.by_id(draft.cycle)
    assert context.participant is not None
    people = await services.decisions.people([context.participant.id])
    await ending(update, context)
    if cycle is None or cycle.finished or not people:
        await say(update, context, _("This cycle has finished, so updates are closed."))
        return ConversationHandler.END
    count = await work.post_update(services, cycle, draft.action, people[0], text)
    await say(update, context, _("Thank you. Your update is going to {count} people.").format(count=count))
    return ConversationHandler.END


ask_update, on_update = write_last(
    UPDATE,
    lambda _context: _("What has happened? Type the update for every member. Send /cancel to stop."),
    UPDATE_MAX,
    _post_update,
)


def update_conversation() -> Flow:
    return Flow(
        name="cycle_update",
        noun=N_("your update"),
        states=restarting({UPDATE: step(ask_update, MessageHandler(typed_text(), on_update))}, None),
        entry_points=[CallbackQueryHandler(start_update, pattern=ActionUpdateButton.pattern())],
        cancel=stopped(),
        prefixes=(),
        drafts=(UPDATE_DRAFT,),
    )
