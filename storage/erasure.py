"""What each table holds about a person, and what erasing them does to it.

Erasure is driven by these declarations, not by a hand-kept list of statements, and
tests/test_erasure.py fails for any table or text column that is not declared here: a new
table is either erased, or said to be kept and why, before it can ship.

Each rule finds a person's rows with a condition that may use `:participant` (their
participants.id), `:telegram` (their Telegram id) and `:now`. A rule without `blank`
deletes the rows; with `blank` it sets each named column to a fixed SQL value. The
participants row itself stays as a bare anchor, so records the council must keep (claims,
decisions, counts) still add up, but point at nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from storage.db import Tx
from storage.dialects import SqliteSql
from storage.times import to_db

# A condition, or one written per engine (a JSON list in a column holds the person's id).
Where = str | Callable[[SqliteSql], str]

# A queued message that has not gone yet is cancelled; one that went keeps only its status.
_CANCEL_UNSENT = "CASE WHEN status IN ('pending', 'sending') THEN 'cancelled' ELSE status END"


@dataclass(frozen=True)
class Rule:
    """One statement: the rows `where` finds are deleted, or have the `blank` columns reset."""

    where: Where
    blank: Mapping[str, str] | None = None

    def sql(self, table: str, sql: SqliteSql) -> str:
        # Assembled only from the constant declarations below, never from input.
        where = self.where(sql) if callable(self.where) else self.where
        if self.blank is None:
            return f"DELETE FROM {table} WHERE {where}"
        sets = ", ".join(f"{column} = {value}" for column, value in self.blank.items())
        return f"UPDATE {table} SET {sets} WHERE {where}"


@dataclass(frozen=True)
class Table:
    """A table's personal data: `forget` deletes every row of the person; `rules` blank or
    delete some; `kept` names the text columns that stay, being no one's personal data or
    records the council must keep."""

    name: str
    forget: Where | None = None
    rules: tuple[Rule, ...] = ()
    kept: frozenset[str] = field(default_factory=frozenset)

    def statements(self, sql: SqliteSql) -> Iterator[str]:
        if self.forget is not None:
            yield Rule(self.forget).sql(self.name, sql)
        for rule in self.rules:
            yield rule.sql(self.name, sql)

    def covers(self, column: str) -> bool:
        """Whether erasure has decided what happens to this column."""
        blanked = any(column in (rule.blank or {}) for rule in self.rules)
        return self.forget is not None or blanked or column in self.kept


def _kept(*columns: str) -> frozenset[str]:
    return frozenset(columns)


def _listed(column: str, who: str) -> Where:
    """The JSON list in `column` holds the person (`who` is :participant or :telegram)."""
    return lambda sql: sql.json_list_has(column, who)


# In the order they run: rules that find rows through another table come before it changes.
PERSONAL: tuple[Table, ...] = (
    Table("consents", forget="participant_id = :participant"),
    Table("inbox", forget="person = :telegram"),  # their updates not yet handled (webhook mode)
    Table("participant_topics", forget="participant_id = :participant"),
    Table("project_members", forget="participant_id = :participant"),
    Table("access_needs", forget="participant_id = :participant"),
    Table("opportunity_responses", forget="participant_id = :participant"),
    Table("opportunity_questions", forget="participant_id = :participant"),
    # Their own threads go whole; what they wrote as an organiser in others' threads goes too.
    Table(
        "question_messages",
        rules=(
            Rule("thread_id IN (SELECT id FROM question_threads WHERE participant_id = :participant)"),
            Rule("author_id = :participant", {"text": "''", "voice_file_id": "NULL", "author_id": "NULL"}),
        ),
        kept=_kept("at"),
    ),
    Table("question_threads", forget="participant_id = :participant"),
    Table("meeting_votes", forget="participant_id = :participant"),
    Table("meeting_invitees", forget="participant_id = :participant"),
    # Their consent to be named, and their support tasks with the organiser's notes to them.
    Table("support_consents", forget="participant_id = :participant"),
    Table(
        "support_tasks",
        forget="participant_id = :participant",
        rules=(Rule("done_by = :participant", {"done_by": "NULL"}),),
    ),
    Table("difference_answers", forget="participant_id = :participant"),
    Table("checkins", forget="participant_id = :participant"),
    Table("lived_experience", forget="participant_id = :participant"),
    # Success ratings and comments are what they said; a statement they proposed keeps its place
    # and the others' ratings without their words, as a proposal they put does.
    Table("success_ratings", forget="participant_id = :participant"),
    # What a member learned and how closing a group felt are theirs; the group's outcomes stay.
    Table("group_reflections", forget="participant_id = :participant"),
    Table(
        "success_statements",
        rules=(Rule("proposed_by = :participant", {"text": "'—'", "indicators": "NULL", "proposed_by": "NULL"}),),
        kept=_kept("view", "agreed_at", "created_at"),
    ),
    Table(
        "we_answers",
        rules=(Rule("answered_by = :participant", {"answered_by": "NULL"}),),
        kept=_kept("statement", "at"),
    ),
    Table("user_drafts", forget="telegram_id = :telegram"),
    Table("conversation_states", forget=_listed("conversation_states.key", ":telegram")),
    Table("roles", forget="telegram_id = :telegram", rules=(Rule("granted_by = :telegram", {"granted_by": "NULL"}),)),
    # Claims are records the council must keep: they stay, detached; undecided ones are withdrawn.
    Table(
        "claims",
        rules=(
            Rule(
                "participant_id = :participant AND status IN ('submitted', 'query')",
                {"status": "'rejected'", "reason": "'withdrawn: the person deleted their data'", "decided_at": ":now"},
            ),
            # Where a donation went stays with a paid claim; the rest is what they wrote.
            Rule(
                "participant_id = :participant",
                {
                    "note": "NULL",
                    "activity": "NULL",
                    "donate_to": "CASE WHEN status IN ('approved', 'paid') THEN donate_to END",
                },
            ),
        ),
        kept=_kept(
            "reference",
            "payment_preference",
            "status",
            "submitted_at",
            "decided_at",
            "paid_at",
            "reason",
            "nudged_at",
            "submission_key",
        ),
    ),
    Table(
        "claim_items",
        rules=(
            # A receipt stays with the money paid against it, and goes with a claim that was not paid.
            Rule(
                "claim_id IN (SELECT id FROM claims WHERE participant_id = :participant AND status = 'rejected')",
                {"receipt_file_id": "NULL", "receipt_type": "NULL"},
            ),
        ),
        kept=_kept("kind", "category", "miles", "vehicle", "hours"),
    ),
    # An officer's questions to them and their answers go; decisions and their reasons stay.
    Table(
        "claim_events",
        rules=(
            Rule(
                "action IN ('question', 'answer')"
                " AND claim_id IN (SELECT id FROM claims WHERE participant_id = :participant)",
                {"detail": "NULL"},
            ),
        ),
        kept=_kept("at", "action"),
    ),
    Table(
        "preapprovals",
        rules=(Rule("participant_id = :participant AND status = 'asked'"),),
        kept=_kept("category", "status", "asked_at", "decided_at"),
    ),
    # An ask to be paid for something else stays with any claim paid for it, without what they wrote.
    Table(
        "time_asks",
        rules=(
            Rule("participant_id = :participant", {"description": "'—'"}),
            Rule("decided_by = :participant", {"decided_by": "NULL"}),
        ),
        kept=_kept("hours", "status", "asked_at", "decided_at"),
    ),
    # Feedback still counts in the measures, but what they said goes.
    Table(
        "feedback",
        rules=(
            Rule(
                "participant_id = :participant",
                {"text": "NULL", "voice_file_id": "NULL", "photo_file_id": "NULL", "service": "NULL"},
            ),
        ),
        kept=_kept("reference", "about", "status", "reason", "received_at", "responded_at"),
    ),
    # Messages to them are cancelled or emptied; messages to others that quote them are emptied.
    Table(
        "outbox",
        rules=(
            Rule(
                "participant_id = :participant",
                {
                    "chat_id": "0",
                    "text": "''",
                    "markup": "NULL",
                    "file_name": "NULL",
                    "file_data": "NULL",
                    "file_id": "NULL",
                    "error": "NULL",
                    "quotes": "NULL",
                    "status": _CANCEL_UNSENT,
                },
            ),
            Rule(
                _listed("outbox.quotes", ":participant"),
                {
                    "text": "''",
                    "markup": "NULL",
                    "file_name": "NULL",
                    "file_data": "NULL",
                    "file_id": "NULL",
                    "status": _CANCEL_UNSENT,
                },
            ),
        ),
        kept=_kept(
            "not_before",
            "expires_at",
            "status",
            "claimed_at",
            "sent_at",
            "dedupe_key",
            "send_from",
            "requested_at",
            "file_kind",
        ),
    ),
    Table(
        "outbox_batches",
        rules=(Rule("progress_chat_id = :telegram", {"progress_chat_id": "NULL", "progress_message_id": "NULL"}),),
        kept=_kept("kind", "ref", "created_at", "stopped_at", "finished_at"),
    ),
    Table(
        "invite_codes",
        rules=(
            Rule("created_by = :telegram", {"created_by": "0"}),
            Rule("used_by = :telegram", {"used_by": "NULL"}),
        ),
        kept=_kept("code", "role", "created_at", "expires_at", "used_at", "revoked_at"),
    ),
    # The log keeps what was done, not by whom; a role removed from them named their account.
    Table(
        "audit_log",
        rules=(
            Rule("actor_telegram_id = :telegram", {"actor_telegram_id": "NULL"}),
            Rule("action = 'roles.revoke' AND subject = CAST(CAST(:telegram AS BIGINT) AS TEXT)", {"subject": "NULL"}),
        ),
        kept=_kept("at", "action", "subject", "outcome", "detail"),
    ),
    # Deciding together: answers still count, reasons go; a proposal or vote they put keeps its
    # place in the group's log without their words (a vote's options stay: without them its
    # result means nothing to the group); an election names a candidate, so the name goes.
    Table("project_coleads", forget="participant_id = :participant", kept=_kept("chosen_by", "since")),
    Table("colead_candidates", forget="participant_id = :participant", kept=_kept("stood_at")),
    Table("charter_agreements", forget="participant_id = :participant", kept=_kept("agreed_at")),
    Table(
        "decision_answers",
        rules=(Rule("participant_id = :participant", {"reason": "NULL", "reason_voice": "NULL"}),),
        kept=_kept("answer", "answered_at"),
    ),
    Table("decision_votes", kept=_kept()),
    Table(
        "decision_options",
        rules=(Rule("candidate_id = :participant", {"label": "'—'", "candidate_id": "NULL"}),),
        kept=_kept("label"),
    ),
    # Versions of an item's words in other languages name no one (no author column) and stay with
    # the item, but a proposal's or vote's go with its proposer's words, before those are blanked below.
    Table(
        "text_versions",
        rules=(
            Rule(
                "item_kind = 'decision' AND item_id IN (SELECT id FROM decisions WHERE proposer_id = :participant"
                " AND kind IN ('proposal', 'dots', 'ranked'))"
            ),
        ),
        kept=_kept("item_kind", "language", "fields", "created_at"),
    ),
    Table(
        "decisions",
        rules=(
            Rule(
                "proposer_id = :participant AND kind IN ('proposal', 'dots', 'ranked')",
                {"title": "'—'", "body": "NULL", "body_voice": "NULL", "proposer_id": "NULL"},
            ),
            Rule("proposer_id = :participant", {"proposer_id": "NULL"}),
            Rule("outcome_by = :participant", {"outcome_by": "NULL"}),
        ),
        kept=_kept(
            "kind",
            "title",
            "status",
            "outcome",
            "outcome_text",
            "block_answer",
            "opened_at",
            "closes_at",
            "closed_at",
            "outcome_at",
            "review_on",
            "review_prompted_at",
            "submission_key",
        ),
    ),
    # Working together for change: what a person said goes, but still counts; where they placed
    # statements and which steps they answered go; an update they posted keeps its place without
    # their words. Themes, causes and actions are the lead's words for the group.
    Table(
        "cycle_statements",
        rules=(
            Rule("participant_id = :participant", {"text": "NULL", "voice_file_id": "NULL", "participant_id": "NULL"}),
        ),
        kept=_kept("kind", "written_at"),
    ),
    Table("cycle_placements", forget="participant_id = :participant", kept=_kept("placed_at")),
    Table("cycle_responses", forget="participant_id = :participant", kept=_kept("step", "answered_at")),
    Table(
        "cycle_updates",
        rules=(Rule("author_id = :participant", {"text": "NULL", "author_id": "NULL"}),),
        kept=_kept("posted_at"),
    ),
    Table(
        "cycle_actions",
        rules=(
            Rule("created_by = :participant AND proposed = 1", {"text": "'—'"}),
            Rule("owner_id = :participant", {"owner_id": "NULL"}),
            Rule("created_by = :participant", {"created_by": "NULL"}),
        ),
        kept=_kept("text", "due_on", "created_at"),
    ),
    Table(
        "cycles",
        rules=(Rule("lead_id = :participant", {"lead_id": "NULL"}),),
        kept=_kept(
            "question",
            "step",
            "step_opened_at",
            "step_closes_at",
            "step_closed_at",
            "started_at",
            "finished_at",
            "submission_key",
            "measured_at",
        ),
    ),
    Table("cycle_themes", kept=_kept("title", "i_statement", "success", "baseline")),
    # Being picked to take part in a cycle goes; a step's agreed date is the group's.
    Table("cycle_participants", forget="participant_id = :participant"),
    Table("cycle_step_dates", kept=_kept("step", "closes_at")),
    Table("cycle_success", kept=_kept("view", "text", "indicators", "written_at")),
    Table("cycle_ratings", forget="participant_id = :participant"),
    Table("cycle_interested", forget="participant_id = :participant", kept=_kept("asked_at")),
    # The group's terms of reference, written by its leads for everyone.
    Table(
        "charters",
        rules=(Rule("drafted_by = :participant", {"drafted_by": "NULL"}),),
        kept=_kept(
            "purpose",
            "can_change",
            "cannot_change",
            "decides_by",
            "meets",
            "paid",
            "ground_rules",
            "easy_read",
            "who_proposes",
            "drafted_at",
            "agreed_at",
        ),
    ),
    # Taking part through staff: what staff entered for them and the letters to them go; a
    # staff member who is erased is no longer named on what they entered or posted.
    Table(
        "staff_entries",
        forget="participant_id = :participant",
        rules=(Rule("staff_id = :participant", {"staff_id": "NULL"}),),
        kept=_kept("kind", "ref", "at"),
    ),
    Table(
        "letters",
        forget="participant_id = :participant",
        rules=(
            Rule("posted_by = :participant", {"posted_by": "NULL"}),
            Rule(_listed("letters.quotes", ":participant"), {"text": "''", "options": "NULL"}),
        ),
        kept=_kept("quotes", "dedupe_key", "written_at", "posted_at"),
    ),
    # Last, as the others find rows by the ids it holds.
    Table(
        "participants",
        rules=(
            Rule("added_by = :participant", {"added_by": "NULL"}),
            Rule(
                "id = :participant",
                {
                    "telegram_id": "NULL",
                    "language": "'en'",
                    "display_name": "NULL",
                    "acting_for": "NULL",
                    "other_consent_at": "NULL",
                    "area": "NULL",
                    "quiet_start": "NULL",
                    "quiet_end": "NULL",
                    "payment_preference": "NULL",
                    "donate_to": "NULL",
                    "unreachable_at": "NULL",
                    "opportunities_paused": "0",
                    "active_on": "NULL",
                    "retention_warned_on": "NULL",
                    "takes_part": "NULL",
                    "partner_name": "NULL",
                    "consent_how": "NULL",
                    "added_by": "NULL",
                    "contact_note": "NULL",
                    "erased_at": ":now",
                },
            ),
        ),
        kept=_kept("created_at", "registered_at"),
    ),
    # Written by staff for everyone, or the bot's own bookkeeping: no one's personal data.
    Table("topics", kept=_kept("slug", "name")),
    Table(
        "projects",
        rules=(Rule("closed_by = :participant", {"closed_by": "NULL"}),),
        kept=_kept(
            "name",
            "description",
            "level",
            "join_code",
            "created_at",
            "closed_at",
            "level_reason",
            "startup_answers",
            "outcomes",
            "what_changed",
        ),
    ),
    Table(
        "opportunities",
        kept=_kept(
            "title",
            "about",
            "level",
            "can_change",
            "cannot_change",
            "time_needed",
            "dates",
            "pays",
            "access_info",
            "closes_at",
            "target_topics",
            "target_area",
            "target_language",
            "target_skills",
            "created_at",
            "submission_key",
            "outcome",
            "outcome_text",
            "outcome_at",
        ),
    ),
    Table(
        "meetings",
        kept=_kept(
            "title",
            "purpose",
            "level",
            "format",
            "venue",
            "venue_features",
            "online_link",
            "poll_closes_at",
            "status",
            "created_at",
            "submission_key",
        ),
    ),
    Table("meeting_slots", kept=_kept("starts_at")),
    Table(
        "meeting_papers",
        rules=(Rule("added_by = :participant", {"added_by": "NULL"}),),
        kept=_kept("version", "kind", "body", "file_id", "added_at"),
    ),
    Table("pay_settings", kept=_kept("scope")),
    Table("themes", kept=_kept("title", "outcome", "we_did", "created_at", "published_at")),
    Table("jobs", kept=_kept("kind", "ref", "due_at", "done_at", "last_error", "retry_at", "parked_at")),
    Table("schema_migrations", kept=_kept("name", "applied_at")),
)


async def erase_person(conn: Tx, participant_id: int, now: datetime) -> None:
    """Run every declared rule for one person, inside the caller's transaction."""
    row = await conn.fetchone("SELECT telegram_id FROM participants WHERE id = ?", (participant_id,))
    params = {"participant": participant_id, "telegram": row["telegram_id"] if row else None, "now": to_db(now)}
    for table in PERSONAL:
        for statement in table.statements(conn.sql):
            await conn.execute(statement, params)
