"""The ticket card officers see in their unit's group, and the buttons under it.

Callback data binds a button to one ticket at one version (`t:<action>:<id>:<version>`), so a
forged, replayed or stale press is recognised and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.kinds import Identity, Kind, info
from bot.domain.messages import Choice, OutgoingMessage
from bot.domain.model import Ticket
from bot.domain.org import Directory
from bot.domain.statuses import Status
from bot.i18n import Translator, format_date, format_datetime

ACTIONS_BY_STATUS: dict[Status, tuple[str, ...]] = {
    Status.SUBMITTED: ("accept", "transfer", "guide", "reject", "extend", "note"),
    Status.ACCEPTED: ("info", "resolve", "extend", "note"),
    Status.NEEDS_INFO: ("extend", "note"),
    Status.REOPENED: ("note",),
    Status.RESOLVED: ("note",),
}
CARD_DESCRIPTION_LIMIT = 3000

ACTION_CODES = {
    "accept": "acc",
    "transfer": "tra",
    "guide": "gui",
    "reject": "rej",
    "info": "inf",
    "resolve": "res",
    "extend": "ext",
    "note": "note",
}
ACTION_BY_CODE = {code: action for action, code in ACTION_CODES.items()}


@dataclass(frozen=True, slots=True)
class CardPress:
    action: str
    ticket_id: int
    version: int


def card_data(action: str, ticket: Ticket) -> str:
    return f"t:{ACTION_CODES[action]}:{ticket.id}:{ticket.version}"


def parse_card_data(data: str) -> CardPress | None:
    parts = data.split(":")
    if len(parts) != 4 or parts[0] != "t" or parts[1] not in ACTION_BY_CODE:
        return None
    try:
        return CardPress(ACTION_BY_CODE[parts[1]], int(parts[2]), int(parts[3]))
    except ValueError:
        return None


def category_name(directory: Directory, category_id: str | None, locale: str) -> str:
    if not category_id:
        return "—"
    try:
        return directory.category(category_id).name(locale)
    except KeyError:  # removed from the config after the ticket was filed
        return category_id


def commune_name(directory: Directory, commune_id: str | None) -> str:
    if not commune_id:
        return "—"
    try:
        return directory.commune(commune_id).name
    except KeyError:
        return commune_id


def identity_line(ticket: Ticket, t: Translator, locale: str) -> str:
    """Who filed it, as far as the group may know. Never the denouncer (Luật Tố cáo Art. 47)."""
    if info(ticket.kind).identity is Identity.CONFIDENTIAL:
        return t(locale, "card-identity-confidential")
    if ticket.anonymous or not ticket.petitioner_name:
        return t(locale, "card-identity-anonymous")
    return t(
        locale,
        "card-identity",
        name=ticket.petitioner_name,
        phone=ticket.petitioner_phone or "—",
    )


def render_card(
    ticket: Ticket, directory: Directory, t: Translator, locale: str
) -> OutgoingMessage:
    kind = Kind(ticket.kind)
    category = category_name(directory, ticket.category, locale)
    commune = commune_name(directory, ticket.commune)
    due = ticket.resolution_due or ticket.decision_due
    lines = [
        t(locale, "card-title", code=ticket.code, kind=t(locale, f"kind-{kind.value}")),
        t(locale, "card-status", status=t(locale, f"status-{Status(ticket.status).value}")),
    ]
    if ticket.report_only:
        lines.append(t(locale, "card-report-only"))
    lines += [
        t(locale, "card-category", category=category),
        t(locale, "card-commune", commune=commune),
        t(locale, "card-received", received=format_datetime(ticket.received_at)),
    ]
    if due is not None:
        lines.append(t(locale, "card-due", due=format_date(due)))
    lines.append(identity_line(ticket, t, locale))
    if ticket.attachments:
        lines.append(t(locale, "card-attachments", count=len(ticket.attachments)))
    description = ticket.description
    if len(description) > CARD_DESCRIPTION_LIMIT:
        # The card is edited in place, so it must stay one message (4,096 characters).
        description = description[:CARD_DESCRIPTION_LIMIT].rstrip() + "…"
        lines.append(t(locale, "card-description-shortened", code=ticket.code))
    lines += ["", t(locale, "card-description", description=description)]
    buttons = [
        Choice(t.plain(locale, f"action-{action}"), card_data(action, ticket))
        for action in ACTIONS_BY_STATUS.get(Status(ticket.status), ())
    ]
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return OutgoingMessage(text="\n".join(lines), choices=rows)
