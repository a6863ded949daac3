"""What organisers see of people's access needs: counts for one meeting's likely attendees,
and warnings where the venue does not meet them. Never names, never other meetings."""

from __future__ import annotations

from bot.i18n import _, format_duration, ngettext
from bot.services import Services
from domain.access import NEEDS, summarise, times_that_suit, venue_warnings
from domain.meetings import TimeOfDay
from domain.support import length_warning
from storage.meetings import Meeting


async def suits_for(services: Services, participant_ids: list[int]) -> dict[int, set[TimeOfDay]]:
    """The times of day each person said suit them, for pre-filling poll answers."""
    profiles = await services.access.for_participants(participant_ids)
    return {pid: set(times_that_suit(profile)) for pid, profile in profiles.items()}


async def access_lines(services: Services, meeting: Meeting, participant_ids: list[int]) -> list[str]:
    profiles = await services.access.for_participants(participant_ids)
    counts = summarise(list(profiles.values()))
    lines = [_("<b>Access needs of the people likely to come</b>")]
    if not counts:
        lines.append(_("No access needs recorded."))
    lines += [f"• {_(NEEDS[need])}: {count}" for need, count in counts.items() if need in NEEDS]
    if meeting.format != "online":
        for need, count in venue_warnings(counts, set(meeting.venue_features)):
            lines.append(
                "⚠️ "
                + ngettext(
                    "{count} person needs “{need}”, and the venue has none recorded.",
                    "{count} people need “{need}”, and the venue has none recorded.",
                    count,
                ).format(count=count, need=_(NEEDS.get(need, need)))
            )
    if warning := length_warning(meeting.duration_minutes, profiles.values()):
        lines.append(
            "⏱ "
            + ngettext(
                "{count} person can manage up to {limit}, but the meeting lasts {length}.",
                "{count} people can manage up to {limit} or less, but the meeting lasts {length}.",
                warning.people,
            ).format(
                count=warning.people,
                limit=format_duration(warning.shortest),
                length=format_duration(meeting.duration_minutes),
            )
        )
        lines.append(
            ngettext(
                "Plan {count} break, so no part is longer than {limit}.",
                "Plan {count} breaks, so no part is longer than {limit}.",
                warning.breaks,
            ).format(count=warning.breaks, limit=format_duration(warning.shortest))
        )
    return lines
