"""The work of feedback, callable from handlers, jobs and tests alike: taking a piece in, an
officer's answer to it, grouping it into themes, nudging officers, the measures and the digest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from approvals.work import officer_ids
from bot.i18n import _, language
from bot.notify import notify
from bot.services import Services
from bot.text import escape
from decide import work as decide_work
from domain.delivery import next_send_time
from domain.feedback import STATUSES, Measures, measures
from feedback.views import digest_text
from feedback.we_did import wake
from storage.feedback import Feedback, Theme
from storage.outbox import Outgoing
from storage.projects import Project

TEXT_MAX = 2000
NUDGE_JOB = "feedback.nudge"  # officers are nudged about feedback with no answer yet
DIGEST_THEMES = 5  # the latest published themes a digest shows


async def submit_feedback(
    services: Services, participant_id: int, draft: dict[str, Any], *, named: bool, quoted: bool
) -> Feedback:
    """Store a piece of feedback and book the officers' nudge; a resident's own or one staff
    took down for someone without Telegram."""
    now = services.clock.now()
    item = await services.feedback.submit(
        participant_id=participant_id,
        about=draft.get("about", "general"),
        project_id=draft.get("project_id"),
        meeting_id=draft.get("meeting_id"),
        service=draft.get("service"),
        text=draft.get("text"),
        voice=draft.get("voice"),
        photo=draft.get("photo"),
        anonymous=not named,
        may_quote=quoted,
        now=now,
    )
    await services.jobs.schedule(NUDGE_JOB, str(item.id), now + timedelta(days=services.settings.feedback_nudge_days))
    return item


async def set_status(services: Services, item: Feedback, status: str, reason: str | None = None) -> bool:
    """An officer's answer to a piece of feedback, told to whoever gave it; False if it already had it."""
    if not await services.feedback.set_status(item.id, status, reason[:500] if reason else None, services.clock.now()):
        return False

    def render() -> str:
        text = _("Update on your feedback {reference}: {status}.").format(
            reference=item.reference, status=_(STATUSES[status])
        )
        if reason:
            text += " " + _("Why: {reason}").format(reason=escape(reason))
        return text

    await notify(services, item.participant_id, f"fbstatus:{item.id}:{status}", render)
    return True


async def add_to_theme(services: Services, item: Feedback, theme_id: int) -> Theme | None:
    """Put the feedback in a theme not yet published; None if there is no such theme."""
    theme = await services.feedback.theme(theme_id)
    if theme is None or theme.published_at is not None:
        return None
    await services.feedback.add_to_theme(item.id, theme.id)
    return theme


async def new_theme(services: Services, item: Feedback, title: str, created_by: int) -> None:
    """A new "You said" theme, with this feedback in it."""
    theme_id = await services.feedback.create_theme(title, item.project_id, created_by, services.clock.now())
    await services.feedback.add_to_theme(item.id, theme_id)


async def nudge(services: Services, feedback_id: int) -> None:
    """Feedback still unanswered after the configured days: every officer is reminded."""
    item = await services.feedback.by_id(feedback_id)
    if item is None or item.status != "received":
        return
    for officer in await officer_ids(services):
        await notify(
            services,
            officer,
            f"fbnudge:{item.id}:{officer}",
            lambda: _("⏰ Feedback {reference} has had no answer for {days} days. Please look at it in /inbox.").format(
                reference=item.reference, days=services.settings.feedback_nudge_days
            ),
            wait_for_quiet=True,
        )


@dataclass(frozen=True)
class Scope:
    """The measures of all groups (project_id None) or of one, for /impact and its spreadsheet."""

    label: str
    project_id: int | None
    result: Measures
    together: decide_work.Together | None
    checkins: list[Any]


async def impact(services: Services, groups: Sequence[Project], everyone: str) -> list[Scope]:
    """The measures overall (labelled `everyone`), then for each group."""
    together = await decide_work.together(services, groups)
    scopes = []
    for label, project_id in [(everyone, None), *((p.name, p.id) for p in groups)]:
        data = await services.feedback.measure_rows(project_id)
        result = measures(data["received"], data["themes"], data["differences"], data["checkins"])
        scopes.append(
            Scope(
                label,
                project_id,
                result,
                together.get(project_id) if project_id is not None else None,
                data["checkins"],
            )
        )
    return scopes


async def published_themes(services: Services) -> list[Theme]:
    return await services.feedback.themes(published=True, limit=DIGEST_THEMES)


async def send_digest(services: Services, project: Project, sender_id: int) -> int:
    """Queue the digest to every member of a group, each in their own language; how many it queued."""
    themes = await published_themes(services)
    now = services.clock.now()
    messages = []
    for member_id in await services.projects.member_ids(project.id):
        person = await services.participants.by_id(member_id)
        if person is None or person.chat is None:
            continue
        with language(person.language):
            text, quoted = await digest_text(services, themes)
        messages.append(
            Outgoing(
                chat_id=person.chat,
                participant_id=member_id,
                text=text,
                quotes=tuple(quoted),
                dedupe_key=f"digest:{project.id}:{now.date()}:{member_id}",
                not_before=next_send_time(now, services.settings.timezone, person.quiet_hours),
            )
        )
    _batch, added = await services.outbox.create_batch("digest", str(project.id), sender_id, now, messages)
    wake(services)
    return added
