"""Deep links: `/start <payload>` from a QR code or an invitation.

Each feature declares the kinds of link it follows (`deep_links()` beside its handlers) and the
composition root, `bot/app.py`, hands them to `wire`; this module only reads the payload and
passes its code on, so it imports no feature and a new kind of link touches no one else."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import _
from domain.deeplinks import LinkKind, parse_payload
from handlers.kit.common import Put, say

FOLLOWERS = "deep_links"  # where `wire` keeps them, in the application's bot_data


@dataclass(frozen=True)
class Follower:
    """What a kind of link does with its code. `before_joining`: it may be followed as soon as the
    person has consented, before they finish joining (a staff invite; nobody is given a role
    before they agreed to the notice). Any other waits until they have joined. `follow` puts its
    first words on screen with the `put` it is given (the end of joining puts them into its
    welcome, one message instead of two), and anything after them with `say`."""

    follow: Callable[[Update, BotContext, str, Put], Awaitable[None]]
    before_joining: bool = False


def wire(application: Application[Any, Any, Any, Any, Any, Any], followers: Mapping[LinkKind, Follower]) -> None:
    application.bot_data[FOLLOWERS] = dict(followers)


def _follower(context: BotContext, kind: LinkKind) -> Follower | None:
    followers: Mapping[LinkKind, Follower] = context.bot_data.get(FOLLOWERS, {})
    return followers.get(kind)


async def follow_before_joining(update: Update, context: BotContext, payload: str) -> bool:
    """Handle what can be done before someone has finished joining; False means keep it for later."""
    link = parse_payload(payload)
    if link is None:
        await say(update, context, _("I don't recognise that link, but you can still join."))
        return True
    follower = _follower(context, link.kind)
    if follower is None or not follower.before_joining or context.participant is None:
        return False
    await follower.follow(update, context, link.code, say)
    return True


async def follow(update: Update, context: BotContext, payload: str, put: Put = say) -> None:
    link = parse_payload(payload)
    follower = _follower(context, link.kind) if link is not None else None
    if link is None or follower is None:
        await put(update, context, _("I don't recognise that link. Send /help to see what you can do."), None)
        return
    await follower.follow(update, context, link.code, put)
