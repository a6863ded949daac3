"""Printable pages: a plain HTML file that opens on any phone, in the reader's language and
direction, and prints cleanly on paper. Claim statements, certificates, letters for people who
take part through staff and cycle reports all use it, so they look alike and each is fixed once."""

from __future__ import annotations

from bot.i18n import document_language
from bot.text import escape

_STYLE = (
    "body{{font-family:sans-serif;font-size:{size};line-height:1.5;max-width:40em;margin:1em auto;"
    "padding:0 1em}}table{{border-collapse:collapse}}td,th{{border:1px solid #555;padding:4px;"
    "text-align:start}}ul.ticks{{list-style:none}}section{{break-inside:avoid}}"
    "@media print{{body{{margin:0}}}}"
)
LARGE_PRINT = "18pt"  # the RNIB's large print starts at 16-18 point


def printable_page(title: str, body: str, *, large_print: bool = False) -> str:
    """`title` is plain text; `body` is HTML the caller built, with every typed value escaped."""
    lang, direction = document_language()
    heading = escape(title)
    style = _STYLE.format(size=LARGE_PRINT if large_print else "12pt")
    return (
        f"<!doctype html><html lang='{lang}' dir='{direction}'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{heading}</title><style>{style}</style></head><body><h1>{heading}</h1>{body}</body></html>"
    )
