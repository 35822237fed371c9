"""The `nghedan` command as an operator uses it, in a subprocess."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def nghedan(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_config_check_ok_and_errors(tmp_path: Path) -> None:
    ok = nghedan("config", "check", "config/example.yaml")
    assert (ok.returncode, ok.stdout.strip()) == (0, "OK")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (ROOT / "config/example.yaml")
        .read_text(encoding="utf-8")
        .replace("- {unit: ban-tiep-cong-dan}", "- {unit: khong-co}"),
        encoding="utf-8",
    )
    result = nghedan("config", "check", str(bad))
    assert result.returncode == 1
    assert f"{bad}: routing[" in result.stdout and "khong-co" in result.stdout


def test_a_bad_config_stops_start_up_with_the_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("timezone: Asia/Ho_Chi_Minh\nunits: []\n", encoding="utf-8")
    result = nghedan(
        "migrate",
        env={"NGHEDAN_CONFIG": str(bad), "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db"},
    )
    assert result.returncode == 2
    assert str(bad) in result.stderr


def test_migrate_makes_a_wal_database_with_foreign_keys(tmp_path: Path) -> None:
    database = tmp_path / "var" / "nghedan.db"
    result = nghedan("migrate", env={"DATABASE_URL": f"sqlite+aiosqlite:///{database}"})
    assert result.returncode == 0, result.stderr
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert {"tickets", "outbox", "ticket_events", "processed_updates"} <= tables
        fks = connection.execute("PRAGMA foreign_key_list(ticket_events)").fetchall()
        assert any(row[2] == "tickets" for row in fks)
    finally:
        connection.close()


def test_deadlines_refuses_a_bad_date_politely() -> None:
    result = nghedan("deadlines", "khieu_nai", "2026-13-01")
    assert (
        result.returncode == 2
        and "YYYY-MM-DD" in result.stderr
        and "Traceback" not in result.stderr
    )
