"""A lead writes the group's charter (terms of reference), then sends it to members as a
proposal: it is agreed only when they agree it. Changing it later is a new draft and a new
proposal. The steps are declared as data, so each kind of step is written once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, format_datetime
from bot.keyboards import column
from decide import work
from decide.buttons import DraftChoice, LeadActionButton
from decide.views import charter_text
from domain.decisions import DECIDES_BY_NAMES, DecidesBy
from handlers.kit.choose import choose_way
from handlers.kit.common import acknowledge, ask, audit, clear_buttons, say
from handlers.kit.drafts import DraftSlot, restarting
from handlers.kit.flow import Flow, ending, nothing_sent, read_text, step, stopped, typed_text
from storage.charters import Charter

DRAFT = "charter_draft"
TEXT_MAX = 800
VOTE_DAYS = 7
CONFIRM = "confirm"


@dataclass(frozen=True)
class TextStep:
    name: str
    question: str
    optional: bool = False


@dataclass(frozen=True)
class ChoiceStep:
    name: str
    question: str
    choices: tuple[tuple[str, str], ...]  # (value, label)


STEPS: tuple[TextStep | ChoiceStep, ...] = (
    TextStep("purpose", N_("Why does the group meet? Say it in one or two plain sentences.")),
    TextStep("can_change", N_("What can the group change or decide?")),
    TextStep("cannot_change", N_("What can't the group change, and why? Being honest here builds trust.")),
    ChoiceStep(
        "decides_by",
        N_("How will the group decide?"),
        tuple((rule.value, DECIDES_BY_NAMES[rule]) for rule in DecidesBy),
    ),
    ChoiceStep(
        "quorum_percent",
        N_("How many members must answer a proposal for it to count?"),
        (("0", N_("No minimum")), ("25", N_("A quarter of members")), ("50", N_("Half of members"))),
    ),
    ChoiceStep(
        "who_proposes",
        N_("Who can put proposals?"),
        (("members", N_("Any member")), ("leads", N_("Only the leads and co-leads"))),
    ),
    ChoiceStep(
        "anonymous_allowed",
        N_("May members answer proposals without their name showing to the leads?"),
        (("1", N_("Yes")), ("0", N_("No"))),
    ),
    TextStep("meets", N_("How often and where will the group meet?")),
    TextStep("paid", N_("What is paid? For example travel, carer cover, or time at the hourly rate.")),
    TextStep(
        "ground_rules", N_("How will members treat each other? For example: listen, take turns, keep things private.")
    ),
    TextStep(
        "easy_read",
        N_("Would you like to add an Easy Read version? Type it in short, simple sentences, or tap Skip."),
        optional=True,
    ),
)
BY_NAME = {s.name: s for s in STEPS}


@dataclass
class CharterDraft:
    """The charter being written. The fields are the keys the draft had as a dict, each step's
    answer under its name: "" until it is answered, the choices as their buttons' values."""

    group: int
    key: str  # makes sending it twice (after a lost reply) propose it once
    purpose: str = ""
    can_change: str = ""
    cannot_change: str = ""
    decides_by: str = ""  # a DecidesBy
    quorum_percent: str = ""
    who_proposes: str = ""
    anonymous_allowed: str = ""  # "1" or "0"
    meets: str = ""
    paid: str = ""
    ground_rules: str = ""
    easy_read: str | None = None  # None when skipped


CHARTER = DraftSlot(DRAFT, CharterDraft)


def _keep(context: BotContext, current: TextStep | ChoiceStep, answer: str | None) -> None:
    with CHARTER.editing(context) as draft:
        setattr(draft, current.name, answer)  # each step's name is a field of CharterDraft


async def start(update: Update, context: BotContext) -> Any:
    """From "Write the charter" on a group's card; the gate has checked the lead right."""
    await acknowledge(update)
    button = context.button
    assert isinstance(button, LeadActionButton)
    CHARTER.begin(context, CharterDraft(button.group, uuid4().hex))
    await say(
        update,
        context,
        _(
            "Let's write the group's charter. It says how the group works. Members will agree "
            "it, or not, before it counts."
        )
        + "\n"
        + _("Send /cancel to stop."),
    )
    return await _ask(update, context, STEPS[0])


async def _ask(update: Update, context: BotContext, current: TextStep | ChoiceStep) -> Any:
    if isinstance(current, ChoiceStep):
        await ask(
            update,
            context,
            _(current.question),
            column((_(label), DraftChoice(current.name[:12], value).pack()) for value, label in current.choices),
        )
    elif current.optional:
        await ask(
            update, context, _(current.question), column([(_("Skip »"), DraftChoice(current.name[:12], "skip").pack())])
        )
    else:
        await ask(update, context, _(current.question))
    return current.name


async def _advance(update: Update, context: BotContext, current: TextStep | ChoiceStep) -> Any:
    index = STEPS.index(current)
    if index + 1 < len(STEPS):
        return await _ask(update, context, STEPS[index + 1])
    return await ask_confirm(update, context)


def _asker(current: TextStep | ChoiceStep) -> Any:
    async def ask_it(update: Update, context: BotContext) -> Any:
        return await _ask(update, context, current)

    return ask_it


def _text_answer(current: TextStep) -> Any:
    async def on_text(update: Update, context: BotContext) -> Any:
        text = await read_text(update, context, TEXT_MAX, one_line=False)
        if text is None:
            return current.name
        _keep(context, current, text)
        return await _advance(update, context, current)

    return on_text


def _choice_answer(current: TextStep | ChoiceStep) -> Any:
    async def on_choice(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        chosen = context.button
        allowed = {value for value, _label in current.choices} if isinstance(current, ChoiceStep) else {"skip"}
        if not isinstance(chosen, DraftChoice) or chosen.step != current.name[:12] or chosen.value not in allowed:
            return await _ask(update, context, current)
        await clear_buttons(update)
        _keep(context, current, None if chosen.value == "skip" else chosen.value)
        return await _advance(update, context, current)

    return on_choice


def _charter_of(draft: CharterDraft) -> Charter:
    return Charter(
        id=0,
        project_id=draft.group,
        purpose=draft.purpose,
        can_change=draft.can_change,
        cannot_change=draft.cannot_change,
        decides_by=DecidesBy(draft.decides_by),
        quorum_percent=int(draft.quorum_percent),
        meets=draft.meets,
        paid=draft.paid,
        ground_rules=draft.ground_rules,
        easy_read=draft.easy_read,
        who_proposes=draft.who_proposes,
        names_to_leads=True,
        anonymous_allowed=draft.anonymous_allowed == "1",
        agreed_at=None,
    )


async def ask_confirm(update: Update, context: BotContext) -> Any:
    draft = CHARTER.of(context)
    missing = next((s for s in STEPS if getattr(draft, s.name) == ""), None)  # "" is unanswered
    if missing is not None:
        return await _ask(update, context, missing)
    project = await context.services.projects.by_id(draft.group)
    assert project is not None
    await say(update, context, charter_text(_charter_of(draft), project.name))
    return await ask_send(update, context)


async def send(update: Update, context: BotContext) -> Any:
    draft = CHARTER.of(context)
    services = context.services
    assert context.participant is not None
    charter = _charter_of(draft)
    decision, created = await work.propose_charter(
        services,
        charter,
        context.participant.id,
        services.clock.now() + timedelta(days=VOTE_DAYS),
        key=f"charter:{draft.key}",
    )
    CHARTER.drop(context)
    await ending(update, context)
    if created:
        await audit(context, update, "charter.propose", "ok", subject=str(decision.id))
    await say(
        update,
        context,
        _(
            "Sent. Members can answer until {date}. When it closes, record the outcome: if "
            "they agree, the charter counts."
        ).format(date=format_datetime(decision.closes_at, services.settings.timezone)),
    )
    return ConversationHandler.END


ask_send, on_send = choose_way(
    DraftChoice,
    CONFIRM,
    CONFIRM,
    N_("Send this to members as a proposal? They have a week to answer."),
    {"send": (N_("📨 Send to members"), send), "no": (N_("✖️ Don't send"), nothing_sent(DRAFT))},
)


def conversation() -> Flow:
    choice = DraftChoice.pattern()
    states = {}
    for current in STEPS:
        answers: list[BaseHandler[Any, Any, Any]] = []
        if isinstance(current, ChoiceStep) or current.optional:
            answers.append(CallbackQueryHandler(_choice_answer(current), pattern=choice))
        if isinstance(current, TextStep):
            answers.append(MessageHandler(typed_text(), _text_answer(current)))
        states[current.name] = step(_asker(current), *answers)
    states[CONFIRM] = step(ask_confirm, CallbackQueryHandler(on_send, pattern=choice))
    return Flow(
        name="charter",
        noun=N_("the charter you are writing"),
        states=restarting(states, None),
        entry_points=[CallbackQueryHandler(start, pattern=LeadActionButton.pattern_where(action="charter"))],
        cancel=stopped(),
        prefixes=(DraftChoice.prefix,),
        drafts=(DRAFT,),
    )
