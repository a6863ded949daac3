"""What I know about: lived experience on the profile, chosen from a short list and in a
person's own words, with a separate agreement that we may use it to tell them about
opportunities that fit. Reached from /profile only, never asked while joining."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import keyboard
from domain.experience import OWN_WORDS_MAX, SKILLS, Experience
from handlers.buttons.recognition_buttons import ExperienceOpen, ExperienceStep, ExperienceTick
from handlers.kit.checklist import Checklist, translated
from handlers.kit.common import Handler, acknowledge, ask, clear_buttons, escape, require_registered, say
from handlers.kit.drafts import DraftSlot, restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed_text
from handlers.kit.write_in import write_in

DRAFT = "experience_draft"
PICK, WORDS, AGREE = "pick", "words", "agree"


@dataclass
class ExperienceDraft:
    """What they know about, as it will be saved; it starts as what they told us before."""

    skills: list[str] = field(default_factory=list)  # domain.experience.SKILLS keys, ticked in SKILLS_LIST
    own_words: str | None = None


EXPERIENCE = DraftSlot(DRAFT, ExperienceDraft)


def _choice(context: BotContext) -> str | None:
    return context.button.choice if isinstance(context.button, ExperienceStep) else None


SKILLS_LIST = Checklist(
    prefix=ExperienceTick.prefix,
    store=EXPERIENCE.stored,
    field="skills",
    question=lambda _context: _(
        "What do you know about from your own life? Tap all that apply, then tap Next. This is up to you."
    ),
    options=translated(SKILLS),
    rows_after=lambda context: [[(_("Next »"), ExperienceStep("next").pack())]],
)


@require_registered
async def start_experience(update: Update, context: BotContext) -> Any:
    """Begin from what they told us before, so changing it never loses an answer."""
    await acknowledge(update)
    await clear_buttons(update)
    assert context.participant is not None
    known = await context.services.involvement.experience(context.participant.id)
    EXPERIENCE.begin(context, ExperienceDraft(sorted(known.skills), known.own_words))
    return await ask_skills(update, context)


ask_words: Handler  # declared, so the list before it can name it before it is made
ask_skills, on_skills_done = SKILLS_LIST.step(
    PICK, lambda update, context: ask_words(update, context), done=lambda context: _choice(context) == "next"
)


async def ask_agree(update: Update, context: BotContext) -> Any:
    await ask(
        update,
        context,
        _(
            "May we use this to tell you about opportunities that fit? You can change your "
            "mind at any time in /profile."
        ),
        keyboard(
            [[(_("Yes, tell me"), ExperienceStep("yes").pack()), (_("No, thank you"), ExperienceStep("no").pack())]]
        ),
    )
    return AGREE


async def on_agree(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    choice = _choice(context)
    if choice not in ("yes", "no"):
        return await ask_agree(update, context)
    await clear_buttons(update)
    draft = EXPERIENCE.pop(context)
    assert context.participant is not None
    services = context.services
    now = services.clock.now()
    experience = Experience(
        frozenset(k for k in draft.skills if k in SKILLS), draft.own_words, now if choice == "yes" else None
    )
    await services.involvement.save_experience(context.participant.id, experience, now)
    await ending(update, context)
    await say(
        update,
        context,
        _("Saved. Thank you.") + "\n\n" + summary(experience),
        keyboard([[(_("Change"), ExperienceOpen().pack())]]),
    )
    return ConversationHandler.END


ask_words, on_words = write_in(
    WORDS,
    lambda _context: _("Anything else you know about? Type it in your own words, or tap Skip."),
    OWN_WORDS_MAX,
    EXPERIENCE.keeper("own_words"),
    ask_agree,
    one_line=False,
    skip=ExperienceStep("skip"),
)


def summary(experience: Experience) -> str:
    """What /profile and the end of this step show: the list, their words, the agreement."""
    chosen = [_(label) for key, label in SKILLS.items() if key in experience.skills]
    lines = [_("I know about: {value}").format(value=", ".join(chosen) or _("nothing chosen"))]
    if experience.own_words:
        lines.append(_("In my own words: {value}").format(value=escape(experience.own_words)))
    if experience.skills or experience.own_words:
        lines.append(
            _("We may use this to tell you about opportunities that fit.")
            if experience.agreed_at
            else _("We will not use this to choose what to send you.")
        )
    return "\n".join(lines)


def conversation() -> Flow:
    choice = ExperienceStep.pattern()
    return Flow(
        name="experience",
        noun=N_("what you know about"),
        states=restarting(
            {
                PICK: step(ask_skills, SKILLS_LIST.tap_handler(), CallbackQueryHandler(on_skills_done, pattern=choice)),
                WORDS: step(
                    ask_words, MessageHandler(typed_text(), on_words), CallbackQueryHandler(on_words, pattern=choice)
                ),
                AGREE: step(ask_agree, CallbackQueryHandler(on_agree, pattern=choice)),
            },
            start_experience,
        ),
        entry_points=[CallbackQueryHandler(start_experience, pattern=ExperienceOpen.pattern())],
        cancel=stopped(),
        prefixes=(ExperienceOpen.prefix, ExperienceTick.prefix, ExperienceStep.prefix),
        drafts=(DRAFT,),
        start=start_experience,
    )
