"""The `weekly-digest` job: each unit's week in figures with a chart of the last eight weeks,
and a summary of all units to the leaders' group.

Weeks run Monday to Sunday in Asia/Ho_Chi_Minh. The digest sent during ISO week W reports on
week W-1 ("last week") and on the deadlines falling in week W ("this week"); its dedupe key
names the unit and W, so a re-run or a second scheduler queues nothing new.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.domain.clock import VN_TZ, local
from bot.domain.messages import OutgoingAttachment, OutgoingMessage
from bot.i18n import Translator, format_date
from bot.services.context import Deps
from bot.services.ports import UnitFigures
from bot.services.reminders import queue_message

__all__ = [
    "CHART_WEEKS",
    "DigestReport",
    "UnitDigest",
    "Week",
    "collect",
    "render_chart",
    "weekly_digest",
]

CHART_WEEKS = 8


@dataclass(frozen=True, slots=True)
class Week:
    """Monday 00:00 to the next Monday 00:00, Asia/Ho_Chi_Minh."""

    monday: date

    @classmethod
    def of(cls, moment: datetime) -> Week:
        day = local(moment).date()
        return cls(day - timedelta(days=day.weekday()))

    @property
    def start(self) -> datetime:
        return datetime.combine(self.monday, time(0), tzinfo=VN_TZ)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.monday + timedelta(days=7), time(0), tzinfo=VN_TZ)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def iso(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    def shifted(self, weeks: int) -> Week:
        return Week(self.monday + timedelta(weeks=weeks))


@dataclass(frozen=True, slots=True)
class UnitDigest:
    unit_id: str
    new_last_week: int
    in_progress: int
    due_this_week: int
    overdue: int
    resolved_last_week: int
    resolved_on_time: int
    received_series: tuple[int, ...]  # the last CHART_WEEKS complete weeks, oldest first
    resolved_series: tuple[int, ...]

    @property
    def on_time_rate(self) -> float | None:
        """Share of last week's answers given by the resolution deadline; None if none."""
        if not self.resolved_last_week:
            return None
        return self.resolved_on_time / self.resolved_last_week


@dataclass
class DigestReport:
    week: str
    units: int = 0
    queued: int = 0


async def collect(deps: Deps, now: datetime) -> tuple[Week, list[UnitDigest]]:
    """The figures of every configured unit as of `now`, from a handful of grouped queries."""
    this_week = Week.of(now)
    weeks = [this_week.shifted(-n) for n in range(CHART_WEEKS, 0, -1)]
    received: list[dict[str, int]] = []
    resolved: list[dict[str, tuple[int, int]]] = []
    async with deps.uow() as uow:
        for week in weeks:
            received.append(await uow.tickets.received_by_unit(week.start, week.end))
            resolved.append(await uow.tickets.resolved_by_unit(week.start, week.end))
        open_figures = await uow.tickets.open_figures_by_unit(
            now=now, range_start=this_week.start, range_end=this_week.end
        )
    digests = []
    for unit in deps.directory.units:
        figures = open_figures.get(unit.id, UnitFigures())
        last_resolved, last_on_time = resolved[-1].get(unit.id, (0, 0))
        digests.append(
            UnitDigest(
                unit_id=unit.id,
                new_last_week=received[-1].get(unit.id, 0),
                in_progress=figures.open,
                due_this_week=figures.due_in_range,
                overdue=figures.overdue,
                resolved_last_week=last_resolved,
                resolved_on_time=last_on_time,
                received_series=tuple(r.get(unit.id, 0) for r in received),
                resolved_series=tuple(r.get(unit.id, (0, 0))[0] for r in resolved),
            )
        )
    return this_week, digests


async def weekly_digest(deps: Deps, now: datetime) -> DigestReport:
    """Queue each unit's digest, and the summary to the escalation chat, once per ISO week."""
    t = deps.translator
    locale = t.default_locale
    week, digests = await collect(deps, now)
    last = week.shifted(-1)
    labels = [format_date(week.shifted(-n).monday)[:5] for n in range(CHART_WEEKS, 0, -1)]
    report = DigestReport(week=week.iso, units=len(digests))
    async with deps.uow() as uow:
        used = await uow.outbox.existing_keys(
            [f"digest:{d.unit_id}:{week.iso}" for d in digests] + [f"digest:all:{week.iso}"]
        )
    for digest in digests:
        key = f"digest:{digest.unit_id}:{week.iso}"
        if key in used:
            continue  # drawing a chart costs more than asking the outbox
        unit = deps.directory.unit(digest.unit_id)
        text = _unit_text(t, locale, unit.name, digest, last, week)
        chart = render_chart(
            labels,
            digest.received_series,
            digest.resolved_series,
            title=t.plain(locale, "digest-chart-title", unit=unit.name),
            received_label=t.plain(locale, "digest-chart-received"),
            resolved_label=t.plain(locale, "digest-chart-resolved"),
        )
        message = _with_chart(text, chart, f"digest-{unit.id}-{week.iso}.png")
        async with deps.uow() as uow:
            if await queue_message(
                deps,
                uow,
                chat_id=unit.telegram_chat_id,
                message=message,
                key=key,
                purpose="digest",
            ):
                report.queued += 1
            await uow.commit()
    lead_chat = deps.directory.escalation_chat_id
    summary_key = f"digest:all:{week.iso}"
    if lead_chat is not None and summary_key not in used:
        lines = [
            t(
                locale,
                "digest-summary-title",
                start=format_date(last.monday),
                end=format_date(last.sunday),
            )
        ]
        for digest in digests:
            lines.append(
                t(
                    locale,
                    "digest-summary-line",
                    unit=deps.directory.unit(digest.unit_id).name,
                    new=digest.new_last_week,
                    open=digest.in_progress,
                    overdue=digest.overdue,
                    resolved=digest.resolved_last_week,
                    rate=_rate_text(t, locale, digest),
                )
            )
        total = _total(digests)
        lines += ["", _unit_body(t, locale, total, week)]
        chart = render_chart(
            labels,
            total.received_series,
            total.resolved_series,
            title=t.plain(locale, "digest-chart-title-all"),
            received_label=t.plain(locale, "digest-chart-received"),
            resolved_label=t.plain(locale, "digest-chart-resolved"),
        )
        message = _with_chart("\n".join(lines), chart, f"digest-all-{week.iso}.png")
        async with deps.uow() as uow:
            if await queue_message(
                deps, uow, chat_id=lead_chat, message=message, key=summary_key, purpose="digest"
            ):
                report.queued += 1
            await uow.commit()
    return report


def _unit_text(
    t: Translator, locale: str, unit_name: str, digest: UnitDigest, last: Week, week: Week
) -> str:
    title = t(
        locale,
        "digest-title",
        unit=unit_name,
        start=format_date(last.monday),
        end=format_date(last.sunday),
    )
    return f"{title}\n{_unit_body(t, locale, digest, week)}"


def _unit_body(t: Translator, locale: str, digest: UnitDigest, week: Week) -> str:
    return "\n".join(
        [
            t(locale, "digest-new", count=digest.new_last_week),
            t(locale, "digest-in-progress", count=digest.in_progress),
            t(
                locale,
                "digest-due-this-week",
                count=digest.due_this_week,
                start=format_date(week.monday),
                end=format_date(week.sunday),
            ),
            t(locale, "digest-overdue", count=digest.overdue),
            t(locale, "digest-resolved", count=digest.resolved_last_week),
            t(locale, "digest-on-time", rate=_rate_text(t, locale, digest)),
        ]
    )


def _rate_text(t: Translator, locale: str, digest: UnitDigest) -> str:
    rate = digest.on_time_rate
    if rate is None:
        return t.plain(locale, "digest-rate-none")
    return t.plain(
        locale,
        "digest-rate",
        percent=f"{rate * 100:.1f}".replace(".", "," if locale == "vi" else "."),
        on_time=digest.resolved_on_time,
        total=digest.resolved_last_week,
    )


def _total(digests: Sequence[UnitDigest]) -> UnitDigest:
    def col(name: str) -> int:
        return sum(getattr(d, name) for d in digests)

    return UnitDigest(
        unit_id="*",
        new_last_week=col("new_last_week"),
        in_progress=col("in_progress"),
        due_this_week=col("due_this_week"),
        overdue=col("overdue"),
        resolved_last_week=col("resolved_last_week"),
        resolved_on_time=col("resolved_on_time"),
        received_series=tuple(map(sum, zip(*(d.received_series for d in digests), strict=True))),
        resolved_series=tuple(map(sum, zip(*(d.resolved_series for d in digests), strict=True))),
    )


def _with_chart(text: str, png: bytes, name: str) -> OutgoingMessage:
    photo = OutgoingAttachment(
        kind="photo",
        channel="inline",
        file_id=name,
        data=base64.b64encode(png).decode("ascii"),
    )
    return OutgoingMessage(text=text, attachments=(photo,))


def render_chart(
    labels: Sequence[str],
    received: Sequence[int],
    resolved: Sequence[int],
    *,
    title: str,
    received_label: str,
    resolved_label: str,
) -> bytes:
    """A grouped bar chart (received vs resolved per week) as PNG bytes, drawn headless."""
    # Imported here: matplotlib takes a second to import, and only this job draws.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    # A bare Figure on an Agg canvas: no pyplot, no GUI backend, no global state.
    figure = Figure(figsize=(8, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    positions = range(len(labels))
    width = 0.4
    axes.bar([p - width / 2 for p in positions], received, width, label=received_label)
    axes.bar([p + width / 2 for p in positions], resolved, width, label=resolved_label)
    axes.set_xticks(list(positions), labels)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title)
    axes.legend()
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
