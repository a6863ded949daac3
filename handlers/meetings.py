"""/meeting: a coordinator creates a meeting and its time poll, step by step: what it is, how
people take part, how long, which times and when the poll closes. Who is invited and the
summary are in `meeting_invite`; the meeting and its poll are created by `meetings.create`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, format_datetime, ngettext
from bot.keyboards import Button, column, keyboard
from decide.buttons import LeadActionButton
from domain.access import VENUE_FEATURES
from domain.meetings import MAX_SLOTS, MIN_SLOTS, CloseProblem, SlotProblem, check_closing_time, parse_slots
from domain.participation import Level
from handlers import ladder
from handlers.checklist import Checklist, translated
from handlers.common import acknowledge, clear_buttons, escape, require_organiser, require_registered, say
from handlers.flow import Flow, read_text, step, typed, typed_text
from handlers.meeting_invite import (CONFIRM, DONE, DRAFT, ESSENTIAL, ESSENTIAL_LIST, GO, OPEN, PURPOSE, PURPOSE_MAX,
                                     TITLE, TITLE_MAX, VERSIONED, VISIBILITY, WHO, ask_essential, ask_visibility,
                                     ask_who, cancel, draft_of, on_confirm, on_essential_done, on_visibility, on_who,
                                     show_summary, slot_list)
from handlers.text_versions import VersionButton, steps
from meetings.buttons import MeetingChoice
from storage.times import from_db, to_db

LEVEL, FORMAT, VENUE, FEATURES, LINK, DURATION, SLOTS, CLOSES = (
    "level", "format", "venue", "features", "link", "duration", "slots", "closes")
FEAT, MINS, CLOSE = "feat", "mins", "close"  # the steps' names in their buttons, as they have always been sent

FORMATS = {"in_person": N_("In person"), "online": N_("Online"), "hybrid": N_("Both: in person and online")}
DURATIONS = (30, 45, 60, 90, 120, 180)
SLOT_PROBLEMS = {
    SlotProblem.UNREADABLE: N_("I could not read this. Write it like 3/12 18:30."),
    SlotProblem.NOT_A_TIME: N_("This time does not exist: the clocks go forward then."),
    SlotProblem.IN_THE_PAST: N_("This time has passed."),
    SlotProblem.DUPLICATE: N_("This time is already on the list."),
}
VENUE_MAX = 200


def _at(step_name: str, value: str | None = None) -> str:
    """The pattern of this step's buttons (of one of them, given its value)."""
    head = f"^{MeetingChoice.prefix}:{step_name}:"
    return head + f"{value}$" if value is not None else head


@require_organiser("meeting.create")
@require_registered
async def new_meeting(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    context.drafts[DRAFT] = {"slots": [], "features": [], "key": uuid4().hex}
    await say(update, context, _("Let's set up a meeting and find a time that works. Send /cancel to stop."))
    return await ask_title(update, context)


async def ask_title(update: Update, context: BotContext) -> Any:
    await say(update, context, _("What is the meeting called?"))
    return TITLE


async def on_title(update: Update, context: BotContext) -> Any:
    text = await read_text(update, context, TITLE_MAX)
    if text is None:
        return TITLE
    draft_of(context)["title"] = text
    return await ask_purpose(update, context)


async def ask_purpose(update: Update, context: BotContext) -> Any:
    await say(update, context, _("What is it for? Say what people will talk about or decide."))
    return PURPOSE


async def on_purpose(update: Update, context: BotContext) -> Any:
    text = await read_text(update, context, PURPOSE_MAX, one_line=False)
    if text is None:
        return PURPOSE
    draft_of(context)["purpose"] = text
    return await ask_level(update, context)


async def _level_chosen(update: Update, context: BotContext, level: Level) -> Any:
    draft_of(context)["level"] = level.value
    return await ask_format(update, context)


ask_level, on_level = ladder.level_step(MeetingChoice, LEVEL, _level_chosen)


async def ask_format(update: Update, context: BotContext) -> Any:
    await say(update, context, _("How will people take part?"),
              column((_(label), MeetingChoice(FORMAT, key).pack()) for key, label in FORMATS.items()))
    return FORMAT


async def on_format(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    choice = MeetingChoice.chosen(context.button, FORMAT)
    if choice not in FORMATS:
        return await ask_format(update, context)
    await clear_buttons(update)
    draft_of(context)["format"] = choice
    if choice == "online":
        return await ask_link(update, context)
    return await ask_venue(update, context)


async def ask_venue(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Where is it? Type the venue name and address."))
    return VENUE


async def on_venue(update: Update, context: BotContext) -> Any:
    text = await read_text(update, context, VENUE_MAX)
    if text is None:
        return VENUE
    draft_of(context)["venue"] = text
    return await ask_features(update, context)


FEATURES_LIST = Checklist(
    prefix=f"{MeetingChoice.prefix}:{FEAT}", store=draft_of, field="features",
    question=lambda: _("What does the venue have? Tap all that apply. This lets us warn you if someone's needs are "
                       "not met."),
    options=translated(VENUE_FEATURES),
    rows_after=lambda context: [[(_("Done ✔"), MeetingChoice(FEATURES, DONE).pack())]])


async def ask_features(update: Update, context: BotContext) -> Any:
    await FEATURES_LIST.show(update, context)
    return FEATURES


async def on_features_done(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    await FEATURES_LIST.finish(update, context)
    return await ask_link(update, context) if draft_of(context).get("format") == "hybrid" else await ask_duration(
        update, context)


async def ask_link(update: Update, context: BotContext) -> Any:
    await say(update, context, _("What is the link to join online? It should start with https://"))
    return LINK


async def on_link(update: Update, context: BotContext) -> Any:
    text = typed(update)
    if not text.startswith("https://") or len(text) > 300 or " " in text:
        await say(update, context, _("Please send a link that starts with https://"))
        return LINK
    draft_of(context)["link"] = text
    return await ask_duration(update, context)


async def ask_duration(update: Update, context: BotContext) -> Any:
    labels = {30: _("30 minutes"), 45: _("45 minutes"), 60: _("1 hour"), 90: _("1½ hours"), 120: _("2 hours"),
              180: _("3 hours")}
    buttons = [(labels[m], MeetingChoice(MINS, str(m)).pack()) for m in DURATIONS]
    await say(update, context, _("How long will it last? Shorter meetings with breaks suit more people."),
              keyboard([buttons[:3], buttons[3:]]))
    return DURATION


async def on_duration(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    chosen = MeetingChoice.chosen(context.button, MINS)
    if chosen not in [str(minutes) for minutes in DURATIONS]:
        return await ask_duration(update, context)
    await clear_buttons(update)
    draft_of(context)["minutes"] = int(chosen)
    return await ask_slots(update, context)


async def ask_slots(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Which times could work? Send {low} to {high} times, one per line, "
                                 "like:\n3/12 18:30\n5/12 10:00\nTry to include evenings and a weekend.").format(
        low=MIN_SLOTS, high=MAX_SLOTS))
    return SLOTS


async def on_slots(update: Update, context: BotContext) -> Any:
    services = context.services
    draft = draft_of(context)
    existing = [from_db(text) for text in draft.get("slots", [])]
    parsed = parse_slots((update.effective_message.text or "").splitlines(), services.settings.timezone,
                         services.clock.now(), existing)
    problems = [f"• {escape(slot.text)}: {_(SLOT_PROBLEMS[slot.problem])}" for slot in parsed if slot.problem]
    good = [slot.start for slot in parsed if slot.problem is None and slot.start is not None]
    room = MAX_SLOTS - len(existing)
    if len(good) > room:
        problems.append(_("Only {count} times fit; I kept the first ones.").format(count=MAX_SLOTS))
        good = good[:room]
    draft["slots"] = sorted(to_db(start) for start in [*existing, *good])
    lines = problems[:]
    if draft["slots"]:
        lines += ["", _("<b>Times so far</b>"), slot_list(context)]
    count = len(draft["slots"])
    if count >= MIN_SLOTS:
        lines += ["", _("Send more times, or tap Done.")]
        await say(update, context, "\n".join(lines), column([(_("Done ✔"), MeetingChoice(SLOTS, DONE).pack())]))
    else:
        lines += ["", ngettext("Please send at least {count} more time.", "Please send at least {count} more times.",
                               MIN_SLOTS - count).format(count=MIN_SLOTS - count)]
        await say(update, context, "\n".join(lines))
    return SLOTS


async def on_slots_done(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    if len(draft_of(context).get("slots", [])) < MIN_SLOTS:
        return await ask_slots(update, context)
    await clear_buttons(update)
    return await ask_closes(update, context)


async def ask_closes(update: Update, context: BotContext) -> Any:
    buttons: list[Button] = [(ngettext("In {count} day", "In {count} days", days).format(count=days),
                              MeetingChoice(CLOSE, str(days)).pack()) for days in (2, 4, 7)]
    await say(update, context, _("When should the poll close? It must close before the first time. Tap one, or type "
                                 "a date and time like 1/12 17:00."), keyboard([buttons]))
    return CLOSES


async def _set_closing(update: Update, context: BotContext, closes: datetime | None) -> Any:
    services = context.services
    now = services.clock.now()
    slots = [from_db(text) for text in draft_of(context).get("slots", [])]
    problem = CloseProblem.IN_THE_PAST if closes is None else check_closing_time(closes, slots, now)
    if problem is CloseProblem.AFTER_FIRST_SLOT:
        await say(update, context, _("The poll must close before the first time, {first}.").format(
            first=format_datetime(min(slots), services.settings.timezone)))
        return await ask_closes(update, context)
    if problem is not None:
        await say(update, context, _("Please choose a time in the future."))
        return await ask_closes(update, context)
    assert closes is not None
    draft_of(context)["closes_at"] = to_db(closes)
    return await ask_who(update, context)


async def on_closes_button(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    await clear_buttons(update)
    chosen = MeetingChoice.chosen(context.button, CLOSE) or ""
    days = int(chosen) if chosen.isdigit() else 0
    return await _set_closing(update, context, context.services.clock.now() + timedelta(days=days) if days else None)


async def on_closes_typed(update: Update, context: BotContext) -> Any:
    services = context.services
    parsed = parse_slots([update.effective_message.text or ""], services.settings.timezone, services.clock.now())
    closes = parsed[0].start if parsed and parsed[0].problem is None else None
    return await _set_closing(update, context, closes)



def conversation() -> Flow:
    add_version, version_steps = steps(VERSIONED)
    return Flow(
        name="meeting",
        noun=N_("your new meeting"),
        states={
            TITLE: step(ask_title, MessageHandler(typed_text(), on_title)),
            PURPOSE: step(ask_purpose, MessageHandler(typed_text(), on_purpose)),
            LEVEL: step(ask_level, CallbackQueryHandler(on_level, pattern=_at(LEVEL))),
            FORMAT: step(ask_format, CallbackQueryHandler(on_format, pattern=_at(FORMAT))),
            VENUE: step(ask_venue, MessageHandler(typed_text(), on_venue)),
            FEATURES: step(ask_features, CallbackQueryHandler(on_features_done, pattern=_at(FEATURES, DONE)),
                           FEATURES_LIST.tap_handler()),
            LINK: step(ask_link, MessageHandler(typed_text(), on_link)),
            DURATION: step(ask_duration, CallbackQueryHandler(on_duration, pattern=_at(MINS))),
            SLOTS: step(ask_slots, MessageHandler(typed_text(), on_slots),
                        CallbackQueryHandler(on_slots_done, pattern=_at(SLOTS, DONE))),
            CLOSES: step(ask_closes, CallbackQueryHandler(on_closes_button, pattern=_at(CLOSE)),
                         MessageHandler(typed_text(), on_closes_typed)),
            WHO: step(ask_who, CallbackQueryHandler(on_who, pattern=_at(WHO))),
            ESSENTIAL: step(ask_essential, CallbackQueryHandler(on_essential_done, pattern=_at(ESSENTIAL, DONE)),
                            ESSENTIAL_LIST.tap_handler()),
            VISIBILITY: step(ask_visibility, CallbackQueryHandler(on_visibility, pattern=_at(OPEN))),
            CONFIRM: step(show_summary, CallbackQueryHandler(on_confirm, pattern=_at(GO)), add_version),
            **version_steps,
        },
        entry_points=[CommandHandler("meeting", new_meeting),
                      CallbackQueryHandler(new_meeting, pattern=LeadActionButton.pattern_where(action="meeting"))],
        cancel=cancel,
        prefixes=(MeetingChoice.prefix, VersionButton.prefix),
        drafts=(DRAFT,),
        start=new_meeting,
        command="meeting",
    )
