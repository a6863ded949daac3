"""Residents: /feedback in text, voice or a photo; answers to "has it made a difference?";
the after-meeting check-in; and /yousaidwedid, the digest of what was done."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import (CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler,
                          filters)

from bot.context import BotContext
from bot.i18n import N_, _, language
from bot.keyboards import Button, callback_parts, column, keyboard
from bot.notify import notify
from bot.text import fit_lines
from bot.services import Services
from domain.delivery import next_send_time
from domain.feedback import ABOUT, AGREEMENT, ASK_AGAIN, DIFFERENCE, MOODS, QUOTE_CHOICES, STATEMENTS
from domain.roles import ORGANISERS
from handlers.digest_buttons import CHOOSE_GROUP, DigestToGroupButton
from handlers.common import acknowledge, audit, clear_buttons, escape, refuse, require_registered, say
from handlers.flow import Flow, ending, picked, read_text, step, typed, typed_text
from handlers.projects import leads
from bot.versions import for_reader
from storage.feedback import Feedback, Theme
from storage.outbox import Outgoing
from success import work as success_work

DRAFT = "feedback_draft"
FOLLOW_UP = "wedid.followup"  # the job that asks again, weeks after a "we did"
ABOUT_STEP, PICK, SERVICE, SAY, ANON, COMMENT = "about", "pick", "service", "say", "anon", "comment"
TEXT_MAX = 2000


def _draft(context: BotContext) -> dict[str, Any]:
    draft: dict[str, Any] = context.drafts.setdefault(DRAFT, {})
    return draft


@require_registered
async def start_feedback(update: Update, context: BotContext) -> Any:
    context.drafts[DRAFT] = {}
    return await ask_about(update, context)


async def ask_about(update: Update, context: BotContext) -> Any:
    """Also the re-prompt for the first steps: it keeps nothing typed so far to lose."""
    await say(update, context, _("What is your feedback about? Every piece gets an answer."),
              column((_(label), f"fe:about:{key}") for key, label in ABOUT.items()))
    return ABOUT_STEP


async def on_about(update: Update, context: BotContext) -> Any:
    choice = await picked(update, ABOUT)
    if choice is None:
        return ABOUT_STEP
    _draft(context)["about"] = choice
    services = context.services
    assert context.participant is not None
    if choice == "service":
        return await ask_service(update, context)
    if choice in ("project", "meeting"):
        if choice == "project":
            options = [(p.name, p.id) for p in await services.projects.of_member(context.participant.id)]
        else:
            options = [(m.title, m.id) for m in await services.meetings.invited_to(context.participant.id)]
        if options:
            await say(update, context, _("Which one?"), column((name[:40], f"fe:pick:{ident}")
                                                               for name, ident in options))
            return PICK
        _draft(context)["about"] = "general"
    return await ask_say(update, context)


async def ask_service(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Which service is it? For example: bins, the library, day centres."))
    return SERVICE


async def on_pick(update: Update, context: BotContext) -> Any:
    """Only a group they belong to or a meeting they were invited to."""
    assert context.participant is not None
    services = context.services
    draft = _draft(context)
    if draft.get("about") == "project":
        allowed = {str(p.id) for p in await services.projects.of_member(context.participant.id)}
    else:
        allowed = {str(m.id) for m in await services.meetings.invited_to(context.participant.id)}
    choice = await picked(update, allowed)
    if choice is None:
        return PICK
    draft["project_id" if draft.get("about") == "project" else "meeting_id"] = int(choice)
    if draft.get("meeting_id"):
        meeting = await services.meetings.by_id(int(choice))
        draft["project_id"] = meeting.project_id if meeting else None
    return await ask_say(update, context)


async def on_service(update: Update, context: BotContext) -> Any:
    text = await read_text(update, context, 100)
    if text is None:
        return SERVICE
    _draft(context)["service"] = text
    return await ask_say(update, context)


async def ask_say(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Tell us in your own words. Type it, send a voice note, or send a photo."))
    return SAY


async def on_say(update: Update, context: BotContext) -> Any:
    message = update.effective_message
    draft = _draft(context)
    if message.voice:
        draft["voice"] = message.voice.file_id
    elif message.photo:
        draft["photo"] = message.photo[-1].file_id
        draft["text"] = typed(update, one_line=False)[:TEXT_MAX] or None
    elif message.text and not message.text.startswith("/"):
        text = typed(update, one_line=False)
        if not text:
            return await ask_say(update, context)
        if len(text) > TEXT_MAX:
            await say(update, context, _("Please answer in up to {limit} characters.").format(limit=TEXT_MAX))
            return SAY
        draft["text"] = text
    else:
        return await ask_say(update, context)
    return await ask_quote(update, context)


async def ask_quote(update: Update, context: BotContext) -> Any:
    """Asked plainly, and kept to: only words people agreed to share reach "You said, we did"."""
    await say(update, context, _("When we share what people told us in “You said, we did”, may we quote your "
                                 "words? Council staff always see who it is from."),
              column((_(choice.label), f"fe:quote:{key}") for key, choice in QUOTE_CHOICES.items()))
    return ANON


async def on_quote(update: Update, context: BotContext) -> Any:
    key = await picked(update, QUOTE_CHOICES)
    if key is None:
        return ANON
    choice = QUOTE_CHOICES[key]
    draft = context.drafts.pop(DRAFT, {})
    assert context.participant is not None
    item = await submit_feedback(context.services, context.participant.id, draft, named=choice.named,
                                 quoted=choice.quoted)
    await ending(update, context)
    await say(update, context, _("Thank you. Your feedback {reference} is with the team. We will tell you here what "
                                 "happens with it.").format(reference=item.reference))
    return ConversationHandler.END


async def submit_feedback(services: Services, participant_id: int, draft: dict[str, Any], *, named: bool,
                          quoted: bool) -> Feedback:
    """Store a piece of feedback and book the officers' nudge; a resident's own or one staff
    took down for someone without Telegram."""
    now = services.clock.now()
    item = await services.feedback.submit(
        participant_id=participant_id, about=draft.get("about", "general"), project_id=draft.get("project_id"),
        meeting_id=draft.get("meeting_id"), service=draft.get("service"), text=draft.get("text"),
        voice=draft.get("voice"), photo=draft.get("photo"), anonymous=not named, may_quote=quoted, now=now)
    await services.jobs.schedule("feedback.nudge", str(item.id),
                                 now + timedelta(days=services.settings.feedback_nudge_days))
    return item


async def cancel(update: Update, context: BotContext) -> Any:
    context.drafts.pop(DRAFT, None)
    context.drafts.pop("difference", None)
    await say(update, context, _("Stopped. Nothing was sent."))
    return ConversationHandler.END


# --- "has it made a difference?" -------------------------------------------------------

def difference_markup(theme_id: int, round_: int) -> Any:
    return keyboard([[(_(label), f"yd:{theme_id}:{round_}:{key}") for key, label in DIFFERENCE.items()]])


async def on_difference(update: Update, context: BotContext) -> Any:
    parts = callback_parts(update.callback_query.data, 4)
    services = context.services
    theme = await services.feedback.theme(int(parts[1])) if parts and parts[1].isdigit() else None
    if (theme is None or parts is None or parts[2] not in ("1", "2") or parts[3] not in DIFFERENCE
            or context.participant is None
            or context.participant.id not in await services.feedback.contributors(theme.id)):
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
        return ConversationHandler.END
    await services.feedback.record_difference(theme.id, context.participant.id, int(parts[2]), parts[3],
                                              services.clock.now())
    await acknowledge(update, _("Thank you for telling us."))
    await clear_buttons(update)
    context.drafts["difference"] = [theme.id, int(parts[2])]
    return await ask_comment(update, context)


async def on_comment(update: Update, context: BotContext) -> Any:
    target = context.drafts.pop("difference", None)
    await ending(update, context)
    if update.callback_query:
        await acknowledge(update)
        await clear_buttons(update)
    elif target and context.participant is not None:
        comment = typed(update, one_line=False)[:500]
        await context.services.feedback.add_comment(target[0], context.participant.id, target[1], comment)
        await say(update, context, _("Thank you. The team will read it."))
    return ConversationHandler.END


async def ask_comment(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Anything you would like to add? Type it, or tap Skip."),
              column([(_("Skip »"), "yd:skip")]))
    return COMMENT


WE_DID_KIND = "we_did"  # the item kind its versions in other languages are saved under


def we_did_text(fields: Mapping[str, Any], round_: int) -> str:
    """A contributor's copy of a theme's answer, from its title, outcome and what was done."""
    head = _("You said: {said}").format(said=escape(fields["title"]))
    if fields["outcome"] == "cant":
        body = _("We can't do this, and here is why: {why}").format(why=escape(fields["we_did"]))
    else:
        body = _("We did: {did}").format(did=escape(fields["we_did"]))
    ask = (_("Has this made a difference for you?") if round_ == 1 else
           _("A few weeks on: has this made a difference for you now?"))
    return f"📣 {head}\n{body}\n\n{ask}"


async def we_did_messages(services: Services, theme: Theme, round_: int) -> list[Outgoing]:
    """Each contributor's copy (round 1), or for those not yet helped (round 2), in their language."""
    now = services.clock.now()
    tz = services.settings.timezone
    people = await services.feedback.contributors(theme.id)
    if round_ == 2:
        first = await services.feedback.answers(theme.id, 1)
        people = [p for p in people if p not in first or first[p] in ASK_AGAIN]
    versions = await services.text_versions.of(WE_DID_KIND, theme.id)
    original = {"title": theme.title, "outcome": theme.outcome, "we_did": theme.we_did}
    messages = []
    for participant_id in people:
        person = await services.participants.by_id(participant_id)
        if person is None or person.chat is None:
            continue
        with language(person.language):
            text = for_reader(versions, original, person.language, lambda fields: we_did_text(fields, round_))
            markup = json.dumps(difference_markup(theme.id, round_).to_dict())
        messages.append(Outgoing(chat_id=person.chat, participant_id=participant_id,
                                 text=text, markup=markup,
                                 dedupe_key=f"wedid:{theme.id}:{round_}:{participant_id}",
                                 not_before=next_send_time(now, tz, person.quiet_hours)))
    return messages


async def publish_we_did(services: Services, theme: Theme, outcome: str, text: str) -> int | None:
    """Publish a theme's answer, queue it to everyone who said it and schedule the follow-up, all in
    one transaction: a crash can leave it unpublished, never published but untold.
    Returns how many people it is on its way to, or None if it was already published."""
    now = services.clock.now()
    messages = await we_did_messages(services, replace(theme, outcome=outcome, we_did=text), 1)
    async with services.db.transaction() as conn:
        if not await services.feedback.publish(conn, theme.id, outcome, text, now):
            return None
        _batch, sent = await services.outbox.add_batch(conn, "we_did", str(theme.id), None, now, messages)
        await services.jobs.schedule_in(conn, FOLLOW_UP, str(theme.id),
                                        now + timedelta(weeks=services.settings.follow_up_weeks))
    _wake(services)
    return sent


async def send_we_did(services: Services, theme: Theme, round_: int) -> int:
    """Queue a later round of a published theme's answer."""
    messages = await we_did_messages(services, theme, round_)
    _batch, added = await services.outbox.create_batch("we_did", str(theme.id), None, services.clock.now(), messages)
    _wake(services)
    return added


def _wake(services: Services) -> None:
    if services.sender is not None:
        services.sender.wake()


# --- the after-meeting check-in --------------------------------------------------------

CHECKIN_ORDER = ("mood_start", "mood_end", *STATEMENTS)


def checkin_question(meeting_id: int, step_index: int) -> tuple[str, Any]:
    field = CHECKIN_ORDER[step_index]
    if field == "mood_start":
        text = _("Thank you for coming. A few quick questions, if you like. How did you feel at the start?")
    elif field == "mood_end":
        text = _("And at the end?")
    else:
        text = _("Do you agree: “{statement}”").format(statement=_(STATEMENTS[field]))
    if field.startswith("mood"):
        rows: list[list[Button]] = [[(face, f"ci:{meeting_id}:{step_index}:{n}") for n, face in enumerate(MOODS, 1)]]
    else:
        rows = [[(_(label), f"ci:{meeting_id}:{step_index}:{n}")] for n, label in AGREEMENT.items()]
    return text, keyboard(rows)


async def invite_checkin(services: Services, meeting_id: int, participant_id: int) -> None:
    await notify(services, participant_id, f"checkin:{meeting_id}:{participant_id}",
                 lambda: checkin_question(meeting_id, 0)[0], lambda: checkin_question(meeting_id, 0)[1],
                 wait_for_quiet=True)


async def on_checkin(update: Update, context: BotContext) -> None:
    parts = callback_parts(update.callback_query.data, 4)
    services = context.services
    ok = parts is not None and all(p.isdigit() for p in parts[1:]) and int(parts[2]) < len(CHECKIN_ORDER)
    invitee = None
    if ok and parts and context.participant is not None:
        invitee = await services.meetings.invitee(int(parts[1]), context.participant.id)
    if not ok or parts is None or invitee is None or not invitee.attended or not 1 <= int(parts[3]) <= 5:
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
        return
    meeting_id, index, value = int(parts[1]), int(parts[2]), int(parts[3])
    await services.feedback.save_checkin(meeting_id, invitee.participant_id, CHECKIN_ORDER[index], value,
                                         services.clock.now())
    await acknowledge(update)
    if index + 1 < len(CHECKIN_ORDER):
        text, markup = checkin_question(meeting_id, index + 1)
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    else:  # then progress on the group's success statements, if it has agreed any
        text, markup = (await success_work.progress_screen(services, meeting_id, None)
                        or (_("Thank you. This helps us run better meetings."), None))
        await update.callback_query.edit_message_text(text, reply_markup=markup)


# --- the digest ------------------------------------------------------------------------

@require_registered
async def digest_command(update: Update, context: BotContext) -> None:
    services = context.services
    themes = await services.feedback.themes(published=True, limit=5)
    if not themes:
        await say(update, context, _("Nothing published yet. When the team acts on feedback, you will see it here."))
        return
    text, _quoted = await digest_text(services, themes)
    send = column([(_("📣 Send this to a group"), DigestToGroupButton(CHOOSE_GROUP).pack())])
    await say(update, context, text, send if context.role in ORGANISERS else None)


async def digest_text(services: Services, themes: list[Theme]) -> tuple[str, set[int]]:
    """The digest, and whose words it quotes (so erasing one of them empties queued copies)."""
    blocks = [_("<b>You said, we did</b>")]
    quoted: set[int] = set()
    for theme in themes:
        lines = [_("🗣 You said: {said}").format(said=escape(theme.title))]
        for participant_id, name, text in await services.feedback.quotes(theme.id, limit=2):
            quoted.add(participant_id)
            who = escape(name) if name else _("someone who asked not to be named")
            lines.append(f"   “{escape(text[:200])}” – {who}")
        if theme.outcome == "cant":
            lines.append(_("🚫 We can't, because: {why}").format(why=escape(theme.we_did)))
        else:
            lines.append(_("✅ We did: {did}").format(did=escape(theme.we_did)))
        blocks.append("\n".join(lines))
    return fit_lines(blocks, separator="\n\n"), quoted


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
            await say(update, context, _("Which group should get it?"),
                      column((p.name[:40], DigestToGroupButton(p.id).pack()) for p in led))
        else:
            await say(update, context, _("You don't lead a group yet, so there is no one to send it to. Start one "
                                         "with /newproject, or share /yousaidwedid with people yourself."))
        return
    project = await services.projects.by_id(button.group)
    if not leads(context, project):
        await refuse(update, context, "digest.send")  # the refusal is this tap's one answer
        return
    assert project is not None
    await acknowledge(update)
    themes = await services.feedback.themes(published=True, limit=5)
    now = services.clock.now()
    messages = []
    for member_id in await services.projects.member_ids(project.id):
        person = await services.participants.by_id(member_id)
        if person is None or person.chat is None:
            continue
        with language(person.language):
            text, quoted = await digest_text(services, themes)
        messages.append(Outgoing(chat_id=person.chat, participant_id=member_id, text=text,
                                 quotes=tuple(quoted), dedupe_key=f"digest:{project.id}:{now.date()}:{member_id}",
                                 not_before=next_send_time(now, services.settings.timezone, person.quiet_hours)))
    _batch, added = await services.outbox.create_batch("digest", str(project.id), context.participant.id, now,
                                                       messages)
    await audit(context, update, "digest.send", "ok", subject=str(project.id), detail=str(added))
    if services.sender is not None:
        services.sender.wake()
    await say(update, context, _("On its way to the members of “{name}”.").format(name=escape(project.name)))


def conversation() -> Flow:
    return Flow(
        name="feedback",
        noun=N_("your feedback"),
        states={
            ABOUT_STEP: step(ask_about, CallbackQueryHandler(on_about, pattern="^fe:about:")),
            PICK: step(ask_about, CallbackQueryHandler(on_pick, pattern="^fe:pick:")),
            SERVICE: step(ask_service, MessageHandler(typed_text(), on_service)),
            SAY: step(ask_say, MessageHandler(filters.VOICE | filters.PHOTO | typed_text(), on_say)),
            ANON: step(ask_quote, CallbackQueryHandler(on_quote, pattern="^fe:quote:")),
        },
        entry_points=[CommandHandler("feedback", start_feedback)],
        cancel=cancel,
        prefixes=("fe",),
        drafts=(DRAFT,),
        start=start_feedback,
        command="feedback",
    )


def difference_conversation() -> Flow:
    answer = CallbackQueryHandler(on_difference, pattern=r"^yd:\d+:\d:[a-z_]+$")
    return Flow(
        name="difference",
        noun=N_("your comment"),
        states={COMMENT: step(ask_comment, answer, CallbackQueryHandler(on_comment, pattern="^yd:skip$"),
                              MessageHandler(typed_text(), on_comment))},
        entry_points=[answer],
        cancel=cancel,
        prefixes=("yd",),
        drafts=("difference",),
    )


def handlers() -> list[object]:
    return [
        CommandHandler("yousaidwedid", digest_command),
        CallbackQueryHandler(on_checkin, pattern=r"^ci:\d+:\d+:\d+$"),
        CallbackQueryHandler(on_digest_to_group, pattern=DigestToGroupButton.pattern()),
    ]
