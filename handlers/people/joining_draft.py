"""What joining keeps while it is open: why it is open (joining, or one question from /profile),
a group's link to follow at the end, and the topics ticked so far."""

from __future__ import annotations

from enum import StrEnum

from bot.context import BotContext

# Drafts keys (persisted per user, JSON only). Every answer is saved on the person's row as it is
# given, so joining keeps no answers in a draft: only why it is open, a group's link to follow at
# the end, the topics ticked so far (the checklist's own keys) and, before consent, the language
# (read by handlers.kit.common before any handler runs). Each is one plain value under its own key,
# as the running version keeps them, so someone half-way through joining carries on after an upgrade.
MODE, PENDING_LINK, TOPIC_PICKS = "ob_mode", "ob_pending_link", "ob_topics"


class Mode(StrEnum):
    """Why the conversation is open: joining asks every question in turn, editing one from /profile."""

    ONBOARDING = "onboarding"
    EDITING = "editing"


def open_as(context: BotContext, mode: Mode) -> None:
    context.drafts[MODE] = mode.value


def editing(context: BotContext) -> bool:
    return context.drafts.get(MODE) == Mode.EDITING


def close(context: BotContext) -> None:
    """The conversation is done with; the link to follow, if any, stays for the welcome."""
    context.drafts.pop(MODE, None)


def keep_link(context: BotContext, payload: str) -> None:
    """A group's link, followed once they have joined."""
    context.drafts[PENDING_LINK] = payload


def kept_link(context: BotContext) -> str | None:
    """The link kept to follow, if any; a value that is not text (never written) counts as none."""
    payload = context.drafts.get(PENDING_LINK)
    return payload if isinstance(payload, str) else None


def forget_link(context: BotContext) -> None:
    context.drafts.pop(PENDING_LINK, None)
