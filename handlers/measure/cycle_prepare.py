"""Step 1, Prepare: a lead or co-lead sets the cycle's question, who takes part (every member,
or the members they tick), and how long each step lasts (which gives every step's date). They
see those dates, may change any step's closing date (handlers/measure/cycle_prepare_dates.py),
and start it. Every participant is then asked for their answers."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _
from cycle.buttons import StartCycleButton
from decide.buttons import DraftChoice
from domain.cycles import PACES, closing_times
from handlers.kit.checklist import Checklist
from handlers.kit.choose import choose_one
from handlers.kit.common import acknowledge, clear_buttons
from handlers.kit.drafts import restarting
from handlers.kit.flow import Flow, step, stopped, typed_text
from handlers.kit.write_in import write_in
from handlers.measure.cycle_prepare_dates import (
    CONFIRM,
    DATE,
    DATE_STEP,
    ask_confirm,
    ask_date,
    ask_date_step,
    on_confirm,
    on_date,
    on_date_step,
)
from handlers.measure.cycle_prepare_draft import DRAFT, PREPARE, CycleDraft
from storage.times import to_db

QUESTION, PACE, WHO, PICK = "cycle_question", "cycle_pace", "cycle_who", "cycle_pick"
QUESTION_MAX = 200


async def start(update: Update, context: BotContext) -> Any:
    """ "Start a cycle" on /cycle: the gate has checked the lead's right."""
    await acknowledge(update)
    button = context.button
    if not isinstance(button, StartCycleButton):
        return ConversationHandler.END
    await clear_buttons(update)
    PREPARE.begin(context, CycleDraft(button.group, uuid4().hex))
    return await ask_question(update, context)


def _keep_who(context: BotContext, chosen: str) -> None:
    with PREPARE.editing(context) as draft:
        draft.chosen = None if chosen == "all" else []


async def _after_who(update: Update, context: BotContext) -> Any:
    return await (ask_pick if PREPARE.of(context).chosen is not None else ask_confirm)(update, context)


ask_who, on_who = choose_one(
    DraftChoice,
    WHO,
    WHO,
    N_("Who takes part? Only they are asked, reminded and counted."),
    {"all": N_("👥 Every member"), "pick": N_("☑️ I will pick members")},
    _keep_who,
    _after_who,
)


def _keep_pace(context: BotContext, chosen: str) -> None:
    """The pace, and each step's closing time at that pace from now."""
    with PREPARE.editing(context) as draft:
        draft.days = PACES[chosen]
        draft.dates = {
            s.value: to_db(when) for s, when in closing_times(context.services.clock.now(), PACES[chosen]).items()
        }


ask_pace, on_pace = choose_one(
    DraftChoice,
    PACE,
    PACE,
    N_("How long should each step last? People get a reminder before a step closes."),
    {"1w": N_("A week for each step"), "2w": N_("Two weeks for each step")},
    _keep_pace,
    ask_who,
)


ask_question, on_question = write_in(
    QUESTION,
    lambda _context: _(
        "What question should the group work on? For example “How can we make the library better for "
        "carers?” Send /cancel to stop."
    ),
    QUESTION_MAX,
    PREPARE.keeper("question"),
    ask_pace,
)


async def _member_names(context: BotContext) -> list[tuple[str, str]]:
    members = await context.services.decisions.members(PREPARE.of(context).group)
    return [(str(m.participant_id), (m.name or "—")[:40]) for m in sorted(members, key=lambda m: m.name)]


PICK_LIST = Checklist(
    prefix="jw",
    store=PREPARE.stored,
    field="chosen",
    question=lambda _context: _("Tap the members who take part, then Done."),
    options=_member_names,
    rows_after=lambda context: [[(_("Done ✔"), DraftChoice(PICK, "done").pack())]],
)


ask_pick, on_pick_done = PICK_LIST.step(PICK, ask_confirm, at_least_one=N_("Please tick at least one member."))


def conversation() -> Flow:
    choice = DraftChoice.pattern()
    return Flow(
        name="cycle_prepare",
        noun=N_("your new cycle"),
        states=restarting(
            {
                QUESTION: step(ask_question, MessageHandler(typed_text(), on_question)),
                PACE: step(ask_pace, CallbackQueryHandler(on_pace, pattern=choice)),
                WHO: step(ask_who, CallbackQueryHandler(on_who, pattern=choice)),
                PICK: step(ask_pick, CallbackQueryHandler(on_pick_done, pattern=choice), PICK_LIST.tap_handler()),
                CONFIRM: step(ask_confirm, CallbackQueryHandler(on_confirm, pattern=choice)),
                DATE_STEP: step(ask_date_step, CallbackQueryHandler(on_date_step, pattern=choice)),
                DATE: step(ask_date, MessageHandler(typed_text(), on_date)),
            },
            None,
        ),
        entry_points=[CallbackQueryHandler(start, pattern=StartCycleButton.pattern())],
        cancel=stopped(),
        prefixes=(DraftChoice.prefix, PICK_LIST.prefix),
        drafts=(DRAFT,),
        command="cycle",
    )
