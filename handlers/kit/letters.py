"""Letters: what the bot would have messaged someone who takes part through staff, as a page
that prints on paper or can be read out, in their language."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import _, format_date
from bot.pages import printable_page
from bot.text import escape
from storage.assisted import Letter


def letter_page(name: str, letters: list[Letter], tz: ZoneInfo, *, large_print: bool) -> str:
    """The letters as one printable page, in the current language (the reader's, set by the
    caller), in large print for those who need it. Message texts are already Telegram HTML
    (b, i, a), which is HTML too."""
    sections = []
    for letter in letters:
        body = letter.text.replace("\n", "<br>")
        options = "".join(f"<li>☐ {escape(label)}</li>" for label in letter.options)
        tick = "<p>" + escape(_("Tick your answer:")) + f"</p><ul class='ticks'>{options}</ul>" if options else ""
        sections.append(f"<section><h2>{escape(format_date(letter.written_at, tz))}</h2><p>{body}</p>{tick}</section>")
    sections.append("<p>" + escape(_("To answer, tell the person who gave you this letter.")) + "</p>")
    return printable_page(_("Letters for {name}").format(name=name), "".join(sections), large_print=large_print)
