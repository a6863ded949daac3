"""What success looks like on screens other than its own: the group card's success buttons and
the residents' 'I' answers beside staff's 'We' answers in /impact."""

from __future__ import annotations

from typing import Any

from bot.callbacks import GroupRight
from bot.i18n import _
from bot.keyboards import Button
from bot.services import Services
from domain.feedback import STATEMENTS
from domain.roles import ORGANISERS, Role
from domain.success import WE_SCALE, WE_STATEMENTS, statement_averages
from success.buttons import SuccessButton, WeButton
from success.work import average_text


def card_rows(group_id: int, rights: set[GroupRight], role: Role) -> list[list[Button]]:
    """The group card's success buttons; staff who lead the group also answer the 'We' statements."""
    rows: list[list[Button]] = [
        [(_("🎯 Propose what success looks like"), SuccessButton(group_id, "propose").pack())],
        [(_("📈 How are we doing?"), SuccessButton(group_id, "status").pack())],
    ]
    if GroupRight.LEAD in rights and role in ORGANISERS:
        rows.append([(_("🤝 Our 'We' answers"), WeButton(group_id, 0, 0).pack())])
    return rows


async def i_and_we_lines(services: Services, project_id: int, checkins: list[dict[str, Any]]) -> list[str]:
    """For /impact: residents' 'I' answers beside staff's 'We' answers for one group."""
    averages = statement_averages(checkins, STATEMENTS)
    we = await services.success.we_answers(project_id)
    lines = [_("What residents say after meetings (1 to 5):")]
    lines += [f"• {_(STATEMENTS[key])} {average_text(value)}" for key, value in averages.items()]
    lines.append(_("What staff say about how we work:"))
    unanswered = _("not answered yet")
    lines += [f"• {_(text)} {_(WE_SCALE[we[key]]) if key in we else unanswered}" for key, text in WE_STATEMENTS.items()]
    return lines
