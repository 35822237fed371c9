"""The citizen's side: menu, intake, lookups, answers to the unit, rating, settings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.domain.codes import find_code
from bot.domain.errors import DomainError, InvalidInput, TicketNotFound
from bot.domain.messages import Choice, OutgoingMessage
from bot.domain.model import Attachment, Citizen, Ticket
from bot.domain.statuses import Status
from bot.i18n import format_date
from bot.services.citizens import CitizenService
from bot.services.context import Actor, Deps
from bot.services.tickets import TicketService
from handlers.context import Turn, attachment_record, rows
from handlers.intake import KIND_CODES, Intake

MENU = ("pa", "kg", "kn", "tc", "status", "my", "help")
PAGE_SIZE = 5
LINK_ATTEMPTS = 5  # failed links per chat in LINK_WINDOW
LINK_WINDOW = timedelta(hours=1)


class CitizenConversation:
    def __init__(self, deps: Deps, *, link_offline: Any = None) -> None:
        self.deps = deps
        self.tickets = TicketService(deps)
        self.citizens = CitizenService(deps)
        self.intake = Intake(deps)
        self.link_offline = link_offline  # (citizen_id, code, phone) -> Ticket, if available

    async def __call__(self, turn: Turn) -> None:
        event = turn.event
        citizen = turn.citizen or await self.citizens.ensure(event.channel, event.chat_id)
        assert citizen.id is not None
        command = event.command
        if command is not None:
            await self._command(turn, citizen, command, event.command_args)
            return
        choice = turn.chosen()
        if (
            choice
            and not choice.startswith("i:")
            and await self._global_choice(turn, citizen, choice)
        ):
            return
        if Intake.active(turn):
            await self.intake.handle(turn, citizen.id)
            return
        if choice and choice.startswith("i:"):
            turn.send(turn.say("intake-stale-button"), offer=False)
            self._menu(turn)
            return
        awaiting = turn.payload.get("awaiting")
        if awaiting:
            await self._awaited(turn, citizen, awaiting)
            return
        await self._outside_flow(turn, citizen)

    # -- commands ----------------------------------------------------------------------------
    async def _command(self, turn: Turn, citizen: Citizen, command: str, args: str) -> None:
        assert citizen.id is not None
        if command in ("cancel", "huy"):
            had_flow = Intake.active(turn) or "awaiting" in turn.payload
            turn.payload.clear()
            if had_flow:
                turn.send(
                    OutgoingMessage(text=turn.say("intake-cancelled"), remove_keyboard=True),
                    offer=False,
                )
            self._menu(turn)
        elif command == "start":
            kind = KIND_CODES.get(args.strip().lower())
            turn.payload.clear()
            if kind is not None:
                await self.intake.begin(turn, citizen.id, kind=kind)
            else:
                turn.lead(turn.say("citizen-welcome"))
                self._menu(turn)
        elif command in ("help", "huongdan"):
            turn.send(turn.say("citizen-help"), offer=False)
        elif command in ("menu",):
            self._menu(turn)
        elif command in ("language", "ngonngu"):
            turn.send(
                OutgoingMessage(
                    text=turn.say("citizen-ask-language"),
                    choices=((Choice("Tiếng Việt", "lang:vi"), Choice("English", "lang:en")),),
                )
            )
        elif command in ("status", "tracuu"):
            if find_code(args):
                await self._status(turn, citizen, args)
            else:
                turn.payload["awaiting"] = {"type": "code"}
                turn.send(turn.say("citizen-ask-code"), offer=False)
        elif command in ("my", "cuatoi"):
            await self._my(turn, citizen, 0)
        elif command in ("subscribe", "dangky"):
            await self.citizens.set_subscribed(citizen.id, True)
            turn.send(turn.say("citizen-subscribed"), offer=False)
        elif command in ("unsubscribe", "huydangky"):
            await self.citizens.set_subscribed(citizen.id, False)
            turn.send(turn.say("citizen-unsubscribed"), offer=False)
        elif command in ("unsatisfied", "chuahailong"):
            code = find_code(args)
            if code is None:
                turn.send(turn.say("citizen-ask-code"), offer=False)
                turn.payload["awaiting"] = {"type": "unsatisfied_code"}
            else:
                await self._ask_reopen_reason(turn, citizen, code)
        elif command in ("link", "lienket"):
            turn.payload["awaiting"] = {"type": "link_code"}
            turn.send(turn.say("citizen-link-ask-code"), offer=False)
        elif command in ("privacy", "baomat"):
            turn.send(turn.say("citizen-privacy"), offer=False)
        elif command in ("forgetme", "xoathongtin"):
            await self.citizens.withdraw_consent(citizen.id)
            turn.send(turn.say("citizen-consent-withdrawn"), offer=False)
        else:
            turn.send(turn.say("citizen-unknown-command"), offer=False)
            self._menu(turn)

    # -- buttons outside the intake ----------------------------------------------------------
    async def _global_choice(self, turn: Turn, citizen: Citizen, data: str) -> bool:
        assert citizen.id is not None
        head, _, rest = data.partition(":")
        if head == "m" and rest in MENU:
            turn.payload.pop("awaiting", None)
            if rest in KIND_CODES:
                pending = turn.payload.pop("pending_text", None)
                turn.payload.pop("intake", None)
                await self.intake.begin(
                    turn, citizen.id, kind=KIND_CODES[rest], description=pending
                )
            elif rest == "status":
                turn.payload["awaiting"] = {"type": "code"}
                turn.send(turn.say("citizen-ask-code"), offer=False)
            elif rest == "my":
                await self._my(turn, citizen, 0)
            else:
                turn.send(turn.say("citizen-help"), offer=False)
            return True
        if head == "lang" and rest in ("vi", "en"):
            await self.citizens.set_locale(citizen.id, rest)
            turn.locale = rest
            turn.send(turn.say("citizen-language-set"), offer=False)
            self._menu(turn)
            return True
        if head == "my" and rest.isdigit():
            await self._my(turn, citizen, int(rest))
            return True
        if head == "st" and find_code(rest):
            await self._status(turn, citizen, rest)
            return True
        if head == "msg" and find_code(rest):
            turn.payload["awaiting"] = {"type": "followup", "code": rest}
            turn.send(turn.say("citizen-followup-ask"), offer=False)
            return True
        if head == "rate":
            code, _, stars = rest.partition(":")
            if find_code(code) and stars.isdigit():
                await self._rate(turn, citizen, code, int(stars))
                return True
        if head == "unsat" and find_code(rest):
            await self._ask_reopen_reason(turn, citizen, rest)
            return True
        if head == "skip":
            turn.payload.pop("awaiting", None)
            turn.send(turn.say("citizen-thanks"), offer=False)
            return True
        if head == "info" and find_code(rest):
            pending = turn.payload.pop("pending_info", None) or {}
            await self._provide_info(
                turn, citizen, rest, pending.get("text", ""), pending.get("attachments", [])
            )
            return True
        return False

    # -- awaited answers ---------------------------------------------------------------------
    async def _awaited(self, turn: Turn, citizen: Citizen, awaiting: dict[str, Any]) -> None:
        assert citizen.id is not None
        text = (turn.event.text or "").strip()
        kind = awaiting.get("type")
        if kind == "code":
            if find_code(text):
                turn.payload.pop("awaiting", None)
                await self._status(turn, citizen, text)
            else:
                turn.send(turn.say("citizen-code-invalid"), offer=False)
        elif kind == "followup":
            turn.payload.pop("awaiting", None)
            await self._relay(turn, citizen, awaiting["code"])
        elif kind == "rating_comment":
            turn.payload.pop("awaiting", None)
            if text:
                await self.tickets.comment_rating(
                    Actor.citizen(citizen.id), awaiting["code"], text
                )
            turn.send(turn.say("citizen-thanks"), offer=False)
        elif kind == "unsatisfied_code":
            code = find_code(text)
            if code is None:
                turn.send(turn.say("citizen-code-invalid"), offer=False)
            else:
                await self._ask_reopen_reason(turn, citizen, code)
        elif kind == "reopen_reason":
            if not text:
                turn.send(turn.say("citizen-reopen-ask-reason"), offer=False)
                return
            turn.payload.pop("awaiting", None)
            try:
                await self.tickets.reopen(Actor.citizen(citizen.id), awaiting["code"], text)
            except InvalidInput:
                turn.send(
                    turn.say("citizen-reopen-too-late", days=self.deps.limits.reopen_days),
                    offer=False,
                )
                return
            turn.send(turn.say("citizen-reopened", code=awaiting["code"]), offer=False)
        elif kind == "link_code":
            code = find_code(text)
            if code is None:
                turn.send(turn.say("citizen-code-invalid"), offer=False)
                return
            turn.payload["awaiting"] = {"type": "link_phone", "code": code}
            turn.send(turn.say("citizen-link-ask-phone"), offer=False)
        elif kind == "link_phone":
            turn.payload.pop("awaiting", None)
            await self._link(turn, citizen, awaiting["code"], turn.event.contact_phone or text)
        else:
            turn.payload.pop("awaiting", None)
            await self._outside_flow(turn, citizen)

    # -- outside any flow --------------------------------------------------------------------
    async def _outside_flow(self, turn: Turn, citizen: Citizen) -> None:
        assert citizen.id is not None
        event = turn.event
        text = (event.text or "").strip()
        waiting = await self.tickets.awaiting_info(citizen.id)
        if waiting and (text or event.attachments):
            if len(waiting) == 1:
                await self._provide_info(
                    turn, citizen, waiting[0].code, text, _attachment_dicts(turn)
                )
            else:
                turn.payload["pending_info"] = {
                    "text": text,
                    "attachments": _attachment_dicts(turn),
                }
                options = [Choice(t.code, f"info:{t.code}") for t in waiting]
                turn.send(
                    OutgoingMessage(text=turn.say("citizen-which-ticket"), choices=rows(options))
                )
            return
        code = find_code(text)
        if code:
            await self._status(turn, citizen, code)
            return
        if event.unsupported:
            turn.send(turn.say("citizen-unsupported"), offer=False)
        elif len(text) >= self.deps.limits.description_min:
            turn.payload["pending_text"] = text[: self.deps.limits.description_max]
            turn.send(turn.say("citizen-text-kept"), offer=False)
        self._menu(turn)

    def _menu(self, turn: Turn) -> None:
        options = [Choice(turn.label(f"menu-{item}"), f"m:{item}") for item in MENU]
        turn.send(OutgoingMessage(text=turn.say("citizen-menu"), choices=rows(options)))

    # -- lookups -----------------------------------------------------------------------------
    async def _status(self, turn: Turn, citizen: Citizen, code_text: str) -> None:
        assert citizen.id is not None
        try:
            ticket, events = await self.tickets.for_citizen(Actor.citizen(citizen.id), code_text)
        except TicketNotFound:
            turn.send(turn.say("error-ticket-not-found"), offer=False)
            return
        unit = self.deps.directory.unit(ticket.unit_id)
        lines = [
            turn.say("lookup-title", code=ticket.code, kind=turn.say(f"kind-{ticket.kind}")),
            turn.say("lookup-status", status=turn.say(f"status-{ticket.status}")),
            turn.say("lookup-unit", unit=unit.name),
            turn.say("lookup-received", date=format_date(ticket.received_at)),
        ]
        due = ticket.resolution_due if ticket.status != Status.SUBMITTED else ticket.decision_due
        if ticket.is_open and due is not None:
            lines.append(turn.say("lookup-due", date=format_date(due)))
        answers = [e for e in events if e.note]
        if answers:
            lines.append(
                turn.say(
                    "lookup-last-answer",
                    date=format_date(answers[-1].at),
                    text=answers[-1].note or "",
                )
            )
        choices: list[Choice] = []
        if ticket.is_open:
            choices.append(Choice(turn.label("lookup-send-more"), f"msg:{ticket.code}"))
        turn.send(OutgoingMessage(text="\n".join(lines), choices=rows(choices, 1)))

    async def _my(self, turn: Turn, citizen: Citizen, page: int) -> None:
        assert citizen.id is not None
        tickets, total = await self.tickets.of_citizen(citizen.id, page=page, per_page=PAGE_SIZE)
        if total == 0:
            turn.send(turn.say("my-none"), offer=False)
            self._menu(turn)
            return
        pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
        lines = [turn.say("my-title", page=page + 1, pages=pages, total=total)]
        lines += [
            turn.say(
                "my-line",
                code=t.code,
                status=turn.say(f"status-{t.status}"),
                date=format_date(t.received_at),
            )
            for t in tickets
        ]
        options = [Choice(t.code, f"st:{t.code}") for t in tickets]
        paging = []
        if page > 0:
            paging.append(Choice(turn.label("my-previous"), f"my:{page - 1}"))
        if page + 1 < pages:
            paging.append(Choice(turn.label("my-next"), f"my:{page + 1}"))
        turn.send(
            OutgoingMessage(text="\n".join(lines), choices=(*rows(options, 2), tuple(paging)))
        )

    # -- after the answer --------------------------------------------------------------------
    async def _rate(self, turn: Turn, citizen: Citizen, code: str, stars: int) -> None:
        assert citizen.id is not None
        try:
            await self.tickets.rate(Actor.citizen(citizen.id), code, stars)
        except DomainError:
            turn.send(turn.say("citizen-rating-over"), offer=False)
            return
        turn.payload["awaiting"] = {"type": "rating_comment", "code": code}
        turn.send(
            OutgoingMessage(
                text=turn.say("citizen-rated", stars="⭐" * stars),
                choices=((Choice(turn.label("citizen-skip"), "skip:rating"),),),
            )
        )

    async def _ask_reopen_reason(self, turn: Turn, citizen: Citizen, code: str) -> None:
        assert citizen.id is not None
        try:
            ticket, _ = await self.tickets.for_citizen(Actor.citizen(citizen.id), code)
        except TicketNotFound:
            turn.send(turn.say("error-ticket-not-found"), offer=False)
            return
        if ticket.status != Status.RESOLVED:
            turn.send(turn.say("citizen-reopen-not-resolved", code=ticket.code), offer=False)
            return
        turn.payload["awaiting"] = {"type": "reopen_reason", "code": ticket.code}
        turn.send(turn.say("citizen-reopen-ask-reason"), offer=False)

    async def _provide_info(
        self, turn: Turn, citizen: Citizen, code: str, text: str, attachments: list[dict[str, Any]]
    ) -> None:
        assert citizen.id is not None
        files = [Attachment(**a) for a in attachments]
        await self.tickets.provide_info(Actor.citizen(citizen.id), code, text, files)
        turn.send(turn.say("citizen-info-sent", code=code), offer=False)

    async def _relay(self, turn: Turn, citizen: Citizen, code: str) -> None:
        assert citizen.id is not None
        text = (turn.event.text or "").strip()
        files = [Attachment(**a) for a in _attachment_dicts(turn)]
        try:
            ticket, _ = await self.tickets.for_citizen(Actor.citizen(citizen.id), code)
            if ticket.status == Status.NEEDS_INFO:
                await self.tickets.provide_info(Actor.citizen(citizen.id), code, text, files)
            else:
                await self.tickets.citizen_message(Actor.citizen(citizen.id), code, text, files)
        except InvalidInput:
            turn.send(turn.say("citizen-followup-closed", code=code), offer=False)
            return
        turn.send(turn.say("citizen-info-sent", code=code), offer=False)

    async def _link(self, turn: Turn, citizen: Citizen, code: str, phone: str) -> None:
        assert citizen.id is not None
        if self.link_offline is None:
            turn.send(turn.say("citizen-link-failed"), offer=False)
            return
        now = self.deps.clock.now()
        # A code is short and printed on a paper receipt: without a limit, the phone number
        # recorded on it could be guessed.
        recent = [
            at
            for at in turn.payload.get("link_failures", [])
            if now - datetime.fromisoformat(at) < LINK_WINDOW
        ]
        if len(recent) >= LINK_ATTEMPTS:
            turn.payload["link_failures"] = recent
            turn.send(turn.say("citizen-link-too-many"), offer=False)
            return
        try:
            ticket: Ticket = await self.link_offline(citizen.id, code, phone)
        except DomainError:
            turn.payload["link_failures"] = [*recent, now.isoformat()]
            turn.send(turn.say("citizen-link-failed"), offer=False)
            return
        turn.payload.pop("link_failures", None)
        turn.send(turn.say("citizen-linked", code=ticket.code), offer=False)


def _attachment_dicts(turn: Turn) -> list[dict[str, Any]]:
    return [attachment_record(turn, a) for a in turn.event.attachments]
