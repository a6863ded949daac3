"""The privacy notice people agree to when they join, shown again by /privacy. Its version is
stored with each consent, so a changed notice can be told from the one someone agreed to."""

from __future__ import annotations

from bot.i18n import _

NOTICE_VERSION = "2026-11"


def privacy_summary() -> str:
    return "\n".join(
        [
            _("<b>Your privacy</b> (notice version {version})").format(version=NOTICE_VERSION),
            "",
            _("We keep what you tell us: your name, the topics you care about, your area and when we may message you."),
            _("We use it only to invite you to take part and to plan meetings that work for you."),
            _("Only council staff who run your activities can see it. We never ask for bank details here."),
            _("You can see all of it with /mydata and delete it with /delete at any time."),
        ]
    )
