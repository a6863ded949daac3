"""Adding someone who takes part by phone, on paper or through a partner organisation
(/addperson): a coordinator or officer enters them with how they agreed to our privacy notice.
The other end of that agreement, handing them their data or erasing it, is in
`handlers.assisted.assisted_data`; their list and page, from which staff act for them, are in
`handlers.assisted.assisted_people`.

What staff enter for them goes through the same use case a resident's own goes through, then
is marked as entered by staff (in their export) and audited with the staff member."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from assisted.work import CONSENTS, WAYS, add_person
from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import column
from domain.access import NEEDS
from domain.roles import ORGANISERS
from handlers.buttons.assisted_buttons import AddChoice, NeedTick, PersonButton
from handlers.kit.checklist import Checklist, translated
from handlers.kit.choose import choose_one, languages, stoppable
from handlers.kit.common import Handler, ask, audit, escape, require, say
from handlers.kit.drafts import DraftLost, DraftSlot, restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed_text
from handlers.kit.write_in import write_in
from privacy.notice import NOTICE_VERSION
from storage.assisted import NewPerson

DRAFT = "assisted_draft"
NAME, WAY, PARTNER, CONSENT, LANGUAGE, NEEDS_STEP, GROUP, NOTE = (
    "name",
    "way",
    "partner",
    "consent",
    "language",
    "needs",
    "group",
    "note",
)
SKIP = "skip"
NAME_MAX, PARTNER_MAX, NOTE_MAX = 60, 80, 300


@dataclass
class AddDraft:
    """Who they are and how they agreed, as `NewPerson` takes it; begun by their name, the first answer."""

    name: str
    way: str | None = None  # an assisted.work.WAYS key
    partner: str | None = None  # the organisation, when they take part through one
    consent: str | None = None  # a CONSENTS key
    language: str | None = None
    needs: list[str] = field(default_factory=list)  # domain.access.NEEDS keys, ticked in NEEDS_LIST
    group: int | None = None  # one the staff member leads
    note: str | None = None  # how to reach them, which only staff see


ADDING = DraftSlot(DRAFT, AddDraft)


def _keep_name(context: BotContext, name: str) -> None:
    ADDING.begin(context, AddDraft(name))


NEEDS_LIST = Checklist(
    prefix=NeedTick.prefix,
    store=ADDING.stored,
    field="needs",
    question=lambda _context: _("What do they need to take part? Tap all that apply, then tap Next."),
    options=translated(NEEDS),
    rows_after=lambda context: [[(_("Next »"), AddChoice(NEEDS_STEP, "next").pack())]],
)


@require(ORGANISERS, "assisted.add")
async def start_adding(update: Update, context: BotContext) -> Any:
    ADDING.drop(context)  # the name begins the draft
    return await ask_name(update, context)


async def _after_way(update: Update, context: BotContext) -> Any:
    """Someone helped by a partner organisation: which one, first."""
    return await (ask_partner if ADDING.of(context).way == "partner" else ask_consent)(update, context)


ask_way, on_way = choose_one(
    AddChoice, WAY, WAY, N_("How do they take part?"), WAYS, ADDING.keeper("way"), _after_way, put=ask, clears=False
)


ask_name, on_name = write_in(
    NAME,
    stoppable(N_("Add someone who takes part without Telegram. What is their name?")),
    NAME_MAX,
    _keep_name,
    ask_way,
    put=ask,
)


ask_language, on_language = choose_one(
    AddChoice,
    LANGUAGE,
    LANGUAGE,
    N_("Which language should their letters be in?"),
    languages,
    ADDING.keeper("language"),
    lambda update, context: ask_needs(update, context),
    put=ask,
    clears=False,
)
ask_consent, on_consent = choose_one(
    AddChoice,
    CONSENT,
    CONSENT,
    N_("Did they agree to our privacy notice? Read it to them first (/privacy). How did they agree?"),
    CONSENTS,
    ADDING.keeper("consent"),
    ask_language,
    put=ask,
    clears=False,
)


ask_partner, on_partner = write_in(
    PARTNER,
    lambda _context: _("Which organisation helps them take part?"),
    PARTNER_MAX,
    ADDING.keeper("partner"),
    ask_consent,
    put=ask,
)


async def _led_groups(context: BotContext) -> dict[str, str] | None:
    """The groups they lead, and Skip; None when they lead none (the step is left out)."""
    assert context.participant is not None
    groups = {str(p.id): p.name[:40] for p in await context.services.projects.led_by(context.participant.id)}
    return {**groups, SKIP: _("Skip »")} if groups else None


def _keep_group(context: BotContext, chosen: str) -> None:
    with ADDING.editing(context) as draft:
        draft.group = None if chosen == SKIP else int(chosen)


async def _finish(update: Update, context: BotContext) -> Any:
    draft = ADDING.pop(context)
    if draft.way is None or draft.consent is None or draft.language is None:
        raise DraftLost(DRAFT)  # a draft that lost its answers: they are asked again
    await ending(update, context)
    assert context.participant is not None
    person = NewPerson(
        name=draft.name,
        language=draft.language,
        takes_part=draft.way,
        partner_name=draft.partner,
        consent_how=draft.consent,
        contact_note=draft.note,
    )
    participant_id = await add_person(
        context.services, person, draft.needs, draft.group, context.participant.id, NOTICE_VERSION
    )
    await audit(context, update, "assisted.add", "ok", subject=str(participant_id), detail=draft.way)
    await say(
        update,
        context,
        _("{name} is added. Open their page to act for them.").format(name=escape(person.name)),
        column([(_("Open their page"), PersonButton(participant_id).pack())]),
    )
    return ConversationHandler.END


ask_note, on_note = write_in(
    NOTE,
    lambda _context: _("How do we reach them? For example a postal address or a phone number. Only staff see this."),
    NOTE_MAX,
    ADDING.keeper("note"),
    _finish,
    one_line=False,
    skip=AddChoice(NOTE, SKIP),
)
ask_group, on_group = choose_one(
    AddChoice, GROUP, GROUP, N_("Add them to one of your groups?"), _led_groups, _keep_group, ask_note, gone=ask_note
)


ask_needs: Handler  # declared, so the steps above can name it before it is made
ask_needs, on_needs_done = NEEDS_LIST.step(
    NEEDS_STEP,
    ask_group,
    done=lambda context: AddChoice.chosen(context.button, NEEDS_STEP) == "next",
)


def conversation() -> Flow:
    choice = AddChoice.pattern()
    return Flow(
        name="add_person",
        noun=N_("adding a person"),
        states=restarting(
            {
                NAME: step(ask_name, MessageHandler(typed_text(), on_name)),
                WAY: step(ask_way, CallbackQueryHandler(on_way, pattern=choice)),
                PARTNER: step(ask_partner, MessageHandler(typed_text(), on_partner)),
                CONSENT: step(ask_consent, CallbackQueryHandler(on_consent, pattern=choice)),
                LANGUAGE: step(ask_language, CallbackQueryHandler(on_language, pattern=choice)),
                NEEDS_STEP: step(
                    ask_needs, NEEDS_LIST.tap_handler(), CallbackQueryHandler(on_needs_done, pattern=choice)
                ),
                GROUP: step(ask_group, CallbackQueryHandler(on_group, pattern=choice)),
                NOTE: step(
                    ask_note, MessageHandler(typed_text(), on_note), CallbackQueryHandler(on_note, pattern=choice)
                ),
            },
            start_adding,
        ),
        entry_points=[CommandHandler("addperson", start_adding)],
        cancel=stopped(),
        prefixes=(AddChoice.prefix, NeedTick.prefix),
        drafts=(DRAFT,),
        start=start_adding,
        command="addperson",
    )
