"""Settings from the environment and the organisation from the YAML file, both checked at start.

`Settings` holds what differs per deployment and secrets (DESIGN.md, "Environment");
`AppConfig` holds the province: units, communes, categories, routing, reminders
(DESIGN.md, "Config YAML"). `load_config` turns every problem in the file into one line
"FILE: PATH.IN.DOCUMENT: reason" so an operator can fix them all in one go.
"""

from __future__ import annotations

import difflib
import importlib
import ipaddress
import re
from collections.abc import Iterable, Iterator
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    NonNegativeInt,
    PlainSerializer,
    PositiveInt,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.kinds import Kind
from bot.domain.org import Category, Commune, Directory, Unit
from bot.domain.routing import RoutingRule

__all__ = [
    "AppConfig",
    "ConfigFileError",
    "Settings",
    "WeeklyTime",
    "check_config",
    "load_config",
]

# ---------------------------------------------------------------------------------------------
# Environment

_TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # Bot API setWebhook secret_token


def _is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url_for_log(url: str, *secrets: SecretStr | None) -> str:
    """The URL without credentials, query or fragment, and with any secret masked."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    shown = f"{parts.scheme}://{netloc}{parts.path}"
    for secret in secrets:
        value = secret.get_secret_value() if secret else ""
        if value:
            shown = shown.replace(value, "***")
    return shown


class Settings(BaseSettings):
    """Per-deployment settings, read from environment variables of the same name."""

    # hide_input_in_errors: a validation error must not print the raw token it was given.
    model_config = SettingsConfigDict(
        case_sensitive=False, extra="ignore", env_ignore_empty=True, hide_input_in_errors=True
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_framework: Literal["aiogram", "ptb"] = "aiogram"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    zalo_bot_token: SecretStr | None = None
    zalo_api_url: str = "https://bot-api.zaloplatforms.com"
    zalo_webhook_url: str | None = None
    zalo_webhook_secret: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///var/nghedan.db"
    nghedan_config: Path = Path("config/example.yaml")
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=0, le=65535)  # 0: any free port (tests)
    web_enabled: bool = True
    web_password: SecretStr | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"

    @field_validator("telegram_framework", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator(
        "telegram_api_url", "telegram_webhook_url", "zalo_api_url", "zalo_webhook_url"
    )
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("telegram_api_url", "zalo_api_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _telegram_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TELEGRAM_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("zalo_webhook_secret")
    @classmethod
    def _zalo_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not 8 <= len(value.get_secret_value()) <= 256:
            raise ValueError("must be 8-256 characters long")
        return value

    @model_validator(mode="after")
    def _web_password_off_loopback(self) -> Settings:
        # Anyone on the network could read the officer pane of the web chat otherwise.
        if self.web_enabled and not _is_loopback(self.web_host) and self.web_password is None:
            raise ValueError(
                f"WEB_PASSWORD is required when WEB_HOST ({self.web_host}) is not a loopback "
                "address"
            )
        return self

    @model_validator(mode="after")
    def _webhook_secrets(self) -> Settings:
        # The secret is the only proof that a webhook call comes from the platform: without
        # it anyone who learns the URL could post updates as any officer.
        if self.telegram_webhook_url and self.telegram_webhook_secret is None:
            raise ValueError("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL")
        if self.zalo_webhook_url and self.zalo_webhook_secret is None:
            raise ValueError("ZALO_WEBHOOK_SECRET is required with ZALO_WEBHOOK_URL")
        return self

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_bot_token is not None

    @property
    def zalo_enabled(self) -> bool:
        return self.zalo_bot_token is not None

    @property
    def telegram_webhook_path(self) -> str | None:
        """Where the web server answers Telegram, or None for long polling."""
        if self.telegram_webhook_url is None:
            return None
        return urlsplit(self.telegram_webhook_url).path or "/"

    @property
    def zalo_webhook_path(self) -> str | None:
        """Where the web server answers Zalo, or None for long polling."""
        if self.zalo_webhook_url is None:
            return None
        return urlsplit(self.zalo_webhook_url).path or "/"

    @property
    def web_url(self) -> str:
        host = f"[{self.web_host}]" if ":" in self.web_host else self.web_host
        return f"http://{host}:{self.web_port}"

    def describe_channels(self) -> list[str]:
        """One log line per channel saying whether and how it runs. Never shows a secret."""
        secrets = (
            self.telegram_bot_token,
            self.telegram_webhook_secret,
            self.zalo_bot_token,
            self.zalo_webhook_secret,
            self.web_password,
        )
        lines: list[str] = []

        if self.telegram_bot_token is None:
            lines.append("Telegram: off, TELEGRAM_BOT_TOKEN not set")
        else:
            how = [self.telegram_framework]
            if self.telegram_webhook_url:
                how.append(f"webhook {_url_for_log(self.telegram_webhook_url, *secrets)}")
            else:
                how.append("long polling")
            if self.telegram_api_url != Settings.model_fields["telegram_api_url"].default:
                how.append(f"API {_url_for_log(self.telegram_api_url, *secrets)}")
            lines.append(f"Telegram: on ({', '.join(how)})")

        if self.zalo_bot_token is None:
            lines.append("Zalo: off, ZALO_BOT_TOKEN not set")
        else:
            if self.zalo_webhook_url:
                how = [f"webhook {_url_for_log(self.zalo_webhook_url, *secrets)}"]
            else:
                how = ["long polling"]
            if self.zalo_api_url != Settings.model_fields["zalo_api_url"].default:
                how.append(f"API {_url_for_log(self.zalo_api_url, *secrets)}")
            lines.append(f"Zalo: on ({', '.join(how)})")

        if not self.web_enabled:
            lines.append("Web: off, WEB_ENABLED is false")
        elif self.web_password is not None:
            lines.append(f"Web: on at {self.web_url} (password protected)")
        else:
            lines.append(f"Web: on at {self.web_url}")
        return lines


# ---------------------------------------------------------------------------------------------
# YAML: value types

_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS = tuple(name[:3] for name in _WEEKDAY_NAMES)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


def _parse_weekday(value: object) -> int:
    if isinstance(value, str):
        word = value.strip().lower()
        for i, name in enumerate(_WEEKDAY_NAMES):
            if word in (name, name[:3]):
                return i
    raise PydanticCustomError(
        "weekday", "expected a weekday: {days}", {"days": ", ".join(_WEEKDAYS)}
    )


def _parse_clock(value: object) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        # YAML 1.1 reads an unquoted 17:00 as the base-60 integer 1020.
        return time(value // 60, value % 60)
    if isinstance(value, str) and (m := _CLOCK.fullmatch(value.strip())):
        hour, minute = int(m[1]), int(m[2])
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise PydanticCustomError("clock", 'expected a time of day as HH:MM, e.g. "08:00"')


class WeeklyTime(NamedTuple):
    """A time in the week: `weekday` 0 = Monday (as `date.weekday()`), hour, minute."""

    weekday: int
    hour: int
    minute: int

    @property
    def day_name(self) -> str:
        """The day as "mon" ... "sun", as APScheduler's day_of_week wants it."""
        return _WEEKDAYS[self.weekday]

    def __str__(self) -> str:
        return f"{self.day_name} {self.hour:02d}:{self.minute:02d}"


def _parse_weekly(value: object) -> object:
    if isinstance(value, WeeklyTime):
        return value
    if isinstance(value, str):
        parts = value.split()
        if len(parts) == 2:
            try:
                day, clock = _parse_weekday(parts[0]), _parse_clock(parts[1])
            except PydanticCustomError:
                pass
            else:
                return WeeklyTime(day, clock.hour, clock.minute)
    raise PydanticCustomError(
        "weekly_time",
        'expected "ddd HH:MM" with ddd one of {days}, e.g. "mon 08:00"',
        {"days": ", ".join(_WEEKDAYS)},
    )


Weekly = Annotated[WeeklyTime, BeforeValidator(_parse_weekly), PlainSerializer(str)]
Weekday = Annotated[int, BeforeValidator(_parse_weekday), PlainSerializer(lambda d: _WEEKDAYS[d])]
ClockTime = Annotated[
    time, BeforeValidator(_parse_clock), PlainSerializer(lambda t: t.strftime("%H:%M"))
]
# Ids travel in callback_data (64 bytes, DOMAIN.md §4) next to ticket codes: keep them short.
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=40)]
NonEmpty = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class LocalizedText(_Strict):
    vi: NonEmpty
    en: NonEmpty | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in (("vi", self.vi), ("en", self.en)) if v}

    def get(self, locale: str) -> str:
        """The text in `locale`, falling back to Vietnamese."""
        return self.en if locale == "en" and self.en else self.vi


# ---------------------------------------------------------------------------------------------
# YAML: sections


class CommuneConfig(_Strict):
    id: Id
    name: NonEmpty
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)

    @model_validator(mode="after")
    def _both_or_neither(self) -> CommuneConfig:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class CategoryConfig(_Strict):
    id: Id
    name: LocalizedText
    keywords: list[NonEmpty] = []


class UnitConfig(_Strict):
    id: Id
    name: NonEmpty
    telegram_chat_id: int = Field(lt=0)  # groups and supergroups have negative ids
    officers: list[PositiveInt] = []
    heads: list[PositiveInt] = []
    forum: bool = False


class RuleConfig(_Strict):
    kind: str | None = None
    category: str | None = None
    commune: str | None = None
    unit: str

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str | None) -> str | None:
        if value is not None and value not in {k.value for k in Kind}:
            raise PydanticCustomError(
                "unknown_kind",
                "unknown kind '{kind}' (one of {kinds})",
                {"kind": value, "kinds": ", ".join(k.value for k in Kind)},
            )
        return value

    @property
    def is_fallback(self) -> bool:
        return self.kind is None and self.category is None and self.commune is None


class RemindersConfig(_Strict):
    before_deadline_days: list[NonNegativeInt] = [3, 1]
    weekly_digest: Weekly = WeeklyTime(0, 8, 0)
    weekly_reminders: Weekly = WeeklyTime(2, 17, 0)
    deadlines_every_minutes: int = Field(default=15, ge=1, le=24 * 60)

    @field_validator("before_deadline_days")
    @classmethod
    def _descending(cls, value: list[int]) -> list[int]:
        return sorted(set(value), reverse=True)


class ReceptionConfig(_Strict):
    """A citizen-reception day or dialogue session, announced weekly to subscribers."""

    weekday: Weekday
    time: ClockTime
    place: LocalizedText
    note: LocalizedText | None = None


class LimitsConfig(_Strict):
    submissions_per_hour: PositiveInt = 5
    max_attachments: NonNegativeInt = 5
    description_min: PositiveInt = 10
    description_max: PositiveInt = 4000

    @model_validator(mode="after")
    def _min_below_max(self) -> LimitsConfig:
        if self.description_min > self.description_max:
            raise ValueError("description_min is greater than description_max")
        return self


class DeliveryConfig(_Strict):
    # Telegram's flood limits (DOMAIN.md §4); 429 answers slow the worker further.
    global_per_second: PositiveInt = 30
    private_per_second: PositiveInt = 1
    group_per_minute: PositiveInt = 20
    max_attempts: PositiveInt = 8


# ---------------------------------------------------------------------------------------------
# YAML: the whole file

Loc = tuple[str | int, ...]


def _duplicates(
    section: str, items: Iterable[Any], attr: str, what: str
) -> Iterator[tuple[Loc, str]]:
    seen: dict[Any, int] = {}
    for i, item in enumerate(items):
        value = getattr(item, attr)
        if value in seen:
            yield (section, i, attr), f"duplicate {what} {value!r}, also {section}[{seen[value]}]"
        else:
            seen[value] = i


def _deadline_override_keys() -> frozenset[str] | None:
    # bot.domain.deadlines may not exist yet (it is written in parallel): then skip the check.
    try:
        deadlines = importlib.import_module("bot.domain.deadlines")
    except ImportError:
        return None
    keys = getattr(deadlines, "OVERRIDE_KEYS", None)
    return None if keys is None else frozenset(keys)


class AppConfig(_Strict):
    """The province as the operator describes it in YAML."""

    timezone: str = "Asia/Ho_Chi_Minh"
    default_locale: Literal["vi", "en"] = "vi"
    admins: list[PositiveInt] = []
    escalation_chat_id: int | None = Field(default=None, lt=0)
    communes: list[CommuneConfig] = []
    categories: list[CategoryConfig] = []
    units: list[UnitConfig] = Field(min_length=1)
    routing: list[RuleConfig] = Field(min_length=1)
    reminders: RemindersConfig = RemindersConfig()
    deadlines: dict[str, NonNegativeInt] = {}
    extra_days_off: list[date] = []
    extra_working_days: list[date] = []
    reception_schedule: list[ReceptionConfig] = []
    limits: LimitsConfig = LimitsConfig()
    delivery: DeliveryConfig = DeliveryConfig()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise PydanticCustomError(
                "timezone", "unknown time zone '{zone}', e.g. Asia/Ho_Chi_Minh", {"zone": value}
            ) from None
        return value

    @model_validator(mode="after")
    def _cross_check(self) -> AppConfig:
        problems = list(self._problems())
        if problems:
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [
                    InitErrorDetails(
                        type=PydanticCustomError("config", "{reason}", {"reason": reason}),
                        loc=loc,
                        input=None,
                    )
                    for loc, reason in problems
                ],
            )
        return self

    def _problems(self) -> Iterator[tuple[Loc, str]]:
        yield from _duplicates("communes", self.communes, "id", "commune id")
        yield from _duplicates("categories", self.categories, "id", "category id")
        yield from _duplicates("units", self.units, "id", "unit id")
        yield from _duplicates("units", self.units, "telegram_chat_id", "telegram_chat_id")

        for i, unit in enumerate(self.units):
            officers = set(unit.officers)
            for j, head in enumerate(unit.heads):
                if head not in officers:
                    reason = f"{head} is not among the unit's officers; list heads as officers too"
                    yield ("units", i, "heads", j), reason

        unit_ids = {u.id for u in self.units}
        category_ids = {c.id for c in self.categories}
        commune_ids = {c.id for c in self.communes}
        fallback_at: int | None = None
        for i, rule in enumerate(self.routing):
            if rule.unit not in unit_ids:
                yield ("routing", i, "unit"), f"unknown unit {rule.unit!r}"
            if rule.category is not None and rule.category not in category_ids:
                yield ("routing", i, "category"), f"unknown category {rule.category!r}"
            if rule.commune is not None and rule.commune not in commune_ids:
                yield ("routing", i, "commune"), f"unknown commune {rule.commune!r}"
            if rule.is_fallback and fallback_at is None:
                fallback_at = i
        if fallback_at is not None and fallback_at < len(self.routing) - 1:
            unused = len(self.routing) - 1 - fallback_at
            reason = (
                f"this rule matches every ticket, so the {unused} rule(s) after it are never "
                "used; the fallback must come last"
            )
            yield ("routing", fallback_at), reason
        if fallback_at is None:
            reason = (
                "no fallback: the last rule must name only a unit, e.g. {unit: ban-tiep-cong-dan}"
            )
            yield ("routing",), reason

        keys = _deadline_override_keys()
        if keys is not None:
            for key in self.deadlines:
                if key not in keys:
                    close = difflib.get_close_matches(key, sorted(keys), n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    yield ("deadlines", key), f"unknown deadline setting {key!r}{hint}"

        off = set(self.extra_days_off)
        for i, day in enumerate(self.extra_working_days):
            if day in off:
                reason = f"{day.isoformat()} is also listed in extra_days_off"
                yield ("extra_working_days", i), reason

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def directory(self) -> Directory:
        return Directory(
            units=[
                Unit(
                    id=u.id,
                    name=u.name,
                    telegram_chat_id=u.telegram_chat_id,
                    officers=frozenset(u.officers) | frozenset(u.heads),
                    heads=frozenset(u.heads),
                    forum=u.forum,
                )
                for u in self.units
            ],
            communes=[Commune(c.id, c.name, c.lat, c.lon) for c in self.communes],
            categories=[
                Category(c.id, c.name.as_dict(), tuple(c.keywords)) for c in self.categories
            ],
            admins=frozenset(self.admins),
            escalation_chat_id=self.escalation_chat_id,
        )

    def routing_rules(self) -> list[RoutingRule]:
        return [
            RoutingRule(unit=r.unit, kind=r.kind, category=r.category, commune=r.commune)
            for r in self.routing
        ]


# ---------------------------------------------------------------------------------------------
# Loading


class ConfigFileError(Exception):
    """The config file cannot be used; `errors` holds one "FILE: PATH: reason" line each."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice: PyYAML would silently keep the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # "<<: *defaults" keys may be overridden on purpose
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _path_of(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _all_field_names() -> set[str]:
    names: set[str] = set()
    models: list[type[BaseModel]] = [AppConfig]
    while models:
        model = models.pop()
        for name, info in model.model_fields.items():
            names.add(name)
            for arg in (*getattr(info.annotation, "__args__", ()), info.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel) and arg not in models:
                    models.append(arg)
    return names


def _reason(error: Any) -> str:
    message = str(error["msg"])
    if error["type"] == "extra_forbidden" and error["loc"]:
        key = str(error["loc"][-1])
        close = difflib.get_close_matches(key, sorted(_all_field_names()), n=1)
        if close:
            message += f" (did you mean {close[0]!r}?)"
    return message.removeprefix("Value error, ")


def _yaml_problem(file: str, exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return f"{file}: invalid YAML: {problem}"
    return f"{file}: line {mark.line + 1}, column {mark.column + 1}: invalid YAML: {problem}"


def load_config(path: str | Path) -> AppConfig:
    """Read and check the YAML config; ConfigFileError lists every problem found."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigFileError([f"{file}: file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigFileError([f"{file}: cannot read: {exc}"]) from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise ConfigFileError([_yaml_problem(file, exc)]) from None
    if data is None:
        raise ConfigFileError([f"{file}: the file is empty"])
    if not isinstance(data, dict):
        raise ConfigFileError([f"{file}: expected a mapping of settings at the top level"])
    try:
        return AppConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigFileError(
            [f"{file}: {_path_of(e['loc'])}: {_reason(e)}" for e in exc.errors()]
        ) from None


def check_config(path: str | Path) -> list[str]:
    """The problems in the config file, one "FILE: PATH: reason" line each; [] when fine."""
    try:
        load_config(path)
    except ConfigFileError as exc:
        return exc.errors
    return []
