"""Joining and the profile: language, consent, name, who they take part for, topics,
area and quiet hours. One persistent conversation serves both first-time onboarding and
later edits from /profile and /language, so each question is written once."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, available_languages, language_name, set_language
from bot.keyboards import Button, callback_parts, column, keyboard
from bot.menu import sync_chat_commands
from domain.profile import (ACTING_FOR_LABELS, AREA_MAX, DEFAULT_QUIET, NAME_MAX, QUIET_CHOICES, ActingFor,
                            clean_text)
from handlers import help as help_view
from handlers import links, profile_view
from handlers.common import acknowledge, ask, clear_buttons, escape, say
from handlers.checklist import Checklist
from handlers.flow import Flow, ending, step, typed_text
from handlers.glossary import explain_button

NOTICE_VERSION = "2026-11"

LANGUAGE, CONSENT, NAME, ACTING_FOR, OTHER_CONSENT, TOPICS, AREA, QUIET = (
    "language", "consent", "name", "acting_for", "other_consent", "topics", "area", "quiet")
END = ConversationHandler.END

# Drafts keys (persisted per user, JSON only).
MODE, PENDING_LINK, TOPIC_PICKS = "ob_mode", "ob_pending_link", "ob_topics"
ONBOARDING, EDITING = "onboarding", "editing"


def _editing(context: BotContext) -> bool:
    return context.drafts.get(MODE) == EDITING


def _nav(back: bool = True, skip: bool = False) -> list[Button]:
    row: list[Button] = []
    if back:
        row.append((_("« Back"), "ob:back"))
    if skip:
        row.append((_("Skip »"), "ob:skip"))
    return row


# --- entry points ---------------------------------------------------------------------

async def start(update: Update, context: BotContext) -> Any:
    """/start, with or without a deep-link payload. Never resets someone already registered."""
    payload = context.args[0] if context.args else None
    participant = context.participant
    if participant is not None and participant.registered:
        if payload:
            await links.follow(update, context, payload)
        else:
            await help_view.show_menu(update, context)
        return END
    context.drafts[MODE] = ONBOARDING
    if payload and not await links.follow_before_joining(update, context, payload):
        context.drafts[PENDING_LINK] = payload
    if participant is None:
        return await ask_language(update, context)
    return await _resume(update, context)


async def _resume(update: Update, context: BotContext) -> Any:
    """Someone who consented but did not finish: carry on from the first unanswered question."""
    participant = context.participant
    assert participant is not None
    if not participant.display_name:
        return await ask_name(update, context)
    if not participant.acting_for:
        return await ask_acting_for(update, context)
    return await ask_topics(update, context)


async def edit_from_profile(update: Update, context: BotContext) -> Any:
    """Buttons under /profile: change one answer, then see the profile again."""
    await acknowledge(update)
    if context.participant is None or not context.participant.registered:
        await say(update, context, _("Please join first: send /start. It takes about two minutes."))
        return END
    parts = callback_parts(update.callback_query.data if update.callback_query else None, 3)
    asks = {NAME: ask_name, ACTING_FOR: ask_acting_for, TOPICS: ask_topics, AREA: ask_area, QUIET: ask_quiet,
            LANGUAGE: ask_language}
    if parts is None or parts[2] not in asks:
        return END
    context.drafts[MODE] = EDITING
    return await asks[parts[2]](update, context)


async def change_language(update: Update, context: BotContext) -> Any:
    """/language at any time; the choice wins over Telegram's own language setting."""
    context.drafts[MODE] = EDITING if context.participant and context.participant.registered else ONBOARDING
    return await ask_language(update, context)


async def _next(update: Update, context: BotContext, following: Any) -> Any:
    """After an answer: the next question when joining, or back to the profile when editing."""
    if _editing(context):
        context.drafts.pop(MODE, None)
        await ending(update, context)
        await profile_view.show_profile(update, context)
        return END
    return await following(update, context)


# --- language -------------------------------------------------------------------------

async def ask_language(update: Update, context: BotContext) -> Any:
    buttons = [(language_name(code), f"ob:lang:{code}") for code in available_languages()]
    text = _("Hello! I'm the council's helper for co-production. I help you plan local services with us.")
    await ask(update, context, text + "\n\n" + _("Which language would you like?"), column(buttons))
    return LANGUAGE


async def on_language(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    parts = callback_parts(update.callback_query.data if update.callback_query else None, 3)
    if parts is None or parts[2] not in available_languages():
        return await ask_language(update, context)
    code = parts[2]
    set_language(code)
    context.language = code
    participant = context.participant
    if participant is None:
        context.drafts["language"] = code
        return await ask_consent(update, context)
    await context.services.participants.update(participant.id, language=code)
    await sync_chat_commands(context.bot, update.effective_chat.id, context.role, code)
    if not participant.registered:
        return await _resume(update, context)
    await say(update, context, _("Done. I will speak {language} from now on.").format(language=language_name(code)))
    return await _next(update, context, ask_consent)


# --- consent ----------------------------------------------------------------------------

def privacy_summary() -> str:
    return "\n".join([
        _("<b>Your privacy</b> (notice version {version})").format(version=NOTICE_VERSION),
        "",
        _("We keep what you tell us: your name, the topics you care about, your area and when we may message you."),
        _("We use it only to invite you to take part and to plan meetings that work for you."),
        _("Only council staff who run your activities can see it. We never ask for bank details here."),
        _("You can see all of it with /mydata and delete it with /delete at any time."),
    ])


async def ask_consent(update: Update, context: BotContext) -> Any:
    text = privacy_summary() + "\n\n" + _("Do you agree to us keeping this information?")
    markup = keyboard([[(_("Yes, I agree"), "ob:consent:yes")], [(_("No, thank you"), "ob:consent:no")],
                       [explain_button("coprod")], _nav()])
    await ask(update, context, text, markup)
    return CONSENT


async def on_consent(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    parts = callback_parts(update.callback_query.data if update.callback_query else None, 3)
    if parts is None:
        return await ask_consent(update, context)
    user = update.effective_user
    if parts[2] == "no":
        context.drafts.clear()
        await ending(update, context)
        await clear_buttons(update)
        await say(update, context, _("That's fine. We have not kept anything about you.") + "\n"
                  + _("If you change your mind, just send /start."))
        return END
    services = context.services
    context.participant = await services.participants.create_with_consent(
        user.id, context.language, NOTICE_VERSION, services.clock.now())
    context.drafts.pop("language", None)
    pending = context.drafts.get(PENDING_LINK)
    if pending and await links.follow_before_joining(update, context, pending):
        context.drafts.pop(PENDING_LINK, None)
    return await ask_name(update, context)


# --- name -------------------------------------------------------------------------------

async def ask_name(update: Update, context: BotContext) -> Any:
    user = update.effective_user
    rows: list[list[Button]] = []
    telegram_name = clean_text(user.first_name, NAME_MAX) if user else None
    if telegram_name:
        rows.append([(_("Call me {name}").format(name=telegram_name), "ob:name:telegram")])
    rows.append(_nav(back=_editing(context)))
    await ask(update, context, _("What should we call you? Type a first name or a nickname."), keyboard(rows))
    return NAME


async def _save_name(update: Update, context: BotContext, name: str) -> Any:
    assert context.participant is not None
    await context.services.participants.update(context.participant.id, display_name=name)
    context.participant = await context.services.participants.by_id(context.participant.id)
    return await _next(update, context, ask_acting_for)


async def on_name_typed(update: Update, context: BotContext) -> Any:
    text = update.effective_message.text if update.effective_message else ""
    name = clean_text(text or "", NAME_MAX)
    if name is None:
        await say(update, context, _("Please type a name of up to {limit} letters.").format(limit=NAME_MAX))
        return NAME
    return await _save_name(update, context, name)


async def on_name_button(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    name = clean_text(update.effective_user.first_name if update.effective_user else "", NAME_MAX)
    if name is None:
        return await ask_name(update, context)
    return await _save_name(update, context, name)


# --- who they take part for -------------------------------------------------------------

async def ask_acting_for(update: Update, context: BotContext) -> Any:
    buttons = [[(_(label), f"ob:acting:{choice.value}")] for choice, label in ACTING_FOR_LABELS.items()]
    await ask(update, context, _("Are you taking part for yourself, or for someone else?"),
              keyboard([*buttons, [explain_button("carer", "pa")], _nav()]))
    return ACTING_FOR


async def on_acting_for(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    parts = callback_parts(update.callback_query.data if update.callback_query else None, 3)
    try:
        choice = ActingFor(parts[2]) if parts else None
    except ValueError:
        choice = None
    if choice is None:
        return await ask_acting_for(update, context)
    assert context.participant is not None
    await context.services.participants.update(context.participant.id, acting_for=choice.value, other_consent_at=None)
    if choice is ActingFor.SELF:
        return await _next(update, context, ask_topics)
    return await ask_other_consent(update, context)


async def ask_other_consent(update: Update, context: BotContext) -> Any:
    text = _("Does the person you are taking part for agree to you sharing their views and needs with us?")
    markup = keyboard([[(_("Yes, they agree"), "ob:other:yes")], [(_("Not yet"), "ob:other:no")], _nav()])
    await ask(update, context, text, markup)
    return OTHER_CONSENT


async def on_other_consent(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    parts = callback_parts(update.callback_query.data if update.callback_query else None, 3)
    assert context.participant is not None
    participants = context.services.participants
    if parts is not None and parts[2] == "yes":
        await participants.update(context.participant.id, other_consent_at=context.services.clock.now())
        await say(update, context, _("Thank you. We will mark your answers as given on their behalf."))
    else:
        await participants.update(context.participant.id, acting_for=ActingFor.SELF.value)
        await say(update, context, _("That's fine. For now you take part for yourself. "
                                     "When they agree, change this in /profile."))
    return await _next(update, context, ask_topics)


# --- topics -----------------------------------------------------------------------------

async def _topic_options(context: BotContext) -> list[tuple[str, str]]:
    return [(slug, _(name)) for slug, name in await context.services.participants.all_topics()]


TOPICS_LIST = Checklist(
    prefix="ob:topic", store=lambda context: context.drafts, field=TOPIC_PICKS,
    question=lambda: _("Which topics do you care about? Tap all that apply, then tap Done."),
    options=_topic_options,
    rows_after=lambda context: [[(_("Done ✔"), "ob:topics:done")], [explain_button("send", "carer")], _nav()])


async def ask_topics(update: Update, context: BotContext) -> Any:
    """Starts from their saved topics; after that the ticks in the draft are the truth."""
    assert context.participant is not None
    if TOPIC_PICKS not in context.drafts:
        context.drafts[TOPIC_PICKS] = await context.services.participants.topics(context.participant.id)
    await TOPICS_LIST.show(update, context)
    return TOPICS


async def on_topics_done(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    assert context.participant is not None
    picked = await TOPICS_LIST.finish(update, context)
    context.drafts.pop(TOPIC_PICKS, None)
    await context.services.participants.set_topics(context.participant.id, picked)
    return await _next(update, context, ask_area)


# --- area -------------------------------------------------------------------------------

async def ask_area(update: Update, context: BotContext) -> Any:
    text = _("Which area or ward do you live in? This helps us tell you about things near you. "
             "Type it, or tap Skip.")
    await ask(update, context, text, keyboard([_nav(skip=True)]))
    return AREA


async def on_area_typed(update: Update, context: BotContext) -> Any:
    text = update.effective_message.text if update.effective_message else ""
    area = clean_text(text or "", AREA_MAX)
    if area is None:
        await say(update, context, _("Please type an area of up to {limit} letters, or tap Skip.").format(
            limit=AREA_MAX))
        return AREA
    assert context.participant is not None
    await context.services.participants.update(context.participant.id, area=area)
    return await _next(update, context, ask_quiet)


async def on_area_skip(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    assert context.participant is not None
    await context.services.participants.update(context.participant.id, area=None)
    return await _next(update, context, ask_quiet)


# --- quiet hours ------------------------------------------------------------------------

def quiet_label(key: str) -> str:
    hours = QUIET_CHOICES[key]
    if hours is None:
        return _("Any time is fine")
    return _("Not between {start}:00 and {end}:00").format(start=hours.start, end=hours.end)


async def ask_quiet(update: Update, context: BotContext) -> Any:
    buttons = [[(quiet_label(key), f"ob:quiet:{key}")] for key in QUIET_CHOICES]
    await ask(update, context, _("When should we NOT send you messages? Reminders wait until these hours are over."),
              keyboard([*buttons, _nav()]))
    return QUIET


async def on_quiet(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    parts = callback_parts(update.callback_query.data if update.callback_query else None, 3)
    key = parts[2] if parts and parts[2] in QUIET_CHOICES else DEFAULT_QUIET
    hours = QUIET_CHOICES[key]
    assert context.participant is not None
    participants = context.services.participants
    await participants.update(context.participant.id, quiet_start=hours.start if hours else None,
                              quiet_end=hours.end if hours else None)
    if _editing(context):
        return await _next(update, context, ask_quiet)
    return await _finish(update, context)


async def _finish(update: Update, context: BotContext) -> Any:
    assert context.participant is not None
    services = context.services
    await services.participants.mark_registered(context.participant.id, services.clock.now())
    context.participant = await services.participants.by_id(context.participant.id)
    context.drafts.pop(MODE, None)
    await ending(update, context)
    name = context.participant.display_name if context.participant else ""
    await ask(update, context, _("All set, {name}! Thank you for joining.").format(name=escape(name)) + "\n\n"
              + _("One more thing, when you have a minute: tell us what you need to take part, such as step-free "
                  "access or a hearing loop."), keyboard([[(_("♿ What I need to take part"), "ac:open")]]))
    await sync_chat_commands(context.bot, update.effective_chat.id, context.role, context.language)
    pending = context.drafts.pop(PENDING_LINK, None)
    if pending:
        await links.follow(update, context, pending)
    await help_view.show_menu(update, context)
    return END


# --- back, skip, cancel -----------------------------------------------------------------

# Going back past consent would mean withdrawing it, which is what /delete is for.
_PREVIOUS = {CONSENT: LANGUAGE, ACTING_FOR: NAME, OTHER_CONSENT: ACTING_FOR, TOPICS: ACTING_FOR, AREA: TOPICS,
             QUIET: AREA}


def _back_to(state: str) -> Any:
    async def back(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        await clear_buttons(update)
        context.drafts.pop(TOPIC_PICKS, None)
        if _editing(context):
            context.drafts.pop(MODE, None)
            await profile_view.show_profile(update, context)
            return END
        return await _ASKS[_PREVIOUS.get(state, state)](update, context)

    return back


async def cancel(update: Update, context: BotContext) -> Any:
    registered = context.participant is not None and context.participant.registered
    context.drafts.pop(MODE, None)
    context.drafts.pop(TOPIC_PICKS, None)
    if registered:
        await say(update, context, _("Stopped. Nothing was changed."))
    elif context.participant is not None:
        await say(update, context, _("Stopped. What you told us so far is saved. Send /start to carry on."))
    else:
        context.drafts.clear()
        await say(update, context, _("Stopped. We have not kept anything about you. Send /start to begin again."))
    return END


_ASKS = {LANGUAGE: ask_language, CONSENT: ask_consent, NAME: ask_name, ACTING_FOR: ask_acting_for,
         OTHER_CONSENT: ask_other_consent, TOPICS: ask_topics, AREA: ask_area, QUIET: ask_quiet}


def conversation() -> Flow:
    def back(state: str) -> CallbackQueryHandler[Any, Any]:
        return CallbackQueryHandler(_back_to(state), pattern="^ob:back$")

    return Flow(
        name="onboarding",
        noun=N_("joining"),
        states={
            LANGUAGE: step(ask_language, CallbackQueryHandler(on_language, pattern="^ob:lang:")),
            CONSENT: step(ask_consent, CallbackQueryHandler(on_consent, pattern="^ob:consent:"), back(CONSENT)),
            NAME: step(ask_name, MessageHandler(typed_text(), on_name_typed),
                       CallbackQueryHandler(on_name_button, pattern="^ob:name:"), back(NAME)),
            ACTING_FOR: step(ask_acting_for, CallbackQueryHandler(on_acting_for, pattern="^ob:acting:"),
                             back(ACTING_FOR)),
            OTHER_CONSENT: step(ask_other_consent, CallbackQueryHandler(on_other_consent, pattern="^ob:other:"),
                                back(OTHER_CONSENT)),
            TOPICS: step(ask_topics, CallbackQueryHandler(on_topics_done, pattern="^ob:topics:done$"),
                         TOPICS_LIST.tap_handler(), back(TOPICS)),
            AREA: step(ask_area, MessageHandler(typed_text(), on_area_typed),
                       CallbackQueryHandler(on_area_skip, pattern="^ob:skip$"), back(AREA)),
            QUIET: step(ask_quiet, CallbackQueryHandler(on_quiet, pattern="^ob:quiet:"), back(QUIET)),
        },
        entry_points=[
            CommandHandler("start", start),
            CommandHandler("language", change_language),
            CallbackQueryHandler(edit_from_profile, pattern="^pf:edit:"),
        ],
        cancel=cancel,
        prefixes=("ob", "pf"),
        drafts=(MODE, TOPIC_PICKS),
        start=start,
        command="start",
    )
