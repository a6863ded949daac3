"""Gettext catalogs, the reader's locale, and Babel formatting.

The locale lives in a ContextVar set once per update, so `_()` anywhere below a handler
speaks the reader's language without passing it around. Catalogs are compiled from the
`.po` sources at start-up (never committed compiled), and start-up fails if one is broken.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency

from domain.marks import EASY_READ as EASY_READ  # re-exported: the bot's layers name them through bot.i18n
from domain.marks import N_ as N_

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"

# Catalogs whose Babel locale differs from their directory name. English is the UK's; Easy Read
# is English written simply, so it formats dates and money exactly as English does.
_BABEL_LOCALES = {SOURCE_LANGUAGE: "en_GB", EASY_READ: "en_GB"}

_current: ContextVar[str] = ContextVar("locale", default=SOURCE_LANGUAGE)
_catalogs: dict[str, gettext.NullTranslations] = {}


class CatalogError(Exception):
    """A translation catalog could not be compiled or loaded."""


def available_languages() -> tuple[str, ...]:
    """Languages with a catalog on disk, English first."""
    found = sorted(p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    others = [code for code in found if code != SOURCE_LANGUAGE]
    return (SOURCE_LANGUAGE, *others)


def compile_catalogs(locales_dir: Path = LOCALES_DIR) -> None:
    """Compile each `.po` whose `.mo` is missing or older; raise CatalogError if one is broken."""
    for po_path in locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parent.parent.name)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)
        except Exception as exc:  # babel raises several unrelated types for a bad catalog
            raise CatalogError(f"Translation catalog {po_path} is broken: {exc}") from exc


def load_catalogs() -> None:
    """Compile and load every catalog once, at start-up."""
    compile_catalogs()
    for code in available_languages():
        try:
            _catalogs[code] = gettext.translation(DOMAIN, LOCALES_DIR, languages=[code])
        except OSError:
            _catalogs[code] = gettext.NullTranslations()


def _catalog() -> gettext.NullTranslations:
    return _catalogs.get(_current.get()) or _catalogs.get(SOURCE_LANGUAGE) or gettext.NullTranslations()


def _(message: str) -> str:
    """Translate a whole sentence into the current reader's language."""
    return _catalog().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a sentence whose wording depends on a count."""
    return _catalog().ngettext(singular, plural, n)


def set_language(code: str) -> str:
    """Speak `code` for the rest of this update; a language with no catalog falls back to English.
    Returns the language actually used."""
    used = code if code in _catalogs else SOURCE_LANGUAGE
    _current.set(used)
    return used


@contextmanager
def language(code: str) -> Iterator[None]:
    """Speak another person's language for a moment, e.g. when messaging them."""
    token = _current.set(code if code in _catalogs else SOURCE_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def match_language(telegram_code: str | None, default: str) -> str:
    """Map Telegram's language_code (e.g. 'pl', 'en-GB') to one we support."""
    if telegram_code:
        base = telegram_code.replace("_", "-").split("-")[0].lower()
        if base in _catalogs:
            return base
    return default


@functools.cache
def language_name(code: str) -> str:
    """A language's own name for itself, e.g. 'Polski', for the language menu (the first
    screen of joining, so it is worked out once per language, not on every /start)."""
    if code == EASY_READ:
        return "📖 Easy Read English"
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def telegram_language_code(code: str) -> str | None:
    """The ISO 639-1 code Telegram's menus are keyed by; Easy Read has none of its own."""
    return code if len(code) == 2 else None


def babel_locale(code: str) -> str:
    """The Babel locale that formats and reads numbers for one of our language codes."""
    return _BABEL_LOCALES.get(code, code)


def _babel_locale() -> str:
    return babel_locale(_current.get())


def document_language() -> tuple[str, str]:
    """HTML's `lang` and `dir` for a file in the current language, so a browser shows an Urdu
    statement right to left and reads it aloud in the right voice."""
    locale = Locale.parse(_babel_locale())
    return str(locale).replace("_", "-"), locale.text_direction


def format_datetime(moment: datetime, tz: ZoneInfo) -> str:
    """A date and time the way the reader writes them, in the council's time zone."""
    return babel_format_datetime(moment, "EEEE d MMMM y, HH:mm", tzinfo=tz, locale=_babel_locale())


def format_date(moment: datetime, tz: ZoneInfo) -> str:
    return babel_format_date(moment.astimezone(tz), "long", locale=_babel_locale())


def format_time(moment: datetime, tz: ZoneInfo) -> str:
    return babel_format_time(moment, "short", tzinfo=tz, locale=_babel_locale())


def format_duration(minutes: int) -> str:
    """A length of time as people say it: "2 hours", "1 hour and 30 minutes", "45 minutes"."""
    hours, rest = divmod(minutes, 60)
    hour_text = ngettext("{count} hour", "{count} hours", hours).format(count=hours)
    minute_text = ngettext("{count} minute", "{count} minutes", rest).format(count=rest)
    if not hours:
        return minute_text
    if not rest:
        return hour_text
    return _("{hours} and {minutes}").format(hours=hour_text, minutes=minute_text)


def format_money(pence: int, currency: str = "GBP") -> str:
    """Money is kept in whole pence and shown in the reader's format. People in England know
    pounds as £ whatever language they read; Babel's Polish and Ukrainian data spell it GBP."""
    text = format_currency(Decimal(pence) / 100, currency, locale=_babel_locale())
    return text.replace("GBP", "£") if currency == "GBP" else text
