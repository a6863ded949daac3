"""PTB's requests over aiohttp instead of httpx.

Why: the bot is CPU-bound on its own HTTP client. A tap costs three Bot API calls (answer
the button, take its keyboard away, ask the next question), and profiling showed most of the
bot's time inside httpx. aiohttp's client, with its C HTTP parser, does the same work for
less; aiohttp is already a dependency (the emulator).
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """One connection pool per instance; timeouts default to PTB's own defaults."""

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size), headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        write = (
            (self._media_write_timeout if files else self._write_timeout)
            if isinstance(write_timeout, DefaultValue)
            else write_timeout
        )
        # aiohttp has no separate write timeout: a request may take as long as writing and
        # reading together are allowed to.
        total = None if read is None or write is None else read + write
        timeout = aiohttp.ClientTimeout(total=total, sock_connect=connect)
        try:
            async with self._session.request(method, url, data=_body(fields, files), timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{exc.__class__.__name__}: {exc}") from exc


def _body(fields: dict[str, str] | None, files: dict[str, Any] | None) -> Any:
    """Form fields as urlencoded data, or multipart when there are files, as PTB expects."""
    if not files:
        return fields or None
    form = aiohttp.FormData()
    for name, value in (fields or {}).items():
        form.add_field(name, value)
    for name, upload in files.items():
        if isinstance(upload, tuple):
            file_name, content, *rest = upload
            form.add_field(name, content, filename=file_name, content_type=rest[0] if rest else None)
        else:
            form.add_field(name, upload)
    return form
