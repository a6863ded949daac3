"""A meeting being set up with /meeting, kept in the organiser's drafts across restarts
(handlers/kit/drafts.py). The field names are the keys the draft had as a dict, so a meeting begun
before drafts were typed carries on; they are also the fields `storage.meetings` creates it from."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class MeetingDraft:
    """Times are kept as `storage.times.to_db` text, like the rest of the drafts' JSON."""

    key: str = ""  # makes sending it twice (after a lost reply) give back the first meeting
    title: str = ""
    purpose: str = ""
    level: str = ""  # a domain.participation.Level
    format: str = ""  # in_person, online or hybrid
    venue: str | None = None
    features: list[str] = field(default_factory=list)  # what the venue has (domain.access.VENUE_FEATURES)
    link: str | None = None
    minutes: int = 0
    slots: list[str] = field(default_factory=list)
    closes_at: str = ""
    project_id: int | None = None  # the group it is for, when invited from one
    invitees: list[int] = field(default_factory=list)
    required: list[str] = field(default_factory=list)  # invitees it can't go ahead without
    open_poll: bool = False
    versions: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> field -> text (text_versions)
