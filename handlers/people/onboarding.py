"""Joining and the profile as one persistent conversation: how it opens (/start, /language,
/profile's "Change ..." buttons), the two questions asked before anything is kept (language
and consent), going back and stopping. The questions about the person and the welcome at the
end are in `handlers/people/profile_questions.py`."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, language_name, set_language
from bot.menu import sync_chat_commands
from handlers.buttons.profile_buttons import BACK, EDIT, QUIET_HOURS, SKIP, JoinChoice, ProfileChoice
from handlers.kit import links
from handlers.kit.choose import choose_one, choose_way, languages
from handlers.kit.common import acknowledge, clear_buttons, say
from handlers.kit.flow import Flow, ending, step, typed_text
from handlers.kit.glossary import explain_button
from handlers.people import help as help_view
from handlers.people import profile_view
from handlers.people.joining_draft import (
    MODE,
    TOPIC_PICKS,
    Mode,
    close,
    editing,
    forget_link,
    keep_link,
    kept_link,
    open_as,
)
from handlers.people.profile_questions import (
    ACTING,
    ACTING_FOR,
    AREA,
    CONSENT,
    END,
    LANGUAGE,
    NAME,
    NAMED,
    OTHER,
    OTHER_CONSENT,
    QUIET,
    TOPICS,
    TOPICS_LIST,
    answered,
    ask_acting_for,
    ask_area,
    ask_name,
    ask_other_consent,
    ask_quiet,
    ask_topics,
    nav,
    on_acting_for,
    on_area_skip,
    on_area_typed,
    on_name_button,
    on_name_typed,
    on_other_consent,
    on_quiet,
    on_topics_done,
)
from handlers.people.welcome import welcome_again
from privacy.notice import NOTICE_VERSION, privacy_summary

# What the opening questions' buttons carry after "ob:": a language code, or yes or no.
LANG, AGREE = "lang", "consent"


# --- how it opens -----------------------------------------------------------------------


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
    open_as(context, Mode.ONBOARDING)
    if payload and not await links.follow_before_joining(update, context, payload):
        keep_link(context, payload)
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
    asks = {
        NAME: ask_name,
        ACTING_FOR: ask_acting_for,
        TOPICS: ask_topics,
        AREA: ask_area,
        QUIET: ask_quiet,
        LANGUAGE: ask_language,
    }
    question = asks.get(ProfileChoice.chosen(context.button, EDIT) or "")
    if question is None:
        return END
    open_as(context, Mode.EDITING)
    return await question(update, context)


async def change_language(update: Update, context: BotContext) -> Any:
    """/language at any time; the choice wins over Telegram's own language setting."""
    open_as(context, Mode.EDITING if context.participant and context.participant.registered else Mode.ONBOARDING)
    return await ask_language(update, context)


# --- language -------------------------------------------------------------------------


def _speak(context: BotContext, code: str) -> None:
    set_language(code)
    context.language = code


def _greeting(_context: BotContext) -> str:
    text = _("Hello! I'm the council's helper for co-production. I help you plan local services with us.")
    return text + "\n\n" + _("Which language would you like?")


async def _spoken(update: Update, context: BotContext) -> Any:
    """After the language is chosen: consent for someone new, the rest of joining, or a word
    that it is done (the choice wins over Telegram's own language setting)."""
    code = context.language
    participant = context.participant
    if participant is None:
        context.drafts["language"] = code
        return await ask_consent(update, context)
    await context.services.participants.update(participant.id, language=code)
    await sync_chat_commands(context.bot, update.effective_chat.id, context.role, code)
    if not participant.registered:
        return await _resume(update, context)
    await say(update, context, _("Done. I will speak {language} from now on.").format(language=language_name(code)))
    return await answered(update, context, ask_consent)


ask_language, on_language = choose_one(JoinChoice, LANG, LANGUAGE, _greeting, languages, _speak, _spoken)


# --- consent ----------------------------------------------------------------------------


def _consent_question(_context: BotContext) -> str:
    return privacy_summary() + "\n\n" + _("Do you agree to us keeping this information?")


async def _agreed(update: Update, context: BotContext) -> Any:
    services = context.services
    context.participant = await services.participants.create_with_consent(
        update.effective_user.id, context.language, NOTICE_VERSION, services.clock.now()
    )
    context.drafts.pop("language", None)
    pending = kept_link(context)
    if pending and await links.follow_before_joining(update, context, pending):
        forget_link(context)
    return await ask_name(update, context)


async def _declined(update: Update, context: BotContext) -> Any:
    context.drafts.clear()
    await ending(update, context)
    await say(
        update,
        context,
        _("That's fine. We have not kept anything about you.") + "\n" + _("If you change your mind, just send /start."),
    )
    return END


ask_consent, on_consent = choose_way(
    JoinChoice,
    AGREE,
    CONSENT,
    _consent_question,
    {"yes": (N_("Yes, I agree"), _agreed), "no": (N_("No, thank you"), _declined)},
    rows_after=lambda _context: [[explain_button("coprod")], nav()],
)


# --- back, cancel -----------------------------------------------------------------------

_ASKS = {
    LANGUAGE: ask_language,
    CONSENT: ask_consent,
    NAME: ask_name,
    ACTING_FOR: ask_acting_for,
    OTHER_CONSENT: ask_other_consent,
    TOPICS: ask_topics,
    AREA: ask_area,
    QUIET: ask_quiet,
}
# Going back past consent would mean withdrawing it, which is what /delete is for.
_PREVIOUS = {
    CONSENT: LANGUAGE,
    ACTING_FOR: NAME,
    OTHER_CONSENT: ACTING_FOR,
    TOPICS: ACTING_FOR,
    AREA: TOPICS,
    QUIET: AREA,
}


def _back_to(state: str) -> Any:
    async def back(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        await clear_buttons(update)
        context.drafts.pop(TOPIC_PICKS, None)
        if editing(context):
            close(context)
            await profile_view.show_profile(update, context)
            return END
        return await _ASKS[_PREVIOUS.get(state, state)](update, context)

    return back


async def cancel(update: Update, context: BotContext) -> Any:
    registered = context.participant is not None and context.participant.registered
    close(context)
    context.drafts.pop(TOPIC_PICKS, None)
    if registered:
        await say(update, context, _("Stopped. Nothing was changed."))
    elif context.participant is not None:
        await say(update, context, _("Stopped. What you told us so far is saved. Send /start to carry on."))
    else:
        context.drafts.clear()
        await say(update, context, _("Stopped. We have not kept anything about you. Send /start to begin again."))
    return END


def conversation() -> Flow:
    def back(state: str) -> CallbackQueryHandler[Any, Any]:
        return CallbackQueryHandler(_back_to(state), pattern=JoinChoice.at(BACK, None))

    def on(handler: Any, choice: str, value: str = "[^:]*") -> CallbackQueryHandler[Any, Any]:
        return CallbackQueryHandler(handler, pattern=JoinChoice.at(choice, value))

    return Flow(
        name="onboarding",
        noun=N_("joining"),
        states={
            LANGUAGE: step(ask_language, on(on_language, LANG)),
            CONSENT: step(ask_consent, on(on_consent, AGREE), back(CONSENT)),
            NAME: step(ask_name, MessageHandler(typed_text(), on_name_typed), on(on_name_button, NAMED), back(NAME)),
            ACTING_FOR: step(ask_acting_for, on(on_acting_for, ACTING), back(ACTING_FOR)),
            OTHER_CONSENT: step(ask_other_consent, on(on_other_consent, OTHER), back(OTHER_CONSENT)),
            TOPICS: step(ask_topics, on(on_topics_done, TOPICS, "done"), TOPICS_LIST.tap_handler(), back(TOPICS)),
            AREA: step(
                ask_area,
                MessageHandler(typed_text(), on_area_typed),
                CallbackQueryHandler(on_area_skip, pattern=JoinChoice.at(SKIP, None)),
                back(AREA),
            ),
            QUIET: step(ask_quiet, on(on_quiet, QUIET_HOURS), back(QUIET)),
        },
        entry_points=[
            CommandHandler("start", start),
            CommandHandler("language", change_language),
            CallbackQueryHandler(edit_from_profile, pattern=ProfileChoice.at(EDIT)),
        ],
        cancel=cancel,
        prefixes=(JoinChoice.prefix, ProfileChoice.prefix),
        drafts=(MODE, TOPIC_PICKS),
        start=start,
        command="start",
        lost_end=welcome_again,
    )
