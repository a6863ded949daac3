"""Step 1, Prepare: a lead or co-lead sets the cycle's question, who takes part (every member,
or the members they tick), and how long each step lasts (which gives every step's date). They
see those dates, may change any step's closing date, and start it. Every participant is then
asked for their answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
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
from domain.cycles import PACES, STEP_NAMES, STEPS, Step, change_date, closing_times
from domain.dates import parse_day_end
from handlers.kit.checklist import Checklist
from handlers.kit.choose import choose_one
from handlers.kit.common import acknowledge, audit, clear_buttons, escape, say
from handlers.kit.drafts import DraftSlot, restarting
from handlers.kit.write_in import write_in
from handlers.kit.flow import Flow, ending, nothing_sent, step, stopped, typed_text
from storage.times import from_db, to_db

QUESTION, PACE, WHO, PICK, CONFIRM = "cycle_question", "cycle_pace", "cycle_who", "cycle_pick", "cycle_confirm"
DATE_STEP, DATE = "cycle_date_step", "cycle_date"
DRAFT = "cycle_draft"
QUESTION_MAX = 200


@dataclass
class CycleDraft:
    """The field names are the keys the draft had as a dict, so a cycle begun before drafts were
    typed carries on."""

    group: int
    key: str  # makes starting it twice (after a lost reply) give back the first cycle
    question: str = ""
    days: int = 0  # each step's length, from the pace
    dates: dict[str, str] = field(default_factory=dict)  # step -> its closing time (storage.times.to_db)
    chosen: list[str] | None = None  # the members who take part (the checklist's ticks); None: every member
    date_step: str = ""  # the step whose closing date is being changed


PREPARE = DraftSlot(DRAFT, CycleDraft)


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
    PREPARE.begin(context, CycleDraft(button.group, uuid4().hex))
    return await ask_question(update, context)


def _keep_pace(context: BotContext, chosen: str) -> None:
    """The pace, and each step's closing time at that pace from now."""
    with PREPARE.editing(context) as draft:
        draft.days = PACES[chosen]
        draft.dates = {s.value: to_db(when) for s, when in closing_times(context.services.clock.now(),
                                                                         PACES[chosen]).items()}


ask_pace, on_pace = choose_one(
    DraftChoice, PACE, PACE, N_("How long should each step last? People get a reminder before a step closes."),
    {"1w": N_("A week for each step"), "2w": N_("Two weeks for each step")}, _keep_pace,
    lambda update, context: ask_who(update, context))


ask_question, on_question = write_in(
    QUESTION, lambda: _("What question should the group work on? For example “How can we make the library better for "
                        "carers?” Send /cancel to stop."), QUESTION_MAX, PREPARE.keeper("question"), ask_pace)


async def ask_who(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Who takes part? Only they are asked, reminded and counted."), column([
        (_("👥 Every member"), DraftChoice(WHO, "all").pack()),
        (_("☑️ I will pick members"), DraftChoice(WHO, "pick").pack())]))
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
    prefix="jw", store=PREPARE.stored, field="chosen",
    question=lambda: _("Tap the members who take part, then Done."), options=_member_names,
    rows_after=lambda context: [[(_("Done ✔"), DraftChoice(PICK, "done").pack())]])


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


def _dates(draft: CycleDraft) -> dict[Step, datetime]:
    return {Step(s): from_db(when) for s, when in draft.dates.items()}


async def ask_confirm(update: Update, context: BotContext) -> Any:
    draft = PREPARE.of(context)
    services = context.services
    project = await services.projects.by_id(draft.group)
    assert project is not None
    tz = services.settings.timezone
    chosen = draft.chosen
    who = (_("Every member of the group takes part.") if chosen is None else
           _("{count} members you picked take part.").format(count=len(chosen)))
    lines = [_("🔄 <b>{question}</b> · {group}").format(question=escape(draft.question), group=escape(project.name)),
             who, _("If each step starts on time, it closes on:")]
    lines += [_("{step}: {date}").format(step=_(STEP_NAMES[s]), date=format_date(when, tz))
              for s, when in sorted(_dates(draft).items(), key=lambda item: STEPS.index(item[0]))]
    lines.append(_("You move the cycle on from one step to the next. Start it now?"))
    await say(update, context, "\n".join(lines), column([
        (_("▶️ Start the cycle"), DraftChoice(CONFIRM, "go").pack()),
        (_("📅 Change a date"), DraftChoice(CONFIRM, "date").pack()),
        (_("✖️ Don't start"), DraftChoice(CONFIRM, "no").pack())]))
    return CONFIRM


async def _date_steps(context: BotContext) -> dict[str, str]:
    return {s.value: _(STEP_NAMES[s]) for s in sorted(_dates(PREPARE.of(context)), key=STEPS.index)}


ask_date_step, on_date_step = choose_one(
    DraftChoice, DATE_STEP, DATE_STEP, N_("Which step's closing date do you want to change?"), _date_steps,
    PREPARE.keeper("date_step"), lambda update, context: ask_date(update, context))


async def ask_date(update: Update, context: BotContext) -> Any:
    await say(update, context, _("When should {step} close? Type a date, like 15/12.").format(
        step=_(STEP_NAMES[Step(PREPARE.of(context).date_step)])))
    return DATE


async def on_date(update: Update, context: BotContext) -> Any:
    services = context.services
    now = services.clock.now()
    when = parse_day_end(update.effective_message.text or "", services.settings.timezone, now)
    draft = PREPARE.of(context)
    changed = change_date(_dates(draft), Step(draft.date_step), when, now) if when is not None else None
    if changed is None:
        await say(update, context, _("Please type a date still to come, after the step before closes and before "
                                     "the step after closes, like 15/12."))
        return DATE
    draft.dates = {s.value: to_db(moment) for s, moment in changed.items()}
    PREPARE.save(context, draft)
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
        await say(update, context, _("Sorry, you can't do that. If you think you should be able to, please ask "
                                     "your council contact."))
        return ConversationHandler.END
    project = await context.services.projects.by_id(draft.group)
    assert project is not None and context.participant is not None
    running = await context.services.cycles.current(project.id)
    if running is not None and not running.finished:
        PREPARE.drop(context)
        await say(update, context, _("This group already has a cycle under way. Send /cycle to see it."))
        return ConversationHandler.END
    picked = None if draft.chosen is None else [int(c) for c in draft.chosen]
    cycle, created = await work.start(context.services, project, context.participant.id, draft.question,
                                      draft.days, _dates(draft), picked, key=f"cycle:{draft.key}")
    PREPARE.drop(context)
    await ending(update, context)
    if created:
        await audit(context, update, "cycle.start", "ok", subject=str(cycle.id))
    await say(update, context, _("Started. Everyone taking part is being asked for their answers. Send /cycle at "
                                 "any time to see where it is."))
    return ConversationHandler.END


def conversation() -> Flow:
    choice = DraftChoice.pattern()
    return Flow(
        name="cycle_prepare",
        noun=N_("your new cycle"),
        states=restarting({
            QUESTION: step(ask_question, MessageHandler(typed_text(), on_question)),
            PACE: step(ask_pace, CallbackQueryHandler(on_pace, pattern=choice)),
            WHO: step(ask_who, CallbackQueryHandler(on_who, pattern=choice)),
            PICK: step(ask_pick, CallbackQueryHandler(on_pick_done, pattern=choice), PICK_LIST.tap_handler()),
            CONFIRM: step(ask_confirm, CallbackQueryHandler(on_confirm, pattern=choice)),
            DATE_STEP: step(ask_date_step, CallbackQueryHandler(on_date_step, pattern=choice)),
            DATE: step(ask_date, MessageHandler(typed_text(), on_date)),
        }, None),
        entry_points=[CallbackQueryHandler(start, pattern=StartCycleButton.pattern())],
        cancel=stopped(),
        prefixes=(DraftChoice.prefix, PICK_LIST.prefix),
        drafts=(DRAFT,),
        command="cycle",
    )
