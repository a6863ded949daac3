"""What officers and residents read of feedback: an inbox card, the measures and the digest.
Typed words are escaped here, once."""

from __future__ import annotations

from bot.i18n import _, format_date
from bot.services import Services
from bot.text import escape, fit_lines
from decide.work import Together
from domain.feedback import ABOUT, STATUSES, Measures, quote_choice
from domain.participation import LEVEL_NAMES
from storage.feedback import Feedback, Theme


async def item_text(services: Services, item: Feedback) -> str:
    """An inbox card: who (and whether we may quote them), what about, its status and words."""
    person = await services.participants.by_id(item.participant_id)
    name = escape(person.display_name) if person and person.display_name else _("(deleted their data)")
    name += " · " + _(quote_choice(item.may_quote, item.anonymous).staff_note)
    about = _(ABOUT[item.about])
    if item.project_id:
        project = await services.projects.by_id(item.project_id)
        about += f": {escape(project.name)}" if project else ""
    elif item.service:
        about += f": {escape(item.service)}"
    lines = [
        f"💬 <b>{item.reference}</b> · {name}",
        _("About: {about} · {date}").format(
            about=about, date=format_date(item.received_at, services.settings.timezone)
        ),
        _("Status: {status}").format(status=_(STATUSES[item.status])),
    ]
    if item.text:
        lines.append(escape(item.text))
    if item.voice_file_id:
        lines.append(_("🎤 Voice note below"))
    if item.theme_id:
        theme = await services.feedback.theme(item.theme_id)
        lines.append(_("Theme: {title}").format(title=escape(theme.title if theme else "?")))
    return "\n".join(lines)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def measure_lines(label: str, result: Measures) -> list[str]:
    days = "–" if result.median_days_to_response is None else f"{result.median_days_to_response:.1f}"
    lines = [
        f"<b>{escape(label)}</b>",
        _("Feedback received: {count}").format(count=result.received),
        _("Median days to a response: {days}").format(days=days),
        _("Themes with a published “we did”: {share}").format(share=_share(result.share_published)),
        _("Said it made a difference: {share}").format(share=_share(result.share_made_difference)),
    ]
    if result.checkin_averages:
        lines.append(
            _("Check-ins (1 to 5): {values}").format(
                values=", ".join(f"{key} {value:.1f}" for key, value in result.checkin_averages.items())
            )
        )
    return lines


def together_lines(shared: Together) -> list[str]:
    lines = [
        _("Decisions made together: {count}, with {percent}% of members taking part").format(
            count=shared.decided, percent=shared.turnout_percent
        )
    ]
    if shared.flagged:
        lines.append(
            _(
                "⚠️ This group is called {level}, but it has no charter its members agreed, or no decision "
                "made together yet."
            ).format(level=_(LEVEL_NAMES[shared.level]))
        )
    return lines


async def digest_text(services: Services, themes: list[Theme]) -> tuple[str, set[int]]:
    """The digest, and whose words it quotes (so erasing one of them empties queued copies)."""
    blocks = [_("<b>You said, we did</b>")]
    quoted: set[int] = set()
    for theme in themes:
        lines = [_("🗣 You said: {said}").format(said=escape(theme.title))]
        for participant_id, name, text in await services.feedback.quotes(theme.id, limit=2):
            quoted.add(participant_id)
            who = escape(name) if name else _("someone who asked not to be named")
            lines.append(f"   “{escape(text[:200])}” – {who}")
        if theme.outcome == "cant":
            lines.append(_("🚫 We can't, because: {why}").format(why=escape(theme.we_did)))
        else:
            lines.append(_("✅ We did: {did}").format(did=escape(theme.we_did)))
        blocks.append("\n".join(lines))
    return fit_lines(blocks, separator="\n\n"), quoted
