"""Typed settings read from the environment, with `.env` as a convenience.

Every setting is validated up front so that a council's deployment fails at start-up
with one line saying what to fix, rather than with a traceback later on.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from storage.engines import POSTGRES_SCHEMES

DEFAULT_API_URL = "https://api.telegram.org"
DEFAULT_DATABASE_PATH = "data/coproduction.sqlite3"
_TOKEN_PATTERN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
# Webhook mode answers health checks here, beside the webhook's own path.
HEALTH_PATH = "/health"
# Telegram's own rule for setWebhook's secret_token.
_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")


class ConfigError(Exception):
    """A setting is missing or malformed; the message says what to set."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot needs from its environment."""

    bot_token: str
    telegram_api_url: str = DEFAULT_API_URL
    database_path: Path = Path(DEFAULT_DATABASE_PATH)
    # A postgresql:// URL selects PostgreSQL; empty keeps the SQLite file above.
    database_url: str = ""
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    default_language: str = "en"
    # The council's name as it signs a certificate of involvement; empty says "the council".
    council_name: str = ""
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))
    invite_days: int = 7
    # Telegram allows about 30 messages a second overall and one a second per chat.
    messages_per_second: float = 30.0
    # Edits share each chat's limit but not the overall one; this caps them overall too (None: no cap).
    edits_per_second: float | None = None
    chat_interval_seconds: float = 1.0
    # Telegram's paid broadcasts (up to 1,000 messages/s, charged in Stars per message).
    paid_broadcasts: bool = False
    # A button press is answered blank this long after it arrives if its handler has not
    # answered it with a toast by then, so the spinner never runs on in a rush.
    tap_grace_seconds: float = 0.3
    # One person may send this many updates in 10 seconds before being asked to slow down.
    flood_limit: int = 20
    # Claims (money in whole pence).
    receipt_above_pence: int = 1000
    claim_ceiling_pence: int = 50_000
    hourly_rate_pence: int = 2000
    yearly_payment_warning_pence: int = 100_000
    claim_nudge_days: int = 5
    most_miles_per_journey: int = 300
    # "You said, we did".
    feedback_nudge_days: int = 10
    theme_overdue_weeks: int = 4
    follow_up_weeks: int = 6
    # A resident's question with no answer this long shows in /overdue and nudges its organisers.
    question_nudge_hours: int = 48
    # A scheduled job that fails this many times is parked for an admin (/jobs).
    job_max_attempts: int = 5
    # People who have not used the bot for this many days are erased (told 30 days before).
    retention_days: int = 730
    # A flow paused by another command keeps its answers this long.
    paused_flow_hours: int = 24
    # Webhook mode: Telegram posts updates to this public https URL (the council's reverse
    # proxy), which forwards them to listen:port; empty keeps long polling.
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443

    @property
    def database(self) -> str | Path:
        """Where the data lives: the PostgreSQL URL if one is set, else the SQLite file."""
        return self.database_url or self.database_path

    @property
    def bot_base_url(self) -> str:
        return f"{self.telegram_api_url}/bot"

    @property
    def file_base_url(self) -> str:
        return f"{self.telegram_api_url}/file/bot"


def read_env_file(path: Path) -> dict[str, str]:
    """Parse a simple KEY=VALUE `.env` file (comments, blank lines and quotes allowed)."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def load_settings(
    environ: dict[str, str] | None = None,
    env_file: Path | None = Path(".env"),
    supported_languages: tuple[str, ...] = ("en",),
) -> Settings:
    """Build Settings from `.env` overlaid by the real environment; raise ConfigError on bad input."""
    values = read_env_file(env_file) if env_file else {}
    values.update(os.environ if environ is None else environ)

    token = values.get("BOT_TOKEN", "").strip()
    if not token:
        raise ConfigError(
            "BOT_TOKEN is not set: ask @BotFather on Telegram for a token and put "
            "BOT_TOKEN=<token> in .env (see .env.example)."
        )
    if not _TOKEN_PATTERN.match(token):
        raise ConfigError("BOT_TOKEN looks wrong: it should look like 123456789:AAE... as given by @BotFather.")

    api_url = values.get("TELEGRAM_API_URL", "").strip() or DEFAULT_API_URL
    if not re.match(r"^https?://[^\s/]+", api_url):
        raise ConfigError("TELEGRAM_API_URL must start with http:// or https://, e.g. https://api.telegram.org.")

    admin_ids: set[int] = set()
    for part in values.get("ADMIN_IDS", "").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise ConfigError(
                f"ADMIN_IDS must be Telegram user ids separated by commas, e.g. 12345,67890 (got {part!r})."
            )
        admin_ids.add(int(part))

    language = values.get("DEFAULT_LANGUAGE", "").strip() or "en"
    if language not in supported_languages:
        raise ConfigError(f"DEFAULT_LANGUAGE must be one of {', '.join(supported_languages)} (got {language!r}).")

    tz_name = values.get("TIMEZONE", "").strip() or "Europe/London"
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"TIMEZONE must be a time zone name such as Europe/London (got {tz_name!r}).") from exc

    days = {
        key: _whole(values, key, default, low, high)
        for key, default, low, high in (
            ("INVITE_DAYS", 7, 1, 90),
            ("CLAIM_NUDGE_DAYS", 5, 1, 60),
            ("FEEDBACK_NUDGE_DAYS", 10, 1, 60),
            ("THEME_OVERDUE_WEEKS", 4, 1, 52),
            ("FOLLOW_UP_WEEKS", 6, 1, 52),
            ("FLOOD_LIMIT", 20, 5, 1000),
            ("JOB_MAX_ATTEMPTS", 5, 1, 20),
            ("RETENTION_DAYS", 730, 60, 3650),
            ("PAUSED_FLOW_HOURS", 24, 1, 720),
            ("QUESTION_NUDGE_HOURS", 48, 1, 720),
        )
    }

    rate_raw = values.get("MESSAGES_PER_SECOND", "").strip() or "30"
    try:
        rate = float(rate_raw)
    except ValueError:
        rate = 0.0
    if not 1 <= rate <= 1000:
        raise ConfigError("MESSAGES_PER_SECOND must be a number from 1 to 1000 (Telegram's limit is about 30).")

    edits_raw = values.get("EDITS_PER_SECOND", "").strip()
    try:
        edits = float(edits_raw) if edits_raw else None
    except ValueError:
        edits = 0.0
    if edits is not None and not 1 <= edits <= 1000:
        raise ConfigError("EDITS_PER_SECOND must be a number from 1 to 1000, or empty for no overall cap on edits.")

    interval_raw = values.get("CHAT_INTERVAL_SECONDS", "").strip() or "1"
    try:
        interval = float(interval_raw)
    except ValueError:
        interval = -1.0
    if not 0 <= interval <= 10:
        raise ConfigError("CHAT_INTERVAL_SECONDS must be a number from 0 to 10 (Telegram's is about 1).")

    paid_raw = (values.get("PAID_BROADCASTS", "").strip() or "false").lower()
    if paid_raw not in {"true", "false", "yes", "no", "1", "0"}:
        raise ConfigError("PAID_BROADCASTS must be true or false.")

    database_url = values.get("DATABASE_URL", "").strip()
    if database_url and not database_url.startswith(POSTGRES_SCHEMES):
        raise ConfigError("DATABASE_URL must start with postgresql:// (leave it empty to use SQLite).")
    webhook_url, webhook_secret = _webhook(values)
    webhook_port = _whole(values, "WEBHOOK_PORT", 8443, 1, 65535)

    money = {
        key: _pounds(values, key, default)
        for key, default in (
            ("RECEIPT_ABOVE", 10),
            ("CLAIM_CEILING", 500),
            ("HOURLY_RATE", 20),
            ("YEARLY_PAYMENT_WARNING", 1000),
        )
    }

    return Settings(
        bot_token=token,
        telegram_api_url=api_url.rstrip("/"),
        database_path=Path(values.get("DATABASE_PATH", "").strip() or DEFAULT_DATABASE_PATH),
        database_url=database_url,
        admin_ids=frozenset(admin_ids),
        default_language=language,
        council_name=values.get("COUNCIL_NAME", "").strip()[:100],
        timezone=tz,
        invite_days=days["INVITE_DAYS"],
        messages_per_second=rate,
        edits_per_second=edits,
        chat_interval_seconds=interval,
        paid_broadcasts=paid_raw in {"true", "yes", "1"},
        receipt_above_pence=money["RECEIPT_ABOVE"],
        claim_ceiling_pence=money["CLAIM_CEILING"],
        hourly_rate_pence=money["HOURLY_RATE"],
        yearly_payment_warning_pence=money["YEARLY_PAYMENT_WARNING"],
        claim_nudge_days=days["CLAIM_NUDGE_DAYS"],
        feedback_nudge_days=days["FEEDBACK_NUDGE_DAYS"],
        theme_overdue_weeks=days["THEME_OVERDUE_WEEKS"],
        follow_up_weeks=days["FOLLOW_UP_WEEKS"],
        question_nudge_hours=days["QUESTION_NUDGE_HOURS"],
        flood_limit=days["FLOOD_LIMIT"],
        job_max_attempts=days["JOB_MAX_ATTEMPTS"],
        retention_days=days["RETENTION_DAYS"],
        paused_flow_hours=days["PAUSED_FLOW_HOURS"],
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        webhook_listen=values.get("WEBHOOK_LISTEN", "").strip() or "127.0.0.1",
        webhook_port=webhook_port,
    )


def _webhook(values: dict[str, str]) -> tuple[str, str]:
    """WEBHOOK_URL and its WEBHOOK_SECRET: without the secret anyone who learns the URL could post updates."""
    url = values.get("WEBHOOK_URL", "").strip()
    secret = values.get("WEBHOOK_SECRET", "").strip()
    if not url:
        return "", ""
    if not re.match(r"^https://[^\s/]+", url):
        raise ConfigError(
            "WEBHOOK_URL must start with https:// (Telegram only posts to https), "
            "e.g. https://bot.example.gov.uk/telegram."
        )
    if urlsplit(url).path == HEALTH_PATH:
        raise ConfigError(f"WEBHOOK_URL must not end in {HEALTH_PATH}: the bot answers health checks there.")
    if not _SECRET_PATTERN.fullmatch(secret):
        raise ConfigError(
            "WEBHOOK_SECRET must be set when WEBHOOK_URL is: 1 to 256 letters, digits, _ or -, "
            'e.g. from: python -c "import secrets; print(secrets.token_urlsafe(32))"'
        )
    return url, secret


def _whole(values: dict[str, str], key: str, default: int, low: int, high: int) -> int:
    raw = values.get(key, "").strip() or str(default)
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigError(f"{key} must be a whole number from {low} to {high}.")
    return int(raw)


def _pounds(values: dict[str, str], key: str, default: int) -> int:
    """A money setting written in pounds (e.g. 10 or 12.50), kept as pence."""
    raw = values.get(key, "").strip() or str(default)
    if not re.fullmatch(r"\d{1,6}(\.\d{1,2})?", raw):
        raise ConfigError(f"{key} must be an amount in pounds, like 10 or 12.50.")
    pounds, _, pence = raw.partition(".")
    return int(pounds) * 100 + int((pence + "00")[:2])
