"""The times of a /meeting: which times could work, and when the poll closes (before the first
of them). Part of the flow declared in `meetings`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.i18n import N_, _, format_datetime, ngettext
from bot.keyboards import column
from domain.meetings import MAX_SLOTS, MIN_SLOTS, CloseProblem, SlotProblem, check_closing_time, parse_slots
from handlers.kit.choose import choose_one
from handlers.kit.common import acknowledge, ask, clear_buttons, escape, say
from handlers.meetings.meeting_invite import DONE, MEETING, ask_who, slot_list
from meetings.buttons import MeetingChoice
from storage.times import from_db, to_db

SLOTS, CLOSES = "slots", "closes"
CLOSE = "close"  # the closing step's name in its buttons, as it has always been sent
CLOSING_DAYS = (2, 4, 7)  # the closing times offered, in days from now
SLOT_PROBLEMS = {
    SlotProblem.UNREADABLE: N_("I could not read this. Write it like 3/12 18:30."),
    SlotProblem.NOT_A_TIME: N_("This time does not exist: the clocks go forward then."),
    SlotProblem.IN_THE_PAST: N_("This time has passed."),
    SlotProblem.DUPLICATE: N_("This time is already on the list."),
}


async def ask_slots(update: Update, context: BotContext) -> Any:
    await ask(
        update,
        context,
        _(
            "Which times could work? Send {low} to {high} times, one per line, "
            "like:\n3/12 18:30\n5/12 10:00\nTry to include evenings and a weekend."
        ).format(low=MIN_SLOTS, high=MAX_SLOTS),
    )
    return SLOTS


async def on_slots(update: Update, context: BotContext) -> Any:
    services = context.services
    draft = MEETING.of(context)
    existing = [from_db(text) for text in draft.slots]
    parsed = parse_slots(
        (update.effective_message.text or "").splitlines(), services.settings.timezone, services.clock.now(), existing
    )
    problems = [f"• {escape(slot.text)}: {_(SLOT_PROBLEMS[slot.problem])}" for slot in parsed if slot.problem]
    good = [slot.start for slot in parsed if slot.problem is None and slot.start is not None]
    room = MAX_SLOTS - len(existing)
    if len(good) > room:
        problems.append(_("Only {count} times fit; I kept the first ones.").format(count=MAX_SLOTS))
        good = good[:room]
    draft.slots = sorted(to_db(start) for start in [*existing, *good])
    MEETING.save(context, draft)
    lines = problems[:]
    if draft.slots:
        lines += ["", _("<b>Times so far</b>"), slot_list(context, draft)]
    count = len(draft.slots)
    if count >= MIN_SLOTS:
        lines += ["", _("Send more times, or tap Done.")]
        await ask(update, context, "\n".join(lines), column([(_("Done ✔"), MeetingChoice(SLOTS, DONE).pack())]))
    else:
        lines += [
            "",
            ngettext(
                "Please send at least {count} more time.", "Please send at least {count} more times.", MIN_SLOTS - count
            ).format(count=MIN_SLOTS - count),
        ]
        await say(update, context, "\n".join(lines))
    return SLOTS


async def on_slots_done(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    if len(MEETING.of(context).slots) < MIN_SLOTS:
        return await ask_slots(update, context)
    await clear_buttons(update)
    return await ask_closes(update, context)


async def _set_closing(update: Update, context: BotContext, closes: datetime | None) -> Any:
    services = context.services
    now = services.clock.now()
    slots = [from_db(text) for text in MEETING.of(context).slots]
    problem = CloseProblem.IN_THE_PAST if closes is None else check_closing_time(closes, slots, now)
    if problem is CloseProblem.AFTER_FIRST_SLOT:
        await say(
            update,
            context,
            _("The poll must close before the first time, {first}.").format(
                first=format_datetime(min(slots), services.settings.timezone)
            ),
        )
        return await ask_closes(update, context)
    if problem is not None:
        await say(update, context, _("Please choose a time in the future."))
        return await ask_closes(update, context)
    assert closes is not None
    with MEETING.editing(context) as draft:
        draft.closes_at = to_db(closes)
    return await ask_who(update, context)


async def _closing_options(_context: BotContext) -> dict[str, str]:
    return {str(days): ngettext("In {count} day", "In {count} days", days).format(count=days) for days in CLOSING_DAYS}


def _keep_closing(context: BotContext, chosen: str) -> None:
    with MEETING.editing(context) as draft:
        draft.closes_at = to_db(context.services.clock.now() + timedelta(days=int(chosen)))


async def _closing_chosen(update: Update, context: BotContext) -> Any:
    return await _set_closing(update, context, from_db(MEETING.of(context).closes_at))


ask_closes, on_closes_button = choose_one(
    MeetingChoice,
    CLOSE,
    CLOSES,
    N_(
        "When should the poll close? It must close before the first time. Tap one, or type "
        "a date and time like 1/12 17:00."
    ),
    _closing_options,
    _keep_closing,
    _closing_chosen,
    across=len(CLOSING_DAYS),
)


async def on_closes_typed(update: Update, context: BotContext) -> Any:
    services = context.services
    parsed = parse_slots([update.effective_message.text or ""], services.settings.timezone, services.clock.now())
    closes = parsed[0].start if parsed and parsed[0].problem is None else None
    return await _set_closing(update, context, closes)
