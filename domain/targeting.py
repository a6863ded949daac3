"""Who an opportunity should reach. The database query in storage/opportunities.py
implements exactly this rule; a test checks the two agree."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    topics: frozenset[str] = field(default_factory=frozenset)  # any of these; empty = any topic
    area: str | None = None
    language: str | None = None

    @property
    def everyone(self) -> bool:
        return not self.topics and self.area is None and self.language is None


@dataclass(frozen=True)
class Reachable:
    """What targeting needs to know about one person."""

    registered: bool
    reachable: bool
    paused: bool
    topics: frozenset[str]
    area: str | None
    language: str


def matches(target: Target, person: Reachable) -> bool:
    if not person.registered or not person.reachable or person.paused:
        return False
    if target.topics and not target.topics & person.topics:
        return False
    if target.area is not None and (person.area or "").casefold() != target.area.casefold():
        return False
    return target.language is None or person.language == target.language
