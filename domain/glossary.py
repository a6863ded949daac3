"""Plain-words explanations of the terms the council cannot avoid using.

The frameworks promise no jargon and an explanation of every term that must be used. Each
term has a short key so a "What does this mean?" button can carry several of them inside
Telegram's 64-byte callback limit. Texts are marked for translation here and translated
where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.marks import N_


@dataclass(frozen=True)
class Term:
    key: str
    name: str
    meaning: str


TERMS: tuple[Term, ...] = (
    Term(
        "coprod",
        N_("Co-production"),
        N_("The council and the people who use a service plan it and run it together, as equal partners."),
    ),
    Term(
        "ladder",
        N_("Ladder of participation"),
        N_("How much say you have. It goes from being told (inform) to sharing every decision (co-produce)."),
    ),
    Term("inform", N_("Inform"), N_("We tell you about something that is already decided. You cannot change it.")),
    Term("consult", N_("Consultation"), N_("We ask what you think about choices we have made. We then decide.")),
    Term("engage", N_("Engagement"), N_("An open talk about a service. What you say can change some decisions.")),
    Term("codesign", N_("Co-design"), N_("You help to design something with us. Other people then make it happen.")),
    Term(
        "ebe",
        N_("Expert by Experience"),
        N_("Someone who knows a service because they use it, or care for someone who does."),
    ),
    Term(
        "elo",
        N_("Experience-led organisation"),
        N_("A group run by people who use services or care for someone who does."),
    ),
    Term("commission", N_("Commissioning"), N_("How the council decides what services to buy, and who will run them.")),
    Term(
        "send",
        N_("SEND"),
        N_("It stands for special educational needs and disabilities. It means a child needs extra help to learn."),
    ),
    Term("carer", N_("Carer"), N_("Someone who looks after a family member or friend without being paid for it.")),
    Term(
        "pa",
        N_("Personal assistant"),
        N_("Someone paid to help a disabled person with daily life, for example to get to a meeting."),
    ),
    Term(
        "easyread",
        N_("Easy Read"),
        N_("Writing with short lines, simple words and pictures. It is easy for all to read."),
    ),
    Term("bsl", N_("BSL"), N_("British Sign Language. Many Deaf people use it. An interpreter can sign at a meeting.")),
    Term(
        "payment",
        N_("Involvement payment"),
        N_("Money the council pays you for your time when you take part. You can say no to it."),
    ),
    Term(
        "expenses",
        N_("Expenses"),
        N_("Money back for what taking part cost you, like a bus fare or a carer. It is not pay."),
    ),
    Term(
        "seldom",
        N_("Seldom-heard groups"),
        N_("People the council hears from least. Often it is because its ways of working shut them out."),
    ),
    Term(
        "steering",
        N_("Steering group"),
        N_("A small group that meets often to guide a piece of work and check it stays on track."),
    ),
    Term(
        "tor",
        N_("Terms of reference"),
        N_("A short paper that says what a group is for, who is in it, and how it makes decisions."),
    ),
)

_BY_KEY = {term.key: term for term in TERMS}
SEPARATOR = "."


def lookup(keys: str) -> list[Term]:
    """The known terms among the keys a button carried; unknown keys are ignored, not trusted."""
    return [_BY_KEY[key] for key in keys.split(SEPARATOR) if key in _BY_KEY]


def keys_of(*terms: str) -> str:
    """The button payload for some terms; refuses keys that do not exist, to catch typos early."""
    missing = [key for key in terms if key not in _BY_KEY]
    if missing:
        raise KeyError(f"unknown glossary terms: {missing}")
    return SEPARATOR.join(terms)
