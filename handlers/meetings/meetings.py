"""/meeting: a coordinator creates a meeting and its time poll, step by step: what it is, how
people take part, how long, which times and when the poll closes. The times are in
`meeting_times`, who is invited and the summary in `meeting_invite`; the meeting and its poll are
created by `meetings.create`."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _
from decide.buttons import LeadActionButton
from domain.access import VENUE_FEATURES
from handlers.kit import ladder
from handlers.kit.checklist import Checklist, translated
from handlers.kit.choose import choose_one
from handlers.kit.common import acknowledge, require_organiser, require_registered, say
from handlers.kit.drafts import restarting
from handlers.kit.flow import Flow, step, typed, typed_text
from handlers.kit.text_versions import VersionButton, steps
from handlers.kit.write_in import type_in, write_in
from handlers.meetings.meeting_invite import (
    CONFIRM,
    DONE,
    DRAFT,
    ESSENTIAL,
    ESSENTIAL_LIST,
    GO,
    MEETING,
    OPEN,
    PURPOSE,
    PURPOSE_MAX,
    TITLE,
    TITLE_MAX,
    VERSIONED,
    VISIBILITY,
    WHO,
    ask_essential,
    ask_visibility,
    ask_who,
    cancel,
    on_confirm,
    on_essential_done,
    on_visibility,
    on_who,
    show_summary,
)
from handlers.meetings.meeting_times import (
    CLOSE,
    CLOSES,
    SLOTS,
    ask_closes,
    ask_slots,
    on_closes_button,
    on_closes_typed,
    on_slots,
    on_slots_done,
)
from meetings.buttons import MeetingChoice
from meetings.draft import MeetingDraft

LEVEL, FORMAT, VENUE, FEATURES, LINK, DURATION = "level", "format", "venue", "features", "link", "duration"
FEAT, MINS = "feat", "mins"  # the steps' names in their buttons, as they have always been sent

FORMATS = {"in_person": N_("In person"), "online": N_("Online"), "hybrid": N_("Both: in person and online")}
DURATIONS = {
    "30": N_("30 minutes"),
    "45": N_("45 minutes"),
    "60": N_("1 hour"),
    "90": N_("1½ hours"),
    "120": N_("2 hours"),
    "180": N_("3 hours"),
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
    MEETING.begin(context, MeetingDraft(key=uuid4().hex))
    return await ask_title(update, context)


async def _where(update: Update, context: BotContext) -> Any:
    """Online meetings need a link; the others a venue."""
    return await (ask_link if MEETING.of(context).format == "online" else ask_venue)(update, context)


ask_format, on_format = choose_one(
    MeetingChoice, FORMAT, FORMAT, N_("How will people take part?"), FORMATS, MEETING.keeper("format"), _where
)
ask_level, on_level = ladder.level_step(MeetingChoice, LEVEL, MEETING.keeper("level"), ask_format)
ask_purpose, on_purpose = write_in(
    PURPOSE,
    lambda _context: _("What is it for? Say what people will talk about or decide."),
    PURPOSE_MAX,
    MEETING.keeper("purpose"),
    ask_level,
    one_line=False,
)
ask_title, on_title = write_in(
    TITLE,
    # one message that opens the flow, not an introduction and then the question
    lambda _context: (
        _("Let's set up a meeting and find a time that works. Send /cancel to stop.")
        + "\n\n"
        + _("What is the meeting called?")
    ),
    TITLE_MAX,
    MEETING.keeper("title"),
    ask_purpose,
)


FEATURES_LIST = Checklist(
    prefix=f"{MeetingChoice.prefix}:{FEAT}",
    store=MEETING.stored,
    field="features",
    question=lambda _context: _(
        "What does the venue have? Tap all that apply. This lets us warn you if someone's needs are not met."
    ),
    options=translated(VENUE_FEATURES),
    rows_after=lambda context: [[(_("Done ✔"), MeetingChoice(FEATURES, DONE).pack())]],
)


async def _after_features(update: Update, context: BotContext) -> Any:
    """A hybrid meeting needs its link too; then how long it is."""
    return (
        await ask_link(update, context)
        if MEETING.of(context).format == "hybrid"
        else await ask_duration(update, context)
    )


ask_features, on_features_done = FEATURES_LIST.step(FEATURES, _after_features)
ask_venue, on_venue = write_in(
    VENUE,
    lambda _context: _("Where is it? Type the venue name and address."),
    VENUE_MAX,
    MEETING.keeper("venue"),
    ask_features,
)


ask_duration, on_duration = choose_one(
    MeetingChoice,
    MINS,
    DURATION,
    N_("How long will it last? Shorter meetings with breaks suit more people."),
    DURATIONS,
    MEETING.keeper("minutes"),
    ask_slots,
    across=3,
)


async def _read_link(update: Update, context: BotContext) -> str | None:
    text = typed(update)
    if not text.startswith("https://") or len(text) > 300 or " " in text:
        await say(update, context, _("Please send a link that starts with https://"))
        return None
    return text


ask_link, on_link = type_in(
    LINK,
    lambda _context: _("What is the link to join online? It should start with https://"),
    _read_link,
    MEETING.keeper("link"),
    ask_duration,
)


def conversation() -> Flow:
    add_version, version_steps = steps(VERSIONED)
    return Flow(
        name="meeting",
        noun=N_("your new meeting"),
        states=restarting(
            {
                TITLE: step(ask_title, MessageHandler(typed_text(), on_title)),
                PURPOSE: step(ask_purpose, MessageHandler(typed_text(), on_purpose)),
                LEVEL: step(ask_level, CallbackQueryHandler(on_level, pattern=_at(LEVEL))),
                FORMAT: step(ask_format, CallbackQueryHandler(on_format, pattern=_at(FORMAT))),
                VENUE: step(ask_venue, MessageHandler(typed_text(), on_venue)),
                FEATURES: step(
                    ask_features,
                    CallbackQueryHandler(on_features_done, pattern=_at(FEATURES, DONE)),
                    FEATURES_LIST.tap_handler(),
                ),
                LINK: step(ask_link, MessageHandler(typed_text(), on_link)),
                DURATION: step(ask_duration, CallbackQueryHandler(on_duration, pattern=_at(MINS))),
                SLOTS: step(
                    ask_slots,
                    MessageHandler(typed_text(), on_slots),
                    CallbackQueryHandler(on_slots_done, pattern=_at(SLOTS, DONE)),
                ),
                CLOSES: step(
                    ask_closes,
                    CallbackQueryHandler(on_closes_button, pattern=_at(CLOSE)),
                    MessageHandler(typed_text(), on_closes_typed),
                ),
                WHO: step(ask_who, CallbackQueryHandler(on_who, pattern=_at(WHO))),
                ESSENTIAL: step(
                    ask_essential,
                    CallbackQueryHandler(on_essential_done, pattern=_at(ESSENTIAL, DONE)),
                    ESSENTIAL_LIST.tap_handler(),
                ),
                VISIBILITY: step(ask_visibility, CallbackQueryHandler(on_visibility, pattern=_at(OPEN))),
                CONFIRM: step(show_summary, CallbackQueryHandler(on_confirm, pattern=_at(GO)), add_version),
                **version_steps,
            },
            new_meeting,
        ),
        entry_points=[
            CommandHandler("meeting", new_meeting),
            CallbackQueryHandler(new_meeting, pattern=LeadActionButton.pattern_where(action="meeting")),
        ],
        cancel=cancel,
        prefixes=(MeetingChoice.prefix, VersionButton.prefix),
        drafts=(DRAFT,),
        start=new_meeting,
        command="meeting",
    )
