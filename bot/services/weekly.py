"""The `weekly-reminders` job: the coming week's citizen-reception sessions, sent to citizens
who subscribed with /subscribe, in their language, once per citizen and ISO week."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bot.domain.clock import local
from bot.domain.messages import OutgoingMessage
from bot.i18n import format_date
from bot.services.context import Deps
from bot.services.reminders import queue_message

__all__ = ["ReceptionSession", "WeeklyReport", "upcoming", "weekly_reminders"]

_BATCH = 200


@dataclass(frozen=True, slots=True)
class ReceptionSession:
    """A reception day or dialogue session from the config (`reception_schedule`)."""

    weekday: int  # 0 = Monday
    at: time
    place: Mapping[str, str]  # locale -> text; "vi" always present
    note: Mapping[str, str] = field(default_factory=dict)

    def place_in(self, locale: str) -> str:
        return self.place.get(locale) or self.place["vi"]

    def note_in(self, locale: str) -> str | None:
        return self.note.get(locale) or self.note.get("vi")


@dataclass
class WeeklyReport:
    week: str
    subscribers: int = 0
    queued: int = 0


def upcoming(
    sessions: Sequence[ReceptionSession], today: date
) -> list[tuple[date, ReceptionSession]]:
    """Each session's next date in the seven days from `today` (inclusive), by date and time."""
    dated = [(today + timedelta(days=(s.weekday - today.weekday()) % 7), s) for s in sessions]
    return sorted(dated, key=lambda item: (item[0], item[1].at))


async def weekly_reminders(
    deps: Deps, now: datetime, sessions: Sequence[ReceptionSession]
) -> WeeklyReport:
    t = deps.translator
    today = local(now).date()
    year, week, _ = today.isocalendar()
    report = WeeklyReport(week=f"{year}-W{week:02d}")
    if not sessions:
        return report
    schedule = upcoming(sessions, today)
    async with deps.uow() as uow:
        citizens = await uow.citizens.subscribed()
    report.subscribers = len(citizens)
    texts: dict[str, str] = {}
    for start in range(0, len(citizens), _BATCH):
        async with deps.uow() as uow:
            for citizen in citizens[start : start + _BATCH]:
                locale = t.locale_or_default(citizen.locale)
                if locale not in texts:
                    texts[locale] = _text(deps, locale, schedule)
                if await queue_message(
                    deps,
                    uow,
                    channel=citizen.channel,
                    chat_id=citizen.external_id,
                    message=OutgoingMessage(text=texts[locale]),
                    key=f"weekly:{citizen.id}:{report.week}",
                    purpose="weekly",
                ):
                    report.queued += 1
            await uow.commit()
    return report


def _text(deps: Deps, locale: str, schedule: list[tuple[date, ReceptionSession]]) -> str:
    t = deps.translator
    lines = [t(locale, "weekly-title")]
    for day, session in schedule:
        lines.append(
            t(
                locale,
                "weekly-session",
                weekday=t.plain(locale, f"weekly-day-{day.weekday()}"),
                date=format_date(day),
                time=session.at.strftime("%H:%M"),
                place=session.place_in(locale),
            )
        )
        note = session.note_in(locale)
        if note:
            lines.append(t(locale, "weekly-session-note", note=note))
        holiday = deps.calendar.holiday_name(day)
        if holiday is not None:
            lines.append(t(locale, "weekly-session-holiday"))
    lines += ["", t(locale, "weekly-footer")]
    return "\n".join(lines)
