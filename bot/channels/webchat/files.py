"""Photos and files people send in the web chat: kept under `var/uploads/` with random names.

A stored file's name is its `file_id` on channel "web"; nothing a browser sends is ever used
as a path.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024
_NAME = re.compile(r"^[A-Za-z0-9_-]{16,64}\.(jpg|png|webp|gif|pdf)$")

# Recognised by their first bytes, not by what the browser claims.
_SIGNATURES: tuple[tuple[bytes, str, str, str], ...] = (
    (b"\xff\xd8\xff", "jpg", "image/jpeg", "photo"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png", "photo"),
    (b"GIF87a", "gif", "image/gif", "photo"),
    (b"GIF89a", "gif", "image/gif", "photo"),
    (b"%PDF-", "pdf", "application/pdf", "document"),
)
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


class UnsupportedFile(ValueError):
    """Not a picture or a PDF, or too large."""


@dataclass(frozen=True, slots=True)
class StoredFile:
    name: str  # the file_id
    kind: str  # photo, document
    mime_type: str
    size: int


def sniff(data: bytes) -> tuple[str, str, str]:
    """(extension, MIME type, kind) of a picture or PDF; UnsupportedFile otherwise."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp", "image/webp", "photo"
    for magic, extension, mime, kind in _SIGNATURES:
        if data.startswith(magic):
            return extension, mime, kind
    raise UnsupportedFile("not a JPEG, PNG, WEBP, GIF or PDF file")


class Uploads:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def save(self, data: bytes) -> StoredFile:
        if not data or len(data) > MAX_BYTES:
            raise UnsupportedFile(f"empty or over {MAX_BYTES} bytes")
        extension, mime, kind = sniff(data)
        name = f"{secrets.token_urlsafe(18)}.{extension}"
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / name).write_bytes(data)
        return StoredFile(name=name, kind=kind, mime_type=mime, size=len(data))

    def find(self, name: str) -> StoredFile | None:
        if not _NAME.fullmatch(name):
            return None
        path = self.directory / name
        if not path.is_file():
            return None
        extension = name.rsplit(".", 1)[1]
        kind = "document" if extension == "pdf" else "photo"
        return StoredFile(name, kind, CONTENT_TYPES[extension], path.stat().st_size)

    def path(self, name: str) -> Path | None:
        return self.directory / name if self.find(name) is not None else None

    @staticmethod
    def url(name: str) -> str:
        return f"/web/files/{name}"
