"""`nghedan deadlines KIND RECEIVED [--accepted DATE] [flags]`: what it prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.domain.calendar import WorkingCalendar
from bot.domain.deadlines import DeadlinePolicy, ResolutionFlags, describe
from bot.domain.errors import InvalidInput
from bot.domain.kinds import Kind

ROOT = Path(__file__).resolve().parents[2]
CALENDAR = WorkingCalendar()
POLICY = DeadlinePolicy()


def run(
    kind: str,
    received: date,
    accepted: date | None = None,
    flags: ResolutionFlags | None = None,
    policy: DeadlinePolicy = POLICY,
) -> list[dict[str, str]]:
    result = describe(
        kind,
        received,
        accepted=accepted,
        flags=flags or ResolutionFlags(),
        policy=policy,
        calendar=CALENDAR,
    )
    # What the CLI prints must survive JSON.
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result
    return result


def dues(result: list[dict[str, str]]) -> dict[str, str]:
    return {item["name"]: item["due"] for item in result}


def test_shape_without_acceptance() -> None:
    result = run("phan_anh", date(2026, 2, 12))
    assert [item["name"] for item in result] == ["decision", "forward"]
    for item in result:
        assert set(item) == {"name", "due", "rule", "source"}
        assert all(isinstance(value, str) and value for value in item.values())
    assert result[0] == {
        "name": "decision",
        "due": "2026-03-05T23:59:59+07:00",
        "rule": "10 working days from receipt",
        "source": "Luật Tiếp công dân 2013, Art. 28(1)",
    }
    assert result[1]["due"] == "2026-02-26T23:59:59+07:00"


def test_resolution_only_with_acceptance() -> None:
    result = run("kien_nghi", date(2026, 2, 12), accepted=date(2026, 2, 13))
    assert [item["name"] for item in result] == ["decision", "forward", "resolution"]
    assert result[2] == {
        "name": "resolution",
        "due": "2026-03-13T23:59:59+07:00",
        "rule": "15 working days from acceptance",
        "source": "Local rules (no national limit)",
    }


def test_khieu_nai_before_and_after_the_2026_law() -> None:
    assert dues(run("khieu_nai", date(2026, 6, 30)))["decision"] == "2026-07-14T23:59:59+07:00"
    assert dues(run("khieu_nai", date(2026, 7, 1)))["decision"] == "2026-07-10T23:59:59+07:00"


@pytest.mark.parametrize(
    ("flags", "due", "rule"),
    [
        (ResolutionFlags(), "2026-04-01", "30 days from acceptance"),
        (ResolutionFlags(complex=True), "2026-04-16", "45 days from acceptance (complex case)"),
        (ResolutionFlags(remote=True), "2026-04-16", "45 days from acceptance (remote area)"),
        (
            ResolutionFlags(remote=True, complex=True),
            "2026-05-04",
            "60 days from acceptance (remote area, complex case)",
        ),
        (ResolutionFlags(second=True), "2026-04-16", "45 days from acceptance (second complaint)"),
        (
            ResolutionFlags(second=True, remote=True, complex=True),
            "2026-05-11",
            "70 days from acceptance (second complaint, remote area, complex case)",
        ),
    ],
)
def test_khieu_nai_resolution_flags(flags: ResolutionFlags, due: str, rule: str) -> None:
    result = run("khieu_nai", date(2026, 2, 20), accepted=date(2026, 3, 2), flags=flags)
    resolution = result[-1]
    assert resolution["due"] == f"{due}T23:59:59+07:00"
    assert resolution["rule"] == rule


@pytest.mark.parametrize(
    ("flags", "due"),
    [
        (ResolutionFlags(), "2026-04-01"),
        (ResolutionFlags(complex=True), "2026-05-04"),
        (ResolutionFlags(especially_complex=True), "2026-06-01"),
    ],
)
def test_to_cao_shows_the_deadline_after_the_lawful_extensions(
    flags: ResolutionFlags, due: str
) -> None:
    result = run("to_cao", date(2026, 2, 20), accepted=date(2026, 3, 2), flags=flags)
    assert dues(result)["resolution"] == f"{due}T23:59:59+07:00"
    assert dues(result)["decision"] == "2026-03-03T23:59:59+07:00"


def test_config_override_reaches_the_output() -> None:
    policy = DeadlinePolicy(overrides={"resolve_phan_anh_working_days": 5})
    result = run("phan_anh", date(2026, 3, 2), accepted=date(2026, 3, 2), policy=policy)
    assert dues(result)["resolution"] == "2026-03-09T23:59:59+07:00"


def test_bad_input_is_refused() -> None:
    with pytest.raises(InvalidInput):
        run("gop_y", date(2026, 3, 2))
    with pytest.raises(InvalidInput):
        run("phan_anh", date(2026, 3, 2), accepted=date(2026, 3, 1))
    with pytest.raises(InvalidInput):
        run(Kind.PHAN_ANH, date(2010, 3, 2))


def test_the_console_command_prints_the_same_json() -> None:
    env = {**os.environ, "NGHEDAN_CONFIG": str(ROOT / "config" / "example.yaml")}
    args = ["to_cao", "2026-02-20", "--accepted", "2026-03-02", "--especially-complex"]
    completed = subprocess.run(
        [sys.executable, "-m", "bot", "deadlines", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    printed = json.loads(completed.stdout)
    expected = run(
        "to_cao",
        date(2026, 2, 20),
        accepted=date(2026, 3, 2),
        flags=ResolutionFlags(especially_complex=True),
    )
    assert printed == expected
    assert "Tố cáo" in completed.stdout  # ensure_ascii=False keeps Vietnamese readable
