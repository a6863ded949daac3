"""The words and the poster of a group: its card as members see it, and the join link as a QR
code to print where people already go."""

from __future__ import annotations

import io

import segno

from bot.i18n import _
from bot.text import escape
from domain.participation import LEVEL_MEANINGS, LEVEL_NAMES, Level
from storage.projects import Project

CAPTION_LIMIT = 1024  # Telegram's limit for a photo's caption


def level_line(level: Level) -> str:
    return _("Level: {level} – {meaning}").format(level=_(LEVEL_NAMES[level]), meaning=_(LEVEL_MEANINGS[level]))


def project_card(project: Project) -> str:
    lines = [f"<b>{escape(project.name)}</b>", escape(project.description), level_line(project.level)]
    if project.level_reason:
        lines.append(_("Why this level: {reason}").format(reason=escape(project.level_reason)))
    return "\n".join(lines)


def join_poster(project: Project, link: str) -> tuple[io.BytesIO, str]:
    """The QR code image of the join link, and its caption in the reader's language (set by the caller)."""
    image = io.BytesIO()
    segno.make(link, error="m").save(image, kind="png", scale=10, border=4)
    image.seek(0)
    caption = _("Join “{name}”: scan this code with a phone camera, or open {link}").format(
        name=escape(project.name), link=escape(link)
    )
    return image, caption[:CAPTION_LIMIT]
