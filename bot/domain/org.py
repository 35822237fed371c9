"""Who is who: units and their Telegram groups, communes, categories, and people's roles.

Built once from the YAML config (`AppConfig.directory()`) and passed to whoever needs it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

_EARTH_RADIUS_KM = 6371.0088


class Role(StrEnum):
    CITIZEN = "citizen"
    OFFICER = "officer"
    HEAD = "head"  # may transfer, reject, extend and see a denouncer's identity
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit that works tickets from its own Telegram group."""

    id: str
    name: str
    telegram_chat_id: int
    officers: frozenset[int]
    heads: frozenset[int]
    forum: bool = False  # the group is a forum: one topic per ticket


@dataclass(frozen=True, slots=True)
class Commune:
    id: str
    name: str
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    names: Mapping[str, str] = field(hash=False)
    keywords: tuple[str, ...] = ()

    def name(self, locale: str, *, fallback: str = "vi") -> str:
        """The name in `locale`, else in `fallback`, else the id."""
        return self.names.get(locale) or self.names.get(fallback) or self.id


@dataclass(frozen=True)
class Directory:
    """The organisation, read-only. Heads count as officers; an admin holds every role."""

    units: tuple[Unit, ...]
    communes: tuple[Commune, ...]
    categories: tuple[Category, ...]
    admins: frozenset[int] = frozenset()
    escalation_chat_id: int | None = None
    _units_by_id: dict[str, Unit] = field(init=False, repr=False, compare=False)
    _units_by_chat: dict[int, Unit] = field(init=False, repr=False, compare=False)

    def __init__(
        self,
        units: Iterable[Unit],
        communes: Iterable[Commune] = (),
        categories: Iterable[Category] = (),
        admins: Iterable[int] = frozenset(),
        escalation_chat_id: int | None = None,
    ) -> None:
        units = tuple(units)
        setattr_ = object.__setattr__
        setattr_(self, "units", units)
        setattr_(self, "communes", tuple(communes))
        setattr_(self, "categories", tuple(categories))
        setattr_(self, "admins", frozenset(admins))
        setattr_(self, "escalation_chat_id", escalation_chat_id)
        setattr_(self, "_units_by_id", {u.id: u for u in units})
        setattr_(self, "_units_by_chat", {u.telegram_chat_id: u for u in units})

    def unit(self, unit_id: str) -> Unit:
        """The unit with this id; KeyError if there is none."""
        return self._units_by_id[unit_id]

    def unit_by_chat(self, chat_id: int) -> Unit | None:
        return self._units_by_chat.get(chat_id)

    def commune(self, commune_id: str) -> Commune:
        """The commune with this id; KeyError if there is none."""
        for commune in self.communes:
            if commune.id == commune_id:
                return commune
        raise KeyError(commune_id)

    def category(self, category_id: str) -> Category:
        """The category with this id; KeyError if there is none."""
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)

    def is_admin(self, user_id: int) -> bool:
        return user_id in self.admins

    def role_in(self, user_id: int, unit_id: str) -> Role | None:
        """The user's strongest role in the unit, or None if they have none there."""
        if user_id in self.admins:
            return Role.ADMIN
        unit = self._units_by_id.get(unit_id)
        if unit is None:
            return None
        if user_id in unit.heads:
            return Role.HEAD
        if user_id in unit.officers:
            return Role.OFFICER
        return None

    def is_officer(self, user_id: int, unit_id: str) -> bool:
        return self.role_in(user_id, unit_id) is not None

    def is_head(self, user_id: int, unit_id: str) -> bool:
        return self.role_in(user_id, unit_id) in (Role.HEAD, Role.ADMIN)

    def units_of(self, user_id: int) -> list[Unit]:
        """Units where the user may act, in config order (every unit for an admin)."""
        return [u for u in self.units if self.role_in(user_id, u.id) is not None]

    def nearest_commune(self, lat: float, lon: float) -> Commune | None:
        """The commune whose configured point is closest; None if no commune has one."""
        best: Commune | None = None
        best_km = math.inf
        for commune in self.communes:
            if commune.lat is None or commune.lon is None:
                continue
            km = haversine_km(lat, lon, commune.lat, commune.lon)
            if km < best_km:
                best, best_km = commune, km
        return best


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
