"""Printable pages: a plain HTML file that opens on any phone, in the reader's language and
direction, and prints cleanly on paper. Statements and certificates both use it."""

from __future__ import annotations

from bot.i18n import document_language
from bot.text import escape

_STYLE = ("body{font-family:sans-serif;font-size:12pt;line-height:1.5;max-width:40em;margin:1em auto;"
          "padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #555;padding:4px;"
          "text-align:start}@media print{body{margin:0}}")


def printable_page(title: str, body: str) -> str:
    """`title` is plain text; `body` is HTML the caller built, with every typed value escaped."""
    lang, direction = document_language()
    heading = escape(title)
    return (f"<!doctype html><html lang='{lang}' dir='{direction}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{heading}</title><style>{_STYLE}</style></head><body><h1>{heading}</h1>{body}</body></html>")
