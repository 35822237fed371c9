"""The four kinds of petition under Vietnamese law (DESIGN.md, DOMAIN.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    PHAN_ANH = "phan_anh"
    KIEN_NGHI = "kien_nghi"
    KHIEU_NAI = "khieu_nai"
    TO_CAO = "to_cao"


class Identity(StrEnum):
    """How much the law asks the petitioner to say who they are."""

    OPTIONAL = "optional"  # may be anonymous
    REQUIRED = "required"  # name, address, phone (Luật Khiếu nại Art. 8)
    CONFIDENTIAL = "confidential"  # required and secret (Luật Tố cáo Art. 23, 47)


@dataclass(frozen=True, slots=True)
class KindInfo:
    kind: Kind
    prefix: str
    identity: Identity
    needs_signature_note: bool  # a chat message is only an intake (DOMAIN.md §3)


KINDS: dict[Kind, KindInfo] = {
    Kind.PHAN_ANH: KindInfo(Kind.PHAN_ANH, "PA", Identity.OPTIONAL, False),
    Kind.KIEN_NGHI: KindInfo(Kind.KIEN_NGHI, "KG", Identity.OPTIONAL, False),
    Kind.KHIEU_NAI: KindInfo(Kind.KHIEU_NAI, "KN", Identity.REQUIRED, True),
    Kind.TO_CAO: KindInfo(Kind.TO_CAO, "TC", Identity.CONFIDENTIAL, True),
}

KIND_BY_PREFIX: dict[str, Kind] = {info.prefix: kind for kind, info in KINDS.items()}


def info(kind: Kind | str) -> KindInfo:
    return KINDS[Kind(kind)]
