"""The services every handler reaches through the typed context."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.clock import Clock
from bot.config import Settings
from storage.audit import Audit
from storage.db import Database
from storage.participants import Participants
from storage.projects import Projects
from storage.roles import Roles


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    participants: Participants = field(init=False)
    roles: Roles = field(init=False)
    projects: Projects = field(init=False)
    audit: Audit = field(init=False)

    def __post_init__(self) -> None:
        self.participants = Participants(self.db)
        self.roles = Roles(self.db)
        self.projects = Projects(self.db)
        self.audit = Audit(self.db)
