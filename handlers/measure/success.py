"""Success the group defines, from its card: any member proposes a success statement (put to
the group as a proposal), and everyone sees how the group is doing, with a chart per statement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.callbacks import GroupRight
from bot.context import BotContext
from bot.i18n import N_, _, format_datetime
from bot.keyboards import column
from bot.text import fit_lines
from decide import work as decide_work
from domain.success import INDICATORS_MAX, TEXT_MAX, VIEWS
from handlers.kit.common import acknowledge, audit, escape, say
from handlers.kit.drafts import DraftSlot, restarting
from handlers.kit.flow import Flow, ending, read_text, step, stopped, typed_text
from handlers.kit.write_in import write_in
from success import work
from success.buttons import ChartButton, SuccessButton, ViewButton

TEXT, VIEW, INDICATORS = "success_text", "success_view", "success_indicators"
DRAFT = "success_draft"
SHOWN = 8  # statements on one "How are we doing?" screen


# --- proposing -------------------------------------------------------------------------------


@dataclass
class SuccessDraft:
    """The field names are the keys the draft had as a dict, so a statement begun before drafts
    were typed carries on."""

    group: int
    key: str  # makes proposing it twice (after a lost reply) give back the first proposal
    text: str = ""
    view: str = ""  # a key of domain.success.VIEWS


PROPOSED = DraftSlot(DRAFT, SuccessDraft)


async def start(update: Update, context: BotContext) -> Any:
    button = context.button
    await acknowledge(update)
    assert isinstance(button, SuccessButton)
    rules = await decide_work.rules_of(context.services, button.group)
    rights = context.group_rights
    if GroupRight.LEAD not in rights and (GroupRight.MEMBER not in rights or rules.who_proposes == "leads"):
        await say(
            update,
            context,
            _("In this group only the leads put proposals. Tell them your idea, and they can put it to the group."),
        )
        return ConversationHandler.END
    PROPOSED.begin(context, SuccessDraft(button.group, uuid4().hex))
    return await ask_text(update, context)


ask_text, on_text = write_in(
    TEXT,
    lambda _context: _(
        "What will success look like? Say it in one short sentence. For example: “Carers can get help at the weekend.”"
    ),
    TEXT_MAX,
    PROPOSED.keeper("text"),
    lambda update, context: ask_view(update, context),
)


async def ask_view(update: Update, context: BotContext) -> Any:
    group = PROPOSED.of(context).group
    await say(
        update,
        context,
        _("Whose point of view is it from?"),
        column((_(label), ViewButton(group, key).pack()) for key, label in VIEWS.items()),
    )
    return VIEW


async def on_view(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    button = context.button
    draft = PROPOSED.of(context)
    if not isinstance(button, ViewButton) or button.view not in VIEWS or button.group != draft.group:
        return await ask_view(update, context)
    draft.view = button.view
    PROPOSED.save(context, draft)
    return await ask_indicators(update, context)


async def ask_indicators(update: Update, context: BotContext) -> Any:
    group = PROPOSED.of(context).group
    await say(
        update,
        context,
        _("How will we know it is working? Type a few signs to look for, or tap Skip."),
        column([(_("Skip »"), SuccessButton(group, "skip").pack())]),
    )
    return INDICATORS


async def on_indicators(update: Update, context: BotContext) -> Any:
    indicators = None
    if update.callback_query is None:
        indicators = await read_text(update, context, INDICATORS_MAX, one_line=False)
        if indicators is None:
            return INDICATORS
    else:
        await acknowledge(update)
    draft = PROPOSED.pop(context)
    if not (draft.text and draft.view):
        return ConversationHandler.END
    assert context.participant is not None
    decision, created = await work.propose(
        context.services,
        work.Proposed(draft.group, draft.text, draft.view, indicators),
        context.participant.id,
        key=f"success:{draft.key}",
    )
    await ending(update, context)
    if created:
        await audit(context, update, "success.propose", "ok", subject=str(decision.id))
    await say(
        update,
        context,
        _(
            "Sent to the group as a proposal. Members can answer until {date}. When it is "
            "agreed, we will ask everyone where we are now."
        ).format(date=format_datetime(decision.closes_at, context.services.settings.timezone)),
    )
    return ConversationHandler.END


# --- how are we doing? ---------------------------------------------------------------------------


async def on_status(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, SuccessButton)
    await acknowledge(update)
    services = context.services
    statements = (await services.success.agreed(button.group))[:SHOWN]
    if not statements:
        await say(
            update,
            context,
            _("The group has not agreed what success looks like yet. Any member can propose it from the group's card."),
        )
        return
    lines = [_("<b>How are we doing?</b> From 1, not at all, to 5, we are there.")]
    for statement in statements:
        lines.append(work.status_line(statement, await work.measures(services, statement)))
    await say(
        update,
        context,
        fit_lines(lines, separator="\n\n"),
        column(
            (_("📈 Chart: {statement}").format(statement=s.text[:30]), ChartButton(button.group, s.id).pack())
            for s in statements
        ),
    )


async def on_chart(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, ChartButton)
    await acknowledge(update)
    statement = await context.services.success.by_id(button.statement)
    if statement is None or statement.project_id != button.group or statement.agreed_at is None:
        return
    chart = await work.trend_chart(context.services, statement)
    if chart is None:
        await say(
            update, context, _("Not enough answers yet for a chart. We need at least three people to rate it first.")
        )
        return
    caption = _("How we are doing on “{statement}”, from 1 to 5.").format(statement=escape(statement.text))
    await context.bot.send_photo(update.effective_chat.id, chart.png, caption=caption[:1024])


def conversation() -> Flow:
    skip = CallbackQueryHandler(on_indicators, pattern=SuccessButton.pattern_where(action="skip"))
    return Flow(
        name="success",
        noun=N_("your success statement"),
        states=restarting(
            {
                TEXT: step(ask_text, MessageHandler(typed_text(), on_text)),
                VIEW: step(ask_view, CallbackQueryHandler(on_view, pattern=ViewButton.pattern())),
                INDICATORS: step(ask_indicators, skip, MessageHandler(typed_text(), on_indicators)),
            },
            None,
        ),
        entry_points=[CallbackQueryHandler(start, pattern=SuccessButton.pattern_where(action="propose"))],
        cancel=stopped(),
        prefixes=(ViewButton.prefix,),
        drafts=(DRAFT,),
    )


def handlers() -> list[object]:
    return [
        CallbackQueryHandler(on_status, pattern=SuccessButton.pattern_where(action="status")),
        CallbackQueryHandler(on_chart, pattern=ChartButton.pattern()),
    ]
