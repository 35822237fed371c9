import copy
import sys
import types
from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from bot.config import (
    AppConfig,
    ConfigFileError,
    Settings,
    WeeklyTime,
    check_config,
    load_config,
)
from bot.domain.org import Role
from bot.domain.routing import route, suggest_category

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "example.yaml"

ENV_NAMES = [
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_URL",
    "TELEGRAM_FRAMEWORK",
    "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_WEBHOOK_SECRET",
    "ZALO_BOT_TOKEN",
    "ZALO_API_URL",
    "ZALO_WEBHOOK_URL",
    "ZALO_WEBHOOK_SECRET",
    "DATABASE_URL",
    "NGHEDAN_CONFIG",
    "WEB_HOST",
    "WEB_PORT",
    "WEB_ENABLED",
    "WEB_PASSWORD",
    "LOG_LEVEL",
]
TOKEN = "123456789:AAHsecretsecretsecretsecretsecret_xyz"


# --- Settings ---------------------------------------------------------------------------------


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Settings]:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)

    def settings(**values: str) -> Settings:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return Settings()

    return settings


def test_settings_defaults(env: Callable[..., Settings]) -> None:
    s = env()
    assert s.telegram_bot_token is None
    assert s.telegram_api_url == "https://api.telegram.org"
    assert s.telegram_framework == "aiogram"
    assert s.zalo_api_url == "https://bot-api.zaloplatforms.com"
    assert s.database_url == "sqlite+aiosqlite:///var/nghedan.db"
    assert s.nghedan_config == Path("config/example.yaml")
    assert (s.web_host, s.web_port, s.web_enabled) == ("127.0.0.1", 8080, True)
    assert s.log_level == "INFO"
    assert s.describe_channels() == [
        "Telegram: off, TELEGRAM_BOT_TOKEN not set",
        "Zalo: off, ZALO_BOT_TOKEN not set",
        "Web: on at http://127.0.0.1:8080",
    ]


def test_settings_read_the_environment(env: Callable[..., Settings]) -> None:
    s = env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_FRAMEWORK="ptb",
        TELEGRAM_API_URL="http://127.0.0.1:8081/",
        WEB_PORT="9000",
        WEB_ENABLED="false",
        log_level="debug",
        DATABASE_URL="postgresql+asyncpg://nghedan:pw@db/nghedan",
    )
    assert s.telegram_bot_token is not None
    assert s.telegram_bot_token.get_secret_value() == TOKEN
    assert s.telegram_framework == "ptb"
    assert s.telegram_api_url == "http://127.0.0.1:8081"
    assert (s.web_port, s.web_enabled, s.log_level) == (9000, False, "DEBUG")
    assert s.database_url.startswith("postgresql+asyncpg://")


def test_empty_variable_counts_as_unset(env: Callable[..., Settings]) -> None:
    assert env(TELEGRAM_BOT_TOKEN="").telegram_bot_token is None


def test_unknown_framework_is_refused(env: Callable[..., Settings]) -> None:
    with pytest.raises(ValidationError):
        env(TELEGRAM_FRAMEWORK="telebot")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_needs_no_password(env: Callable[..., Settings], host: str) -> None:
    assert env(WEB_HOST=host).web_password is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "nghedan.example.vn"])
def test_web_password_required_off_loopback(env: Callable[..., Settings], host: str) -> None:
    with pytest.raises(ValidationError, match="WEB_PASSWORD"):
        env(WEB_HOST=host)
    assert env(WEB_HOST=host, WEB_PASSWORD="s3cret-pass").web_password is not None


def test_web_password_not_needed_when_web_is_off(env: Callable[..., Settings]) -> None:
    assert env(WEB_HOST="0.0.0.0", WEB_ENABLED="0").web_enabled is False


def test_password_error_does_not_echo_the_token(env: Callable[..., Settings]) -> None:
    with pytest.raises(ValidationError) as info:
        env(WEB_HOST="0.0.0.0", TELEGRAM_BOT_TOKEN=TOKEN)
    assert TOKEN not in str(info.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TELEGRAM_WEBHOOK_SECRET", "has space"),
        ("TELEGRAM_WEBHOOK_SECRET", "x" * 257),
        ("ZALO_WEBHOOK_SECRET", "short"),
        ("ZALO_WEBHOOK_SECRET", "x" * 257),
        ("TELEGRAM_WEBHOOK_URL", "example.org/hook"),
        ("WEB_PORT", "70000"),
    ],
)
def test_bad_values_are_refused(env: Callable[..., Settings], name: str, value: str) -> None:
    with pytest.raises(ValidationError):
        env(**{name: value})


def test_good_webhook_secrets(env: Callable[..., Settings]) -> None:
    s = env(TELEGRAM_WEBHOOK_SECRET="abc_DEF-123", ZALO_WEBHOOK_SECRET="eight888")
    assert s.telegram_webhook_secret is not None
    assert s.zalo_webhook_secret is not None


def test_describe_channels_when_on(env: Callable[..., Settings]) -> None:
    s = env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        ZALO_BOT_TOKEN="zalo-" + TOKEN,
        ZALO_WEBHOOK_URL="https://bot.example.vn/zalo/webhook",
        ZALO_WEBHOOK_SECRET="zalo-webhook-secret",
        WEB_HOST="0.0.0.0",
        WEB_PASSWORD="hunter2-hunter2",
    )
    assert s.describe_channels() == [
        "Telegram: on (aiogram, long polling)",
        "Zalo: on (webhook https://bot.example.vn/zalo/webhook)",
        "Web: on at http://0.0.0.0:8080 (password protected)",
    ]
    assert s.zalo_webhook_path == "/zalo/webhook"
    assert s.telegram_webhook_path is None


def test_describe_channels_never_shows_a_secret(env: Callable[..., Settings]) -> None:
    s = env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_FRAMEWORK="ptb",
        # Some operators put the token in the webhook path; credentials and query too.
        TELEGRAM_WEBHOOK_URL=f"https://user:pw@bot.example.vn/telegram/{TOKEN}?key=abc",
        TELEGRAM_WEBHOOK_SECRET="webhook_secret_1",
        TELEGRAM_API_URL="http://127.0.0.1:8081",
        WEB_PASSWORD="hunter2-hunter2",
    )
    lines = s.describe_channels()
    assert lines[0] == (
        "Telegram: on (ptb, webhook https://bot.example.vn/telegram/***, "
        "API http://127.0.0.1:8081)"
    )
    text = "\n".join(lines)
    for secret in (TOKEN, "webhook_secret_1", "hunter2", "pw@", "key=abc"):
        assert secret not in text
    assert s.telegram_webhook_path == f"/telegram/{TOKEN}"


# --- The example config ------------------------------------------------------------------------


def test_example_config_passes() -> None:
    assert check_config(EXAMPLE) == []


def test_example_config_content() -> None:
    config = load_config(EXAMPLE)
    directory = config.directory()
    rules = config.routing_rules()

    assert config.timezone == "Asia/Ho_Chi_Minh"
    assert config.default_locale == "vi"
    assert directory.admins == {100001}
    assert directory.escalation_chat_id == -1001000000009
    assert len(config.communes) == 5
    assert 8 <= len(config.categories) <= 10
    assert all(c.lat is not None and c.lon is not None for c in config.communes)
    chats = [u.telegram_chat_id for u in directory.units]
    assert len(set(chats)) == len(chats) and directory.escalation_chat_id not in chats
    assert rules[-1].is_fallback and rules[-1].unit == "ban-tiep-cong-dan"

    def unit_for(kind: str, category: str | None, commune: str | None) -> str:
        return route(rules, kind=kind, category=category, commune=commune)

    assert unit_for("to_cao", "dat-dai", "hai-chau") == "thanh-tra"
    assert unit_for("phan_anh", "an-ninh", "hai-chau") == "cong-an"
    assert unit_for("khieu_nai", "dat-dai", "hoa-vang") == "so-nn-mt"
    assert unit_for("phan_anh", "ha-tang", "thanh-khe") == "ubnd-thanh-khe"
    assert unit_for("kien_nghi", "khac", None) == "ban-tiep-cong-dan"
    # Every commune reaches its own People's Committee.
    for commune in config.communes:
        assert unit_for("phan_anh", "ha-tang", commune.id) == f"ubnd-{commune.id}"

    assert directory.role_in(100001, "cong-an") is Role.ADMIN
    assert directory.role_in(200001, "ban-tiep-cong-dan") is Role.HEAD
    assert directory.role_in(200002, "ban-tiep-cong-dan") is Role.OFFICER
    assert directory.category("ha-tang").name("en") == "Roads and infrastructure"

    assert suggest_category(directory.categories, "Đường bị ổ gà rất nguy hiểm") == "ha-tang"
    assert suggest_category(directory.categories, "duong bi o ga") == "ha-tang"
    assert suggest_category(directory.categories, "Hẻm bị ngập nước") == "ha-tang"
    assert suggest_category(directory.categories, "tiếng ồn karaoke lúc nửa đêm") == "an-ninh"
    assert suggest_category(directory.categories, "Xả rác bừa bãi") == "moi-truong"
    assert suggest_category(directory.categories, "cơi nới lấn chiếm vỉa hè") == (
        "trat-tu-xay-dung"
    )

    assert config.reminders.before_deadline_days == [3, 1]
    assert config.reminders.weekly_digest == WeeklyTime(0, 8, 0)
    assert config.reminders.weekly_reminders == WeeklyTime(2, 17, 0)
    assert config.reminders.weekly_reminders.day_name == "wed"
    assert 2 <= len(config.reception_schedule) <= 3
    assert config.reception_schedule[0].time == time(7, 30)
    assert config.limits.description_max == 4000
    assert config.delivery.group_per_minute == 20


def test_example_config_round_trips_through_yaml(tmp_path: Path) -> None:
    config = load_config(EXAMPLE)
    again = tmp_path / "again.yaml"
    again.write_text(yaml.safe_dump(config.model_dump(mode="json"), allow_unicode=True), "utf-8")
    assert load_config(again) == config


# --- Errors, one "FILE: PATH: reason" line each -------------------------------------------------

MINIMAL: dict[str, Any] = {
    "admins": [100001],
    "communes": [
        {"id": "p1", "name": "Phường 1", "lat": 16.0, "lon": 108.2},
        {"id": "p2", "name": "Phường 2"},
    ],
    "categories": [
        {"id": "ha-tang", "name": {"vi": "Hạ tầng", "en": "Roads"}, "keywords": ["ổ gà"]},
        {"id": "an-ninh", "name": {"vi": "An ninh"}, "keywords": ["trộm"]},
    ],
    "units": [
        {
            "id": "ban-tcd",
            "name": "Ban TCD",
            "telegram_chat_id": -1001,
            "officers": [1, 2],
            "heads": [1],
        },
        {"id": "thanh-tra", "name": "Thanh tra", "telegram_chat_id": -1002, "officers": [3]},
        {"id": "ubnd-p1", "name": "UBND P1", "telegram_chat_id": -1003, "officers": [4]},
    ],
    "routing": [
        {"kind": "to_cao", "unit": "thanh-tra"},
        {"commune": "p1", "unit": "ubnd-p1"},
        {"unit": "ban-tcd"},
    ],
}


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., str]:
    def write_config(data: dict[str, Any] | str, name: str = "bad.yaml") -> str:
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write_config


def errors_of(path: str) -> list[str]:
    with pytest.raises(ConfigFileError) as info:
        load_config(path)
    assert check_config(path) == info.value.errors
    return info.value.errors


def changed(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    change(data)
    return data


def test_minimal_config_loads(write: Callable[..., str]) -> None:
    config = load_config(write(MINIMAL, "ok.yaml"))
    assert config.reminders.weekly_digest == WeeklyTime(0, 8, 0)
    assert config.limits.submissions_per_hour == 5
    assert config.delivery.max_attempts == 8
    assert config.reception_schedule == []
    assert config.directory().nearest_commune(10.0, 106.0) is not None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["routing"].insert(2, {"unit": "thanh-tra-x", "commune": "p2"}),
            "routing[2].unit: unknown unit 'thanh-tra-x'",
        ),
        (
            lambda d: d["routing"].insert(0, {"category": "dat-dai", "unit": "ban-tcd"}),
            "routing[0].category: unknown category 'dat-dai'",
        ),
        (
            lambda d: d["routing"].insert(0, {"commune": "p9", "unit": "ban-tcd"}),
            "routing[0].commune: unknown commune 'p9'",
        ),
        (
            lambda d: d["routing"].insert(0, {"kind": "to-cao", "unit": "ban-tcd"}),
            "routing[0].kind: unknown kind 'to-cao' "
            "(one of phan_anh, kien_nghi, khieu_nai, to_cao)",
        ),
        (
            lambda d: d["units"][1].pop("telegram_chat_id"),
            "units[1].telegram_chat_id: Field required",
        ),
        (
            lambda d: d["units"].append(d["units"][2] | {"telegram_chat_id": -1004}),
            "units[3].id: duplicate unit id 'ubnd-p1', also units[2]",
        ),
        (
            lambda d: d["communes"][1].update(id="p1"),
            "communes[1].id: duplicate commune id 'p1', also communes[0]",
        ),
        (
            lambda d: d["categories"][1].update(id="ha-tang"),
            "categories[1].id: duplicate category id 'ha-tang', also categories[0]",
        ),
        (
            lambda d: d["units"][2].update(telegram_chat_id=-1001),
            "units[2].telegram_chat_id: duplicate telegram_chat_id -1001, also units[0]",
        ),
        (
            lambda d: d["units"][0].update(heads=[1, 9]),
            "units[0].heads[1]: 9 is not among the unit's officers; list heads as officers too",
        ),
        (
            lambda d: d["routing"].pop(),
            "routing: no fallback: the last rule must name only a unit, "
            "e.g. {unit: ban-tiep-cong-dan}",
        ),
        (
            lambda d: d["routing"].insert(1, {"unit": "thanh-tra"}),
            "routing[1]: this rule matches every ticket, so the 2 rule(s) after it are never "
            "used; the fallback must come last",
        ),
        (
            lambda d: d.update(
                extra_days_off=["2026-09-01"], extra_working_days=["2026-08-22", "2026-09-01"]
            ),
            "extra_working_days[1]: 2026-09-01 is also listed in extra_days_off",
        ),
        (
            lambda d: d["units"][0].update(telegram_chat_idd=-1),
            "units[0].telegram_chat_idd: Extra inputs are not permitted "
            "(did you mean 'telegram_chat_id'?)",
        ),
        (
            lambda d: d["units"][0].update(telegram_chat_id=200001),
            "units[0].telegram_chat_id: Input should be less than 0",
        ),
        (
            lambda d: d.update(timezone="Asia/Saigon_City"),
            "timezone: unknown time zone 'Asia/Saigon_City', e.g. Asia/Ho_Chi_Minh",
        ),
        (
            lambda d: d.update(default_locale="fr"),
            "default_locale: Input should be 'vi' or 'en'",
        ),
        (
            lambda d: d["communes"][1].update(lat=16.0),
            "communes[1]: give both lat and lon, or neither",
        ),
        (
            lambda d: d.update(reminders={"weekly_digest": "monday 8h"}),
            'reminders.weekly_digest: expected "ddd HH:MM" with ddd one of '
            'mon, tue, wed, thu, fri, sat, sun, e.g. "mon 08:00"',
        ),
        (
            lambda d: d.update(reminders={"weekly_reminders": "wed 25:00"}),
            'reminders.weekly_reminders: expected "ddd HH:MM" with ddd one of '
            'mon, tue, wed, thu, fri, sat, sun, e.g. "mon 08:00"',
        ),
        (
            lambda d: d.update(limits={"description_min": 500, "description_max": 100}),
            "limits: description_min is greater than description_max",
        ),
        (
            lambda d: d.update(
                reception_schedule=[{"weekday": "t2", "time": "08:00", "place": {"vi": "x"}}]
            ),
            "reception_schedule[0].weekday: expected a weekday: mon, tue, wed, thu, fri, sat, sun",
        ),
        (
            lambda d: d["categories"][0]["name"].update(vn="Hạ tầng"),
            "categories[0].name.vn: Extra inputs are not permitted",
        ),
    ],
)
def test_each_problem_gives_one_line(
    write: Callable[..., str], change: Callable[[dict[str, Any]], object], expected: str
) -> None:
    path = write(changed(change))
    assert errors_of(path) == [f"{path}: {expected}"]


def test_all_cross_field_problems_are_listed_together(write: Callable[..., str]) -> None:
    def break_it(d: dict[str, Any]) -> None:
        d["units"][1]["id"] = "ban-tcd"
        d["routing"][0]["unit"] = "khong-co"

    path = write(changed(break_it))
    assert errors_of(path) == [
        f"{path}: units[1].id: duplicate unit id 'ban-tcd', also units[0]",
        f"{path}: routing[0].unit: unknown unit 'khong-co'",
    ]


def test_missing_file() -> None:
    assert check_config("config/khong-co.yaml") == ["config/khong-co.yaml: file not found"]


def test_invalid_yaml_names_the_line(write: Callable[..., str]) -> None:
    path = write("timezone: Asia/Ho_Chi_Minh\nadmins: [100001\nunits: []\n")
    [line] = errors_of(path)
    assert line.startswith(f"{path}: line 3, column ")
    assert "invalid YAML" in line


def test_duplicate_key_names_the_line(write: Callable[..., str]) -> None:
    text = yaml.safe_dump(MINIMAL, allow_unicode=True) + "admins: [100002]\n"
    path = write(text)
    [line] = errors_of(path)
    assert line.startswith(f"{path}: line ")
    assert line.endswith("invalid YAML: duplicate key 'admins'")


def test_yaml_merge_keys_still_work(write: Callable[..., str]) -> None:
    text = yaml.safe_dump(MINIMAL, allow_unicode=True) + (
        "limits: &lim {submissions_per_hour: 3, max_attachments: 2}\n"
        "delivery: {<<: {max_attempts: 4, group_per_minute: 10}, max_attempts: 5}\n"
    )
    config = load_config(write(text))
    assert (config.delivery.max_attempts, config.delivery.group_per_minute) == (5, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("- 1\n- 2\n", "expected a mapping of settings at the top level"),
    ],
)
def test_file_that_is_not_a_mapping(write: Callable[..., str], text: str, expected: str) -> None:
    path = write(text)
    assert errors_of(path) == [f"{path}: {expected}"]


def test_required_sections(write: Callable[..., str]) -> None:
    path = write({"admins": [1]})
    assert errors_of(path) == [
        f"{path}: units: Field required",
        f"{path}: routing: Field required",
    ]


# --- Values ------------------------------------------------------------------------------------


def test_reminder_and_reception_times(write: Callable[..., str]) -> None:
    def schedule(d: dict[str, Any]) -> None:
        d["reminders"] = {
            "weekly_digest": "Fri 7:05",
            "weekly_reminders": "sun 23:59",
            "before_deadline_days": [1, 3, 1, 0],
        }
        d["reception_schedule"] = [
            {"weekday": "thursday", "time": "07:30", "place": {"vi": "Trụ sở", "en": "Office"}},
            # YAML 1.1 reads an unquoted 17:00 as the number 1020.
            {
                "weekday": "Sat",
                "time": 1020,
                "place": {"vi": "Nhà văn hóa"},
                "note": {"vi": "Đối thoại"},
            },
        ]

    config = load_config(write(changed(schedule)))
    assert config.reminders.weekly_digest == WeeklyTime(4, 7, 5)
    assert str(config.reminders.weekly_reminders) == "sun 23:59"
    assert config.reminders.before_deadline_days == [3, 1, 0]
    first, second = config.reception_schedule
    assert (first.weekday, first.time, first.place.get("en")) == (3, time(7, 30), "Office")
    assert (second.weekday, second.time, second.place.get("en")) == (5, time(17), "Nhà văn hóa")
    assert second.note is not None and second.note.vi == "Đối thoại"


def test_unquoted_time_in_yaml(write: Callable[..., str]) -> None:
    text = yaml.safe_dump(MINIMAL, allow_unicode=True) + (
        "reception_schedule:\n  - {weekday: wed, time: 17:00, place: {vi: Hội trường}}\n"
    )
    assert load_config(write(text)).reception_schedule[0].time == time(17, 0)


def test_directory_and_rules_from_config(write: Callable[..., str]) -> None:
    config = load_config(write(MINIMAL))
    directory = config.directory()
    assert directory.unit("ban-tcd").heads == {1}
    assert directory.unit_by_chat(-1003) is directory.unit("ubnd-p1")
    assert directory.category("an-ninh").names == {"vi": "An ninh"}
    assert [r.unit for r in config.routing_rules()] == ["thanh-tra", "ubnd-p1", "ban-tcd"]
    assert config.routing_rules()[0].kind == "to_cao"


def test_app_config_validates_in_python_too() -> None:
    data = changed(lambda d: d["routing"].pop())
    with pytest.raises(ValidationError) as info:
        AppConfig.model_validate(data)
    assert info.value.errors()[0]["loc"] == ("routing",)


# --- Deadline override keys, checked only when the deadline module says which exist -----------


def test_deadline_keys_checked_against_the_policy(
    write: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = types.ModuleType("bot.domain.deadlines")
    policy.OVERRIDE_KEYS = frozenset({"resolve_phan_anh_working_days"})  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bot.domain.deadlines", policy)

    good = write(changed(lambda d: d.update(deadlines={"resolve_phan_anh_working_days": 20})))
    assert load_config(good).deadlines == {"resolve_phan_anh_working_days": 20}

    bad = write(changed(lambda d: d.update(deadlines={"resolve_phan_anh_workingdays": 20})))
    assert errors_of(bad) == [
        f"{bad}: deadlines.resolve_phan_anh_workingdays: unknown deadline setting "
        "'resolve_phan_anh_workingdays' (did you mean 'resolve_phan_anh_working_days'?)"
    ]


def test_deadline_keys_pass_through_without_a_policy(
    write: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "bot.domain.deadlines", None)  # import fails
    path = write(changed(lambda d: d.update(deadlines={"anything_goes": 3})))
    assert load_config(path).deadlines == {"anything_goes": 3}


def test_deadline_values_must_be_whole_days(write: Callable[..., str]) -> None:
    path = write(changed(lambda d: d.update(deadlines={"x": -1})))
    assert errors_of(path) == [f"{path}: deadlines.x: Input should be greater than or equal to 0"]


@pytest.mark.parametrize("platform", ["TELEGRAM", "ZALO"])
def test_a_webhook_needs_its_secret(monkeypatch: pytest.MonkeyPatch, platform: str) -> None:
    monkeypatch.setenv(f"{platform}_WEBHOOK_URL", "https://bot.example.vn/hook")
    with pytest.raises(ValidationError, match=f"{platform}_WEBHOOK_SECRET is required"):
        Settings()
    monkeypatch.setenv(f"{platform}_WEBHOOK_SECRET", "s3cret-token-123")
    assert Settings()
