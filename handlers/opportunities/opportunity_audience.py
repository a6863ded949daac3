"""Two more ways to choose who an opportunity is for: people who know about something from
their own life (only those who agreed we may use it), and people who worked with us on a group
before, whose copy starts "You worked with us on …" (`opportunities.views.worked_with_us`). The
opportunity form's audience step wires these in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import Button, column
from domain.experience import SKILLS
from handlers.buttons.recognition_buttons import AudienceChoice, AudienceGroup, AudienceSkillTick
from handlers.kit.checklist import Checklist, translated
from handlers.kit.common import Handler, acknowledge, clear_buttons, escape, say
from handlers.kit.drafts import DraftSlot
from handlers.kit.flow import Step, step
from opportunities.draft import OpportunityDraft

SKILLS_STEP, GROUP_STEP = "audience_skills", "audience_group"
PREFIXES = (AudienceChoice.prefix, AudienceSkillTick.prefix, AudienceGroup.prefix)


@dataclass(frozen=True)
class MoreAudience:
    draft: DraftSlot[OpportunityDraft]
    back: Handler  # the audience step, shown again after a choice

    @property
    def _skills(self) -> Checklist:
        return Checklist(
            prefix=AudienceSkillTick.prefix,
            store=self.draft.stored,
            field="skills",
            question=lambda _context: _("People who know about any of these, and agreed we may use it:"),
            options=translated(SKILLS),
            rows_after=lambda context: [[(_("Done ✔"), AudienceChoice("skills_done").pack())]],
        )

    @staticmethod
    def buttons() -> list[Button]:
        return [
            (_("Know about…"), AudienceChoice("skills").pack()),
            (_("Worked with us on…"), AudienceChoice("worked").pack()),
        ]

    @staticmethod
    def describe(draft: OpportunityDraft) -> list[str]:
        parts = []
        if draft.skills:
            parts.append(
                _("Know about: {value}").format(value=", ".join(_(SKILLS[k]) for k in draft.skills if k in SKILLS))
            )
        if draft.worked_on_name:
            parts.append(_("Worked with us on: {group}").format(group=escape(draft.worked_on_name)))
        return parts

    def on_audience(self) -> BaseHandler[Any, Any, Any]:
        """The audience step's answer to "Know about…" and "Worked with us on…"."""

        async def chosen(update: Update, context: BotContext) -> Any:
            await acknowledge(update)
            choice = context.button.choice if isinstance(context.button, AudienceChoice) else None
            if choice == "skills":
                await self._skills.show(update, context)
                return SKILLS_STEP
            if choice == "worked":
                return await self._ask_group(update, context)
            return await self.back(update, context)

        return CallbackQueryHandler(chosen, pattern=AudienceChoice.pattern())

    async def _ask_group(self, update: Update, context: BotContext) -> Any:
        await clear_buttons(update)
        groups = await context.services.involvement.groups_worked_on()
        if not groups:
            await say(update, context, _("No group has members yet."))
            return await self.back(update, context)
        await say(
            update,
            context,
            _("Invite back the people who worked with us on which group?"),
            column((name[:40], AudienceGroup(pid).pack()) for pid, name in groups),
        )
        return GROUP_STEP

    async def _group_chosen(self, update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        groups = dict(await context.services.involvement.groups_worked_on())
        button = context.button
        if not isinstance(button, AudienceGroup) or button.group not in groups:
            return await self._ask_group(update, context)
        await clear_buttons(update)
        with self.draft.editing(context) as draft:
            draft.worked_on, draft.worked_on_name = button.group, groups[button.group]
        return await self.back(update, context)

    def states(self) -> dict[str, Step]:
        ask_skills, skills_done = self._skills.step(
            SKILLS_STEP,
            self.back,
            done=lambda context: isinstance(context.button, AudienceChoice) and context.button.choice == "skills_done",
        )
        return {
            SKILLS_STEP: step(
                ask_skills,
                self._skills.tap_handler(),
                CallbackQueryHandler(skills_done, pattern=AudienceChoice.pattern()),
            ),
            GROUP_STEP: step(
                self._ask_group, CallbackQueryHandler(self._group_chosen, pattern=AudienceGroup.pattern())
            ),
        }
