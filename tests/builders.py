"""Shared set-ups, done the way people do them: a group created with /newproject, its
start-up check answered, and members joining from its link."""

from __future__ import annotations

from datetime import date
from enum import EnumMeta
from typing import Any

from emulator.driver import Person
from tests.harness import TestBed

# Answers to the start-up check that support every level, so any level can be chosen without a reason.
SHARING_ANSWERS = ("Yes, fully", "Yes", "Very little", "Yes")


async def answer_startup_check(cora: Person, answers: tuple[str, ...] = SHARING_ANSWERS) -> None:
    for label in answers:
        await cora.tap(label)


async def new_group(cora: Person, name: str, about: str, level: str) -> str:
    """Creates the group and returns its join payload (what follows ?start=)."""
    await cora.send("/newproject")
    await cora.send(name)
    await cora.send(about)
    await answer_startup_check(cora)
    await cora.tap(level)
    return cora.replies[-1]["caption"].split("start=")[1].split()[0]


async def members(bed: TestBed, payload: str, *names: str, language: str = "en") -> list[Person]:
    people = []
    for name in names:
        person = await bed.joined(name, language)
        await person.send(f"/start {payload}")
        people.append(person)
    return people


def plausible(hint: Any) -> Any:
    """A value a forged button could carry in a field of this type: id 1, the first choice of an
    enum, true, a date, or an action letter that would act if the gate let the press through."""
    if isinstance(hint, EnumMeta):
        return next(iter(hint))
    return {int: 1, bool: True, date: date(2026, 12, 1)}.get(hint, "a")
