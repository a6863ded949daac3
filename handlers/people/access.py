"""/access: what a resident needs to take part, asked once, editable any time."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.callbacks import SEPARATOR
from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import Button, keyboard
from domain.access import LONGEST, NEEDS, OTHER_MAX, PREFERENCES, TIMES, AccessProfile
from handlers.buttons.profile_buttons import BACK, NEXT, OPEN, AccessChoice
from handlers.kit import support_consent
from handlers.kit.checklist import Checklist, translated
from handlers.kit.choose import Keep, choose_one
from handlers.kit.common import Handler, acknowledge, ask, clear_buttons, escape, require_registered, say
from handlers.kit.drafts import DraftSlot, restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed, typed_text
from handlers.kit.glossary import explain_button

DRAFT = "access_draft"
NEEDS_STEP, PREFERS_STEP, TIMES_STEP, LONGEST_STEP, OTHER_STEP = "needs", "prefers", "times", "longest", "other"
# What the buttons carry after "ac:": a need or a time ticked, a way of taking part, the longest session.
NEED, TIME, PREFER, LONG = "need", "time", "pref", "long"


@dataclass
class AccessDraft:
    """What they need, as it will be saved; it starts as what they told us before."""

    needs: list[str] = field(default_factory=list)  # domain.access.NEEDS keys, ticked in NEEDS_LIST
    prefers: str | None = None  # a PREFERENCES key
    times: list[str] = field(default_factory=list)  # TIMES keys, ticked in TIMES_LIST
    longest: str | None = None  # a LONGEST key
    other: str | None = None


ACCESS = DraftSlot(DRAFT, AccessDraft)


def _nav(back: bool = True) -> list[Button]:
    row: list[Button] = [(_("« Back"), AccessChoice(BACK, "").pack())] if back else []
    return [*row, (_("Next »"), AccessChoice(NEXT, "").pack())]


@require_registered
async def start_access(update: Update, context: BotContext) -> Any:
    """Begin from what they told us before, so editing never loses an answer."""
    await acknowledge(update)
    await clear_buttons(update)
    return await _begin(update, context)


async def _begin(update: Update, context: BotContext) -> Any:
    """Also where a lost draft starts again: its step has already taken the buttons off."""
    assert context.participant is not None
    profile = await context.services.access.get(context.participant.id)
    ACCESS.begin(
        context,
        AccessDraft(sorted(profile.needs), profile.prefers, sorted(profile.times), profile.longest, profile.other),
    )
    return await ask_needs(update, context)


NEEDS_LIST = Checklist(
    prefix=AccessChoice.prefix + SEPARATOR + NEED,
    store=ACCESS.stored,
    field="needs",
    question=lambda _context: _(
        "What do you need to take part? Tap all that apply, then tap Next. Only the staff organising "
        "your meetings will see this."
    ),
    options=translated(NEEDS),
    rows_after=lambda context: [[explain_button("bsl", "easyread", "pa")], _nav(back=False)],
)
TIMES_LIST = Checklist(
    prefix=AccessChoice.prefix + SEPARATOR + TIME,
    store=ACCESS.stored,
    field="times",
    question=lambda _context: _("Which times usually suit you? Tap all that apply."),
    options=translated({str(k): v for k, v in TIMES.items()}),
    rows_after=lambda context: [_nav()],
)


def _pick_one(
    step_name: str,
    options: Mapping[str, str],
    question: str,
    state: str,
    keep: Keep,
    marked: Callable[[AccessDraft], str | None],
    after: Handler,
) -> tuple[Handler, Handler]:
    """A one-answer step: the current answer (`marked` of the draft) marked, the pick kept, then
    `after` asks the next."""
    return choose_one(
        AccessChoice,
        step_name,
        state,
        question,
        options,
        keep,
        after,
        marked=lambda context: marked(ACCESS.of(context)),
        rows_after=lambda context: [_nav()],
    )


async def ask_needs(update: Update, context: BotContext) -> Any:
    await NEEDS_LIST.show(update, context)
    return NEEDS_STEP


ask_prefers, on_prefers = _pick_one(
    PREFER,
    PREFERENCES,
    N_("How do you prefer to take part?"),
    PREFERS_STEP,
    ACCESS.keeper("prefers"),
    lambda draft: draft.prefers,
    lambda update, context: ask_times(update, context),
)


async def ask_times(update: Update, context: BotContext) -> Any:
    await TIMES_LIST.show(update, context)
    return TIMES_STEP


ask_longest, on_longest = _pick_one(
    LONG,
    LONGEST,
    N_("What is the longest session you can manage?"),
    LONGEST_STEP,
    ACCESS.keeper("longest"),
    lambda draft: draft.longest,
    lambda update, context: ask_other(update, context),
)


async def ask_other(update: Update, context: BotContext) -> Any:
    await ask(
        update,
        context,
        _("Anything else we should know? Type it, or tap Skip."),
        keyboard([[(_("« Back"), AccessChoice(BACK, "").pack()), (_("Skip »"), AccessChoice(NEXT, "").pack())]]),
    )
    return OTHER_STEP


async def on_other(update: Update, context: BotContext) -> Any:
    text = typed(update, one_line=False)
    if len(text) > OTHER_MAX:
        await say(update, context, _("Please answer in up to {limit} characters.").format(limit=OTHER_MAX))
        return OTHER_STEP
    with ACCESS.editing(context) as draft:
        draft.other = text or None
    return await finish(update, context)


async def finish(update: Update, context: BotContext) -> Any:
    """Save, then show what was saved in plain words."""
    draft = ACCESS.pop(context)
    assert context.participant is not None
    profile = AccessProfile(
        needs=frozenset(draft.needs),
        prefers=draft.prefers,
        times=frozenset(draft.times),
        longest=draft.longest,
        other=draft.other,
    )
    await context.services.access.save(context.participant.id, profile, context.services.clock.now())
    await ending(update, context)
    consent = await context.services.support.consent(context.participant.id)
    text = _("Saved. Thank you.") + "\n\n" + summary(profile) + "\n" + support_consent.status_line(consent)
    rows = [[(_("Change"), AccessChoice(OPEN, "").pack())], support_consent.change_row()]
    if consent is None:  # asked once; after that it is shown here and changed with its own button
        text = _("Saved. Thank you.") + "\n\n" + summary(profile) + "\n\n" + support_consent.question()
        rows = [*support_consent.question_rows(), rows[0]]
    await say(update, context, text, keyboard(rows))
    return ConversationHandler.END


def summary(profile: AccessProfile) -> str:
    none = _("nothing chosen")
    lines = [
        _("<b>What you need to take part</b>"),
        _("Needs: {value}").format(value=", ".join(_(NEEDS[n]) for n in NEEDS if n in profile.needs) or none),
        _("Prefer: {value}").format(value=_(PREFERENCES[profile.prefers]) if profile.prefers else none),
        _("Times that suit: {value}").format(
            value=", ".join(_(label) for key, label in TIMES.items() if key in profile.times) or none
        ),
        _("Longest session: {value}").format(value=_(LONGEST[profile.longest]) if profile.longest else none),
    ]
    if profile.other:
        lines.append(_("Anything else: {value}").format(value=escape(profile.other)))
    return "\n".join(lines)


_ORDER = [NEEDS_STEP, PREFERS_STEP, TIMES_STEP, LONGEST_STEP, OTHER_STEP]
_ASKS = {
    NEEDS_STEP: ask_needs,
    PREFERS_STEP: ask_prefers,
    TIMES_STEP: ask_times,
    LONGEST_STEP: ask_longest,
    OTHER_STEP: ask_other,
}


def _move(state: str, offset: int) -> Any:
    async def move(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        checklist = {NEEDS_STEP: NEEDS_LIST, TIMES_STEP: TIMES_LIST}.get(state)
        if checklist is not None:
            await checklist.finish(update, context)
        else:
            await clear_buttons(update)
        index = _ORDER.index(state) + offset
        if index >= len(_ORDER):
            return await finish(update, context)
        return await _ASKS[_ORDER[max(0, index)]](update, context)

    return move


def conversation() -> Flow:
    def nav(state: str) -> list[BaseHandler[Any, Any, Any]]:
        return [
            CallbackQueryHandler(_move(state, -1), pattern=AccessChoice.at(BACK, None)),
            CallbackQueryHandler(_move(state, 1), pattern=AccessChoice.at(NEXT, None)),
        ]

    return Flow(
        name="access",
        noun=N_("your access needs"),
        states=restarting(
            {
                NEEDS_STEP: step(ask_needs, NEEDS_LIST.tap_handler(), *nav(NEEDS_STEP)),
                PREFERS_STEP: step(
                    ask_prefers, CallbackQueryHandler(on_prefers, pattern=AccessChoice.at(PREFER)), *nav(PREFERS_STEP)
                ),
                TIMES_STEP: step(ask_times, TIMES_LIST.tap_handler(), *nav(TIMES_STEP)),
                LONGEST_STEP: step(
                    ask_longest, CallbackQueryHandler(on_longest, pattern=AccessChoice.at(LONG)), *nav(LONGEST_STEP)
                ),
                OTHER_STEP: step(ask_other, MessageHandler(typed_text(), on_other), *nav(OTHER_STEP)),
            },
            _begin,
        ),
        entry_points=[
            CommandHandler("access", start_access),
            CallbackQueryHandler(start_access, pattern=AccessChoice.at(OPEN, None)),
        ],
        cancel=stopped(),
        prefixes=(AccessChoice.prefix,),
        drafts=(DRAFT,),
        start=start_access,
        command="access",
    )
