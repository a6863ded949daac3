"""Step 1, Prepare: a lead or co-lead sets the cycle's question, who takes part (every member,
or the members they tick), and how long each step lasts (which gives every step's date). They
see those dates, may change any step's closing date (handlers/measure/cycle_prepare_dates.py),
and start it. Every participant is then asked for their answers."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.callbacks import GroupRight
from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import column
from cycle import work
from cycle.buttons import StartCycleButton
from decide import work as decide
from decide.buttons import DraftChoice
from domain.cycles import PACES, closing_times
from handlers.kit.checklist import Checklist
from handlers.kit.choose import choose_one
from handlers.kit.common import acknowledge, audit, clear_buttons, say
from handlers.kit.drafts import restarting
from handlers.kit.flow import Flow, ending, nothing_sent, step, stopped, typed_text
from handlers.kit.write_in import write_in
from handlers.measure.cycle_prepare_dates import (
    CONFIRM,
    DATE,
    DATE_STEP,
    ask_confirm,
    ask_date,
    ask_date_step,
    on_date,
    on_date_step,
)
from handlers.measure.cycle_prepare_draft import DRAFT, PREPARE, CycleDraft, closing_dates
from storage.times import to_db

QUESTION, PACE, WHO, PICK = "cycle_question", "cycle_pace", "cycle_who", "cycle_pick"
QUESTION_MAX = 200


async def _leads(context: BotContext, group_id: int) -> bool:
    project = await context.services.projects.by_id(group_id)
    if project is None or context.participant is None:
        return False
    rights = await decide.rights(context.services, project, context.participant.id, context.role)
    return GroupRight.LEAD in rights


async def start(update: Update, context: BotContext) -> Any:
    """ "Start a cycle" on /cycle: the gate has checked the lead's right."""
    await acknowledge(update)
    button = context.button
    if not isinstance(button, StartCycleButton):
        return ConversationHandler.END
    await clear_buttons(update)
    PREPARE.begin(context, CycleDraft(button.group, uuid4().hex))
    return await ask_question(update, context)


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
    lambda update, context: ask_who(update, context),
)


ask_question, on_question = write_in(
    QUESTION,
    lambda: _(
        "What question should the group work on? For example “How can we make the library better for "
        "carers?” Send /cancel to stop."
    ),
    QUESTION_MAX,
    PREPARE.keeper("question"),
    ask_pace,
)


async def ask_who(update: Update, context: BotContext) -> Any:
    await say(
        update,
        context,
        _("Who takes part? Only they are asked, reminded and counted."),
        column(
            [
                (_("👥 Every member"), DraftChoice(WHO, "all").pack()),
                (_("☑️ I will pick members"), DraftChoice(WHO, "pick").pack()),
            ]
        ),
    )
    return WHO


async def on_who(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    chosen = DraftChoice.chosen(context.button, WHO)
    if chosen not in ("all", "pick"):
        return await ask_who(update, context)
    await clear_buttons(update)
    with PREPARE.editing(context) as draft:
        draft.chosen = None if chosen == "all" else []
    return await (ask_confirm if chosen == "all" else ask_pick)(update, context)


async def _member_names(context: BotContext) -> list[tuple[str, str]]:
    members = await context.services.decisions.members(PREPARE.of(context).group)
    return [(str(m.participant_id), (m.name or "—")[:40]) for m in sorted(members, key=lambda m: m.name)]


PICK_LIST = Checklist(
    prefix="jw",
    store=PREPARE.stored,
    field="chosen",
    question=lambda: _("Tap the members who take part, then Done."),
    options=_member_names,
    rows_after=lambda context: [[(_("Done ✔"), DraftChoice(PICK, "done").pack())]],
)


async def ask_pick(update: Update, context: BotContext) -> Any:
    await PICK_LIST.show(update, context)
    return PICK


async def on_pick_done(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    if not PICK_LIST.selection(context):
        await say(update, context, _("Please tick at least one member."))
        return await ask_pick(update, context)
    await PICK_LIST.finish(update, context)
    return await ask_confirm(update, context)


async def on_confirm(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    chosen = DraftChoice.chosen(context.button, CONFIRM)
    draft = PREPARE.of(context)
    if chosen == "no":
        return await nothing_sent(update, context, DRAFT)
    if chosen == "date":
        await clear_buttons(update)
        return await ask_date_step(update, context)
    if chosen != "go" or not (draft.question and draft.days and draft.dates):
        return await ask_confirm(update, context)
    await clear_buttons(update)
    if not await _leads(context, draft.group):
        PREPARE.drop(context)
        await say(
            update,
            context,
            _("Sorry, you can't do that. If you think you should be able to, please ask your council contact."),
        )
        return ConversationHandler.END
    project = await context.services.projects.by_id(draft.group)
    assert project is not None and context.participant is not None
    running = await context.services.cycles.current(project.id)
    if running is not None and not running.finished:
        PREPARE.drop(context)
        await say(update, context, _("This group already has a cycle under way. Send /cycle to see it."))
        return ConversationHandler.END
    picked = None if draft.chosen is None else [int(c) for c in draft.chosen]
    cycle, created = await work.start(
        context.services,
        project,
        context.participant.id,
        draft.question,
        draft.days,
        closing_dates(draft),
        picked,
        key=f"cycle:{draft.key}",
    )
    PREPARE.drop(context)
    await ending(update, context)
    if created:
        await audit(context, update, "cycle.start", "ok", subject=str(cycle.id))
    await say(
        update,
        context,
        _(
            "Started. Everyone taking part is being asked for their answers. Send /cycle at "
            "any time to see where it is."
        ),
    )
    return ConversationHandler.END


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
