"""What is paid, in words: the lines every poll, invitation and pay screen shows."""

from __future__ import annotations

from bot.i18n import N_, _, format_money
from domain.pay import WhatIsPaid


def what_is_paid(paid: WhatIsPaid) -> str:
    """Two plain sentences, in the reader's language (set by the caller)."""
    if paid.meeting_pence:
        time = _("💷 What is paid: {rate} an hour for your time.").format(rate=format_money(paid.meeting_pence))
    else:
        time = _("💷 What is paid: your time is not paid.")
    costs = {
        (True, True): N_("Travel and carer cover are paid back."),
        (True, False): N_("Travel is paid back, but carer cover is not."),
        (False, True): N_("Carer cover is paid back, but travel is not."),
        (False, False): N_("Travel and carer cover are not paid back."),
    }[(paid.travel, paid.carer_cover)]
    return f"{time} {_(costs)}"


def time_rates_line(paid: WhatIsPaid) -> str:
    """The rates for time beyond the meeting, for the organiser's settings screen."""
    return _("Time to read and get ready: {preparation} an hour. Something else, once agreed: {other} an hour.").format(
        preparation=format_money(paid.preparation_pence), other=format_money(paid.other_pence)
    )
