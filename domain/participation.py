"""The ladder of participation, shown on every project, meeting and opportunity."""

from __future__ import annotations

from enum import StrEnum

from domain.marks import N_


class Level(StrEnum):
    INFORM = "inform"
    CONSULT = "consult"
    ENGAGE = "engage"
    CO_DESIGN = "co_design"
    CO_PRODUCE = "co_produce"


LEVEL_NAMES: dict[Level, str] = {
    Level.INFORM: N_("Inform"),
    Level.CONSULT: N_("Consult"),
    Level.ENGAGE: N_("Engage"),
    Level.CO_DESIGN: N_("Co-design"),
    Level.CO_PRODUCE: N_("Co-produce"),
}

LEVEL_MEANINGS: dict[Level, str] = {
    Level.INFORM: N_("We tell you about something already decided."),
    Level.CONSULT: N_("We ask your views on options we have set."),
    Level.ENGAGE: N_("An open talk. What you say can change some plans."),
    Level.CO_DESIGN: N_("You help design it. Others deliver it."),
    Level.CO_PRODUCE: N_("Equal partners from start to end. We decide together."),
}

# Each level's entry in the glossary, for "What does this mean?" next to a level.
LEVEL_TERMS: dict[Level, str] = {
    Level.INFORM: "inform",
    Level.CONSULT: "consult",
    Level.ENGAGE: "engage",
    Level.CO_DESIGN: "codesign",
    Level.CO_PRODUCE: "coprod",
}
