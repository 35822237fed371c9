from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.codes import CODE_PATTERN, find_code, format_code, parse_code
from bot.domain.kinds import KINDS, Identity, Kind, info


def test_prefixes_and_identity_rules() -> None:
    assert {k: i.prefix for k, i in KINDS.items()} == {
        Kind.PHAN_ANH: "PA",
        Kind.KIEN_NGHI: "KG",
        Kind.KHIEU_NAI: "KN",
        Kind.TO_CAO: "TC",
    }
    assert info("phan_anh").identity is Identity.OPTIONAL
    assert info("kien_nghi").identity is Identity.OPTIONAL
    assert info("khieu_nai").identity is Identity.REQUIRED
    assert info("to_cao").identity is Identity.CONFIDENTIAL


def test_format_examples() -> None:
    assert format_code(Kind.PHAN_ANH, 2026, 42) == "PA26-00042"
    assert format_code(Kind.TO_CAO, 2031, 123456) == "TC31-123456"
    with pytest.raises(ValueError):
        format_code(Kind.KIEN_NGHI, 2026, 0)


def test_find_code_in_free_text() -> None:
    assert find_code("cho tôi hỏi hồ sơ pa26-00042 với") == "PA26-00042"
    assert find_code("mã KN26-0042") is None  # fewer than five digits
    assert find_code("XPA26-00042") is None
    assert find_code("không có mã") is None


@given(st.sampled_from(list(Kind)), st.integers(2000, 2099), st.integers(1, 10**7))
def test_round_trip(kind: Kind, year: int, seq: int) -> None:
    code = format_code(kind, year, seq)
    assert CODE_PATTERN.fullmatch(code)
    parsed = parse_code(code)
    assert (parsed.kind, parsed.year, parsed.seq) == (kind, year, seq)
