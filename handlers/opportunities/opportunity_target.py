"""The opportunity form's "Who should get it?" step: topics, an area, a language, everyone, and
the further choices of `opportunity_audience`, with how many people it would reach. It holds the
form's draft; the form (`handlers/opportunities/opportunity_form.py`) wires it in with its preview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot.callbacks import SEPARATOR
from bot.context import BotContext
from bot.i18n import _, available_languages, language_name
from bot.keyboards import Button, keyboard
from domain.profile import AREA_MAX
from domain.targeting import Target
from handlers.kit.checklist import Checklist
from handlers.kit.common import Handler, acknowledge, ask, clear_buttons, escape
from handlers.kit.drafts import DraftSlot
from handlers.kit.flow import Step, read_text, step, typed_text
from handlers.opportunities import opportunity_audience
from opportunities.buttons import FormChoice
from opportunities.draft import OpportunityDraft
from opportunities.views import reach_text

AUDIENCE, AUDIENCE_TOPICS, AUDIENCE_AREA = "audience", "audience_topics", "audience_area"
PREFIXES = opportunity_audience.PREFIXES  # the further choices' buttons; this step's own are the form's FormChoice
# What this step's buttons carry after "on:": a choice, a language, a topic ticked, the topics done.
CHOICE, LANGUAGE, TOPIC, TOPICS = "aud", "lang", "topic", "topics"
DRAFT = "opp_draft"  # the opportunity being written


OPPORTUNITY = DraftSlot(DRAFT, OpportunityDraft)


async def _topic_options(context: BotContext) -> list[tuple[str, str]]:
    return [(slug, _(name)) for slug, name in await context.services.participants.all_topics()]


TOPICS_LIST = Checklist(
    prefix=FormChoice.prefix + SEPARATOR + TOPIC,
    store=OPPORTUNITY.stored,
    field="topics",
    question=lambda _context: _("People who chose any of these topics:"),
    options=_topic_options,
    rows_after=lambda context: [[(_("Done ✔"), FormChoice(TOPICS, "done").pack())]],
)


@dataclass(frozen=True)
class Audience:
    preview: Handler  # "Preview ›"

    @property
    def more(self) -> opportunity_audience.MoreAudience:
        return opportunity_audience.MoreAudience(draft=OPPORTUNITY, back=self.show)

    async def describe(self, context: BotContext, target: Target) -> str:
        if target.everyone:
            return _("Everyone who has joined")
        parts = []
        if target.topics:
            names = dict(await context.services.participants.all_topics())
            parts.append(
                _("Topics: {value}").format(value=", ".join(_(names.get(t, t)) for t in sorted(target.topics)))
            )
        if target.area:
            parts.append(_("Area: {value}").format(value=escape(target.area)))
        if target.language:
            parts.append(_("Language: {value}").format(value=language_name(target.language)))
        return "; ".join(parts + self.more.describe(OPPORTUNITY.of(context)))

    async def show(self, update: Update, context: BotContext) -> Any:
        target = OPPORTUNITY.of(context).target
        reach = await context.services.opportunities.count_reach(target)
        text = "\n".join([_("<b>Who should get it?</b>"), await self.describe(context, target), reach_text(reach)])
        rows: list[list[Button]] = [
            [(_("Topics"), FormChoice(CHOICE, "topics").pack()), (_("Area"), FormChoice(CHOICE, "area").pack())],
            self.more.buttons(),
            [(language_name(code), FormChoice(LANGUAGE, code).pack()) for code in available_languages()],
            [(_("Everyone"), FormChoice(CHOICE, "everyone").pack())],
            [(_("Preview ›"), FormChoice(CHOICE, "preview").pack())],
        ]
        await ask(update, context, text, keyboard(rows))
        return AUDIENCE

    async def _chosen(self, update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        await clear_buttons(update)
        language = FormChoice.chosen(context.button, LANGUAGE)
        choice = FormChoice.chosen(context.button, CHOICE)
        if language in available_languages() or choice == "everyone":
            with OPPORTUNITY.editing(context) as draft:
                if choice == "everyone":
                    draft.for_everyone()
                else:
                    draft.language = language
        elif choice == "topics":
            return await self._ask_topics(update, context)
        elif choice == "area":
            await ask(update, context, _("Type the area or ward, exactly as residents write it."))
            return AUDIENCE_AREA
        elif choice == "preview":
            return await self.preview(update, context)
        return await self.show(update, context)

    async def _ask_topics(self, update: Update, context: BotContext) -> Any:
        await TOPICS_LIST.show(update, context)
        return AUDIENCE_TOPICS

    async def _topics_done(self, update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        await TOPICS_LIST.finish(update, context)
        return await self.show(update, context)

    async def _area(self, update: Update, context: BotContext) -> Any:
        area = await read_text(update, context, AREA_MAX)
        if area is None:
            return AUDIENCE_AREA
        with OPPORTUNITY.editing(context) as draft:
            draft.area = area
        return await self.show(update, context)

    def states(self) -> dict[str, Step]:
        return {
            AUDIENCE: step(
                self.show,
                CallbackQueryHandler(self._chosen, pattern=FormChoice.at(f"{CHOICE}|{LANGUAGE}")),
                self.more.on_audience(),
            ),
            **self.more.states(),
            AUDIENCE_TOPICS: step(
                self._ask_topics,
                CallbackQueryHandler(self._topics_done, pattern=FormChoice.at(TOPICS, "done")),
                TOPICS_LIST.tap_handler(),
            ),
            AUDIENCE_AREA: step(self.show, MessageHandler(typed_text(), self._area)),
        }
