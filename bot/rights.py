"""Who may manage what, judged from who is talking in this update: rules that handlers of
several features check, kept out of any one feature's handlers."""

from __future__ import annotations

from bot.context import BotContext
from domain.roles import Role
from storage.projects import Project


def leads(context: BotContext, project: Project | None) -> bool:
    """Only a project's leads (or an admin) manage it."""
    me = context.participant.id if context.participant else None
    return project is not None and (
        context.role is Role.ADMIN or me in (project.lead_coordinator_id, project.lead_officer_id)
    )
