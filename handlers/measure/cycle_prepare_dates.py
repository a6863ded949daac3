"""The last step of preparing a cycle: the lead sees each step's closing date, may change any
of them (a date still to come, between its neighbours), and starts it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.callbacks import GroupRight
from bot.context import BotContext
from bot.i18n import N_, _, format_date
from cycle import work
from decide import work as decide
from decide.buttons import DraftChoice
from domain.cycles import STEP_NAMES, STEPS, Step, change_date
from domain.dates import parse_day_end
from handlers.kit.choose import choose_one, choose_way
from handlers.kit.common import Handler, audit, escape, say
from handlers.kit.drafts import DraftLost
from handlers.kit.flow import ending, nothing_sent
from handlers.kit.write_in import type_in
from handlers.measure.cycle_prepare_draft import DRAFT, PREPARE, closing_dates
from storage.times import to_db

CONFIRM, DATE_STEP, DATE = "cycle_confirm", "cycle_date_step", "cycle_date"
ask_date: Handler  # declared, so the steps before it can name it before it is made


async def _summary(context: BotContext) -> str:
    """What the cycle will be, each step's closing date, and the question whether to start it."""
    draft = PREPARE.of(context)
    services = context.services
    project = await services.projects.by_id(draft.group)
    assert project is not None
    tz = services.settings.timezone
    chosen = draft.chosen
    who = (
        _("Every member of the group takes part.")
        if chosen is None
        else _("{count} members you picked take part.").format(count=len(chosen))
    )
    lines = [
        _("🔄 <b>{question}</b> · {group}").format(question=escape(draft.question), group=escape(project.name)),
        who,
        _("If each step starts on time, it closes on:"),
    ]
    lines += [
        _("{step}: {date}").format(step=_(STEP_NAMES[s]), date=format_date(when, tz))
        for s, when in sorted(closing_dates(draft).items(), key=lambda item: STEPS.index(item[0]))
    ]
    lines.append(_("You move the cycle on from one step to the next. Start it now?"))
    return "\n".join(lines)


async def start(update: Update, context: BotContext) -> Any:
    """ "Start the cycle": the lead's right is checked again, as it may have gone meanwhile."""
    draft = PREPARE.of(context)
    if not (draft.question and draft.days and draft.dates):  # all answered before this is asked
        raise DraftLost(DRAFT)
    services = context.services
    project = await services.projects.by_id(draft.group)
    participant = context.participant
    if (
        project is None
        or participant is None
        or GroupRight.LEAD not in await decide.rights(services, project, participant.id, context.role)
    ):
        PREPARE.drop(context)
        await say(
            update,
            context,
            _("Sorry, you can't do that. If you think you should be able to, please ask your council contact."),
        )
        return ConversationHandler.END
    running = await services.cycles.current(project.id)
    if running is not None and not running.finished:
        PREPARE.drop(context)
        await say(update, context, _("This group already has a cycle under way. Send /cycle to see it."))
        return ConversationHandler.END
    picked = None if draft.chosen is None else [int(c) for c in draft.chosen]
    cycle, created = await work.start(
        services,
        project,
        participant.id,
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


async def _date_steps(context: BotContext) -> dict[str, str]:
    return {s.value: _(STEP_NAMES[s]) for s in sorted(closing_dates(PREPARE.of(context)), key=STEPS.index)}


ask_date_step, on_date_step = choose_one(
    DraftChoice,
    DATE_STEP,
    DATE_STEP,
    N_("Which step's closing date do you want to change?"),
    _date_steps,
    PREPARE.keeper("date_step"),
    lambda update, context: ask_date(update, context),
)


ask_confirm, on_confirm = choose_way(
    DraftChoice,
    CONFIRM,
    CONFIRM,
    _summary,
    {
        "go": (N_("▶️ Start the cycle"), start),
        "date": (N_("📅 Change a date"), ask_date_step),
        "no": (N_("✖️ Don't start"), nothing_sent(DRAFT)),
    },
)


def _date_question(context: BotContext) -> str:
    return _("When should {step} close? Type a date, like 15/12.").format(
        step=_(STEP_NAMES[Step(PREPARE.of(context).date_step)])
    )


async def _read_dates(update: Update, context: BotContext) -> dict[Step, datetime] | None:
    """Every step's closing date once the one asked about is moved to the day typed; None (after
    saying which dates fit) when that day is past or not between its neighbours."""
    services = context.services
    now = services.clock.now()
    when = parse_day_end(update.effective_message.text or "", services.settings.timezone, now)
    draft = PREPARE.of(context)
    changed = change_date(closing_dates(draft), Step(draft.date_step), when, now) if when is not None else None
    if changed is None:
        await say(
            update,
            context,
            _(
                "Please type a date still to come, after the step before closes and before "
                "the step after closes, like 15/12."
            ),
        )
    return changed


def _keep_dates(context: BotContext, changed: dict[Step, datetime]) -> None:
    with PREPARE.editing(context) as draft:
        draft.dates = {s.value: to_db(moment) for s, moment in changed.items()}


ask_date, on_date = type_in(DATE, _date_question, _read_dates, _keep_dates, ask_confirm, put=say)
