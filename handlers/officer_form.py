"""`/new`: an officer records a petition received on paper, by phone or in person, so every
petition shares one register and one clock. A short guided form; Back and Cancel work at
every step, bad input is asked again."""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum
from typing import Any

from bot.domain.clock import VN_TZ, local
from bot.domain.kinds import Identity as IdentityRule
from bot.domain.kinds import Kind, info
from bot.domain.messages import Choice, OutgoingMessage
from bot.domain.model import Origin
from bot.domain.org import Unit
from bot.services.commands import Identity, SubmitTicket
from bot.services.context import Actor, Deps
from bot.services.offline import normalize_phone
from bot.services.tickets import TicketService
from handlers.context import Turn, rows

FORM_KEY = "staff_form"
PREFIX = "tn:"
BACK = "tn:back"
CANCEL = "tn:cancel"
SKIP = "tn:skip"
TODAY = "tn:today"
CONFIRM = "tn:ok"
NAME_MAX = 200
ADDRESS_MAX = 500


class Step(StrEnum):
    KIND = "kind"
    CATEGORY = "category"
    COMMUNE = "commune"
    DESCRIPTION = "description"
    NAME = "name"
    PHONE = "phone"
    ADDRESS = "address"
    RECEIVED = "received"
    ORIGIN = "origin"
    CONFIRM = "confirm"


ORDER = list(Step)
OFFLINE_ORIGINS = (Origin.PAPER, Origin.PHONE, Origin.IN_PERSON)


def staff_id(turn: Turn) -> int | None:
    try:
        return int(turn.event.sender.id)
    except ValueError:
        return None


class StaffForm:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.tickets = TicketService(deps)

    def active(self, payload: dict[str, Any]) -> bool:
        return FORM_KEY in payload

    async def __call__(self, turn: Turn, *, unit: Unit | None) -> None:
        form = turn.payload.get(FORM_KEY)
        if turn.event.command == "new" or form is None:
            now = self.deps.clock.now()
            form = {
                "step": Step.KIND.value,
                "in_group": unit is not None,
                "key": f"new:{turn.event.sender.id}:{int(now.timestamp() * 1000)}",
                "data": {},
            }
            turn.payload[FORM_KEY] = form
            self._ask(turn, form)
            return
        choice = turn.chosen()
        if choice == CANCEL:
            self.end(turn)
            turn.send(turn.say("officer-new-cancelled"), offer=False)
            return
        if choice == BACK:
            form["step"] = self._previous(form).value
            self._ask(turn, form)
            return
        step = Step(form["step"])
        handled = await getattr(self, f"_on_{step.value}")(turn, form, choice)
        if handled is False:
            return
        if FORM_KEY in turn.payload:
            self._ask(turn, form)

    def end(self, turn: Turn) -> None:
        turn.payload.pop(FORM_KEY, None)
        turn.payload.pop("offered", None)

    # -- steps -----------------------------------------------------------------------------
    async def _on_kind(self, turn: Turn, form: dict[str, Any], choice: str | None) -> bool:
        kind = _value(choice, "k")
        if kind not in {k.value for k in Kind}:
            turn.send(turn.say("officer-new-pick"), offer=False)
            return True
        if form["in_group"] and info(kind).identity is IdentityRule.CONFIDENTIAL:
            # A denouncer's name typed in the group would be seen by all (Luật Tố cáo Art. 47).
            self.end(turn)
            turn.send(turn.say("officer-new-to-cao-private"), offer=False)
            return False
        form["data"]["kind"] = kind
        self._advance(form)
        return True

    async def _on_category(self, turn: Turn, form: dict[str, Any], choice: str | None) -> bool:
        value = _value(choice, "c")
        known = {c.id for c in self.deps.directory.categories}
        if value != "-" and value not in known:
            turn.send(turn.say("officer-new-pick"), offer=False)
            return True
        form["data"]["category"] = None if value == "-" else value
        self._advance(form)
        return True

    async def _on_commune(self, turn: Turn, form: dict[str, Any], choice: str | None) -> bool:
        value = _value(choice, "m")
        known = {c.id for c in self.deps.directory.communes}
        if value != "-" and value not in known:
            turn.send(turn.say("officer-new-pick"), offer=False)
            return True
        form["data"]["commune"] = None if value == "-" else value
        self._advance(form)
        return True

    async def _on_description(self, turn: Turn, form: dict[str, Any], choice: str | None) -> bool:
        text = (turn.event.text or "").strip()
        limits = self.deps.limits
        if choice is not None or not limits.description_min <= len(text) <= limits.description_max:
            turn.send(
                turn.say(
                    "officer-new-description-invalid",
                    min=limits.description_min,
                    max=limits.description_max,
                ),
                offer=False,
            )
            return True
        form["data"]["description"] = text
        self._advance(form)
        return True

    async def _on_name(self, turn: Turn, form: dict[str, Any], choice: str | None) -> bool:
        if choice == SKIP and not self._identity_required(form):
            form["data"].update(name=None, phone=None, address=None)
            self._advance(form)
            return True
        text = (turn.event.text or "").strip()
        if choice is not None or not 2 <= len(text) <= NAME_MAX:
            turn.send(turn.say("officer-new-name-invalid"), offer=False)
            return True
        form["data"]["name"] = text
        self._advance(form)
        return True

    async def _on_phone(self, turn: Turn, form: dict[str, Any], choice: str | None) -> bool:
        if choice == SKIP and not self._identity_required(form):
            form["data"]["phone"] = None
            self._advance(form)
            return True
        phone = normalize_phone(turn.event.contact_phone or turn.event.text)
        if choice is not None or phone is None:
            turn.send(turn.say("officer-new-phone-invalid"), offer=False)
            return True
        form["data"]["phone"] = phone
        self._advance(form)
        return True

    async def _on_address(self, turn: Turn, form: dict[str, Any], choice: str | None) -> bool:
        if choice == SKIP and not self._identity_required(form):
            form["data"]["address"] = None
            self._advance(form)
            return True
        text = (turn.event.text or "").strip()
        if choice is not None or not 2 <= len(text) <= ADDRESS_MAX:
            turn.send(turn.say("officer-new-address-invalid"), offer=False)
            return True
        form["data"]["address"] = text
        self._advance(form)
        return True

    async def _on_received(self, turn: Turn, form: dict[str, Any], choice: str | None) -> bool:
        today = local(self.deps.clock.now()).date()
        if choice == TODAY:
            form["data"]["received"] = None
            self._advance(form)
            return True
        try:
            day = datetime.strptime((turn.event.text or "").strip(), "%d/%m/%Y").date()
        except ValueError:
            turn.send(turn.say("officer-new-date-invalid"), offer=False)
            return True
        if day > today:
            turn.send(turn.say("officer-new-date-future"), offer=False)
            return True
        form["data"]["received"] = None if day == today else day.isoformat()
        self._advance(form)
        return True

    async def _on_origin(self, turn: Turn, form: dict[str, Any], choice: str | None) -> bool:
        value = _value(choice, "o")
        if value not in {o.value for o in OFFLINE_ORIGINS}:
            turn.send(turn.say("officer-new-pick"), offer=False)
            return True
        form["data"]["origin"] = value
        self._advance(form)
        return True

    async def _on_confirm(self, turn: Turn, form: dict[str, Any], choice: str | None) -> bool:
        if choice != CONFIRM:
            turn.send(turn.say("officer-new-pick"), offer=False)
            return True
        user_id = staff_id(turn)
        assert user_id is not None
        data = form["data"]
        received = (
            datetime.combine(datetime.fromisoformat(data["received"]).date(), time(), VN_TZ)
            if data.get("received")
            else None
        )
        identity = (
            Identity(name=data["name"], phone=data.get("phone"), address=data.get("address"))
            if data.get("name")
            else None
        )
        ticket = await self.tickets.submit(
            SubmitTicket(
                kind=Kind(data["kind"]),
                description=data["description"],
                category=data.get("category"),
                commune=data.get("commune"),
                identity=identity,
                origin=Origin(data["origin"]),
                received_at=received,
                intake_key=form["key"],
            ),
            recorded_by=Actor.staff(user_id, turn.event.sender.display_name),
        )
        self.end(turn)
        unit = self.deps.directory.unit(ticket.unit_id)
        turn.send(
            turn.say("officer-new-done", code=ticket.code, unit=unit.name)
            + "\n"
            + turn.say("officer-new-link-hint", code=ticket.code),
            offer=False,
        )
        return False

    # -- asking ----------------------------------------------------------------------------
    def _ask(self, turn: Turn, form: dict[str, Any]) -> None:
        step = Step(form["step"])
        data = form["data"]
        choices: list[Choice] = []
        text = turn.say(f"officer-new-ask-{step.value}")
        if step is Step.KIND:
            choices = [Choice(turn.label(f"kind-{k.value}"), f"{PREFIX}k:{k.value}") for k in Kind]
            text = turn.say("officer-new-intro") + "\n\n" + text
        elif step is Step.CATEGORY:
            choices = [
                Choice(c.name(turn.locale), f"{PREFIX}c:{c.id}")
                for c in self.deps.directory.categories
            ] + [Choice(turn.label("officer-new-skip"), f"{PREFIX}c:-")]
        elif step is Step.COMMUNE:
            choices = [
                Choice(c.name, f"{PREFIX}m:{c.id}") for c in self.deps.directory.communes
            ] + [Choice(turn.label("officer-new-skip"), f"{PREFIX}m:-")]
        elif step in (Step.NAME, Step.PHONE, Step.ADDRESS):
            if not self._identity_required(form):
                choices = [Choice(turn.label("officer-new-skip"), SKIP)]
        elif step is Step.RECEIVED:
            choices = [Choice(turn.label("officer-new-today"), TODAY)]
        elif step is Step.ORIGIN:
            choices = [
                Choice(turn.label(f"officer-origin-{o.value}"), f"{PREFIX}o:{o.value}")
                for o in OFFLINE_ORIGINS
            ]
        elif step is Step.CONFIRM:
            text = self._summary(turn, data) + "\n\n" + text
            choices = [Choice(turn.label("officer-new-confirm"), CONFIRM)]
        nav = [Choice(turn.label("officer-back"), BACK)] if step is not Step.KIND else []
        nav.append(Choice(turn.label("officer-cancel"), CANCEL))
        turn.send(OutgoingMessage(text=text, choices=(*rows(choices), tuple(nav))))

    def _summary(self, turn: Turn, data: dict[str, Any]) -> str:
        directory = self.deps.directory
        category = (
            directory.category(data["category"]).name(turn.locale) if data.get("category") else "—"
        )
        commune = directory.commune(data["commune"]).name if data.get("commune") else "—"
        received = (
            datetime.fromisoformat(data["received"]).strftime("%d/%m/%Y")
            if data.get("received")
            else local(self.deps.clock.now()).strftime("%d/%m/%Y")
        )
        return turn.say(
            "officer-new-summary",
            kind=turn.label(f"kind-{data['kind']}"),
            category=category,
            commune=commune,
            description=data["description"],
            name=data.get("name") or turn.label("officer-new-anonymous"),
            phone=data.get("phone") or "—",
            address=data.get("address") or "—",
            received=received,
            origin=turn.label(f"officer-origin-{data['origin']}"),
        )

    # -- navigation --------------------------------------------------------------------------
    def _identity_required(self, form: dict[str, Any]) -> bool:
        kind = form["data"].get("kind")
        return kind is not None and info(kind).identity is IdentityRule.REQUIRED

    def _applies(self, form: dict[str, Any], step: Step) -> bool:
        if step in (Step.PHONE, Step.ADDRESS):
            return bool(form["data"].get("name"))
        return True

    def _advance(self, form: dict[str, Any]) -> None:
        index = ORDER.index(Step(form["step"]))
        for step in ORDER[index + 1 :]:
            if self._applies(form, step):
                form["step"] = step.value
                return

    def _previous(self, form: dict[str, Any]) -> Step:
        index = ORDER.index(Step(form["step"]))
        for step in reversed(ORDER[:index]):
            if self._applies(form, step):
                return step
        return Step.KIND


def _value(choice: str | None, field: str) -> str | None:
    prefix = f"{PREFIX}{field}:"
    if choice and choice.startswith(prefix):
        return choice[len(prefix) :]
    return None
