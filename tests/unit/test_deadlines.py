from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.calendar import WorkingCalendar
from bot.domain.clock import VN_TZ
from bot.domain.deadlines import (
    DEFAULT_REGIMES,
    OVERRIDE_KEYS,
    DayUnit,
    Deadline,
    DeadlineName,
    DeadlinePolicy,
    KindRules,
    LegalRegime,
    Period,
    ResolutionFlags,
    decision_deadlines,
    end_of_day,
    extend,
    max_extensions,
    resolution_deadline,
)
from bot.domain.errors import ExtensionNotAllowed, InvalidInput
from bot.domain.kinds import Kind

CALENDAR = WorkingCalendar()
POLICY = DeadlinePolicy()


def at(d: date, hour: int = 9) -> datetime:
    return datetime.combine(d, time(hour), tzinfo=VN_TZ)


def due_day(deadline: Deadline) -> date:
    return deadline.due.date()


def by_name(deadlines: list[Deadline]) -> dict[DeadlineName, Deadline]:
    return {d.name: d for d in deadlines}


# -- decision and forward --------------------------------------------------------------------


def test_phan_anh_decision_across_tet() -> None:
    rules = POLICY.rules_for(Kind.PHAN_ANH, date(2026, 2, 12))
    found = by_name(decision_deadlines(rules, at(date(2026, 2, 12)), CALENDAR))
    assert list(found) == [DeadlineName.DECISION, DeadlineName.FORWARD]
    decision = found[DeadlineName.DECISION]
    assert decision.due == datetime(2026, 3, 5, 23, 59, 59, tzinfo=VN_TZ)
    assert decision.due.isoformat() == "2026-03-05T23:59:59+07:00"
    assert decision.rule == "10 working days from receipt"
    assert decision.source == "Luật Tiếp công dân 2013, Art. 28(1)"
    assert due_day(found[DeadlineName.FORWARD]) == date(2026, 2, 26)
    assert "NĐ 20/2008" in found[DeadlineName.FORWARD].source


def test_receipt_is_counted_in_vietnam_time() -> None:
    # 18:00 UTC on 11/02 is 01:00 on 12/02 in Hà Nội.
    rules = POLICY.rules_for(Kind.KIEN_NGHI, date(2026, 2, 12))
    received = datetime(2026, 2, 11, 18, 0, tzinfo=UTC)
    decision = decision_deadlines(rules, received, CALENDAR)[0]
    assert due_day(decision) == date(2026, 3, 5)


def test_naive_datetimes_are_refused() -> None:
    rules = POLICY.rules_for(Kind.PHAN_ANH, date(2026, 3, 2))
    with pytest.raises(ValueError, match="aware"):
        decision_deadlines(rules, datetime(2026, 3, 2, 9), CALENDAR)


def test_khieu_nai_acceptance_period_changes_on_2026_07_01() -> None:
    before = POLICY.rules_for(Kind.KHIEU_NAI, date(2026, 6, 30))
    after = POLICY.rules_for(Kind.KHIEU_NAI, date(2026, 7, 1))
    assert (before.regime, before.decision.days) == ("2013", 10)
    assert (after.regime, after.decision.days) == ("2026-07-01", 7)
    old = decision_deadlines(before, at(date(2026, 6, 30)), CALENDAR)[0]
    new = decision_deadlines(after, at(date(2026, 7, 1)), CALENDAR)[0]
    assert due_day(old) == date(2026, 7, 14)
    assert due_day(new) == date(2026, 7, 10)
    assert old.source == "TT 07/2013/TT-TTCP, Art. 5(1)"
    assert new.source == "NĐ 155/2026/NĐ-CP, Art. 10"


def test_khieu_nai_and_to_cao_have_a_forward_deadline_of_five_working_days() -> None:
    for kind in (Kind.KHIEU_NAI, Kind.TO_CAO):
        rules = POLICY.rules_for(kind, date(2026, 3, 2))
        forward = by_name(decision_deadlines(rules, at(date(2026, 3, 2)), CALENDAR))[
            DeadlineName.FORWARD
        ]
        assert due_day(forward) == date(2026, 3, 9)
    assert rules.forward is not None
    assert rules.forward.source == "Luật Tố cáo 2018, Art. 24(2)"


def test_to_cao_decision_is_seven_working_days_extendable_once_to_ten() -> None:
    rules = POLICY.rules_for(Kind.TO_CAO, date(2026, 3, 2))
    decision = decision_deadlines(rules, at(date(2026, 3, 2)), CALENDAR)[0]
    assert due_day(decision) == date(2026, 3, 11)
    assert decision.rule == "7 working days from receipt, extendable to 10"
    extended = extend(rules, DeadlineName.DECISION, at(date(2026, 3, 2)), CALENDAR)
    assert extended.name is DeadlineName.DECISION
    assert due_day(extended) == date(2026, 3, 16)
    assert extended.source == "Luật Tố cáo 2018, Art. 24(1)"
    with pytest.raises(ExtensionNotAllowed):
        extend(rules, "decision", at(date(2026, 3, 2)), CALENDAR, extensions_done=1)


def test_receipts_before_the_first_regime_are_refused() -> None:
    with pytest.raises(InvalidInput):
        POLICY.rules_for(Kind.PHAN_ANH, date(2018, 12, 31))


# -- resolution ------------------------------------------------------------------------------

ACCEPTED = date(2026, 3, 2)  # a Monday


@pytest.mark.parametrize(
    ("second", "remote", "complex_", "days", "due", "source"),
    [
        (False, False, False, 30, date(2026, 4, 1), "Art. 28"),
        (False, False, True, 45, date(2026, 4, 16), "Art. 28"),
        (False, True, False, 45, date(2026, 4, 16), "Art. 28"),
        # 01/05/2026 is Labour Day (a Friday): the period ends on Monday 04/05.
        (False, True, True, 60, date(2026, 5, 4), "Art. 28"),
        (True, False, False, 45, date(2026, 4, 16), "Art. 37"),
        (True, False, True, 60, date(2026, 5, 4), "Art. 37"),
        (True, True, False, 60, date(2026, 5, 4), "Art. 37"),
        (True, True, True, 70, date(2026, 5, 11), "Art. 37"),
    ],
)
def test_khieu_nai_resolution_variants(
    second: bool, remote: bool, complex_: bool, days: int, due: date, source: str
) -> None:
    rules = POLICY.rules_for(Kind.KHIEU_NAI, date(2026, 2, 20))
    flags = ResolutionFlags(complex=complex_, remote=remote, second=second)
    deadline = resolution_deadline(rules, at(ACCEPTED), CALENDAR, flags)
    assert deadline.name is DeadlineName.RESOLUTION
    assert due_day(deadline) == due
    assert deadline.rule.startswith(f"{days} days from acceptance")
    assert deadline.source == f"Luật Khiếu nại 2011, {source}"


def test_khieu_nai_notes_say_which_variant_applied() -> None:
    rules = POLICY.rules_for(Kind.KHIEU_NAI, date(2026, 2, 20))
    flags = ResolutionFlags(complex=True, remote=True, second=True)
    deadline = resolution_deadline(rules, at(ACCEPTED), CALENDAR, flags)
    assert deadline.rule == "70 days from acceptance (second complaint, remote area, complex case)"


def test_especially_complex_counts_as_complex_for_khieu_nai() -> None:
    rules = POLICY.rules_for(Kind.KHIEU_NAI, date(2026, 2, 20))
    flags = ResolutionFlags(especially_complex=True)
    assert due_day(resolution_deadline(rules, at(ACCEPTED), CALENDAR, flags)) == date(2026, 4, 16)


def test_khieu_nai_extension_becomes_the_complex_period() -> None:
    rules = POLICY.rules_for(Kind.KHIEU_NAI, date(2026, 2, 20))
    plain = ResolutionFlags()
    assert max_extensions(rules, DeadlineName.RESOLUTION, plain) == 1
    extended = extend(rules, DeadlineName.RESOLUTION, at(ACCEPTED), CALENDAR, plain)
    assert due_day(extended) == date(2026, 4, 16)
    remote_second = ResolutionFlags(remote=True, second=True)
    extended = extend(rules, DeadlineName.RESOLUTION, at(ACCEPTED), CALENDAR, remote_second)
    assert due_day(extended) == date(2026, 5, 11)
    with pytest.raises(ExtensionNotAllowed):
        extend(rules, DeadlineName.RESOLUTION, at(ACCEPTED), CALENDAR, plain, extensions_done=1)
    with pytest.raises(ExtensionNotAllowed):
        complex_case = ResolutionFlags(complex=True)
        extend(rules, DeadlineName.RESOLUTION, at(ACCEPTED), CALENDAR, complex_case)


def test_to_cao_resolution_is_thirty_days() -> None:
    rules = POLICY.rules_for(Kind.TO_CAO, date(2026, 2, 20))
    deadline = resolution_deadline(rules, at(ACCEPTED), CALENDAR)
    assert due_day(deadline) == date(2026, 4, 1)
    assert deadline.rule == "30 days from acceptance"
    assert deadline.source == "Luật Tố cáo 2018, Art. 30(1)"
    # Complexity alone does not move the deadline: the law wants a written extension.
    complex_case = ResolutionFlags(complex=True)
    assert resolution_deadline(rules, at(ACCEPTED), CALENDAR, complex_case).due == deadline.due


def test_to_cao_complex_is_extended_once() -> None:
    rules = POLICY.rules_for(Kind.TO_CAO, date(2026, 2, 20))
    flags = ResolutionFlags(complex=True)
    extended = extend(rules, DeadlineName.RESOLUTION, at(ACCEPTED), CALENDAR, flags)
    # 02/03 + 60 days = Fri 01/05/2026, Labour Day.
    assert due_day(extended) == date(2026, 5, 4)
    assert extended.rule == "30 days from acceptance + 1 extension of 30 days (complex case)"
    assert "NĐ 31/2019" in extended.source
    with pytest.raises(ExtensionNotAllowed):
        extend(rules, DeadlineName.RESOLUTION, at(ACCEPTED), CALENDAR, flags, extensions_done=1)


def test_to_cao_especially_complex_is_extended_twice() -> None:
    rules = POLICY.rules_for(Kind.TO_CAO, date(2026, 2, 20))
    flags = ResolutionFlags(especially_complex=True)
    first = extend(rules, DeadlineName.RESOLUTION, at(ACCEPTED), CALENDAR, flags)
    second = extend(rules, "resolution", at(ACCEPTED), CALENDAR, flags, extensions_done=1)
    assert due_day(first) == date(2026, 5, 4)
    # 02/03 + 90 days = Sun 31/05/2026.
    assert due_day(second) == date(2026, 6, 1)
    assert second.rule.startswith("30 days from acceptance + 2 extensions of 30 days")
    with pytest.raises(ExtensionNotAllowed):
        extend(rules, DeadlineName.RESOLUTION, at(ACCEPTED), CALENDAR, flags, extensions_done=2)


def test_to_cao_plain_case_cannot_be_extended() -> None:
    rules = POLICY.rules_for(Kind.TO_CAO, date(2026, 2, 20))
    with pytest.raises(ExtensionNotAllowed):
        extend(rules, DeadlineName.RESOLUTION, at(ACCEPTED), CALENDAR)
    with pytest.raises(ExtensionNotAllowed):
        resolution_deadline(rules, at(ACCEPTED), CALENDAR, extensions=1)


@pytest.mark.parametrize("kind", [Kind.PHAN_ANH, Kind.KIEN_NGHI])
def test_phan_anh_kien_nghi_resolve_in_fifteen_working_days_and_never_extend(kind: Kind) -> None:
    rules = POLICY.rules_for(kind, date(2026, 2, 20))
    deadline = resolution_deadline(rules, at(ACCEPTED), CALENDAR, ResolutionFlags(complex=True))
    assert due_day(deadline) == date(2026, 3, 23)
    assert deadline.rule == "15 working days from acceptance"
    for name in DeadlineName:
        with pytest.raises(ExtensionNotAllowed) as raised:
            extend(rules, name, at(ACCEPTED), CALENDAR)
        assert raised.value.message_id == "error-extension-not-allowed"


@pytest.mark.parametrize("kind", list(Kind))
def test_forward_deadlines_never_extend(kind: Kind) -> None:
    rules = POLICY.rules_for(kind, date(2026, 2, 20))
    with pytest.raises(ExtensionNotAllowed):
        extend(rules, DeadlineName.FORWARD, at(ACCEPTED), CALENDAR)


# -- config overrides ------------------------------------------------------------------------


def test_phan_anh_resolution_override_from_config() -> None:
    policy = DeadlinePolicy(overrides={"resolve_phan_anh_working_days": 5})
    rules = policy.rules_for(Kind.PHAN_ANH, date(2026, 2, 20))
    deadline = resolution_deadline(rules, at(ACCEPTED), CALENDAR)
    assert due_day(deadline) == date(2026, 3, 9)
    assert deadline.rule == "5 working days from acceptance"
    assert "deadlines.resolve_phan_anh_working_days" in deadline.source
    # Other kinds keep their defaults.
    kien_nghi = policy.rules_for(Kind.KIEN_NGHI, date(2026, 2, 20))
    assert kien_nghi.resolution.normal.days == 15


def test_an_override_equal_to_the_default_keeps_the_legal_source() -> None:
    policy = DeadlinePolicy(overrides={"resolve_phan_anh_working_days": 15})
    assert policy.rules_for(Kind.PHAN_ANH, ACCEPTED) == POLICY.rules_for(Kind.PHAN_ANH, ACCEPTED)


def test_overrides_apply_in_every_regime() -> None:
    policy = DeadlinePolicy(overrides={"decision_kien_nghi_working_days": 8})
    for received in (date(2026, 6, 30), date(2026, 7, 1)):
        assert policy.rules_for(Kind.KIEN_NGHI, received).decision.days == 8


def test_unknown_override_keys_are_named() -> None:
    with pytest.raises(ValueError, match="resolve_to_cao_days") as raised:
        DeadlinePolicy(overrides={"resolve_to_cao_days": 10})
    assert "resolve_phan_anh_working_days" in str(raised.value)
    assert {"resolve_phan_anh_working_days", "resolve_kien_nghi_working_days"} <= set(
        OVERRIDE_KEYS
    )


@pytest.mark.parametrize("value", [0, -3, True, 2.5, "15"])
def test_override_values_must_be_positive_integers(value: object) -> None:
    with pytest.raises(ValueError, match="resolve_phan_anh_working_days"):
        DeadlinePolicy(overrides={"resolve_phan_anh_working_days": value})  # type: ignore[dict-item]


def test_statutory_limits_may_only_be_shortened() -> None:
    with pytest.raises(ValueError, match="legal limit"):
        DeadlinePolicy(overrides={"decision_phan_anh_working_days": 12})
    with pytest.raises(ValueError, match="legal limit"):
        DeadlinePolicy(overrides={"forward_khieu_nai_working_days": 11})
    DeadlinePolicy(overrides={"forward_khieu_nai_working_days": 10})


# -- snapshots -------------------------------------------------------------------------------


def all_rules() -> list[KindRules]:
    overridden = DeadlinePolicy(overrides={"resolve_phan_anh_working_days": 7})
    return [r for regime in DEFAULT_REGIMES for r in regime.rules.values()] + [
        overridden.rules_for(Kind.PHAN_ANH, ACCEPTED)
    ]


@pytest.mark.parametrize("rules", all_rules(), ids=lambda r: f"{r.regime}-{r.kind}")
def test_kind_rules_round_trip_through_json(rules: KindRules) -> None:
    stored = json.dumps(rules.to_dict(), ensure_ascii=False)
    assert KindRules.from_dict(json.loads(stored)) == rules


def test_a_stored_snapshot_keeps_its_deadlines_when_config_changes() -> None:
    received, accepted = date(2026, 2, 12), date(2026, 2, 13)
    snapshot = DeadlinePolicy().rules_for(Kind.PHAN_ANH, received).to_dict()
    before = resolution_deadline(KindRules.from_dict(snapshot), at(accepted), CALENDAR)

    changed = DeadlinePolicy(overrides={"resolve_phan_anh_working_days": 3})
    after_change = resolution_deadline(
        changed.rules_for(Kind.PHAN_ANH, received), at(accepted), CALENDAR
    )
    restored = resolution_deadline(KindRules.from_dict(snapshot), at(accepted), CALENDAR)
    assert restored == before
    assert due_day(before) == date(2026, 3, 13)
    assert due_day(after_change) == date(2026, 2, 25)


def test_a_snapshot_taken_before_a_new_law_keeps_the_old_law() -> None:
    snapshot = POLICY.rules_for(Kind.KHIEU_NAI, date(2026, 6, 30)).to_dict()
    rules = KindRules.from_dict(snapshot)
    # Computed later, e.g. by the scheduler in August: still 10 working days.
    assert rules.regime == "2013"
    assert due_day(decision_deadlines(rules, at(date(2026, 6, 30)), CALENDAR)[0]) == date(
        2026, 7, 14
    )


# -- regimes ---------------------------------------------------------------------------------


def regime(regime_id: str, effective_from: date, decision_days: int) -> LegalRegime:
    base = DEFAULT_REGIMES[0].rules
    rules = {
        kind: KindRules.from_dict({**r.to_dict(), "regime": regime_id}) for kind, r in base.items()
    }
    rules[Kind.PHAN_ANH] = KindRules.from_dict(
        {
            **rules[Kind.PHAN_ANH].to_dict(),
            "decision": Period(decision_days, DayUnit.WORKING, "test").to_dict(),
        }
    )
    return LegalRegime(id=regime_id, effective_from=effective_from, rules=rules)


def test_the_latest_regime_in_force_on_receipt_applies() -> None:
    policy = DeadlinePolicy(
        regimes=[regime("b", date(2030, 1, 1), 4), regime("a", date(2020, 1, 1), 9)]
    )
    assert [r.id for r in policy.regimes] == ["a", "b"]
    assert policy.rules_for(Kind.PHAN_ANH, date(2029, 12, 31)).decision.days == 9
    assert policy.rules_for(Kind.PHAN_ANH, date(2030, 1, 1)).decision.days == 4
    assert policy.regime_for(date(2030, 1, 1)).id == "b"


def test_regimes_must_be_complete_and_distinct() -> None:
    with pytest.raises(ValueError, match="to_cao"):
        LegalRegime(
            id="2013",
            effective_from=date(2020, 1, 1),
            rules={k: r for k, r in DEFAULT_REGIMES[0].rules.items() if k is not Kind.TO_CAO},
        )
    with pytest.raises(ValueError):
        same_day = date(2020, 1, 1)
        DeadlinePolicy(regimes=[regime("a", same_day, 9), regime("b", same_day, 4)])
    with pytest.raises(ValueError):
        DeadlinePolicy(regimes=[])


def test_end_of_day_is_vietnam_time() -> None:
    assert end_of_day(date(2026, 3, 5)).isoformat() == "2026-03-05T23:59:59+07:00"


# -- properties ------------------------------------------------------------------------------

receipts = st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31))
kinds = st.sampled_from(list(Kind))


@given(received=receipts, kind=kinds, hour=st.integers(min_value=0, max_value=23))
def test_decision_deadlines_count_working_days_from_receipt(
    received: date, kind: Kind, hour: int
) -> None:
    rules = POLICY.rules_for(kind, received)
    for deadline in decision_deadlines(rules, at(received, hour), CALENDAR):
        period = rules.decision if deadline.name is DeadlineName.DECISION else rules.forward
        assert period is not None
        day = due_day(deadline)
        assert CALENDAR.is_working_day(day)
        assert CALENDAR.working_days_between(received, day) == period.days
        assert deadline.due.time() == time(23, 59, 59)
        assert deadline.due.utcoffset() == timedelta(hours=7)


@given(
    accepted=receipts,
    complex_=st.booleans(),
    remote=st.booleans(),
    second=st.booleans(),
)
def test_calendar_day_resolutions_never_end_early_or_on_a_day_off(
    accepted: date, complex_: bool, remote: bool, second: bool
) -> None:
    rules = POLICY.rules_for(Kind.KHIEU_NAI, accepted)
    flags = ResolutionFlags(complex=complex_, remote=remote, second=second)
    deadline = resolution_deadline(rules, at(accepted), CALENDAR, flags)
    day = due_day(deadline)
    days = int(deadline.rule.split()[0])
    assert day >= accepted + timedelta(days=days)
    assert CALENDAR.is_working_day(day)
    assert days in {30, 45, 60, 70}
