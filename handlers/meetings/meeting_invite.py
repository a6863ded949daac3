"""The second half of /meeting: who is invited, who is essential, who sees the answers, then the
summary and Send. The first half and the flow's declaration are in `meetings`."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.i18n import N_, _, format_datetime, ngettext
from domain.participation import LEVEL_NAMES, Level
from handlers.kit.checklist import Checklist
from handlers.kit.choose import choose_one, choose_way
from handlers.kit.common import audit, escape, say
from handlers.kit.drafts import DraftSlot
from handlers.kit.flow import ending
from handlers.kit.plain_words import plain_words_note
from handlers.kit.text_versions import Versioned, add_button, own_language, versions_line
from meetings.buttons import MeetingChoice
from meetings.create import create_meeting, invitable, invitees_from
from meetings.draft import MeetingDraft
from meetings.notices import MEETING_KIND
from questions.buttons import ask_about_meeting
from storage.times import from_db

DRAFT = "meeting_draft"
TITLE, PURPOSE, WHO, ESSENTIAL, VISIBILITY, CONFIRM = "title", "purpose", "who", "essential", "visibility", "confirm"
OPEN, GO, NEED = "open", "go", "need"  # the steps' names in their buttons, as they have always been sent
DONE = "done"
TITLE_MAX, PURPOSE_MAX = 100, 400
ESSENTIAL_SHOWN = 20  # people listed for marking as essential; a poll for a big group rarely needs more


MEETING = DraftSlot(DRAFT, MeetingDraft)


def slot_list(context: BotContext, draft: MeetingDraft) -> str:
    tz = context.services.settings.timezone
    starts = [from_db(text) for text in draft.slots]
    return "\n".join(f"{number}. {format_datetime(start, tz)}" for number, start in enumerate(sorted(starts), 1))


async def _sources(context: BotContext) -> dict[str, str] | None:
    """The groups they lead and the opportunities they sent; None when there are none."""
    assert context.participant is not None
    sources = await invitable(context.services, context.participant.id, context.role)
    options = {
        f"p{project.id}": _("👥 Members of “{name}”").format(name=project.name[:30]) for project in sources.groups
    }
    for opportunity in sources.opportunities:
        options[f"o{opportunity.id}"] = _("🙋 Interested in “{name}”").format(name=opportunity.title[:30])
    return options or None


async def _nobody_to_ask(update: Update, context: BotContext) -> Any:
    await say(
        update,
        context,
        _(
            "You have no groups or opportunities to invite people from yet. Create a group "
            "with /newproject or send an opportunity with /opportunity first."
        ),
    )
    MEETING.drop(context)
    return ConversationHandler.END


async def _keep_invitees(context: BotContext, chosen: str) -> None:
    """Invitees come from a group the organiser leads or an opportunity they sent."""
    assert context.participant is not None
    source = int(chosen[1:])
    found = await invitees_from(
        context.services,
        context.participant.id,
        context.role,
        group=source if chosen.startswith("p") else None,
        opportunity=source if chosen.startswith("o") else None,
    )
    with MEETING.editing(context) as draft:
        draft.invitees, draft.project_id = (found.people, found.project_id) if found else ([], None)


async def _invited(update: Update, context: BotContext) -> Any:
    count = len(MEETING.of(context).invitees)
    if not count:
        await say(update, context, _("No one is there to invite yet. Choose another group, or /cancel."))
        return await ask_who(update, context)
    return await ask_essential(update, context)


ask_who, on_who = choose_one(
    MeetingChoice, WHO, WHO, N_("Who should be invited?"), _sources, _keep_invitees, _invited, gone=_nobody_to_ask
)


async def _invitee_names(context: BotContext) -> list[tuple[str, str]]:
    shown = MEETING.of(context).invitees[:ESSENTIAL_SHOWN]
    names = await context.services.participants.names(shown)
    return [(str(participant_id), (names.get(participant_id) or "—")[:40]) for participant_id in shown]


def _essential_question(context: BotContext) -> str:
    """How many are invited, and the question, together: one edit of the "who" question."""
    count = len(MEETING.of(context).invitees)
    return (
        ngettext("{count} person will be invited.", "{count} people will be invited.", count).format(count=count)
        + "\n\n"
        + _("Is anyone essential, so the meeting can't go ahead without them? Tap to mark, then Done.")
    )


# People the meeting can't go ahead without: a time they can't make ranks last.
ESSENTIAL_LIST = Checklist(
    prefix=f"{MeetingChoice.prefix}:{NEED}",
    store=MEETING.stored,
    field="required",
    ticked="⭐ ",
    question=_essential_question,
    options=_invitee_names,
    rows_after=lambda context: [[(_("Done ✔"), MeetingChoice(ESSENTIAL, DONE).pack())]],
)


def _keep_visibility(context: BotContext, chosen: str) -> None:
    with MEETING.editing(context) as draft:
        draft.open_poll = chosen == "1"


def _summary(context: BotContext) -> str:
    draft = MEETING.of(context)
    tz = context.services.settings.timezone
    lines = [
        f"<b>{escape(draft.title)}</b>",
        escape(draft.purpose),
        _("Level: {level}").format(level=_(LEVEL_NAMES[Level(draft.level)])),
        _("Poll closes: {date}").format(date=format_datetime(from_db(draft.closes_at), tz)),
        "",
        slot_list(context, draft),
        "",
        ngettext("{count} person will be invited.", "{count} people will be invited.", len(draft.invitees)).format(
            count=len(draft.invitees)
        ),
    ]
    for note in (plain_words_note([draft.title, draft.purpose, draft.venue]), versions_line(VERSIONED, context)):
        lines += ["", note] if note else []
    return "\n".join(lines)


async def _send_poll(update: Update, context: BotContext) -> Any:
    draft = MEETING.pop(context)
    assert context.participant is not None
    meeting_id, created, sent = await create_meeting(
        context.services, draft, context.participant.id, own_language(context), ask_about_meeting
    )
    if created:
        await audit(context, update, "meeting.create", "ok", subject=str(meeting_id))
    await ending(update, context)
    if not created and sent == 0:
        await say(update, context, _("This poll has already been sent. See answers with /meetings."))
        return ConversationHandler.END
    await say(
        update,
        context,
        ngettext(
            "The poll is on its way to {count} person. See answers with /meetings.",
            "The poll is on its way to {count} people. See answers with /meetings.",
            sent,
        ).format(count=sent),
    )
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> Any:
    MEETING.drop(context)
    await say(update, context, _("Stopped. No meeting was created."))
    return ConversationHandler.END


show_summary, on_confirm = choose_way(
    MeetingChoice,
    GO,
    CONFIRM,
    _summary,
    {"send": (N_("📨 Send the poll"), _send_poll), "cancel": (N_("Cancel"), cancel)},
    rows_after=lambda _context: [[add_button(VERSIONED)]],
)


# The organiser's own words, which a version in another language replaces (the venue is a place's name).
VERSIONED: Versioned = Versioned(
    MEETING_KIND, DRAFT, (("title", N_("Title"), TITLE_MAX), ("purpose", N_("About"), PURPOSE_MAX)), show_summary
)


ask_visibility, on_visibility = choose_one(
    MeetingChoice,
    OPEN,
    VISIBILITY,
    N_("Who can see the answers? You always can."),
    {"0": N_("🔒 Only me"), "1": N_("👀 Everyone invited")},
    _keep_visibility,
    show_summary,
)


ask_essential, on_essential_done = ESSENTIAL_LIST.step(ESSENTIAL, ask_visibility)
