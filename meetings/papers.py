"""A meeting's papers as a queued message for one invitee: the version that suits them (Easy Read
to an Easy Read reader when there is one), sent as the text, the PDF or the photo the organiser
gave, by Telegram's file_id, so nothing is downloaded or stored twice."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.i18n import _
from bot.text import CAPTION_LIMIT, MESSAGE_LIMIT, escape, fit_lines
from domain.access import AccessProfile
from domain.papers import Paper, PaperKind, Reader, Version, version_for
from storage.meetings import Invitee, Meeting
from storage.outbox import Outgoing


def reader(invitee: Invitee, profile: AccessProfile | None) -> Reader:
    return Reader(language=invitee.language, needs=profile.needs if profile else frozenset())


def paper_notices(
    meeting: Meeting,
    papers: Mapping[Version, Paper],
    invitee: Invitee,
    profile: AccessProfile | None,
    *,
    key: str,
    not_before: datetime,
    expires_at: datetime | None,
    send_from: datetime | None = None,
) -> list[Outgoing]:
    """The invitee's papers (none if there are none), in their language (set by the caller)."""
    paper = version_for(papers, reader(invitee, profile))
    if paper is None or invitee.telegram_id is None:
        return []
    head = (
        _("📎 The Easy Read papers for “{title}”")
        if paper.version is Version.EASY
        else _("📎 The papers for “{title}”")
    ).format(title=escape(meeting.title))
    body = escape(paper.body) if paper.body else ""
    is_text = paper.kind is PaperKind.TEXT
    text = fit_lines([head, "", body] if body else [head], MESSAGE_LIMIT if is_text else CAPTION_LIMIT)
    return [
        Outgoing(
            chat_id=invitee.telegram_id,
            participant_id=invitee.participant_id,
            text=text,
            dedupe_key=key,
            not_before=not_before,
            expires_at=expires_at,
            send_from=send_from,
            file_id=None if is_text else paper.file_id,
            file_kind=None if is_text else paper.kind.value,
        )
    ]
