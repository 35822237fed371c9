"""Ticket codes: `{PREFIX}{YY}-{SEQ}`, SEQ at least five digits (DESIGN.md, "Ticket code")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.kinds import KIND_BY_PREFIX, Kind, info

CODE_PATTERN = re.compile(r"\b(PA|KG|KN|TC)(\d{2})-(\d{5,})\b")


@dataclass(frozen=True, slots=True)
class TicketCode:
    kind: Kind
    year: int  # full year, e.g. 2026
    seq: int

    def __str__(self) -> str:
        return f"{info(self.kind).prefix}{self.year % 100:02d}-{self.seq:05d}"


def format_code(kind: Kind, year: int, seq: int) -> str:
    if seq < 1:
        raise ValueError("sequence numbers start at 1")
    return str(TicketCode(kind, year, seq))


def find_code(text: str) -> str | None:
    """The first ticket code in free text, normalised to upper case, or None."""
    match = CODE_PATTERN.search(text.upper())
    return match.group(0) if match else None


def parse_code(code: str) -> TicketCode:
    match = CODE_PATTERN.fullmatch(code.strip().upper())
    if not match:
        raise ValueError(f"not a ticket code: {code!r}")
    prefix, yy, seq = match.groups()
    return TicketCode(KIND_BY_PREFIX[prefix], 2000 + int(yy), int(seq))
