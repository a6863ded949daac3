"""An opportunity being written with /opportunity, kept in the organiser's drafts across restarts
(handlers/kit/drafts.py). The field names are the keys the draft had as a dict, so an opportunity
begun before drafts were typed carries on; `fields` gives the flat form that the card, the
versions and `storage.opportunities` read, the same as a stored opportunity's."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from domain.targeting import Target


@dataclass
class OpportunityDraft:
    """The form's text answers are None until asked (the preview asks for what is missing)."""

    key: str = ""  # makes sending it twice (after a lost reply) never a second broadcast
    title: str | None = None
    about: str | None = None
    level: str | None = None  # a domain.participation.Level
    can_change: str | None = None
    cannot_change: str | None = None
    time_needed: str | None = None
    dates: str | None = None
    pays: str | None = None  # a key of opportunities.views.PAYS_LABELS
    access_info: str | None = None
    closes_at: str | None = None  # storage.times.to_db text
    # Who gets it: `target`.
    topics: list[str] = field(default_factory=list)
    area: str | None = None
    language: str | None = None
    skills: list[str] = field(default_factory=list)
    worked_on: int | None = None  # a group's id; its name starts their copy
    worked_on_name: str | None = None
    editing: bool = False  # changing one answer from the preview: back to the preview after it
    versions: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> field -> text (text_versions)

    @property
    def target(self) -> Target:
        return Target(frozenset(self.topics), self.area, self.language, frozenset(self.skills), self.worked_on)

    def for_everyone(self) -> None:
        self.topics, self.area, self.language, self.skills = [], None, None, []
        self.worked_on = self.worked_on_name = None

    def fields(self) -> dict[str, Any]:
        return asdict(self)
