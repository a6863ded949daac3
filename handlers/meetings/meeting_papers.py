"""The papers for a meeting, from the organiser's meeting message (📎 Papers): a typed agenda, a PDF or
a photo, and optionally an Easy Read version. They go with the invitation and again with the reminder
two days before; the screen counts who needs Easy Read or large print and has no version to suit them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import N_, _, ngettext
from bot.keyboards import column
from bot.services import Services
from domain.papers import Paper, PaperKind, Version, papers_missing
from handlers.buttons.papers_pay_buttons import AttachButton, PapersButton
from handlers.kit.common import acknowledge, audit, escape, say
from handlers.kit.drafts import DraftSlot, restarting
from handlers.kit.flow import Flow, ending, step, stopped
from meetings.notices import MEETING_KIND, queue_reminders, reminder_prefix
from meetings.papers import reader
from storage.meetings import Meeting

DRAFT = "papers_draft"
WAIT = "wait"
AGENDA_MAX, CAPTION_MAX = 3500, 800  # room for the heading in a message (4096) and a caption (1024)
KIND_NAMES = {PaperKind.TEXT: N_("typed text"), PaperKind.DOCUMENT: N_("a PDF"), PaperKind.PHOTO: N_("a photo")}


@dataclass
class PapersDraft:
    """Which meeting's papers are being sent, and which version (the button said)."""

    meeting: int
    version: Version


PAPERS = DraftSlot(DRAFT, PapersDraft)


async def missing_count(services: Services, meeting: Meeting) -> int:
    """Invitees still likely to come who need Easy Read or large print and have no version to suit them."""
    invitees = [i for i in await services.meetings.invitees(meeting.id) if i.rsvp != "cant"]
    profiles = await services.access.for_participants([i.participant_id for i in invitees])
    return papers_missing(
        await services.papers.for_meeting(meeting.id), [reader(i, profiles.get(i.participant_id)) for i in invitees]
    )


async def show(update: Update, context: BotContext, meeting: Meeting) -> None:
    services = context.services
    papers = await services.papers.for_meeting(meeting.id)
    none = _("none yet")
    standard, easy = papers.get(Version.STANDARD), papers.get(Version.EASY)
    missing = await missing_count(services, meeting)
    lines = [
        _("📎 <b>Papers for “{title}”</b>").format(title=escape(meeting.title)),
        _("Papers: {kind}").format(kind=_(KIND_NAMES[standard.kind]) if standard else none),
        _("Easy Read version: {kind}").format(kind=_(KIND_NAMES[easy.kind]) if easy else none),
        _("They go with the invitation, and again with the reminder two days before."),
    ]
    if missing:
        lines.append(
            "⚠️ "
            + ngettext(
                "{count} person invited needs Easy Read or large print, and has no version that suits them.",
                "{count} people invited need Easy Read or large print, and have no version that suits them.",
                missing,
            ).format(count=missing)
        )
    await say(update, context, "\n".join(lines), _buttons(meeting.id))


def _buttons(meeting_id: int) -> Any:
    return column(
        [
            (_("📎 Add or change the papers"), AttachButton(meeting_id, Version.STANDARD.value).pack()),
            (_("📎 Add or change the Easy Read version"), AttachButton(meeting_id, Version.EASY.value).pack()),
        ]
    )


async def on_papers(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, PapersButton)
    meeting = await context.services.meetings.by_id(button.meeting)
    assert meeting is not None  # the gate found it
    await acknowledge(update)
    await show(update, context, meeting)


async def start_attach(update: Update, context: BotContext) -> Any:
    button = context.button
    assert isinstance(button, AttachButton)
    await acknowledge(update)
    if button.version not in {v.value for v in Version}:
        return ConversationHandler.END
    PAPERS.begin(context, PapersDraft(button.meeting, Version(button.version)))
    return await ask(update, context)


async def ask(update: Update, context: BotContext) -> Any:
    easy = PAPERS.of(context).version is Version.EASY
    await say(
        update,
        context,
        (
            _("Send the Easy Read version: type it as a message, or send a PDF or a photo.")
            if easy
            else _("Send the papers: type the agenda as a message, or send a PDF or a photo.")
        )
        + " "
        + _("Send /cancel to stop."),
    )
    return WAIT


def _paper(update: Update, version: Version) -> Paper | None:
    """The paper in this message, or None if it is not text, a PDF or a photo, or too long."""
    message = update.effective_message
    caption = (message.caption or "").strip()[:CAPTION_MAX] or None
    if message.photo:
        return Paper(version, PaperKind.PHOTO, caption, message.photo[-1].file_id)
    if message.document and message.document.mime_type == "application/pdf":
        return Paper(version, PaperKind.DOCUMENT, caption, message.document.file_id)
    text = (message.text or "").strip()
    if text and len(text) <= AGENDA_MAX:
        return Paper(version, PaperKind.TEXT, text, None)
    return None


async def on_paper(update: Update, context: BotContext) -> Any:
    services = context.services
    draft = PAPERS.of(context)
    paper = _paper(update, draft.version)
    if paper is None:
        await say(
            update,
            context,
            _("Please type the agenda (up to {count} letters), or send a PDF or a photo.").format(count=AGENDA_MAX),
        )
        return WAIT
    meeting = await services.meetings.by_id(draft.meeting)
    PAPERS.drop(context)
    assert meeting is not None and context.participant is not None
    await services.papers.attach(meeting.id, paper, context.participant.id, services.clock.now())
    await audit(context, update, "meeting.papers", "ok", subject=str(meeting.id), detail=paper.version.value)
    await _renew_reminders(services, meeting)
    await ending(update, context)
    await say(update, context, _("Saved."))
    await show(update, context, meeting)
    return ConversationHandler.END


async def _renew_reminders(services: Services, meeting: Meeting) -> None:
    """Reminders already queued carry the papers as they were: queue them again with the new ones."""
    if meeting.status != "confirmed" or meeting.confirmed_slot_id is None:
        return
    start = (await services.meetings.slots(meeting.id))[meeting.confirmed_slot_id]
    versions = await services.text_versions.of(MEETING_KIND, meeting.id)
    for invitee in await services.meetings.invitees(meeting.id):
        if invitee.rsvp not in ("going", "maybe"):
            continue
        prefix = reminder_prefix(meeting, invitee.participant_id)
        await services.outbox.cancel_keys(prefix)
        await services.outbox.forget_keys(prefix)
        await queue_reminders(services, meeting, invitee, start, versions)


def conversation() -> Flow:
    accepted = filters.PHOTO | filters.Document.ALL | (filters.TEXT & ~filters.COMMAND)
    return Flow(
        name="papers",
        noun=N_("the papers you were adding"),
        states=restarting({WAIT: step(ask, MessageHandler(accepted, on_paper))}, None),
        entry_points=[CallbackQueryHandler(start_attach, pattern=AttachButton.pattern())],
        cancel=stopped(N_("Stopped. Nothing was changed.")),
        prefixes=(),
        drafts=(DRAFT,),
    )


def handlers() -> list[object]:
    return [CallbackQueryHandler(on_papers, pattern=PapersButton.pattern())]
