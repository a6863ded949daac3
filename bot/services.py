"""The services every handler reaches through the typed context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.config import Settings
from bot.throttle import Throttle
from storage.access import AccessNeeds
from storage.assisted import AssistedPeople
from storage.audit import Audit
from storage.charters import Charters
from storage.claims import Claims
from storage.closing import Closings
from storage.cycles import Cycles
from storage.db import Database
from storage.decisions import Decisions
from storage.feedback import FeedbackStore
from storage.inbox import Inbox
from storage.involvement import Involvement
from storage.jobs import Jobs
from storage.meetings import Meetings
from storage.opportunities import Opportunities
from storage.outbox import Outbox
from storage.papers import Papers
from storage.participants import Participants
from storage.pay import PayStore
from storage.projects import Projects
from storage.questions import Questions
from storage.roles import Roles
from storage.success import SuccessStore
from storage.support import Support
from storage.text_versions import TextVersions

if TYPE_CHECKING:
    from bot.peers import Peers
    from bot.scheduler import Scheduler
    from bot.sender import OutboxSender


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    participants: Participants = field(init=False)
    roles: Roles = field(init=False)
    projects: Projects = field(init=False)
    audit: Audit = field(init=False)
    outbox: Outbox = field(init=False)
    inbox: Inbox = field(init=False)  # webhook updates stored until handled
    opportunities: Opportunities = field(init=False)
    meetings: Meetings = field(init=False)
    access: AccessNeeds = field(init=False)
    claims: Claims = field(init=False)
    feedback: FeedbackStore = field(init=False)
    jobs: Jobs = field(init=False)
    decisions: Decisions = field(init=False)
    charters: Charters = field(init=False)
    text_versions: TextVersions = field(init=False)
    involvement: Involvement = field(init=False)
    closings: Closings = field(init=False)
    support: Support = field(init=False)
    success: SuccessStore = field(init=False)
    questions: Questions = field(init=False)
    assisted: AssistedPeople = field(init=False)
    papers: Papers = field(init=False)
    pay: PayStore = field(init=False)
    cycles: Cycles = field(init=False)
    throttle: Throttle = field(init=False)
    sender: OutboxSender | None = None
    scheduler: Scheduler | None = None
    peers: Peers | None = None  # other instances sharing a PostgreSQL database

    @property
    def shared(self) -> bool:
        """Whether other instances may handle this one's people: one PostgreSQL database, webhooks."""
        return self.db.dialect == "postgresql" and bool(self.settings.webhook_url)

    def __post_init__(self) -> None:
        self.throttle = Throttle(limit=self.settings.flood_limit)
        self.participants = Participants(self.db)
        self.roles = Roles(self.db)
        self.projects = Projects(self.db)
        self.audit = Audit(self.db)
        self.outbox = Outbox(self.db)
        self.inbox = Inbox(self.db)
        self.opportunities = Opportunities(self.db)
        self.meetings = Meetings(self.db)
        self.access = AccessNeeds(self.db)
        self.claims = Claims(self.db)
        self.feedback = FeedbackStore(self.db)
        self.jobs = Jobs(self.db)
        self.decisions = Decisions(self.db)
        self.charters = Charters(self.db)
        self.text_versions = TextVersions(self.db)
        self.involvement = Involvement(self.db)
        self.closings = Closings(self.db)
        self.support = Support(self.db)
        self.success = SuccessStore(self.db)
        self.questions = Questions(self.db)
        self.assisted = AssistedPeople(self.db)
        self.papers = Papers(self.db)
        self.pay = PayStore(self.db)
        self.cycles = Cycles(self.db)
