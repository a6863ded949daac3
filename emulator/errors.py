"""The one exception every emulator check raises, so the HTTP layer can turn any refusal
into the same Telegram-shaped JSON body and status code."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A refusal as Telegram would send it: HTTP status == error_code, plus a description."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None, record: bool = True) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        # False for refusals that are not the bot's fault (injected faults), which tests
        # should not find in `server.rejected`.
        self.record = record

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> ApiError:
    return ApiError(403, f"Forbidden: {reason}")
