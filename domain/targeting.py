"""Who an opportunity should reach. The database query in storage/opportunities.py
implements exactly this rule; a test checks the two agree."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    topics: frozenset[str] = field(default_factory=frozenset)  # any of these; empty = any topic
    area: str | None = None
    language: str | None = None
    skills: frozenset[str] = field(default_factory=frozenset)  # people who know about any of these
    worked_on: int | None = None  # people who worked with us on this group before

    @property
    def everyone(self) -> bool:
        return (
            not self.topics
            and self.area is None
            and self.language is None
            and not self.skills
            and self.worked_on is None
        )


@dataclass(frozen=True)
class Reachable:
    """What targeting needs to know about one person."""

    registered: bool
    reachable: bool
    paused: bool
    topics: frozenset[str]
    area: str | None
    language: str
    skills: frozenset[str] = field(default_factory=frozenset)  # what they said they know about
    skills_agreed: bool = False  # whether they agreed we may use it to tell them about opportunities
    worked_on: frozenset[int] = field(default_factory=frozenset)  # groups they were in or met with


def matches(target: Target, person: Reachable) -> bool:
    if not person.registered or not person.reachable or person.paused:
        return False
    if target.topics and not target.topics & person.topics:
        return False
    if target.area is not None and (person.area or "").casefold() != target.area.casefold():
        return False
    if target.skills and not (person.skills_agreed and target.skills & person.skills):
        return False
    if target.worked_on is not None and target.worked_on not in person.worked_on:
        return False
    return target.language is None or person.language == target.language
