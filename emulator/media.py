"""Files held in memory: what the bot uploads and what fake users send.

Telegram answers uploads with file_id/file_unique_id and real sizes; the image header is
read to report honest width/height (no image library needed), and an OGG page header to
report an honest voice duration.
"""

from __future__ import annotations

import hashlib
import mimetypes
import secrets
import struct
from dataclasses import dataclass
from typing import Any

MAX_UPLOAD = 50 * 1024 * 1024
MAX_PHOTO = 10 * 1024 * 1024
MAX_DOWNLOAD = 20 * 1024 * 1024

_FOLDERS = {
    "photo": "photos",
    "document": "documents",
    "voice": "voice",
    "audio": "music",
    "video": "videos",
    "animation": "animations",
    "video_note": "video_notes",
    "sticker": "stickers",
    "thumbnail": "thumbnails",
}


@dataclass(frozen=True, slots=True)
class Upload:
    """One multipart file part as it arrived."""

    filename: str | None
    content_type: str | None
    data: bytes

    def __repr__(self) -> str:  # keeps recorded params readable in assertion messages
        return f"Upload({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


@dataclass(slots=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0
    duration: int = 0

    @property
    def file_size(self) -> int:
        return len(self.data)

    def as_file(self) -> dict[str, Any]:
        """The File object getFile returns."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "file_path": self.file_path,
        }

    def as_media(self) -> dict[str, Any] | list[dict[str, Any]]:
        """The object a Message carries for this file (a PhotoSize list for photos)."""
        base: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
        }
        if self.kind == "photo":
            return [{**base, "width": self.width, "height": self.height}]
        if self.kind == "voice":
            return {**base, "duration": self.duration, "mime_type": self.mime_type or "audio/ogg"}
        if self.file_name:
            base["file_name"] = self.file_name
        if self.mime_type:
            base["mime_type"] = self.mime_type
        return base


class FileStore:
    """file_id -> StoredFile and file_path -> StoredFile, both O(1)."""

    def __init__(self) -> None:
        self.by_id: dict[str, StoredFile] = {}
        self.by_path: dict[str, StoredFile] = {}
        self._counter = 0

    def add(
        self,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        width: int = 0,
        height: int = 0,
        duration: int = 0,
    ) -> StoredFile:
        self._counter += 1
        if mime_type in (None, "", "application/octet-stream") and file_name:
            mime_type = mimetypes.guess_type(file_name)[0] or mime_type
        extension = _extension(file_name, mime_type, kind)
        stored = StoredFile(
            file_id=f"{kind[:3].upper()}{self._counter}-{secrets.token_urlsafe(12)}",
            file_unique_id="AQ" + hashlib.sha1(data).hexdigest()[:14],
            kind=kind,
            data=data,
            file_path=f"{_FOLDERS.get(kind, 'documents')}/file_{self._counter}{extension}",
            file_name=file_name,
            mime_type=mime_type,
            width=width,
            height=height,
            duration=duration,
        )
        self.by_id[stored.file_id] = stored
        self.by_path[stored.file_path] = stored
        return stored


def _extension(file_name: str | None, mime_type: str | None, kind: str) -> str:
    if file_name and "." in file_name:
        return "." + file_name.rsplit(".", 1)[1][:8]
    if kind == "voice":
        return ".oga"
    if mime_type:
        return mimetypes.guess_extension(mime_type) or ""
    return ".jpg" if kind == "photo" else ""


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG, GIF, JPEG, WebP or BMP header; None if not an image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"BM") and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
        return abs(width), abs(height)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp_size(data)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i, n = 2, len(data)
    while i + 9 < n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


def ogg_duration(data: bytes) -> int:
    """Seconds of an OGG/Opus stream from the last page's granule position (48 kHz)."""
    last = data.rfind(b"OggS")
    if not data.startswith(b"OggS") or last < 0 or last + 14 > len(data):
        return 1 if data else 0
    granule = int.from_bytes(data[last + 6 : last + 14], "little", signed=True)
    return max(1, round(granule / 48000)) if granule > 0 else 1
