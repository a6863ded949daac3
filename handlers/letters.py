"""Letters: what the bot would have messaged someone who takes part through staff, as a page
that prints on paper or can be read out, in their language."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import _, document_language, format_date
from bot.text import escape
from storage.assisted import Letter


def letter_page(name: str, letters: list[Letter], tz: ZoneInfo, *, large_print: bool) -> str:
    """The letters as one printable page, in the current language (the reader's, set by the
    caller), in large print for those who need it. Message texts are already Telegram HTML
    (b, i, a), which is HTML too."""
    lang, direction = document_language()
    size = "1.8rem" if large_print else "1.3rem"
    title = escape(_("Letters for {name}").format(name=name))
    sections = []
    for letter in letters:
        body = letter.text.replace("\n", "<br>")
        options = "".join(f"<li>☐ {escape(label)}</li>" for label in letter.options)
        tick = f"<p>{escape(_('Tick your answer:'))}</p><ul>{options}</ul>" if options else ""
        sections.append(f"<section><h2>{escape(format_date(letter.written_at, tz))}</h2>"
                        f"<p>{body}</p>{tick}</section>")
    return (f"<!doctype html><html lang='{lang}' dir='{direction}'><head><meta charset='utf-8'>"
            f"<title>{title}</title><style>body{{font-family:sans-serif;font-size:{size};line-height:1.5;"
            f"max-width:40rem;margin:auto}} ul{{list-style:none}} section{{break-inside:avoid}}</style></head>"
            f"<body><h1>{title}</h1>{''.join(sections)}"
            f"<p>{escape(_('To answer, tell the person who gave you this letter.'))}</p></body></html>")
