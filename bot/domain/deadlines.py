"""Legal deadlines of a petition, as data with an effective date (DESIGN.md "Legal deadlines").

A `LegalRegime` is the rule set in force from a date; `DeadlinePolicy.rules_for` picks the one in
force on the receipt date and applies the config's local overrides. The resulting `KindRules`
is stored with the ticket (`to_dict`), so a later change of config or law never moves the
ticket's deadlines; only an explicit extension (`extend`) does.

Every function here is pure: it takes the rules, an instant and a `WorkingCalendar`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from bot.domain.calendar import WorkingCalendar
from bot.domain.clock import VN_TZ
from bot.domain.errors import ExtensionNotAllowed, InvalidInput
from bot.domain.kinds import Kind

__all__ = [
    "DEFAULT_REGIMES",
    "NO_FLAGS",
    "OVERRIDE_KEYS",
    "DayUnit",
    "Deadline",
    "DeadlineName",
    "DeadlinePolicy",
    "KindRules",
    "LegalRegime",
    "OverrideKey",
    "Period",
    "ResolutionFlags",
    "ResolutionPeriods",
    "decision_deadlines",
    "describe",
    "end_of_day",
    "extend",
    "max_extensions",
    "resolution_deadline",
]

END_OF_DAY = time(23, 59, 59)


class DeadlineName(StrEnum):
    DECISION = "decision"  # accept, forward, guide or reject
    FORWARD = "forward"  # hand over to the competent body when we are not
    RESOLUTION = "resolution"


class DayUnit(StrEnum):
    WORKING = "working"
    CALENDAR = "calendar"


@dataclass(frozen=True)
class Deadline:
    name: DeadlineName
    due: datetime  # 23:59:59 Asia/Ho_Chi_Minh of the due day
    rule: str  # e.g. "10 working days from receipt"
    source: str  # e.g. "Luật Tiếp công dân 2013, Art. 28(1)"

    def to_dict(self) -> dict[str, str]:
        """The CLI's shape: `due` in ISO-8601 with +07:00."""
        return {
            "name": str(self.name),
            "due": self.due.isoformat(),
            "rule": self.rule,
            "source": self.source,
        }


@dataclass(frozen=True)
class ResolutionFlags:
    """What the resolver found about the case; they choose the resolution period."""

    complex: bool = False
    especially_complex: bool = False  # tố cáo only; counts as complex for khiếu nại
    remote: bool = False  # vùng sâu, vùng xa đi lại khó khăn (khiếu nại)
    second: bool = False  # second complaint (khiếu nại lần hai)

    @property
    def any_complex(self) -> bool:
        return self.complex or self.especially_complex


NO_FLAGS = ResolutionFlags()


@dataclass(frozen=True)
class Period:
    """A number of working or calendar days, and the legal source that sets it."""

    days: int
    unit: DayUnit
    source: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", DayUnit(self.unit))
        if isinstance(self.days, bool) or not isinstance(self.days, int) or self.days < 1:
            raise ValueError(f"a period needs a positive whole number of days, got {self.days!r}")

    def due_day(self, start: date, calendar: WorkingCalendar) -> date:
        if self.unit is DayUnit.WORKING:
            return calendar.add_working_days(start, self.days)
        return calendar.add_calendar_days(start, self.days)

    def text(self, trigger: str) -> str:
        unit = "working days" if self.unit is DayUnit.WORKING else "days"
        return f"{self.days} {unit} from {trigger}"

    def to_dict(self) -> dict[str, Any]:
        return {"days": self.days, "unit": str(self.unit), "source": self.source}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Period:
        return cls(days=d["days"], unit=DayUnit(d["unit"]), source=d["source"])


@dataclass(frozen=True)
class ResolutionPeriods:
    """The resolution limits of one instance: normal, complex, remote area, remote and complex."""

    normal: Period
    complex: Period | None = None
    remote: Period | None = None
    remote_complex: Period | None = None

    def pick(self, *, complex: bool, remote: bool) -> tuple[Period, list[str]]:
        """The period for the case, and notes on which variant applied.

        A variant the table lacks falls back to the nearest one it has.
        """
        if remote and self.remote is not None:
            if complex and self.remote_complex is not None:
                return self.remote_complex, ["remote area", "complex case"]
            return self.remote, ["remote area"]
        if complex and self.complex is not None:
            return self.complex, ["complex case"]
        return self.normal, []

    def to_dict(self) -> dict[str, Any]:
        return {
            "normal": self.normal.to_dict(),
            "complex": _period_or_none(self.complex),
            "remote": _period_or_none(self.remote),
            "remote_complex": _period_or_none(self.remote_complex),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ResolutionPeriods:
        return cls(
            normal=Period.from_dict(d["normal"]),
            complex=_period_from(d.get("complex")),
            remote=_period_from(d.get("remote")),
            remote_complex=_period_from(d.get("remote_complex")),
        )


@dataclass(frozen=True)
class KindRules:
    """The deadline rules for one kind of petition under one legal regime.

    A ticket stores this snapshot (`to_dict`, JSON-safe) at receipt; `from_dict` restores it.

    - `decision`: accept / forward / guide / reject, from receipt.
    - `decision_extended`: the decision period after its one lawful extension (tố cáo), if any.
    - `forward`: forward when not competent, from receipt, if the kind has such a limit.
    - `resolution`: from acceptance; `resolution_second` for a second complaint (khiếu nại).
      A kind whose table has a `complex` variant may be extended once, to that variant.
    - `resolution_extension`: the length of one extension added to the resolution period
      (tố cáo), allowed `extensions_if_complex` / `extensions_if_especially_complex` times.
    """

    regime: str
    kind: Kind
    decision: Period
    resolution: ResolutionPeriods
    forward: Period | None = None
    decision_extended: Period | None = None
    resolution_second: ResolutionPeriods | None = None
    resolution_extension: Period | None = None
    extensions_if_complex: int = 0
    extensions_if_especially_complex: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))
        ext = self.resolution_extension
        if ext is not None and ext.unit is not self.resolution.normal.unit:
            raise ValueError("a resolution extension must count days like the period it extends")

    def to_dict(self) -> dict[str, Any]:
        return {
            "regime": self.regime,
            "kind": str(self.kind),
            "decision": self.decision.to_dict(),
            "resolution": self.resolution.to_dict(),
            "forward": _period_or_none(self.forward),
            "decision_extended": _period_or_none(self.decision_extended),
            "resolution_second": (
                self.resolution_second.to_dict() if self.resolution_second is not None else None
            ),
            "resolution_extension": _period_or_none(self.resolution_extension),
            "extensions_if_complex": self.extensions_if_complex,
            "extensions_if_especially_complex": self.extensions_if_especially_complex,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> KindRules:
        second = d.get("resolution_second")
        return cls(
            regime=str(d["regime"]),
            kind=Kind(d["kind"]),
            decision=Period.from_dict(d["decision"]),
            resolution=ResolutionPeriods.from_dict(d["resolution"]),
            forward=_period_from(d.get("forward")),
            decision_extended=_period_from(d.get("decision_extended")),
            resolution_second=ResolutionPeriods.from_dict(second) if second else None,
            resolution_extension=_period_from(d.get("resolution_extension")),
            extensions_if_complex=int(d.get("extensions_if_complex", 0)),
            extensions_if_especially_complex=int(d.get("extensions_if_especially_complex", 0)),
        )


@dataclass(frozen=True)
class LegalRegime:
    """The rule set in force for petitions received on or after `effective_from`."""

    id: str
    effective_from: date
    rules: Mapping[Kind, KindRules]

    def __post_init__(self) -> None:
        missing = [str(k) for k in Kind if k not in self.rules]
        if missing:
            raise ValueError(f"regime {self.id} has no rules for {', '.join(missing)}")
        for kind, rules in self.rules.items():
            if rules.kind is not kind or rules.regime != self.id:
                raise ValueError(f"regime {self.id}: rules filed under {kind} do not match")
        object.__setattr__(self, "rules", MappingProxyType(dict(self.rules)))


# -- the law ---------------------------------------------------------------------------------

_W, _C = DayUnit.WORKING, DayUnit.CALENDAR

_RECEPTION = "Luật Tiếp công dân 2013, Art. 28(1)"
_LOCAL = "Local rules (no national limit)"
_KN_FIRST = "Luật Khiếu nại 2011, Art. 28"
_KN_SECOND = "Luật Khiếu nại 2011, Art. 37"
# No text sets a forwarding limit for khiếu nại (TT 07/2014/TT-TTCP Art. 8 has the unit guide
# the complainant instead); Art. 28(1)(d) of the reception law allows up to 10 working days. We
# hold it to the 5 the law sets for tố cáo, and config may change it.
_KN_FORWARD = "Luật Tiếp công dân 2013, Art. 28(1)(d), held to 5 as Luật Tố cáo 2018, Art. 24(2)"


def _common_rules(regime: str, khieu_nai_decision: Period) -> dict[Kind, KindRules]:
    pakn = {
        kind: KindRules(
            regime=regime,
            kind=kind,
            decision=Period(10, _W, _RECEPTION),
            forward=Period(5, _W, "NĐ 20/2008/NĐ-CP, Art. 9(1)(d)"),
            resolution=ResolutionPeriods(normal=Period(15, _W, _LOCAL)),
        )
        for kind in (Kind.PHAN_ANH, Kind.KIEN_NGHI)
    }
    khieu_nai = KindRules(
        regime=regime,
        kind=Kind.KHIEU_NAI,
        decision=khieu_nai_decision,
        forward=Period(5, _W, _KN_FORWARD),
        resolution=ResolutionPeriods(
            normal=Period(30, _C, _KN_FIRST),
            complex=Period(45, _C, _KN_FIRST),
            remote=Period(45, _C, _KN_FIRST),
            remote_complex=Period(60, _C, _KN_FIRST),
        ),
        resolution_second=ResolutionPeriods(
            normal=Period(45, _C, _KN_SECOND),
            complex=Period(60, _C, _KN_SECOND),
            remote=Period(60, _C, _KN_SECOND),
            remote_complex=Period(70, _C, _KN_SECOND),
        ),
    )
    to_cao = KindRules(
        regime=regime,
        kind=Kind.TO_CAO,
        decision=Period(7, _W, "Luật Tố cáo 2018, Art. 24(1)"),
        decision_extended=Period(10, _W, "Luật Tố cáo 2018, Art. 24(1)"),
        forward=Period(5, _W, "Luật Tố cáo 2018, Art. 24(2)"),
        resolution=ResolutionPeriods(normal=Period(30, _C, "Luật Tố cáo 2018, Art. 30(1)")),
        resolution_extension=Period(
            30, _C, "Luật Tố cáo 2018, Art. 30(2)-(3); NĐ 31/2019/NĐ-CP, Art. 3"
        ),
        extensions_if_complex=1,
        extensions_if_especially_complex=2,
    )
    return {**pakn, Kind.KHIEU_NAI: khieu_nai, Kind.TO_CAO: to_cao}


DEFAULT_REGIMES: tuple[LegalRegime, ...] = (
    # Named after the reception law; in force for every rule in it from 01/01/2019, when
    # Luật Tố cáo 2018 took effect.
    LegalRegime(
        id="2013",
        effective_from=date(2019, 1, 1),
        rules=_common_rules("2013", Period(10, _W, "TT 07/2013/TT-TTCP, Art. 5(1)")),
    ),
    # Luật 136/2025/QH15 and its decrees, for petitions received from 01/07/2026.
    LegalRegime(
        id="2026-07-01",
        effective_from=date(2026, 7, 1),
        rules=_common_rules("2026-07-01", Period(7, _W, "NĐ 155/2026/NĐ-CP, Art. 10")),
    ),
)


# -- local overrides -------------------------------------------------------------------------


@dataclass(frozen=True)
class OverrideKey:
    """What a config `deadlines:` key changes, and how far local rules may move it."""

    kind: Kind
    deadline: DeadlineName
    statutory: bool  # the law sets the period: local rules may only shorten it
    ceiling: int | None = None  # a fixed upper bound for a period the law leaves open


OVERRIDE_KEYS: Mapping[str, OverrideKey] = MappingProxyType(
    {
        "decision_phan_anh_working_days": OverrideKey(Kind.PHAN_ANH, DeadlineName.DECISION, True),
        "decision_kien_nghi_working_days": OverrideKey(
            Kind.KIEN_NGHI, DeadlineName.DECISION, True
        ),
        "forward_phan_anh_working_days": OverrideKey(Kind.PHAN_ANH, DeadlineName.FORWARD, True),
        "forward_kien_nghi_working_days": OverrideKey(Kind.KIEN_NGHI, DeadlineName.FORWARD, True),
        # Our own limit, within the 10 working days of Luật Tiếp công dân Art. 28(1).
        "forward_khieu_nai_working_days": OverrideKey(
            Kind.KHIEU_NAI, DeadlineName.FORWARD, False, ceiling=10
        ),
        # No national limit: local rules decide (DOMAIN.md §2).
        "resolve_phan_anh_working_days": OverrideKey(
            Kind.PHAN_ANH, DeadlineName.RESOLUTION, False
        ),
        "resolve_kien_nghi_working_days": OverrideKey(
            Kind.KIEN_NGHI, DeadlineName.RESOLUTION, False
        ),
    }
)


class DeadlinePolicy:
    """Picks the legal regime in force on a receipt date and applies the config's overrides."""

    def __init__(
        self,
        regimes: Sequence[LegalRegime] = DEFAULT_REGIMES,
        overrides: Mapping[str, int] | None = None,
    ) -> None:
        if not regimes:
            raise ValueError("a deadline policy needs at least one legal regime")
        self._regimes = tuple(sorted(regimes, key=lambda r: r.effective_from))
        dates = [r.effective_from for r in self._regimes]
        if len(set(dates)) != len(dates):
            raise ValueError("two legal regimes take effect on the same day")
        self._overrides = dict(overrides or {})
        allowed = ", ".join(OVERRIDE_KEYS)
        for key, value in self._overrides.items():
            if key not in OVERRIDE_KEYS:
                raise ValueError(f"unknown deadlines key {key!r}; allowed: {allowed}")
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"deadlines.{key} must be a positive whole number, got {value!r}")
        for regime in self._regimes:
            for key, value in self._overrides.items():
                target = OVERRIDE_KEYS[key]
                default = _period_of(regime.rules[target.kind], target.deadline)
                cap = default.days if target.statutory else target.ceiling
                if cap is not None and value > cap:
                    raise ValueError(
                        f"deadlines.{key} = {value} exceeds the legal limit of {cap} working days"
                        f" ({default.source}); local rules may only shorten it"
                    )

    @property
    def regimes(self) -> tuple[LegalRegime, ...]:
        return self._regimes

    def regime_for(self, received: date) -> LegalRegime:
        """The regime in force on `received`: the latest whose effective_from <= received."""
        found: LegalRegime | None = None
        for regime in self._regimes:
            if regime.effective_from <= received:
                found = regime
        if found is None:
            first = self._regimes[0].effective_from.isoformat()
            raise InvalidInput(
                f"no legal regime in force on {received.isoformat()} (the first starts {first})",
                received=received.isoformat(),
            )
        return found

    def rules_for(self, kind: Kind | str, received: date) -> KindRules:
        """The rules to snapshot for a petition of `kind` received on `received`."""
        kind = Kind(kind)
        rules = self.regime_for(received).rules[kind]
        for key, value in self._overrides.items():
            target = OVERRIDE_KEYS[key]
            if target.kind is not kind:
                continue
            current = _period_of(rules, target.deadline)
            if current.days == value:
                continue
            period = Period(
                value,
                current.unit,
                f"Local config deadlines.{key} (default {current.days}: {current.source})",
            )
            rules = _with_period(rules, target.deadline, period)
        return rules


def _period_of(rules: KindRules, name: DeadlineName) -> Period:
    if name is DeadlineName.DECISION:
        return rules.decision
    if name is DeadlineName.FORWARD:
        if rules.forward is None:
            raise ValueError(f"{rules.kind} has no forward deadline")
        return rules.forward
    return rules.resolution.normal


def _with_period(rules: KindRules, name: DeadlineName, period: Period) -> KindRules:
    if name is DeadlineName.DECISION:
        return replace(rules, decision=period)
    if name is DeadlineName.FORWARD:
        return replace(rules, forward=period)
    return replace(rules, resolution=replace(rules.resolution, normal=period))


# -- computing deadlines ---------------------------------------------------------------------


def end_of_day(d: date) -> datetime:
    """23:59:59 Asia/Ho_Chi_Minh on `d`: deadlines end with the day (Bộ luật Dân sự Art. 148)."""
    return datetime.combine(d, END_OF_DAY, tzinfo=VN_TZ)


def max_extensions(rules: KindRules, name: DeadlineName, flags: ResolutionFlags = NO_FLAGS) -> int:
    """How many times the law lets this deadline be extended, for a case with `flags`.

    - decision: once where a longer period exists (tố cáo: 7 -> 10 working days, Art. 24(1));
    - resolution of tố cáo: once if complex, twice if especially complex (Art. 30(2)-(3));
    - resolution with a `complex` variant (khiếu nại): once, unless the case is already complex;
    - anything else: never.
    """
    if name is DeadlineName.DECISION:
        return 1 if rules.decision_extended is not None else 0
    if name is DeadlineName.FORWARD:
        return 0
    if rules.resolution_extension is not None:
        if flags.especially_complex:
            return rules.extensions_if_especially_complex
        return rules.extensions_if_complex if flags.complex else 0
    table = _resolution_table(rules, flags)
    if flags.any_complex:
        return 0
    complex_period, _ = table.pick(complex=True, remote=flags.remote)
    plain_period, _ = table.pick(complex=False, remote=flags.remote)
    return 1 if complex_period != plain_period else 0


def decision_deadlines(
    rules: KindRules,
    received_at: datetime,
    calendar: WorkingCalendar,
    *,
    extensions: int = 0,
) -> list[Deadline]:
    """The decision deadline and, where the kind has one, the forward deadline.

    Both count from the receipt date in Asia/Ho_Chi_Minh. `extensions` (0 or 1) is how many
    times the decision period has been lawfully extended (`max_extensions`).
    """
    _check_extensions(rules, DeadlineName.DECISION, NO_FLAGS, extensions)
    received = _local_date(received_at)
    period = rules.decision
    rule = period.text("receipt")
    if extensions and rules.decision_extended is not None:
        period = rules.decision_extended
        rule = f"{period.text('receipt')} (extended from {rules.decision.days})"
    elif rules.decision_extended is not None:
        rule = f"{rule}, extendable to {rules.decision_extended.days}"
    deadlines = [
        Deadline(
            DeadlineName.DECISION,
            end_of_day(period.due_day(received, calendar)),
            rule,
            period.source,
        )
    ]
    if rules.forward is not None:
        forward = rules.forward
        deadlines.append(
            Deadline(
                DeadlineName.FORWARD,
                end_of_day(forward.due_day(received, calendar)),
                f"{forward.text('receipt')}, if not competent",
                forward.source,
            )
        )
    return deadlines


def resolution_deadline(
    rules: KindRules,
    accepted_at: datetime,
    calendar: WorkingCalendar,
    flags: ResolutionFlags = NO_FLAGS,
    *,
    extensions: int = 0,
) -> Deadline:
    """The resolution deadline, counted from the acceptance date in Asia/Ho_Chi_Minh.

    `flags` pick the variant (second complaint, remote area, complex). `extensions` is how
    many lawful extensions have been decided: for khiếu nại one extension means the complex
    period; for tố cáo each adds `resolution_extension` days, counted from acceptance together
    with the base period (30 + 30 days from acceptance, not from the rolled-over end).
    """
    _check_extensions(rules, DeadlineName.RESOLUTION, flags, extensions)
    accepted = _local_date(accepted_at)
    table = _resolution_table(rules, flags)
    notes = ["second complaint"] if flags.second and rules.resolution_second else []
    period, variant = table.pick(complex=flags.any_complex or extensions > 0, remote=flags.remote)
    notes += variant
    rule = period.text("acceptance")
    source = period.source
    ext = rules.resolution_extension
    if ext is not None and extensions:
        period = Period(period.days + extensions * ext.days, period.unit, source)
        plural = "extension" if extensions == 1 else "extensions"
        rule = f"{rule} + {extensions} {plural} of {ext.days} days"
        source = f"{source}; {ext.source}"
        notes.append("especially complex case" if flags.especially_complex else "complex case")
    if notes:
        rule = f"{rule} ({', '.join(notes)})"
    return Deadline(
        DeadlineName.RESOLUTION, end_of_day(period.due_day(accepted, calendar)), rule, source
    )


def extend(
    rules: KindRules,
    name: DeadlineName | str,
    start: datetime,
    calendar: WorkingCalendar,
    flags: ResolutionFlags = NO_FLAGS,
    extensions_done: int = 0,
) -> Deadline:
    """The deadline after one more extension (the "Gia hạn" action).

    `start` is the receipt instant for `decision`, the acceptance instant for `resolution`;
    `extensions_done` is how many extensions the ticket already had. Raises
    `ExtensionNotAllowed` where the law allows no (further) extension: phản ánh / kiến nghị,
    forward deadlines, a second decision extension, a tố cáo that is not (especially) complex.
    The caller stores `extensions_done + 1` with the ticket.
    """
    name = DeadlineName(name)
    if extensions_done < 0:
        raise ValueError(f"extensions_done must not be negative, got {extensions_done}")
    allowed = max_extensions(rules, name, flags)
    if extensions_done >= allowed:
        reason = (
            f"all {allowed} extensions already used" if allowed else "the law allows no extension"
        )
        raise ExtensionNotAllowed(
            f"{rules.kind} {name}: {reason}",
            kind=str(rules.kind),
            deadline=str(name),
            allowed=allowed,
        )
    done = extensions_done + 1
    if name is DeadlineName.DECISION:
        return decision_deadlines(rules, start, calendar, extensions=done)[0]
    return resolution_deadline(rules, start, calendar, flags, extensions=done)


def describe(
    kind: Kind | str,
    received: date,
    *,
    accepted: date | None = None,
    flags: ResolutionFlags = NO_FLAGS,
    policy: DeadlinePolicy,
    calendar: WorkingCalendar,
) -> list[dict[str, str]]:
    """What `nghedan deadlines` prints: `[{"name", "due", "rule", "source"}]`.

    `resolution` is included only when `accepted` is given. For tố cáo, `complex` and
    `especially_complex` show the resolution deadline after the extensions the law allows for
    such a case (Luật Tố cáo 2018 Art. 30(2)-(3)); flags a kind has no variant for are ignored.
    """
    try:
        kind = Kind(kind)
    except ValueError:
        raise InvalidInput(f"unknown kind {kind!r}", kind=str(kind)) from None
    if accepted is not None and accepted < received:
        raise InvalidInput(
            "a petition cannot be accepted before it is received",
            received=received.isoformat(),
            accepted=accepted.isoformat(),
        )
    rules = policy.rules_for(kind, received)
    result = decision_deadlines(rules, _start_of(received), calendar)
    if accepted is not None:
        extensions = (
            max_extensions(rules, DeadlineName.RESOLUTION, flags)
            if rules.resolution_extension is not None
            else 0
        )
        result.append(
            resolution_deadline(rules, _start_of(accepted), calendar, flags, extensions=extensions)
        )
    return [d.to_dict() for d in result]


def _check_extensions(
    rules: KindRules, name: DeadlineName, flags: ResolutionFlags, extensions: int
) -> None:
    allowed = max_extensions(rules, name, flags)
    if not 0 <= extensions <= allowed:
        raise ExtensionNotAllowed(
            f"{rules.kind} {name}: {extensions} extensions asked, {allowed} allowed",
            kind=str(rules.kind),
            deadline=str(name),
            allowed=allowed,
        )


def _resolution_table(rules: KindRules, flags: ResolutionFlags) -> ResolutionPeriods:
    if flags.second and rules.resolution_second is not None:
        return rules.resolution_second
    return rules.resolution


def _local_date(moment: datetime) -> date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("deadlines need an aware datetime")
    return moment.astimezone(VN_TZ).date()


def _start_of(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=VN_TZ)


def _period_or_none(period: Period | None) -> dict[str, Any] | None:
    return period.to_dict() if period is not None else None


def _period_from(d: Mapping[str, Any] | None) -> Period | None:
    return Period.from_dict(d) if d else None
