"""A typed CallbackContext: services, and who is talking to us in this update."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.callbacks import CallbackData, GroupRight
from bot.services import Services
from domain.roles import Role
from storage.participants import Participant


class BotContext(CallbackContext[ExtBot[None], dict[str, Any], dict[str, Any], dict[str, Any]]):
    """Loaded once per update by `handlers.kit.common.load_user` (an early handler group)."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.participant: Participant | None = None
        self.role: Role = Role.RESIDENT
        self.language: str = "en"
        # A pressed button's typed value, parsed once by the gate that checked who may press it.
        self.button: CallbackData | None = None
        self.group_rights: set[GroupRight] = set()  # the presser's rights in the button's group
        # The flow handling this update, and flows paused or offered in it (handlers.kit.flow).
        self.flow_name: str | None = None
        self.interrupted: list[str] = []
        self.offered: set[str] = set()
        self.spoke = False  # a message went to the chat during this update (handlers.kit.common.say)

    @property
    def services(self) -> Services:
        services: Services = self.application.bot_data["services"]
        return services

    @property
    def drafts(self) -> dict[str, Any]:
        """The per-user scratch space for multi-step flows (persisted, JSON only)."""
        data = self.user_data
        if data is None:
            raise RuntimeError("No user in this update")
        return data
