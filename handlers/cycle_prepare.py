"""Step 1, Prepare: a lead or co-lead sets the cycle's question and how long each step lasts
(which gives every step's date), sees those dates, and starts it. Every member is then asked
for their answers."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.callbacks import GroupRight
from bot.context import BotContext
from bot.i18n import N_, _, format_date
from bot.keyboards import column
from cycle import work
from cycle.buttons import StartCycleButton
from decide import work as decide
from decide.buttons import DraftChoice
from domain.cycles import PACES, STEP_NAMES, closing_times
from handlers.common import acknowledge, audit, clear_buttons, escape, say
from handlers.flow import Flow, cancel_clearing, ending, nothing_sent, read_text, step, typed_text

QUESTION, PACE, CONFIRM = "cycle_question", "cycle_pace", "cycle_confirm"
DRAFT = "cycle_draft"
QUESTION_MAX = 200


def _draft(context: BotContext) -> dict[str, Any]:
    draft: dict[str, Any] = context.drafts.setdefault(DRAFT, {})
    return draft


async def _leads(context: BotContext, group_id: int) -> bool:
    project = await context.services.projects.by_id(group_id)
    if project is None or context.participant is None:
        return False
    rights = await decide.rights(context.services, project, context.participant.id, context.role)
    return GroupRight.LEAD in rights


async def start(update: Update, context: BotContext) -> Any:
    """"Start a cycle" on /cycle: the gate has checked the lead's right."""
    await acknowledge(update)
    button = context.button
    if not isinstance(button, StartCycleButton):
        return ConversationHandler.END
    await clear_buttons(update)
    context.drafts[DRAFT] = {"group": button.group, "key": uuid4().hex}
    return await ask_question(update, context)


async def ask_question(update: Update, context: BotContext) -> Any:
    await say(update, context, _("What question should the group work on? For example “How can we make the "
                                 "library better for carers?” Send /cancel to stop."))
    return QUESTION


async def on_question(update: Update, context: BotContext) -> Any:
    question = await read_text(update, context, QUESTION_MAX)
    if question is None:
        return QUESTION
    _draft(context)["question"] = question
    return await ask_pace(update, context)


async def ask_pace(update: Update, context: BotContext) -> Any:
    await say(update, context, _("How long should each step last? People get a reminder before a step closes."),
              column([(_("A week for each step"), DraftChoice(PACE, "1w").pack()),
                      (_("Two weeks for each step"), DraftChoice(PACE, "2w").pack())]))
    return PACE


async def on_pace(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    chosen = DraftChoice.chosen(context.button, PACE)
    if chosen not in PACES:
        return await ask_pace(update, context)
    await clear_buttons(update)
    _draft(context)["days"] = PACES[chosen]
    return await ask_confirm(update, context)


async def ask_confirm(update: Update, context: BotContext) -> Any:
    draft = _draft(context)
    services = context.services
    project = await services.projects.by_id(draft["group"])
    assert project is not None
    tz = services.settings.timezone
    dates = closing_times(services.clock.now(), draft["days"])
    lines = [_("🔄 <b>{question}</b> · {group}").format(question=escape(draft["question"]), group=escape(project.name)),
             _("Every member of the group takes part. If each step starts on time, it closes on:")]
    lines += [_("{step}: {date}").format(step=_(STEP_NAMES[s]), date=format_date(when, tz))
              for s, when in dates.items()]
    lines.append(_("You move the cycle on from one step to the next. Start it now?"))
    await say(update, context, "\n".join(lines), column([
        (_("▶️ Start the cycle"), DraftChoice(CONFIRM, "go").pack()),
        (_("✖️ Don't start"), DraftChoice(CONFIRM, "no").pack())]))
    return CONFIRM


async def on_confirm(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    chosen = DraftChoice.chosen(context.button, CONFIRM)
    draft = _draft(context)
    if chosen == "no":
        return await nothing_sent(update, context, DRAFT)
    if chosen != "go" or not {"group", "question", "days"} <= set(draft):
        return await ask_confirm(update, context)
    await clear_buttons(update)
    if not await _leads(context, draft["group"]):
        context.drafts.pop(DRAFT, None)
        await say(update, context, _("Sorry, you can't do that. If you think you should be able to, please ask "
                                     "your council contact."))
        return ConversationHandler.END
    project = await context.services.projects.by_id(draft["group"])
    assert project is not None and context.participant is not None
    running = await context.services.cycles.current(project.id)
    if running is not None and not running.finished:
        context.drafts.pop(DRAFT, None)
        await say(update, context, _("This group already has a cycle under way. Send /cycle to see it."))
        return ConversationHandler.END
    cycle, created = await work.start(context.services, project, context.participant.id, draft["question"],
                                      draft["days"], key=f"cycle:{draft['key']}")
    context.drafts.pop(DRAFT, None)
    await ending(update, context)
    if created:
        await audit(context, update, "cycle.start", "ok", subject=str(cycle.id))
    await say(update, context, _("Started. Every member is being asked for their answers. Send /cycle at any time "
                                 "to see where it is."))
    return ConversationHandler.END


def conversation() -> Flow:
    choice = DraftChoice.pattern()
    return Flow(
        name="cycle_prepare",
        noun=N_("your new cycle"),
        states={
            QUESTION: step(ask_question, MessageHandler(typed_text(), on_question)),
            PACE: step(ask_pace, CallbackQueryHandler(on_pace, pattern=choice)),
            CONFIRM: step(ask_confirm, CallbackQueryHandler(on_confirm, pattern=choice)),
        },
        entry_points=[CallbackQueryHandler(start, pattern=StartCycleButton.pattern())],
        cancel=cancel_clearing(DRAFT),
        prefixes=(DraftChoice.prefix,),
        drafts=(DRAFT,),
        command="cycle",
    )
