"""What a `/start <payload>` deep link (a QR code on a poster) asks for.

Payloads are limited by Telegram to 64 characters of A-Z, a-z, 0-9, _ and -.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

_PAYLOAD = re.compile(r"^(?P<kind>[a-z])_(?P<code>[A-Za-z0-9_-]{4,40})$")


class LinkKind(StrEnum):
    PROJECT = "p"
    INVITE = "i"
    OPPORTUNITY = "o"


@dataclass(frozen=True)
class DeepLink:
    kind: LinkKind
    code: str


def parse_payload(payload: str | None) -> DeepLink | None:
    if not payload:
        return None
    match = _PAYLOAD.match(payload)
    if not match:
        return None
    try:
        kind = LinkKind(match["kind"])
    except ValueError:
        return None
    return DeepLink(kind, match["code"])


def make_payload(kind: LinkKind, code: str) -> str:
    return f"{kind.value}_{code}"


def new_code() -> str:
    """An unguessable code, short enough for a QR code and a 64-character payload."""
    return secrets.token_urlsafe(9)


def start_link(bot_username: str, kind: LinkKind, code: str) -> str:
    return f"https://t.me/{bot_username}?start={make_payload(kind, code)}"
