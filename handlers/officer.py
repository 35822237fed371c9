"""The officers' side: a unit's group works its tickets from the cards, and staff use a few
commands in a private chat with the bot.

Every button press is checked against the ticket as it is now: the presser's role in the
ticket's current unit, the group it came from, the version the card was drawn with and the
actions its status allows. A forged, replayed or stale press changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.domain.codes import find_code
from bot.domain.errors import (
    ConcurrentUpdate,
    DomainError,
    IllegalTransition,
    NotPermitted,
    TicketNotFound,
)
from bot.domain.kinds import Kind
from bot.domain.messages import Choice, OutgoingMessage
from bot.domain.model import Ticket, TicketEvent
from bot.domain.org import Role, Unit
from bot.domain.statuses import Status
from bot.i18n import format_date, format_datetime
from bot.services.cards import ACTIONS_BY_STATUS, parse_card_data, render_card
from bot.services.context import Actor, Deps
from bot.services.officers import FileToSend, OfficerService, Page, pending_due
from bot.services.tickets import TicketService
from handlers.context import Turn, rows
from handlers.officer_form import FORM_KEY, StaffForm, staff_id
from handlers.officer_form import PREFIX as FORM_PREFIX

PENDING_KEY = "pending"
PENDING_TTL = timedelta(hours=2)
TRANSFER_PREFIX = "tx:"
PAGE_PREFIX = "tp:"
TEXT_ACTIONS = ("guide", "info", "resolve", "reject", "extend", "note")
HEAD_ACTIONS = frozenset({"transfer", "reject", "extend"})
GROUP_COMMANDS = frozenset({"open", "overdue", "ticket", "stats", "new", "cancel", "identity"})
HISTORY_LIMIT = 30
NOTE_PREVIEW = 300


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _plain_error(turn: Turn, error: DomainError) -> str:
    args = {k: v for k, v in error.args_for_message.items() if isinstance(v, str | int)}
    return turn.label(error.message_id, **args)


class OfficerConversation:
    """A unit's group (the Dispatcher's `group=`): one conversation per group and officer."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.tickets = TicketService(deps)
        self.officers = OfficerService(deps)
        self.form = StaffForm(deps)

    async def __call__(self, turn: Turn) -> None:
        event = turn.event
        chat_id = _int(event.chat_id)
        unit = self.deps.directory.unit_by_chat(chat_id) if chat_id is not None else None
        if unit is None:
            # Not a unit's group: no ticket data here, whoever asks.
            turn.forget = True
            if event.choice:
                turn.alert(turn.label("officer-not-permitted"), error=True)
            elif event.command == "help":
                turn.send(turn.say("officer-group-not-registered"))
            return
        user_id = staff_id(turn)
        role = self.deps.directory.role_in(user_id, unit.id) if user_id is not None else None
        if event.choice:
            await self._press(turn, unit, user_id)
            return
        command = event.command
        if command == "help":
            turn.send(turn.say("officer-help"), offer=False)
            return
        if role is None:
            if command in GROUP_COMMANDS:
                turn.send(turn.say("officer-not-permitted"), offer=False)
            return  # the group's own conversation is none of our business
        assert user_id is not None
        self._expire_pending(turn)
        if command == "cancel":
            cancelled = turn.payload.pop(PENDING_KEY, None) or turn.payload.get(FORM_KEY)
            self.form.end(turn)
            turn.send(
                turn.say("officer-cancelled" if cancelled else "officer-nothing-to-cancel"),
                offer=False,
            )
            return
        if command == "new" or (command is None and self.form.active(turn.payload)):
            turn.payload.pop(PENDING_KEY, None)
            await self.form(turn, unit=unit)
            return
        if command is not None:
            await self._command(turn, unit, user_id, command)
        elif PENDING_KEY in turn.payload:
            await self._complete(turn, unit, user_id)
        elif event.reply_to_message_id is not None:
            await self._relay(turn, unit, user_id)

    # -- buttons -----------------------------------------------------------------------------
    async def _press(self, turn: Turn, unit: Unit, user_id: int | None) -> None:
        data = turn.event.choice or ""
        try:
            if data.startswith(FORM_PREFIX):
                if user_id is None or self.deps.directory.role_in(user_id, unit.id) is None:
                    turn.alert(turn.label("officer-not-permitted"), error=True)
                elif self.form.active(turn.payload):
                    await self.form(turn, unit=unit)
                else:
                    turn.alert(turn.label("officer-stale"), error=True)
            elif data.startswith(PAGE_PREFIX):
                await self._page_press(turn, unit, user_id, data)
            elif data.startswith(TRANSFER_PREFIX):
                await self._transfer_press(turn, unit, user_id, data)
            else:
                await self._card_press(turn, unit, user_id, data)
        except (IllegalTransition, ConcurrentUpdate):
            turn.alert(turn.label("officer-too-late"), error=True)
        except DomainError as error:
            turn.alert(_plain_error(turn, error), error=True)

    async def _check(
        self,
        turn: Turn,
        unit: Unit,
        user_id: int | None,
        ticket_id: int,
        version: int,
        action: str,
    ) -> tuple[Ticket, Role] | None:
        ticket = await self.officers.get(ticket_id)
        role = (
            self.deps.directory.role_in(user_id, ticket.unit_id)
            if ticket is not None and user_id is not None
            else None
        )
        if ticket is None or role is None:
            # Whoever may not act learns nothing, not even whether the ticket exists.
            turn.alert(turn.label("officer-not-permitted"), error=True)
            return None
        allowed = ACTIONS_BY_STATUS.get(Status(ticket.status), ())
        if ticket.unit_id != unit.id or ticket.version != version or action not in allowed:
            turn.alert(turn.label("officer-stale"), error=True)
            if ticket.unit_id == unit.id and ticket.version != version:
                await self.officers.refresh_card(ticket_id)
            return None
        if action in HEAD_ACTIONS and role not in (Role.HEAD, Role.ADMIN):
            turn.alert(turn.label("officer-heads-only"), error=True)
            return None
        return ticket, role

    async def _card_press(self, turn: Turn, unit: Unit, user_id: int | None, data: str) -> None:
        press = parse_card_data(data)
        if press is None:
            turn.alert(turn.label("officer-stale"), error=True)
            return
        checked = await self._check(
            turn, unit, user_id, press.ticket_id, press.version, press.action
        )
        if checked is None:
            return
        ticket, _ = checked
        assert user_id is not None
        if press.action == "accept":
            await self.tickets.accept(self._actor(turn, user_id), ticket.code)
            turn.alert(turn.label("officer-accepted", code=ticket.code))
        elif press.action == "transfer":
            self._ask_transfer(turn, unit, ticket)
        elif press.action in TEXT_ACTIONS:
            if press.action == "extend" and not self.officers.can_extend(ticket):
                turn.alert(turn.label("error-extension-not-allowed"), error=True)
                return
            turn.payload[PENDING_KEY] = {
                "action": press.action,
                "ticket_id": ticket.id,
                "version": ticket.version,
                "code": ticket.code,
                "at": self.deps.clock.now().isoformat(),
            }
            self.form.end(turn)
            turn.send(
                OutgoingMessage(
                    text=turn.say(f"officer-prompt-{press.action}", code=ticket.code),
                    force_reply=True,
                    reply_to_message_id=turn.event.message_id,
                )
            )

    def _ask_transfer(self, turn: Turn, unit: Unit, ticket: Ticket) -> None:
        # Callback data is at most 64 bytes: units go by their index in the directory.
        base = f"{TRANSFER_PREFIX}{ticket.id}:{ticket.version}"
        targets = [
            Choice(target.name, f"{base}:{index}")
            for index, target in enumerate(self.deps.directory.units)
            if target.id != unit.id
        ]
        turn.send(
            OutgoingMessage(
                text=turn.say("officer-transfer-pick", code=ticket.code),
                choices=(*rows(targets), (Choice(turn.label("officer-cancel"), f"{base}:-"),)),
                reply_to_message_id=turn.event.message_id,
            )
        )

    async def _transfer_press(
        self, turn: Turn, unit: Unit, user_id: int | None, data: str
    ) -> None:
        parts = data[len(TRANSFER_PREFIX) :].split(":")
        numbers = [_int(p) for p in parts[:2]] if len(parts) == 3 else []
        if len(numbers) != 2 or None in numbers:
            turn.alert(turn.label("officer-stale"), error=True)
            return
        ticket_id, version = numbers
        assert ticket_id is not None and version is not None
        checked = await self._check(turn, unit, user_id, ticket_id, version, "transfer")
        if checked is None:
            return
        ticket, _ = checked
        assert user_id is not None
        done = OutgoingMessage(
            text=turn.say("officer-transfer-cancelled", code=ticket.code),
            edit_message_id=turn.event.message_id,
        )
        if parts[2] != "-":
            index = _int(parts[2])
            units = self.deps.directory.units
            if index is None or not 0 <= index < len(units) or units[index].id == unit.id:
                turn.alert(turn.label("officer-stale"), error=True)
                return
            target = units[index]
            await self.tickets.transfer(self._actor(turn, user_id), ticket.code, target.id)
            if ticket.card_chat_id is not None and ticket.card_message_id is not None:
                await self.officers.retire_card(
                    ticket_id,
                    chat_id=ticket.card_chat_id,
                    message_id=ticket.card_message_id,
                    thread_id=ticket.card_thread_id,
                )
            turn.alert(turn.label("officer-transferred", code=ticket.code, unit=target.name))
            done = OutgoingMessage(
                text=turn.say("officer-transfer-done", code=ticket.code, unit=target.name),
                edit_message_id=turn.event.message_id,
            )
        turn.payload.pop("offered", None)
        turn.send(done, offer=False)

    async def _page_press(self, turn: Turn, unit: Unit, user_id: int | None, data: str) -> None:
        if user_id is None or self.deps.directory.role_in(user_id, unit.id) is None:
            turn.alert(turn.label("officer-not-permitted"), error=True)
            return
        parts = data[len(PAGE_PREFIX) :].split(":")
        page = _int(parts[1]) if len(parts) == 2 else None
        if parts[0] not in ("open", "overdue") or page is None:
            turn.alert(turn.label("officer-stale"), error=True)
            return
        message = await self._list(turn, unit, parts[0], page)
        turn.send(
            OutgoingMessage(
                text=message.text, choices=message.choices, edit_message_id=turn.event.message_id
            ),
            offer=False,
        )

    # -- text after a prompt, and replies to the card ---------------------------------------
    def _expire_pending(self, turn: Turn) -> None:
        pending = turn.payload.get(PENDING_KEY)
        if pending is None:
            return
        started = datetime.fromisoformat(pending["at"])
        if self.deps.clock.now() - started > PENDING_TTL:
            turn.payload.pop(PENDING_KEY)

    async def _complete(self, turn: Turn, unit: Unit, user_id: int) -> None:
        pending: dict[str, Any] = turn.payload[PENDING_KEY]
        text = (turn.event.text or "").strip()
        if not text:
            turn.send(turn.say("officer-prompt-empty", code=pending["code"]), offer=False)
            return
        turn.payload.pop(PENDING_KEY)
        action = pending["action"]
        ticket = await self.officers.get(pending["ticket_id"])
        if ticket is None or ticket.unit_id != unit.id:
            turn.send(turn.say("officer-stale-text", code=pending["code"]), offer=False)
            return
        # A note is harmless whenever it is written; anything the citizen sees or that moves
        # the ticket must be written against the card the officer pressed.
        if action != "note" and ticket.version != pending["version"]:
            turn.send(turn.say("officer-stale-text", code=ticket.code), offer=False)
            await self.officers.refresh_card(ticket.id or 0)
            return
        actor = self._actor(turn, user_id)
        methods = {
            "guide": self.tickets.guide,
            "info": self.tickets.request_info,
            "resolve": self.tickets.resolve,
            "reject": self.tickets.reject,
            "extend": self.tickets.extend,
            "note": self.tickets.add_note,
        }
        try:
            await methods[action](actor, ticket.code, text)
        except (IllegalTransition, ConcurrentUpdate):
            turn.send(turn.say("officer-too-late"), offer=False)
            return
        if action == "note":
            await self.officers.refresh_card(ticket.id or 0)
        turn.send(turn.say(f"officer-done-{action}", code=ticket.code), offer=False)

    async def _relay(self, turn: Turn, unit: Unit, user_id: int) -> None:
        event = turn.event
        reply_to = event.reply_to_message_id
        # In a forum topic every message "replies" to the topic's first message.
        if reply_to is None or (event.thread_id is not None and reply_to == event.thread_id):
            return
        ticket = await self.officers.at_message(unit.telegram_chat_id, reply_to)
        if ticket is None:
            return  # a reply to something else: officers talking among themselves
        if ticket.unit_id != unit.id:
            turn.send(turn.say("officer-reply-elsewhere", code=ticket.code), offer=False)
            return
        files = [
            FileToSend(kind=a.kind, channel=event.channel, file_id=a.file_id)
            for a in event.attachments
            if a.kind in ("photo", "document")
        ]
        if not (event.text or "").strip() and not files:
            return
        _, reached = await self.officers.reply(
            self._actor(turn, user_id), ticket.code, event.text or "", files
        )
        turn.send(
            turn.say(
                "officer-reply-sent" if reached else "officer-reply-recorded", code=ticket.code
            ),
            offer=False,
        )

    # -- commands ----------------------------------------------------------------------------
    async def _command(self, turn: Turn, unit: Unit, user_id: int, command: str) -> None:
        if command in ("open", "overdue"):
            turn.send(await self._list(turn, unit, command, 0), offer=False)
        elif command == "ticket":
            await self._show_ticket(turn, unit, user_id)
        elif command == "stats":
            await self._stats(turn, unit, user_id)
        elif command == "identity":
            turn.send(turn.say("officer-identity-private-only"), offer=False)

    async def _list(self, turn: Turn, unit: Unit, which: str, page: int) -> OutgoingMessage:
        if which == "open":
            result = await self.officers.open_page(unit.id, page)
        else:
            result = await self.officers.overdue_page(unit.id, page)
        if not result.total:
            return OutgoingMessage(text=turn.say(f"officer-{which}-empty"))
        lines = [
            turn.say(
                f"officer-{which}-title",
                unit=unit.name,
                total=result.total,
                page=result.page + 1,
                pages=(result.total + result.per_page - 1) // result.per_page,
            )
        ]
        for number, ticket in enumerate(result.tickets, start=result.page * result.per_page + 1):
            lines.append(self._line(turn, number, ticket))
        return OutgoingMessage(text="\n".join(lines), choices=self._pager(turn, which, result))

    def _line(self, turn: Turn, number: int, ticket: Ticket) -> str:
        due = pending_due(ticket)
        return turn.say(
            "officer-list-line-overdue" if self.officers.overdue(ticket) else "officer-list-line",
            number=number,
            code=ticket.code,
            kind=turn.label(f"kind-{Kind(ticket.kind).value}"),
            status=turn.label(f"status-{Status(ticket.status).value}"),
            due=format_date(due) if due else "—",
        )

    def _pager(self, turn: Turn, which: str, page: Page) -> tuple[tuple[Choice, ...], ...]:
        buttons = []
        if page.page > 0:
            buttons.append(
                Choice(
                    turn.label("officer-page-previous"), f"{PAGE_PREFIX}{which}:{page.page - 1}"
                )
            )
        if page.has_next:
            buttons.append(
                Choice(turn.label("officer-page-next"), f"{PAGE_PREFIX}{which}:{page.page + 1}")
            )
        return (tuple(buttons),) if buttons else ()

    async def _show_ticket(self, turn: Turn, unit: Unit, user_id: int) -> None:
        event = turn.event
        code = find_code(event.command_args)
        ticket: Ticket | None = None
        if code is None and event.thread_id is not None:
            ticket = await self.officers.in_thread(unit.telegram_chat_id, event.thread_id)
            code = ticket.code if ticket is not None else None
        if code is None:
            turn.send(turn.say("officer-ticket-usage"), offer=False)
            return
        try:
            ticket, events = await self.tickets.for_staff(self._actor(turn, user_id), code)
        except (TicketNotFound, NotPermitted):
            ticket = None
        if ticket is None or ticket.unit_id != unit.id:
            # Another unit's ticket is not shown here, nor is its existence confirmed.
            turn.send(turn.say("officer-ticket-not-here", code=code), offer=False)
            return
        card = render_card(ticket, self.deps.directory, self.deps.translator, turn.locale)
        turn.send(card, offer=False)
        turn.send(self._history(turn, events), offer=False)

    def _history(self, turn: Turn, events: list[TicketEvent]) -> str:
        lines = [turn.say("officer-history-title")]
        shown = events[-HISTORY_LIMIT:]
        if len(events) > len(shown):
            lines.append(turn.say("officer-history-earlier", count=len(events) - len(shown)))
        for event in shown:
            note = event.note or ""
            if event.action == "identity_viewed":
                note = ""
            if len(note) > NOTE_PREVIEW:
                note = note[:NOTE_PREVIEW].rstrip() + "…"
            action = (
                event.action
                if turn.t.has(f"officer-event-{event.action}", turn.locale)
                else "other"
            )
            lines.append(
                turn.say(
                    "officer-history-line-note" if note else "officer-history-line",
                    at=format_datetime(event.at),
                    action=turn.label(f"officer-event-{action}"),
                    who=turn.label(_who(event.actor_role)),
                    note=note,
                )
            )
        return "\n".join(lines)

    async def _stats(self, turn: Turn, unit: Unit, user_id: int) -> None:
        stats = await self.officers.month_stats(unit.id)
        figures = stats.figures
        rate = stats.on_time_percent
        text = turn.say(
            "officer-stats",
            unit=unit.name,
            month=f"{stats.month:02d}/{stats.year}",
            received=figures.received,
            waiting=figures.waiting,
            in_progress=figures.in_progress,
            resolved=figures.resolved,
            on_time=figures.resolved_on_time,
            overdue=figures.overdue,
        )
        text += "\n" + (
            turn.say("officer-stats-rate", rate=round(rate, 1))
            if rate is not None
            else turn.say("officer-stats-rate-none")
        )
        failures = await self.officers.delivery_failures(self._actor(turn, user_id))
        if failures is not None:
            text += "\n\n" + turn.say("officer-stats-failures", count=failures.count)
            for failure in failures.recent:
                text += "\n" + turn.say(
                    "officer-stats-failure",
                    at=format_datetime(failure.failed_at),
                    purpose=failure.purpose,
                    attempts=failure.attempts,
                    reason=failure.reason,
                )
        turn.send(text, offer=False)

    def _actor(self, turn: Turn, user_id: int) -> Actor:
        return Actor.staff(user_id, turn.event.sender.display_name)


def _who(role: str) -> str:
    if role in ("officer", "head", "admin", "staff"):
        return "officer-who-staff"
    if role == "citizen":
        return "officer-who-citizen"
    return "officer-who-system"


class StaffPrivateConversation:
    """Staff in a private chat with the bot (the Dispatcher's `staff=`): `/identity CODE` for
    a unit head, and `/new`. Card buttons only work in the unit's group."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.tickets = TicketService(deps)
        self.form = StaffForm(deps)

    def _is_staff(self, turn: Turn) -> bool:
        user_id = staff_id(turn)
        return user_id is not None and bool(self.deps.directory.units_of(user_id))

    def wants(self, turn: Turn) -> bool:
        event = turn.event
        if not event.is_private:
            return False
        if event.choice and event.choice.startswith(("t:", TRANSFER_PREFIX, PAGE_PREFIX)):
            return True  # a card's button pressed outside its group: refuse, change nothing
        if event.command == "identity":
            return True
        if not self._is_staff(turn):
            return False
        if event.command == "new":
            return True
        return self.form.active(turn.payload) and event.command in (None, "cancel")

    async def __call__(self, turn: Turn) -> None:
        event = turn.event
        if event.choice and not event.choice.startswith(FORM_PREFIX):
            turn.alert(turn.label("officer-not-permitted"), error=True)
            return
        if event.command == "identity":
            await self._identity(turn)
            return
        if not self._is_staff(turn):
            return
        if event.command == "cancel":
            self.form.end(turn)
            turn.send(turn.say("officer-new-cancelled"), offer=False)
            return
        await self.form(turn, unit=None)

    async def _identity(self, turn: Turn) -> None:
        code = find_code(turn.event.command_args)
        if code is None:
            turn.send(turn.say("officer-identity-usage"), offer=False)
            return
        user_id = staff_id(turn)
        if user_id is None or not self._is_staff(turn):
            turn.send(turn.say("officer-identity-refused"), offer=False)
            return
        try:
            ticket = await self.tickets.view_identity(Actor.staff(user_id), code)
        except (NotPermitted, TicketNotFound):
            # The same answer either way: a code's existence is not confirmed to the curious.
            turn.send(turn.say("officer-identity-refused"), offer=False)
            return
        if ticket.anonymous or not ticket.petitioner_name:
            turn.send(turn.say("officer-identity-anonymous", code=ticket.code), offer=False)
            return
        turn.send(
            turn.say(
                "officer-identity",
                code=ticket.code,
                name=ticket.petitioner_name,
                phone=ticket.petitioner_phone or "—",
                address=ticket.petitioner_address or "—",
            ),
            offer=False,
        )
