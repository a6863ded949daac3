"""The questions about a person: name, who they take part for, topics, area and quiet hours.
Joining asks them in turn and then says welcome; /profile asks one of them and shows the profile
again. Both are the onboarding conversation (`handlers/people/onboarding.py`), so each question is
written once."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.callbacks import SEPARATOR
from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import Button, keyboard
from domain.profile import ACTING_FOR_LABELS, AREA_MAX, NAME_MAX, QUIET_CHOICES, ActingFor, clean_text
from handlers.buttons.profile_buttons import BACK, QUIET_HOURS, SKIP, JoinChoice
from handlers.kit.checklist import Checklist
from handlers.kit.choose import choose_one, choose_way
from handlers.kit.common import Handler, acknowledge, ask, say
from handlers.kit.flow import ending
from handlers.kit.glossary import explain_button
from handlers.people import profile_view
from handlers.people.joining_draft import TOPIC_PICKS, close, editing
from handlers.people.welcome import welcome

LANGUAGE, CONSENT, NAME, ACTING_FOR, OTHER_CONSENT, TOPICS, AREA, QUIET = (
    "language",
    "consent",
    "name",
    "acting_for",
    "other_consent",
    "topics",
    "area",
    "quiet",
)
END = ConversationHandler.END
# What the questions' buttons carry after "ob:": the name offered, a choice, a topic ticked, done.
NAMED, ACTING, OTHER, TOPIC = "name", "acting", "other", "topic"


def nav(back: bool = True, skip: bool = False) -> list[Button]:
    row: list[Button] = []
    if back:
        row.append((_("« Back"), JoinChoice(BACK, "").pack()))
    if skip:
        row.append((_("Skip »"), JoinChoice(SKIP, "").pack()))
    return row


async def answered(update: Update, context: BotContext, following: Handler) -> Any:
    """After an answer: the next question when joining, or back to the profile when editing."""
    if editing(context):
        close(context)
        await ending(update, context)
        await profile_view.show_profile(update, context)
        return END
    return await following(update, context)


# --- name -------------------------------------------------------------------------------


async def ask_name(update: Update, context: BotContext) -> Any:
    user = update.effective_user
    rows: list[list[Button]] = []
    telegram_name = clean_text(user.first_name, NAME_MAX) if user else None
    if telegram_name:
        rows.append([(_("Call me {name}").format(name=telegram_name), JoinChoice(NAMED, "telegram").pack())])
    rows.append(nav(back=editing(context)))
    await ask(update, context, _("What should we call you? Type a first name or a nickname."), keyboard(rows))
    return NAME


async def _save_name(update: Update, context: BotContext, name: str) -> Any:
    assert context.participant is not None
    await context.services.participants.update(context.participant.id, display_name=name)
    context.participant = await context.services.participants.by_id(context.participant.id)
    return await answered(update, context, ask_acting_for)


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


def _taking_part_for(choice: ActingFor) -> Handler:
    async def save(update: Update, context: BotContext) -> Any:
        assert context.participant is not None
        await context.services.participants.update(
            context.participant.id, acting_for=choice.value, other_consent_at=None
        )
        if choice is ActingFor.SELF:
            return await answered(update, context, ask_topics)
        return await ask_other_consent(update, context)

    return save


ask_acting_for, on_acting_for = choose_way(
    JoinChoice,
    ACTING,
    ACTING_FOR,
    N_("Are you taking part for yourself, or for someone else?"),
    {choice.value: (label, _taking_part_for(choice)) for choice, label in ACTING_FOR_LABELS.items()},
    rows_after=lambda _context: [[explain_button("carer", "pa")], nav()],
)


async def _they_agree(update: Update, context: BotContext) -> Any:
    assert context.participant is not None
    await context.services.participants.update(context.participant.id, other_consent_at=context.services.clock.now())
    await say(update, context, _("Thank you. We will mark your answers as given on their behalf."))
    return await answered(update, context, ask_topics)


async def _not_yet(update: Update, context: BotContext) -> Any:
    assert context.participant is not None
    await context.services.participants.update(context.participant.id, acting_for=ActingFor.SELF.value)
    await say(
        update, context, _("That's fine. For now you take part for yourself. When they agree, change this in /profile.")
    )
    return await answered(update, context, ask_topics)


ask_other_consent, on_other_consent = choose_way(
    JoinChoice,
    OTHER,
    OTHER_CONSENT,
    N_("Does the person you are taking part for agree to you sharing their views and needs with us?"),
    {"yes": (N_("Yes, they agree"), _they_agree), "no": (N_("Not yet"), _not_yet)},
    rows_after=lambda _context: [nav()],
)


# --- topics -----------------------------------------------------------------------------


async def _topic_options(context: BotContext) -> list[tuple[str, str]]:
    return [(slug, _(name)) for slug, name in await context.services.participants.all_topics()]


TOPICS_LIST = Checklist(
    prefix=JoinChoice.prefix + SEPARATOR + TOPIC,
    store=lambda context: context.drafts,
    field=TOPIC_PICKS,
    question=lambda _context: _("Which topics do you care about? Tap all that apply, then tap Done."),
    options=_topic_options,
    rows_after=lambda context: [
        [(_("Done ✔"), JoinChoice(TOPICS, "done").pack())],
        [explain_button("send", "carer")],
        nav(),
    ],
)


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
    return await answered(update, context, ask_area)


# --- area -------------------------------------------------------------------------------


async def ask_area(update: Update, context: BotContext) -> Any:
    text = _("Which area or ward do you live in? This helps us tell you about things near you. Type it, or tap Skip.")
    await ask(update, context, text, keyboard([nav(skip=True)]))
    return AREA


async def on_area_typed(update: Update, context: BotContext) -> Any:
    text = update.effective_message.text if update.effective_message else ""
    area = clean_text(text or "", AREA_MAX)
    if area is None:
        await say(
            update, context, _("Please type an area of up to {limit} letters, or tap Skip.").format(limit=AREA_MAX)
        )
        return AREA
    assert context.participant is not None
    await context.services.participants.update(context.participant.id, area=area)
    return await answered(update, context, ask_quiet)


async def on_area_skip(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    assert context.participant is not None
    await context.services.participants.update(context.participant.id, area=None)
    return await answered(update, context, ask_quiet)


# --- quiet hours, the last question -----------------------------------------------------


def quiet_label(key: str) -> str:
    hours = QUIET_CHOICES[key]
    if hours is None:
        return _("Any time is fine")
    return _("Not between {start}:00 and {end}:00").format(start=hours.start, end=hours.end)


async def _quiet_options(_context: BotContext) -> dict[str, str]:
    return {key: quiet_label(key) for key in QUIET_CHOICES}


async def _save_quiet(context: BotContext, key: str) -> None:
    hours = QUIET_CHOICES[key]
    assert context.participant is not None
    await context.services.participants.update(
        context.participant.id, quiet_start=hours.start if hours else None, quiet_end=hours.end if hours else None
    )


async def _after_quiet(update: Update, context: BotContext) -> Any:
    return await answered(update, context, welcome)


ask_quiet, on_quiet = choose_one(
    JoinChoice,
    QUIET_HOURS,
    QUIET,
    N_("When should we NOT send you messages? Reminders wait until these hours are over."),
    _quiet_options,
    _save_quiet,
    _after_quiet,
    rows_after=lambda _context: [nav()],
)
