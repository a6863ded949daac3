"""Creating a group (/newproject, coordinators and officers): its name and purpose, the start-up
check, and a level the creator must justify if it sits above what the answers suggest. Then the
group is ready, with its other lead to name and its poster to print."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _
from decide.buttons import DraftChoice
from domain.decisions import above_suggestion
from domain.participation import LEVEL_NAMES
from domain.roles import ORGANISERS
from handlers.buttons.project_buttons import NewGroupChoice
from handlers.groups.projects import offer_other_lead, send_join_poster
from handlers.kit import ladder
from handlers.kit.choose import choose_one, stoppable
from handlers.kit.common import Handler, acknowledge, ask, audit, clear_buttons, require, require_registered, say
from handlers.kit.drafts import DraftSlot, restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed_text
from handlers.kit.write_in import write_in, write_last
from projects.startup import CHECKS, suggested_level
from projects.views import project_card
from projects.work import create_group

NAME, DESCRIPTION, LEVEL, LEVEL_REASON = "name", "description", "level", "level_reason"
NAME_MAX, DESCRIPTION_MAX, REASON_MAX = 80, 1000, 500
DRAFT = "project_draft"
CHECK_STATES = tuple(f"check_{name}" for name, _question, _choices in CHECKS)


@dataclass
class ProjectDraft:
    """The new group's answers so far. The fields are the keys the draft had as a dict, and the
    start-up check's answers are named as its questions are (`projects.startup.CHECKS`), where
    `suggested_level` and `create_group` read them."""

    name: str = ""
    description: str = ""
    share: str = ""
    time: str = ""
    fixed: str = ""
    stake: str = ""
    level: str = ""  # a domain.participation.Level


PROJECT = DraftSlot(DRAFT, ProjectDraft)


@require(ORGANISERS, "project.create")
@require_registered
async def new_project(update: Update, context: BotContext) -> Any:
    PROJECT.drop(context)
    return await ask_name(update, context)


def _keep_name(context: BotContext, words: str) -> None:
    """The first answer begins the draft: the version before typed drafts began it empty, which
    reads as lost, and no answer comes before this one to keep."""
    PROJECT.begin(context, ProjectDraft(name=words))


def _keep_check(name: str) -> Callable[[BotContext, str], None]:
    def keep(context: BotContext, chosen: str) -> None:
        with PROJECT.editing(context) as draft:
            setattr(draft, name, chosen)  # one of CHECKS' names, each a field of ProjectDraft

    return keep


async def _first_check(update: Update, context: BotContext) -> Any:
    return await CHECK_STEPS[0][0](update, context)


ask_description, on_description = write_in(
    DESCRIPTION,
    lambda _context: _("In one or two sentences: what will the group do, and what can members change?"),
    DESCRIPTION_MAX,
    PROJECT.keeper("description"),
    _first_check,
    one_line=False,
)
ask_name, on_name = write_in(
    NAME,
    stoppable(
        N_("Let's create a group. What is it called? Use plain words, for example “Carers' café planning group”.")
    ),
    NAME_MAX,
    _keep_name,
    ask_description,
)


def _check_question(index: int, question: str) -> Callable[[BotContext], str]:
    def text(context: BotContext) -> str:
        intro = (
            _("First, four quick questions, so the group promises only what it can keep.") + "\n\n"
            if index == 0
            else ""
        )
        return intro + _(question)

    return text


def _check_steps() -> list[tuple[Handler, Handler]]:
    """The start-up check's questions, each leading to the next and the last to the level."""
    built: list[tuple[Handler, Handler]] = []
    then: Handler = ask_level
    for index in reversed(range(len(CHECKS))):
        name, question, choices = CHECKS[index]
        built.insert(
            0,
            choose_one(
                DraftChoice,
                name,
                CHECK_STATES[index],
                _check_question(index, question),
                dict(choices),
                _keep_check(name),
                then,
            ),
        )
        then = built[0][0]
    return built


async def ask_level(update: Update, context: BotContext) -> Any:
    suggested = suggested_level(asdict(PROJECT.of(context)))
    if suggested is None:
        return await CHECK_STEPS[0][0](update, context)
    await ladder.ask_level(
        update,
        context,
        NewGroupChoice,
        _(
            "From your answers, we suggest: {level}. How much can members shape it? Be honest: calling a "
            "consultation co-production breaks trust."
        ).format(level=_(LEVEL_NAMES[suggested])),
    )
    return LEVEL


async def on_level(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    level = ladder.chosen_level(context.button)
    draft = PROJECT.of(context)
    suggested = suggested_level(asdict(draft))
    if level is None or suggested is None or not (draft.name and draft.description):
        return await ask_level(update, context)
    await clear_buttons(update)
    draft.level = level.value
    PROJECT.save(context, draft)
    if above_suggestion(level, suggested):
        await ask(
            update,
            context,
            _(
                "Your answers suggest {suggested}, but you chose {chosen}. Please say why, in "
                "plain words. Residents will see this."
            ).format(suggested=_(LEVEL_NAMES[suggested]), chosen=_(LEVEL_NAMES[level])),
        )
        return LEVEL_REASON
    return await _create(update, context, None)


CHECK_STEPS = _check_steps()


async def _create(update: Update, context: BotContext, reason: str | None) -> Any:
    draft = PROJECT.of(context)
    assert context.participant is not None
    project = await create_group(context.services, asdict(draft), context.participant.id, context.role, reason)
    PROJECT.drop(context)
    await ending(update, context)
    await audit(context, update, "project.create", "ok", subject=str(project.id))
    await say(update, context, _("Your group is ready.") + "\n\n" + project_card(project))
    await offer_other_lead(update, context, project)
    await send_join_poster(update, context, project)
    return ConversationHandler.END


# The question when they come back to it; the first time, on_level asks it with the suggestion.
ask_level_reason, on_level_reason = write_last(
    LEVEL_REASON,
    lambda _context: _("Please say why the group is at this level, or send /cancel to stop."),
    REASON_MAX,
    _create,
)


def conversation() -> Flow:
    return Flow(
        name="new_project",
        noun=N_("your new group"),
        states=restarting(
            {
                NAME: step(ask_name, MessageHandler(typed_text(), on_name)),
                DESCRIPTION: step(ask_description, MessageHandler(typed_text(), on_description)),
                **{
                    state: step(ask, CallbackQueryHandler(answer, pattern=DraftChoice.pattern()))
                    for state, (ask, answer) in zip(CHECK_STATES, CHECK_STEPS, strict=True)
                },
                LEVEL: step(ask_level, CallbackQueryHandler(on_level, pattern=NewGroupChoice.at(LEVEL))),
                LEVEL_REASON: step(ask_level_reason, MessageHandler(typed_text(), on_level_reason)),
            },
            new_project,
        ),
        entry_points=[CommandHandler("newproject", new_project)],
        cancel=stopped(N_("Stopped. No group was created.")),
        prefixes=(NewGroupChoice.prefix, DraftChoice.prefix),
        drafts=(DRAFT,),
        start=new_project,
        command="newproject",
    )
