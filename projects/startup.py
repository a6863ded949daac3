"""The start-up check: the questions the frameworks ask before deciding whether and how to
co-produce, declared once, and what their answers suggest. The creator's answers are kept in
the group's draft under each question's name, so the honest level can be suggested from them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.i18n import N_
from domain.decisions import Fixed, Share, StartupAnswers, suggest_level
from domain.participation import Level

# (name, question, ((value, label), ...)), asked in this order.
CHECKS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "share",
        N_("Can the council let residents share in this choice?"),
        (("yes", N_("Yes, fully")), ("partly", N_("Partly")), ("no", N_("No"))),
    ),
    ("time", N_("Is there enough time and money to do it properly?"), (("1", N_("Yes")), ("0", N_("No")))),
    (
        "fixed",
        N_("How much is already fixed?"),
        (("little", N_("Very little")), ("some", N_("Some of it")), ("most", N_("Most of it"))),
    ),
    (
        "stake",
        N_("Will people who use the service, and carers, take part from the start?"),
        (("1", N_("Yes")), ("0", N_("Not yet"))),
    ),
)


def startup_answers(draft: Mapping[str, Any]) -> StartupAnswers:
    """The answers in the draft; KeyError or ValueError if one is missing or not a choice offered."""
    return StartupAnswers(Share(draft["share"]), draft["time"] == "1", Fixed(draft["fixed"]), draft["stake"] == "1")


def suggested_level(draft: Mapping[str, Any]) -> Level | None:
    """The level the answers suggest, or None until every question has a valid answer."""
    try:
        return suggest_level(startup_answers(draft))
    except (KeyError, ValueError):
        return None
