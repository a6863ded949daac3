"""What an invitation says about one person's needs: honestly which the venue meets and which it
does not, a phone option for people who prefer to take part by phone, and, the first time, how
their support gets arranged (by name with their consent, another way without)."""

from __future__ import annotations

from bot.i18n import _
from domain.access import NEEDS, VENUE_FEATURES, AccessProfile, met_needs, unmet_needs
from domain.support import has_needs, wants_phone
from storage.meetings import Meeting


def _names(needs: list[str]) -> str:
    return ", ".join(_(NEEDS[need]) for need in needs)


def another_way() -> str:
    """For people with needs who keep their name private: how to get support all the same."""
    return _(
        "To get help with your needs for a meeting, send /feedback and choose the meeting. "
        "Or call the council and ask for the organiser."
    )


def invitation_lines(meeting: Meeting, profile: AccessProfile | None, consented: bool, *, first: bool) -> list[str]:
    """In the reader's language (set by the caller)."""
    lines = []
    if meeting.venue_features:
        lines.append(
            _("Access: {features}").format(
                features=", ".join(_(label) for key, label in VENUE_FEATURES.items() if key in meeting.venue_features)
            )
        )
    if profile is not None and meeting.format != "online":
        features = set(meeting.venue_features)
        if met := met_needs(profile.needs, features):
            lines.append(_("✅ The venue has what you told us you need: {needs}.").format(needs=_names(met)))
        if unmet := unmet_needs(profile.needs, features):
            lines.append(
                _("⚠️ You told us you need: {needs}. The venue has not said it has this.").format(needs=_names(unmet))
            )
    if wants_phone(profile):
        lines.append(
            _("📞 You can join by phone. The organiser will call you.")
            if consented
            else _("📞 You can join by phone. To be called, send /feedback with your number and choose this meeting.")
        )
    if first and has_needs(profile):
        lines.append(
            _("The organiser can see your needs with your name and will arrange them.") if consented else another_way()
        )
    return lines
