"""Builds the Application: one ordered list of every handler, with why the order matters."""

from __future__ import annotations

import warnings
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from approvals import jobs as approval_jobs
from bot.context import BotContext
from bot.http import AiohttpRequest
from bot.pacing import Pacer
from bot.scheduler import JobHandler
from bot.sender import ProgressHook
from bot.services import Services
from bot.shared_state import refresh_conversations
from bot.updates import PerPersonUpdateProcessor
from cycle import jobs as cycle_jobs
from decide import jobs as decide_jobs
from domain.delivery import CHAT_BURST
from feedback import jobs as feedback_jobs
from handlers.admin import admin, jobs_view
from handlers.assisted import (
    assisted,
    assisted_acts,
    assisted_claims,
    assisted_data,
    assisted_meetings,
    assisted_people,
)
from handlers.claims import approval_queue, approvals, claims, claims_export, time_asks
from handlers.decide import decide, decide_answers, decide_open, decide_outcome
from handlers.groups import charter, closing, group_update, groups, project_form, projects
from handlers.kit import common, fallbacks, flow, gates, glossary, links
from handlers.loop import difference, feedback, impact, inbox, questions, themes
from handlers.measure import cycle, cycle_answers, cycle_lead, cycle_prepare, cycle_review, success, success_ratings
from handlers.meetings import meeting_organiser, meeting_papers, meeting_polls, meetings, pay_settings, support
from handlers.opportunities import opportunities, opportunity_form, opportunity_outcome
from handlers.people import access, experience, involvement, onboarding, privacy, reach
from handlers.people import help as help_view
from handlers.people.profile_view import profile_command
from opportunities import work as opportunity_work
from storage.persistence import SQLitePersistence
from success import work as success_work

# Handler groups run in this order for every update; within a group only the first match runs.
SHARED, THROTTLE, GUARD, LOAD, DECLARED_GATE, ANYTIME = -8, -7, -6, -5, -3, -2
PAUSE, FEATURES, OFFER, FLUSH = -1, 0, 1, 2


def build_application(services: Services) -> Application[Any, Any, Any, Any, Any, Any]:
    # Conversations are keyed per user and chat on purpose (a person's flow, whichever message
    # their button is on), so PTB's per_message advice does not apply.
    warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
    settings = services.settings
    application = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(settings.bot_base_url)
        .base_file_url(settings.file_base_url)
        .request(AiohttpRequest())
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        .context_types(ContextTypes(context=BotContext))
        .persistence(SQLitePersistence(services.db, shared=services.shared))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.timezone,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        # Instances sharing a database each pace only their own replies to a chat, so none of them
        # spends the chat's short burst: one a second each, and Telegram's burst absorbs the overlap.
        .rate_limiter(
            Pacer(
                settings.messages_per_second,
                per_chat_interval=settings.chat_interval_seconds,
                chat_burst=1 if services.shared else CHAT_BURST,
                edits_per_second=settings.edits_per_second,
            )
        )
        .concurrent_updates(PerPersonUpdateProcessor(tap_grace=settings.tap_grace_seconds))
        .build()
    )
    application.bot_data["services"] = services

    # A flood from one person stops here, before it costs anyone else a database query.
    application.add_handler(TypeHandler(Update, common.throttle), group=THROTTLE)
    # Groups never see personal questions: stop here before any feature runs.
    application.add_handler(TypeHandler(Update, common.guard_private), group=GUARD)
    # Who is talking, their role and language, loaded once for all later groups.
    application.add_handler(TypeHandler(Update, common.load_user), group=LOAD)
    # Declared buttons (bot/callbacks.py) are checked against their own declaration: a staff
    # role, or a right in the group they are about; handlers then get the parsed value.
    application.add_handler(CallbackQueryHandler(gates.gate_declared_buttons), group=DECLARED_GATE)
    # Looking a word up works mid-conversation and leaves the conversation where it was.
    application.add_handlers(glossary.handlers(), group=ANYTIME)

    flows = [
        onboarding.conversation(),
        project_form.conversation(),
        access.conversation(),
        experience.conversation(),
        opportunity_form.conversation(),
        questions.conversation(),
        opportunity_outcome.conversation(),
        meetings.conversation(),
        meeting_polls.vote_conversation(),
        claims.conversation(),
        approvals.conversation(),
        feedback.conversation(),
        difference.conversation(),
        inbox.conversation(),
        decide.conversation(),
        decide_answers.reason_conversation(),
        decide_outcome.conversation(),
        charter.conversation(),
        group_update.conversation(),
        closing.conversation(),
        closing.reflection(),
        support.conversation(),
        success.conversation(),
        success_ratings.conversation(),
        assisted.conversation(),
        assisted_acts.feedback_conversation(),
        assisted_claims.conversation(),
        meeting_papers.conversation(),
        pay_settings.conversation(),
        cycle_prepare.conversation(),
        cycle_answers.conversation(),
        cycle_answers.update_conversation(),
        cycle_answers.proposal_conversation(),
        cycle_lead.conversation(),
    ]
    application.bot_data["flows"] = flows
    # `/start <payload>`: each feature's kinds of deep link, so the links module imports none of them.
    links.wire(application, {**admin.deep_links(), **projects.deep_links()})
    features: list[Any] = [
        # Blocking or unblocking the bot is news for reach counts, never for a flow.
        *reach.handlers(),
        # Conversations first: someone mid-flow has their answers routed to the flow.
        *flow.conversations(flows),
        CommandHandler("help", help_view.help_command),
        CommandHandler("profile", profile_command),
        *privacy.handlers(),
        *involvement.handlers(),
        *projects.handlers(),
        *admin.handlers(),
        *jobs_view.handlers(),
        *opportunities.handlers(),
        *opportunity_outcome.handlers(),
        *meeting_polls.handlers(),
        *meeting_organiser.handlers(),
        *support.handlers(),
        *claims.handlers(),
        *approval_queue.handlers(),
        *claims_export.handlers(),
        *feedback.handlers(),
        *inbox.handlers(),
        *themes.handlers(),
        *impact.handlers(),
        *groups.handlers(),
        *decide_answers.handlers(),
        *decide_outcome.handlers(),
        *decide_open.handlers(),
        *success.handlers(),
        *success_ratings.handlers(),
        *assisted_data.handlers(),
        *assisted_people.handlers(),
        *assisted_acts.handlers(),
        *assisted_meetings.handlers(),
        *meeting_papers.handlers(),
        *pay_settings.handlers(),
        *time_asks.handlers(),
        *cycle.handlers(),
        *cycle_review.handlers(),
        # Fallbacks last: anything unmatched still gets a helpful answer, never silence.
        flow.cancel_paused(flows),
        MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, fallbacks.unknown_command),
        MessageHandler(filters.UpdateType.MESSAGE, fallbacks.out_of_context),
        flow.old_buttons(flows),
    ]
    application.add_handlers(features, group=FEATURES)
    # Any command (or another feature's button) mid-flow pauses the flow, so the features
    # answer it as if no flow were under way. The last feature, the stale-button answer, takes
    # every button, so it does not count as another feature.
    application.add_handler(flow.interrupter(flows, features[:-1]), group=PAUSE)
    # After the command that paused a flow has answered: the offer to carry on.
    application.add_handler(flow.offer_after_command(flows), group=OFFER)
    if services.shared:  # another instance may have moved this person's conversation on
        application.add_handler(TypeHandler(Update, refresh_conversations), group=SHARED)
    # Persist conversation state after every update rather than once a minute.
    application.add_handler(TypeHandler(Update, common.flush_persistence), group=FLUSH)
    application.add_error_handler(fallbacks.on_error)
    return application


def progress_hooks(
    application: Application[Any, Any, Any, Any, Any, Any], services: Services
) -> dict[str, ProgressHook]:
    """How each kind of bulk message reports its progress to the person who started it."""
    return {opportunity_work.KIND: opportunities.progress_hook(application.bot, services)}


def job_handlers(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> dict[str, JobHandler]:
    """What each kind of scheduled job does when it falls due."""
    return {
        **meeting_organiser.job_handlers(services, application.bot),
        **approval_jobs.job_handlers(services),
        **feedback_jobs.job_handlers(services),
        **decide_jobs.job_handlers(services),
        **cycle_jobs.job_handlers(services),
        **success_work.job_handlers(services),
        **privacy.job_handlers(application, services),
        **questions.job_handlers(services),
        **opportunity_outcome.job_handlers(services),
    }
