"""Residents: /feedback in text, voice or a photo; the after-meeting check-in; and
/yousaidwedid, the digest of what was done ("has it made a difference?" is
handlers/loop/difference.py)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import column
from bot.rights import leads
from domain.feedback import ABOUT, QUOTE_CHOICES
from domain.roles import ORGANISERS
from feedback.buttons import CHOOSE_GROUP, CheckinButton, DigestToGroupButton, FeedbackChoice
from feedback.checkin import CHECKIN_ORDER, answer_checkin, checkin_question
from feedback.views import digest_text
from feedback.work import TEXT_MAX, published_themes, send_digest, submit_feedback
from handlers.kit.choose import choose_one, choose_way
from handlers.kit.common import Handler, acknowledge, ask, audit, escape, refuse, require_registered, say
from handlers.kit.drafts import restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed, typed_text
from handlers.kit.write_in import write_in
from handlers.loop.feedback_draft import FEEDBACK, FeedbackDraft
from success import work as success_work

ABOUT_STEP, PICK, SERVICE, SAY, ANON = "about", "pick", "service", "say", "anon"
QUOTE = "quote"  # the step ANON's buttons name, as they always have


@require_registered
async def start_feedback(update: Update, context: BotContext) -> Any:
    FEEDBACK.drop(context)  # the first answer begins the draft
    return await ask_about(update, context)


def _begin(context: BotContext, about: str) -> None:
    FEEDBACK.begin(context, FeedbackDraft(about=about))  # nothing is asked before, so the draft begins here


async def _about_chosen(update: Update, context: BotContext) -> Any:
    about = FEEDBACK.of(context).about
    if about == "service":
        return await ask_service(update, context)
    if about in ("project", "meeting"):
        return await ask_pick(update, context)
    return await ask_say(update, context)


# Also the re-prompt for the first steps: it keeps nothing typed so far to lose.
ask_about, on_about = choose_one(
    FeedbackChoice,
    ABOUT_STEP,
    ABOUT_STEP,
    N_("What is your feedback about? Every piece gets an answer."),
    ABOUT,
    _begin,
    _about_chosen,
)


async def _picks(context: BotContext) -> dict[str, str] | None:
    """Only a group they belong to or a meeting they were invited to; None when there is none."""
    assert context.participant is not None
    services = context.services
    if FEEDBACK.of(context).about == "project":
        found = [(p.id, p.name) for p in await services.projects.of_member(context.participant.id)]
    else:
        found = [(m.id, m.title) for m in await services.meetings.invited_to(context.participant.id)]
    return {str(ident): name[:40] for ident, name in found} or None


async def _keep_pick(context: BotContext, chosen: str) -> None:
    project = FEEDBACK.of(context).about == "project"
    meeting = None if project else await context.services.meetings.by_id(int(chosen))
    with FEEDBACK.editing(context) as draft:
        draft.meeting_id = None if project else int(chosen)
        draft.project_id = int(chosen) if project else meeting.project_id if meeting else None


async def _about_in_general(update: Update, context: BotContext) -> Any:
    """Nothing of that kind to choose from (they are in no group yet): feedback in general."""
    with FEEDBACK.editing(context) as draft:
        draft.about = "general"
    return await ask_say(update, context)


async def ask_say(update: Update, context: BotContext) -> Any:
    await ask(update, context, _("Tell us in your own words. Type it, send a voice note, or send a photo."))
    return SAY


def _keep_service(context: BotContext, words: str) -> None:
    with FEEDBACK.editing(context) as draft:
        draft.service = words


ask_service, on_service = write_in(
    SERVICE,
    lambda _context: _("Which service is it? For example: bins, the library, day centres."),
    100,
    _keep_service,
    ask_say,
)


ask_pick, on_pick = choose_one(
    FeedbackChoice,
    PICK,
    PICK,
    N_("Which one?"),
    _picks,
    _keep_pick,
    ask_say,
    gone=_about_in_general,
)


async def on_say(update: Update, context: BotContext) -> Any:
    message = update.effective_message
    draft = FEEDBACK.of(context)
    if message.voice:
        draft.voice = message.voice.file_id
    elif message.photo:
        draft.photo, draft.text = message.photo[-1].file_id, typed(update, one_line=False)[:TEXT_MAX] or None
    elif message.text and not message.text.startswith("/"):
        text = typed(update, one_line=False)
        if not text:
            return await ask_say(update, context)
        if len(text) > TEXT_MAX:
            await say(update, context, _("Please answer in up to {limit} characters.").format(limit=TEXT_MAX))
            return SAY
        draft.text = text
    else:
        return await ask_say(update, context)
    FEEDBACK.save(context, draft)
    return await ask_quote(update, context)


def _send_as(key: str) -> Handler:
    """Asked plainly, and kept to: only words people agreed to share reach "You said, we did"."""
    choice = QUOTE_CHOICES[key]

    async def send(update: Update, context: BotContext) -> Any:
        draft = FEEDBACK.pop(context)
        assert context.participant is not None
        item = await submit_feedback(
            context.services, context.participant.id, asdict(draft), named=choice.named, quoted=choice.quoted
        )
        await ending(update, context)
        await say(
            update,
            context,
            _(
                "Thank you. Your feedback {reference} is with the team. We will tell you here what happens with it."
            ).format(reference=item.reference),
        )
        return ConversationHandler.END

    return send


ask_quote, on_quote = choose_way(
    FeedbackChoice,
    QUOTE,
    ANON,
    N_(
        "When we share what people told us in “You said, we did”, may we quote your "
        "words? Council staff always see who it is from."
    ),
    {key: (choice.label, _send_as(key)) for key, choice in QUOTE_CHOICES.items()},
)


# --- the after-meeting check-in --------------------------------------------------------


async def on_checkin(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, CheckinButton)
    services = context.services
    if context.participant is None or not await answer_checkin(services, context.participant.id, button):
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
        return
    await acknowledge(update)
    if button.step + 1 < len(CHECKIN_ORDER):
        question, answers = checkin_question(button.meeting, button.step + 1)
        await update.callback_query.edit_message_text(question, reply_markup=answers)
    else:  # then progress on the group's success statements, if it has agreed any
        text, markup = await success_work.progress_screen(services, button.meeting, None) or (
            _("Thank you. This helps us run better meetings."),
            None,
        )
        await update.callback_query.edit_message_text(text, reply_markup=markup)


# --- the digest ------------------------------------------------------------------------


@require_registered
async def digest_command(update: Update, context: BotContext) -> None:
    services = context.services
    themes = await published_themes(services)
    if not themes:
        await say(update, context, _("Nothing published yet. When the team acts on feedback, you will see it here."))
        return
    text, _quoted = await digest_text(services, themes)
    send = column([(_("📣 Send this to a group"), DigestToGroupButton(CHOOSE_GROUP).pack())])
    await say(update, context, text, send if context.role in ORGANISERS else None)


async def on_digest_to_group(update: Update, context: BotContext) -> None:
    """Coordinators send the digest to the members of a group they lead."""
    button = context.button
    assert isinstance(button, DigestToGroupButton)
    services = context.services
    if context.participant is None:
        await refuse(update, context, "digest.send")
        return
    if button.group == CHOOSE_GROUP:
        await acknowledge(update)
        led = await services.projects.led_by(context.participant.id)
        if led:
            await say(
                update,
                context,
                _("Which group should get it?"),
                column((p.name[:40], DigestToGroupButton(p.id).pack()) for p in led),
            )
        else:
            await say(
                update,
                context,
                _(
                    "You don't lead a group yet, so there is no one to send it to. Start one "
                    "with /newproject, or share /yousaidwedid with people yourself."
                ),
            )
        return
    project = await services.projects.by_id(button.group)
    if not leads(context, project):
        await refuse(update, context, "digest.send")  # the refusal is this tap's one answer
        return
    assert project is not None
    await acknowledge(update)
    added = await send_digest(services, project, context.participant.id)
    await audit(context, update, "digest.send", "ok", subject=str(project.id), detail=str(added))
    await say(update, context, _("On its way to the members of “{name}”.").format(name=escape(project.name)))


def conversation() -> Flow:
    return Flow(
        name="feedback",
        noun=N_("your feedback"),
        states=restarting(
            {
                ABOUT_STEP: step(ask_about, CallbackQueryHandler(on_about, pattern=FeedbackChoice.at(ABOUT_STEP))),
                PICK: step(ask_about, CallbackQueryHandler(on_pick, pattern=FeedbackChoice.at(PICK))),
                SERVICE: step(ask_service, MessageHandler(typed_text(), on_service)),
                SAY: step(ask_say, MessageHandler(filters.VOICE | filters.PHOTO | typed_text(), on_say)),
                ANON: step(ask_quote, CallbackQueryHandler(on_quote, pattern=FeedbackChoice.at(QUOTE))),
            },
            start_feedback,
        ),
        entry_points=[CommandHandler("feedback", start_feedback)],
        cancel=stopped(N_("Stopped. Nothing was sent.")),
        prefixes=(FeedbackChoice.prefix,),
        drafts=(FEEDBACK.key,),
        start=start_feedback,
        command="feedback",
    )


def handlers() -> list[object]:
    return [
        CommandHandler("yousaidwedid", digest_command),
        CallbackQueryHandler(on_checkin, pattern=CheckinButton.pattern()),
        CallbackQueryHandler(on_digest_to_group, pattern=DigestToGroupButton.pattern()),
    ]
