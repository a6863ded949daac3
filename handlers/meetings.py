"""/meeting: a coordinator creates a meeting and its time poll, step by step."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from storage.times import from_db, to_db
from bot.context import BotContext
from bot.i18n import N_, _, format_datetime, ngettext
from bot.keyboards import Button, callback_parts, column, keyboard
from domain.access import VENUE_FEATURES
from domain.meetings import MAX_SLOTS, MIN_SLOTS, CloseProblem, SlotProblem, check_closing_time, parse_slots
from domain.participation import LEVEL_NAMES, Level
from domain.roles import ORGANISERS
from handlers import meeting_polls
from handlers.common import acknowledge, audit, clear_buttons, escape, require_organiser, require_registered, say
from handlers import ladder
from handlers.checklist import Checklist, translated
from handlers.flow import Flow, ending, picked, read_text, step, typed, typed_text
from handlers.meeting_notices import MEETING_KIND
from handlers.plain_words import plain_words_note
from handlers.text_versions import VERSIONS, VersionButton, Versioned, add_button, own_language, steps, versions_line
from bot.rights import leads

DRAFT = "meeting_draft"
(TITLE, PURPOSE, LEVEL, FORMAT, VENUE, FEATURES, LINK, DURATION, SLOTS, CLOSES, WHO, ESSENTIAL, VISIBILITY,
 CONFIRM) = ("title", "purpose", "level", "format", "venue", "features", "link", "duration", "slots", "closes", "who",
             "essential", "visibility", "confirm")
ESSENTIAL_SHOWN = 20  # people listed for marking as essential; a poll for a big group rarely needs more

FORMATS = {"in_person": N_("In person"), "online": N_("Online"), "hybrid": N_("Both: in person and online")}
DURATIONS = (30, 45, 60, 90, 120, 180)
SLOT_PROBLEMS = {
    SlotProblem.UNREADABLE: N_("I could not read this. Write it like 3/12 18:30."),
    SlotProblem.NOT_A_TIME: N_("This time does not exist: the clocks go forward then."),
    SlotProblem.IN_THE_PAST: N_("This time has passed."),
    SlotProblem.DUPLICATE: N_("This time is already on the list."),
}
TITLE_MAX, PURPOSE_MAX, VENUE_MAX = 100, 400, 200


def _draft(context: BotContext) -> dict[str, Any]:
    draft: dict[str, Any] = context.drafts.setdefault(DRAFT, {})
    return draft


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
    _draft(context)["title"] = text
    return await ask_purpose(update, context)


async def ask_purpose(update: Update, context: BotContext) -> Any:
    await say(update, context, _("What is it for? Say what people will talk about or decide."))
    return PURPOSE


async def on_purpose(update: Update, context: BotContext) -> Any:
    text = await read_text(update, context, PURPOSE_MAX, one_line=False)
    if text is None:
        return PURPOSE
    _draft(context)["purpose"] = text
    return await ask_level(update, context)


async def _level_chosen(update: Update, context: BotContext, level: Level) -> Any:
    _draft(context)["level"] = level.value
    return await ask_format(update, context)


ask_level, on_level = ladder.level_step("mn", LEVEL, _level_chosen)


async def ask_format(update: Update, context: BotContext) -> Any:
    await say(update, context, _("How will people take part?"),
              column((_(label), f"mn:format:{key}") for key, label in FORMATS.items()))
    return FORMAT


async def on_format(update: Update, context: BotContext) -> Any:
    choice = await picked(update, FORMATS)
    if choice is None:
        return await ask_format(update, context)
    _draft(context)["format"] = choice
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
    _draft(context)["venue"] = text
    return await ask_features(update, context)


FEATURES_LIST = Checklist(
    prefix="mn:feat", store=_draft, field="features",
    question=lambda: _("What does the venue have? Tap all that apply. This lets us warn you if someone's needs are "
                       "not met."),
    options=translated(VENUE_FEATURES), rows_after=lambda context: [[(_("Done ✔"), "mn:features:done")]])


async def ask_features(update: Update, context: BotContext) -> Any:
    await FEATURES_LIST.show(update, context)
    return FEATURES


async def on_features_done(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    await FEATURES_LIST.finish(update, context)
    return await ask_link(update, context) if _draft(context).get("format") == "hybrid" else await ask_duration(
        update, context)


async def ask_link(update: Update, context: BotContext) -> Any:
    await say(update, context, _("What is the link to join online? It should start with https://"))
    return LINK


async def on_link(update: Update, context: BotContext) -> Any:
    text = typed(update)
    if not text.startswith("https://") or len(text) > 300 or " " in text:
        await say(update, context, _("Please send a link that starts with https://"))
        return LINK
    _draft(context)["link"] = text
    return await ask_duration(update, context)


async def ask_duration(update: Update, context: BotContext) -> Any:
    labels = {30: _("30 minutes"), 45: _("45 minutes"), 60: _("1 hour"), 90: _("1½ hours"), 120: _("2 hours"),
              180: _("3 hours")}
    buttons = [(labels[m], f"mn:mins:{m}") for m in DURATIONS]
    await say(update, context, _("How long will it last? Shorter meetings with breaks suit more people."),
              keyboard([buttons[:3], buttons[3:]]))
    return DURATION


async def on_duration(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    parts = callback_parts(update.callback_query.data, 3)
    if parts is None or not parts[2].isdigit() or int(parts[2]) not in DURATIONS:
        return await ask_duration(update, context)
    await clear_buttons(update)
    _draft(context)["minutes"] = int(parts[2])
    return await ask_slots(update, context)


async def ask_slots(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Which times could work? Send {low} to {high} times, one per line, "
                                 "like:\n3/12 18:30\n5/12 10:00\nTry to include evenings and a weekend.").format(
        low=MIN_SLOTS, high=MAX_SLOTS))
    return SLOTS


def _slot_list(context: BotContext) -> str:
    tz = context.services.settings.timezone
    starts = [from_db(text) for text in _draft(context).get("slots", [])]
    return "\n".join(f"{number}. {format_datetime(start, tz)}" for number, start in enumerate(sorted(starts), 1))


async def on_slots(update: Update, context: BotContext) -> Any:
    services = context.services
    draft = _draft(context)
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
        lines += ["", _("<b>Times so far</b>"), _slot_list(context)]
    count = len(draft["slots"])
    if count >= MIN_SLOTS:
        lines += ["", _("Send more times, or tap Done.")]
        await say(update, context, "\n".join(lines), column([(_("Done ✔"), "mn:slots:done")]))
    else:
        lines += ["", ngettext("Please send at least {count} more time.", "Please send at least {count} more times.",
                               MIN_SLOTS - count).format(count=MIN_SLOTS - count)]
        await say(update, context, "\n".join(lines))
    return SLOTS


async def on_slots_done(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    if len(_draft(context).get("slots", [])) < MIN_SLOTS:
        return await ask_slots(update, context)
    await clear_buttons(update)
    return await ask_closes(update, context)


async def ask_closes(update: Update, context: BotContext) -> Any:
    buttons: list[Button] = [(ngettext("In {count} day", "In {count} days", days).format(count=days),
                              f"mn:close:{days}") for days in (2, 4, 7)]
    await say(update, context, _("When should the poll close? It must close before the first time. Tap one, or type "
                                 "a date and time like 1/12 17:00."), keyboard([buttons]))
    return CLOSES


async def _set_closing(update: Update, context: BotContext, closes: datetime | None) -> Any:
    services = context.services
    now = services.clock.now()
    slots = [from_db(text) for text in _draft(context).get("slots", [])]
    problem = CloseProblem.IN_THE_PAST if closes is None else check_closing_time(closes, slots, now)
    if problem is CloseProblem.AFTER_FIRST_SLOT:
        await say(update, context, _("The poll must close before the first time, {first}.").format(
            first=format_datetime(min(slots), services.settings.timezone)))
        return await ask_closes(update, context)
    if problem is not None:
        await say(update, context, _("Please choose a time in the future."))
        return await ask_closes(update, context)
    assert closes is not None
    _draft(context)["closes_at"] = to_db(closes)
    return await ask_who(update, context)


async def on_closes_button(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    await clear_buttons(update)
    parts = callback_parts(update.callback_query.data, 3)
    days = int(parts[2]) if parts and parts[2].isdigit() else 0
    return await _set_closing(update, context, context.services.clock.now() + timedelta(days=days) if days else None)


async def on_closes_typed(update: Update, context: BotContext) -> Any:
    services = context.services
    parsed = parse_slots([update.effective_message.text or ""], services.settings.timezone, services.clock.now())
    closes = parsed[0].start if parsed and parsed[0].problem is None else None
    return await _set_closing(update, context, closes)


async def ask_who(update: Update, context: BotContext) -> Any:
    services = context.services
    assert context.participant is not None
    rows: list[list[Button]] = []
    led = await services.projects.led_by(context.participant.id) if context.role in ORGANISERS else []
    for project_id in await services.projects.coled_by(context.participant.id):
        if (project := await services.projects.by_id(project_id)) is not None and project not in led:
            led.append(project)
    for project in led:
        rows.append([(_("👥 Members of “{name}”").format(name=project.name[:30]), f"mn:who:p{project.id}")])
    for opportunity in await services.opportunities.created_by(context.participant.id, limit=5):
        rows.append([(_("🙋 Interested in “{name}”").format(name=opportunity.title[:30]), f"mn:who:o{opportunity.id}")])
    if not rows:
        await say(update, context, _("You have no groups or opportunities to invite people from yet. Create a group "
                                     "with /newproject or send an opportunity with /opportunity first."))
        context.drafts.pop(DRAFT, None)
        return ConversationHandler.END
    await say(update, context, _("Who should be invited?"), keyboard(rows))
    return WHO


async def on_who(update: Update, context: BotContext) -> Any:
    """Invitees come from a group the coordinator leads or an opportunity they sent."""
    await acknowledge(update)
    parts = callback_parts(update.callback_query.data, 3)
    services = context.services
    assert context.participant is not None
    me = context.participant.id
    choice = parts[2] if parts else ""
    invitees: list[int] = []
    if choice[:1] == "p" and choice[1:].isdigit():
        project = await services.projects.by_id(int(choice[1:]))
        if not leads(context, project) and not (project and await services.projects.is_colead(project.id, me)):
            return await ask_who(update, context)
        assert project is not None
        invitees = await services.projects.member_ids(project.id)
        _draft(context)["project_id"] = project.id
    elif choice[:1] == "o" and choice[1:].isdigit():
        opportunity = await services.opportunities.by_id(int(choice[1:]))
        if opportunity is None or opportunity.created_by != me:
            return await ask_who(update, context)
        invitees = [pid for pid, _name in await services.opportunities.interested(opportunity.id)]
    await clear_buttons(update)
    if not invitees:
        await say(update, context, _("No one is there to invite yet. Choose another group, or /cancel."))
        return await ask_who(update, context)
    _draft(context)["invitees"] = invitees
    await say(update, context, ngettext("{count} person will be invited.", "{count} people will be invited.",
                                        len(invitees)).format(count=len(invitees)))
    return await ask_essential(update, context)


async def _invitee_names(context: BotContext) -> list[tuple[str, str]]:
    names = []
    for participant_id in _draft(context).get("invitees", [])[:ESSENTIAL_SHOWN]:
        person = await context.services.participants.by_id(participant_id)
        names.append((str(participant_id), ((person.display_name if person else None) or "—")[:40]))
    return names


# People the meeting can't go ahead without: a time they can't make ranks last.
ESSENTIAL_LIST = Checklist(
    prefix="mn:need", store=_draft, field="required", ticked="⭐ ",
    question=lambda: _("Is anyone essential, so the meeting can't go ahead without them? Tap to mark, then Done."),
    options=_invitee_names, rows_after=lambda context: [[(_("Done ✔"), "mn:essential:done")]])


async def ask_essential(update: Update, context: BotContext) -> Any:
    await ESSENTIAL_LIST.show(update, context)
    return ESSENTIAL


async def on_essential_done(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    await ESSENTIAL_LIST.finish(update, context)
    return await ask_visibility(update, context)


async def ask_visibility(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Who can see the answers? You always can."), column([
        (_("🔒 Only me"), "mn:open:0"), (_("👀 Everyone invited"), "mn:open:1")]))
    return VISIBILITY


async def on_visibility(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    await clear_buttons(update)
    parts = callback_parts(update.callback_query.data, 3)
    _draft(context)["open_poll"] = bool(parts and parts[2] == "1")
    return await show_summary(update, context)


async def show_summary(update: Update, context: BotContext) -> Any:
    draft = _draft(context)
    tz = context.services.settings.timezone
    lines = [f"<b>{escape(draft['title'])}</b>", escape(draft["purpose"]),
             _("Level: {level}").format(level=_(LEVEL_NAMES[Level(draft["level"])])),
             _("Poll closes: {date}").format(date=format_datetime(from_db(draft["closes_at"]), tz)),
             "", _slot_list(context), "",
             ngettext("{count} person will be invited.", "{count} people will be invited.",
                      len(draft["invitees"])).format(count=len(draft["invitees"]))]
    for note in (plain_words_note([draft.get("title"), draft.get("purpose"), draft.get("venue")]),
                 versions_line(VERSIONED, context)):
        lines += ["", note] if note else []
    await say(update, context, "\n".join(lines), column([(_("📨 Send the poll"), "mn:go:send"),
                                                         (_("Cancel"), "mn:go:cancel"), add_button(VERSIONED)]))
    return CONFIRM


# The organiser's own words, which a version in another language replaces (the venue is a place's name).
VERSIONED = Versioned(MEETING_KIND, DRAFT, (("title", N_("Title"), TITLE_MAX), ("purpose", N_("About"), PURPOSE_MAX)),
                      show_summary)


async def on_confirm(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    await clear_buttons(update)
    parts = callback_parts(update.callback_query.data, 3)
    if not parts or parts[2] != "send":
        return await cancel(update, context)
    services = context.services
    draft = context.drafts.pop(DRAFT, {})
    assert context.participant is not None
    now = services.clock.now()
    meeting_id, created = await services.meetings.create(
        draft, [from_db(s) for s in draft["slots"]], draft["invitees"], context.participant.id, now,
        required=[int(person) for person in draft.get("required", [])])
    if created:
        await audit(context, update, "meeting.create", "ok", subject=str(meeting_id))
    await services.text_versions.save(MEETING_KIND, meeting_id, own_language(context), draft.get(VERSIONS, {}), now)
    # The same Send again (after a crash, say) finishes what the first one started and never
    # sends a second poll: queueing is idempotent per invitee.
    sent = await meeting_polls.send_poll(context, meeting_id)
    await ending(update, context)
    if not created and sent == 0:
        await say(update, context, _("This poll has already been sent. See answers with /meetings."))
        return ConversationHandler.END
    await say(update, context, ngettext("The poll is on its way to {count} person. See answers with /meetings.",
                                        "The poll is on its way to {count} people. See answers with /meetings.",
                                        sent).format(count=sent))
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> Any:
    context.drafts.pop(DRAFT, None)
    await say(update, context, _("Stopped. No meeting was created."))
    return ConversationHandler.END


def conversation() -> Flow:
    add_version, version_steps = steps(VERSIONED)
    return Flow(
        name="meeting",
        noun=N_("your new meeting"),
        states={
            TITLE: step(ask_title, MessageHandler(typed_text(), on_title)),
            PURPOSE: step(ask_purpose, MessageHandler(typed_text(), on_purpose)),
            LEVEL: step(ask_level, CallbackQueryHandler(on_level, pattern="^mn:level:")),
            FORMAT: step(ask_format, CallbackQueryHandler(on_format, pattern="^mn:format:")),
            VENUE: step(ask_venue, MessageHandler(typed_text(), on_venue)),
            FEATURES: step(ask_features, CallbackQueryHandler(on_features_done, pattern="^mn:features:done$"),
                           FEATURES_LIST.tap_handler()),
            LINK: step(ask_link, MessageHandler(typed_text(), on_link)),
            DURATION: step(ask_duration, CallbackQueryHandler(on_duration, pattern="^mn:mins:")),
            SLOTS: step(ask_slots, MessageHandler(typed_text(), on_slots),
                        CallbackQueryHandler(on_slots_done, pattern="^mn:slots:done$")),
            CLOSES: step(ask_closes, CallbackQueryHandler(on_closes_button, pattern="^mn:close:"),
                         MessageHandler(typed_text(), on_closes_typed)),
            WHO: step(ask_who, CallbackQueryHandler(on_who, pattern="^mn:who:")),
            ESSENTIAL: step(ask_essential, CallbackQueryHandler(on_essential_done, pattern="^mn:essential:done$"),
                            ESSENTIAL_LIST.tap_handler()),
            VISIBILITY: step(ask_visibility, CallbackQueryHandler(on_visibility, pattern="^mn:open:")),
            CONFIRM: step(show_summary, CallbackQueryHandler(on_confirm, pattern="^mn:go:"), add_version),
            **version_steps,
        },
        entry_points=[CommandHandler("meeting", new_meeting),
                      CallbackQueryHandler(new_meeting, pattern=r"^gd:\d+:meeting$")],  # from a group's card
        cancel=cancel,
        prefixes=("mn", VersionButton.prefix),
        drafts=(DRAFT,),
        start=new_meeting,
        command="meeting",
    )
