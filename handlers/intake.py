"""The citizen's intake: one question per message, a step counter, Back, Edit and Cancel.

The draft lives in the stored conversation (`payload["intake"]`), so a restart or another
worker continues it. Buttons carry the draft's nonce and step (`i:<nonce>:<step>:<value>`): a
press from an older message or an older step is recognised as stale and changes nothing.
"""

from __future__ import annotations

import secrets
from enum import StrEnum
from typing import Any

from bot.domain.errors import InvalidInput, RateLimited
from bot.domain.kinds import Identity as IdentityRule
from bot.domain.kinds import Kind, info
from bot.domain.messages import Choice, OutgoingMessage
from bot.domain.model import Attachment
from bot.domain.routing import suggest_category
from bot.i18n import format_date
from bot.services.citizens import CitizenService
from bot.services.commands import Identity, SubmitTicket
from bot.services.context import Deps
from bot.services.tickets import TicketService
from handlers.context import Turn, attachment_record, rows
from handlers.phones import display_phone, normalize_vn_phone


class Step(StrEnum):
    KIND = "kind"
    CATEGORY = "category"
    COMMUNE = "commune"
    DESCRIPTION = "description"
    ATTACHMENTS = "attachments"
    IDENTITY = "identity"
    NAME = "name"
    ADDRESS = "address"
    PHONE = "phone"
    CONSENT = "consent"
    SUMMARY = "summary"
    EDIT = "edit"


STEP_NUMBER = {
    Step.KIND: 1,
    Step.CATEGORY: 2,
    Step.COMMUNE: 3,
    Step.DESCRIPTION: 4,
    Step.ATTACHMENTS: 5,
    Step.IDENTITY: 6,
    Step.NAME: 6,
    Step.ADDRESS: 6,
    Step.PHONE: 6,
    Step.CONSENT: 6,
    Step.SUMMARY: 7,
    Step.EDIT: 7,
}
STEPS_TOTAL = 7
KIND_CODES = {"pa": Kind.PHAN_ANH, "kg": Kind.KIEN_NGHI, "kn": Kind.KHIEU_NAI, "tc": Kind.TO_CAO}
EDITABLE = (
    Step.KIND,
    Step.CATEGORY,
    Step.COMMUNE,
    Step.DESCRIPTION,
    Step.ATTACHMENTS,
    Step.IDENTITY,
)
NAME_MAX, ADDRESS_MAX = 100, 300


class Intake:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.tickets = TicketService(deps)
        self.citizens = CitizenService(deps)

    # -- entry -------------------------------------------------------------------------------
    @staticmethod
    def active(turn: Turn) -> bool:
        return "intake" in turn.payload

    async def begin(
        self,
        turn: Turn,
        citizen_id: int,
        *,
        kind: Kind | None = None,
        description: str | None = None,
    ) -> None:
        if await self._over_limit(citizen_id):
            turn.send(turn.say("error-rate-limited", limit=self.deps.limits.submissions_per_hour))
            return
        draft: dict[str, Any] = {
            "nonce": secrets.token_hex(3),
            "step": Step.KIND.value,
            "history": [],
            "attachments": [],
            "identity": None,
            "anonymous": True,
            "consent": False,
        }
        if description and self._description_ok(description):
            draft["description"] = description.strip()
        turn.payload["intake"] = draft
        turn.payload.pop("pending_text", None)
        turn.lead(turn.say("intake-intro"))
        if kind is not None:
            draft["kind"] = kind.value
            await self._advance(turn, self._after(turn, Step.KIND), record=Step.KIND)
        else:
            await self._ask(turn, Step.KIND)

    async def _over_limit(self, citizen_id: int) -> bool:
        # Told before they type it all, not after.
        return not await self.tickets.may_submit(citizen_id)

    # -- one turn ----------------------------------------------------------------------------
    async def handle(self, turn: Turn, citizen_id: int) -> None:
        draft = turn.payload["intake"]
        step = Step(draft["step"])
        choice = turn.chosen()
        if turn.event.choice is not None and not self._fresh(draft, step, turn.event.choice):
            turn.send(turn.say("intake-stale-button"), offer=False)
            await self._ask(turn, step)
            return
        value = _choice_value(choice) if choice and choice.startswith("i:") else None
        if value == "back":
            await self._back(turn)
            return
        if value == "cancel":
            self.cancel(turn)
            return
        await getattr(self, f"_on_{step.value}")(turn, value, citizen_id)

    def cancel(self, turn: Turn) -> None:
        turn.payload.pop("intake", None)
        turn.payload.pop("offered", None)
        turn.send(OutgoingMessage(text=turn.say("intake-cancelled"), remove_keyboard=True))

    def _fresh(self, draft: dict[str, Any], step: Step, data: str) -> bool:
        parts = data.split(":", 3)
        return (
            len(parts) == 4
            and parts[0] == "i"
            and parts[1] == draft["nonce"]
            and (parts[2] == step.value)
        )

    # -- navigation --------------------------------------------------------------------------
    def _kind(self, turn: Turn) -> Kind:
        return Kind(turn.payload["intake"]["kind"])

    def _after(self, turn: Turn, step: Step) -> Step:
        """The next step; while editing, the summary."""
        draft = turn.payload["intake"]
        if draft.get("editing") and step not in (
            Step.IDENTITY,
            Step.NAME,
            Step.ADDRESS,
            Step.PHONE,
        ):
            return Step.SUMMARY
        kind = Kind(draft["kind"]) if "kind" in draft else None
        if step is Step.KIND:
            return Step.CATEGORY
        if step is Step.CATEGORY:
            return Step.COMMUNE
        if step is Step.COMMUNE:
            return Step.ATTACHMENTS if draft.get("description") else Step.DESCRIPTION
        if step is Step.DESCRIPTION:
            return Step.ATTACHMENTS
        if step is Step.ATTACHMENTS:
            if draft.get("editing"):
                return Step.SUMMARY
            assert kind is not None
            return Step.NAME if info(kind).identity is IdentityRule.REQUIRED else Step.IDENTITY
        if step is Step.NAME:
            return Step.ADDRESS
        if step is Step.ADDRESS:
            return Step.PHONE
        if step is Step.PHONE:
            return Step.CONSENT
        return Step.SUMMARY

    async def _advance(self, turn: Turn, target: Step, *, record: Step) -> None:
        draft = turn.payload["intake"]
        draft["history"].append(record.value)
        await self._ask(turn, target)

    async def _back(self, turn: Turn) -> None:
        draft = turn.payload["intake"]
        if not draft["history"]:
            self.cancel(turn)
            return
        previous = Step(draft["history"].pop())
        await self._ask(turn, previous)

    # -- questions ---------------------------------------------------------------------------
    def _choice(self, turn: Turn, step: Step, value: str, label: str) -> Choice:
        nonce = turn.payload["intake"]["nonce"]
        return Choice(label, f"i:{nonce}:{step.value}:{value}")

    def _nav(self, turn: Turn, step: Step) -> list[Choice]:
        return [
            self._choice(turn, step, "back", turn.label("intake-back")),
            self._choice(turn, step, "cancel", turn.label("intake-cancel")),
        ]

    def _header(self, turn: Turn, step: Step) -> str:
        return turn.say("intake-step", number=STEP_NUMBER[step], total=STEPS_TOTAL)

    async def _ask(self, turn: Turn, step: Step) -> None:
        draft = turn.payload["intake"]
        draft["step"] = step.value
        header = self._header(turn, step)
        nav = self._nav(turn, step)
        directory = self.deps.directory
        if step is Step.KIND:
            options = [
                self._choice(turn, step, k.value, turn.label(f"intake-kind-{k.value}"))
                for k in Kind
            ]
            body = turn.say("intake-ask-kind")
            turn.send(
                OutgoingMessage(text=f"{header}\n{body}", choices=(*rows(options), tuple(nav)))
            )
        elif step is Step.CATEGORY:
            suggested = None
            if draft.get("description"):
                suggested = suggest_category(directory.categories, draft["description"])
            options = []
            for category in directory.categories:
                label = category.name(turn.locale)
                if category.id == suggested:
                    label = turn.label("intake-suggested", name=label)
                options.append(self._choice(turn, step, category.id, label))
            if suggested:
                options.sort(key=lambda c: not c.data.endswith(f":{suggested}"))
            body = turn.say("intake-ask-category")
            turn.send(
                OutgoingMessage(text=f"{header}\n{body}", choices=(*rows(options), tuple(nav)))
            )
        elif step is Step.COMMUNE:
            options = [self._choice(turn, step, c.id, c.name) for c in directory.communes]
            options.append(self._choice(turn, step, "none", turn.label("intake-commune-unknown")))
            body = turn.say("intake-ask-commune")
            turn.send(
                OutgoingMessage(text=f"{header}\n{body}", choices=(*rows(options), tuple(nav)))
            )
        elif step is Step.DESCRIPTION:
            limits = self.deps.limits
            body = turn.say(
                "intake-ask-description", min=limits.description_min, max=limits.description_max
            )
            turn.send(OutgoingMessage(text=f"{header}\n{body}", choices=(tuple(nav),)))
        elif step is Step.ATTACHMENTS:
            count = len(draft["attachments"])
            done = self._choice(
                turn,
                step,
                "done",
                turn.label("intake-attachments-done" if count else "intake-attachments-skip"),
            )
            body = turn.say(
                "intake-ask-attachments", max=self.deps.limits.max_attachments, count=count
            )
            turn.send(OutgoingMessage(text=f"{header}\n{body}", choices=((done,), tuple(nav))))
        elif step is Step.IDENTITY:
            kind = self._kind(turn)
            secret = info(kind).identity is IdentityRule.CONFIDENTIAL
            give = self._choice(
                turn,
                step,
                "give",
                turn.label("intake-identity-give-secret" if secret else "intake-identity-give"),
            )
            skip = self._choice(
                turn,
                step,
                "anonymous",
                turn.label(
                    "intake-identity-anonymous-report" if secret else "intake-identity-anonymous"
                ),
            )
            body = turn.say("intake-ask-identity-to-cao" if secret else "intake-ask-identity")
            turn.send(
                OutgoingMessage(text=f"{header}\n{body}", choices=((give,), (skip,), tuple(nav)))
            )
        elif step is Step.NAME:
            required = info(self._kind(turn)).identity is IdentityRule.REQUIRED
            body = turn.say("intake-ask-name-required" if required else "intake-ask-name")
            turn.send(OutgoingMessage(text=f"{header}\n{body}", choices=(tuple(nav),)))
        elif step is Step.ADDRESS:
            options: list[tuple[Choice, ...]] = []
            if info(self._kind(turn)).identity is IdentityRule.OPTIONAL:
                options.append((self._choice(turn, step, "skip", turn.label("intake-skip")),))
            turn.send(
                OutgoingMessage(
                    text=f"{header}\n{turn.say('intake-ask-address')}",
                    choices=(*options, tuple(nav)),
                )
            )
        elif step is Step.PHONE:
            turn.send(
                OutgoingMessage(
                    text=f"{header}\n{turn.say('intake-ask-phone')}",
                    request_contact=turn.label("intake-share-phone"),
                ),
                offer=False,
            )
            turn.send(OutgoingMessage(text=turn.say("intake-or-go-back"), choices=(tuple(nav),)))
        elif step is Step.CONSENT:
            yes = self._choice(turn, step, "yes", turn.label("intake-consent-yes"))
            no = self._choice(turn, step, "no", turn.label("intake-consent-no"))
            body = turn.say("intake-ask-consent", version=self.deps.consent_version)
            turn.send(OutgoingMessage(text=f"{header}\n{body}", choices=((yes, no), tuple(nav))))
        elif step is Step.SUMMARY:
            draft.pop("editing", None)
            confirm = self._choice(turn, step, "confirm", turn.label("intake-confirm"))
            edit = self._choice(turn, step, "edit", turn.label("intake-edit"))
            cancel = self._choice(turn, step, "cancel", turn.label("intake-cancel"))
            turn.send(
                OutgoingMessage(
                    text=f"{header}\n{self._summary(turn)}", choices=((confirm,), (edit, cancel))
                )
            )
        elif step is Step.EDIT:
            options = [
                self._choice(turn, step, field.value, turn.label(f"intake-field-{field.value}"))
                for field in EDITABLE
            ]
            back = self._choice(turn, step, "summary", turn.label("intake-back"))
            turn.send(
                OutgoingMessage(
                    text=f"{header}\n{turn.say('intake-ask-edit')}",
                    choices=(*rows(options), (back,)),
                )
            )

    def _reask(self, turn: Turn, message_id: str, **args: Any) -> None:
        turn.send(turn.say(message_id, **args), offer=False)

    # -- answers -----------------------------------------------------------------------------
    async def _on_kind(self, turn: Turn, value: str | None, citizen_id: int) -> None:
        if value not in {k.value for k in Kind}:
            self._reask(turn, "intake-choose-from-list")
            await self._ask(turn, Step.KIND)
            return
        draft = turn.payload["intake"]
        changed = draft.get("kind") not in (None, value)
        draft["kind"] = value
        if changed:
            # Identity rules differ between kinds: ask again rather than keep a wrong answer.
            draft.update(identity=None, anonymous=True, consent=False)
            draft.pop("editing", None)
        await self._advance(turn, self._after(turn, Step.KIND), record=Step.KIND)

    async def _on_category(self, turn: Turn, value: str | None, citizen_id: int) -> None:
        known = {c.id for c in self.deps.directory.categories}
        if value not in known:
            self._reask(turn, "intake-choose-from-list")
            await self._ask(turn, Step.CATEGORY)
            return
        turn.payload["intake"]["category"] = value
        await self._advance(turn, self._after(turn, Step.CATEGORY), record=Step.CATEGORY)

    async def _on_commune(self, turn: Turn, value: str | None, citizen_id: int) -> None:
        draft = turn.payload["intake"]
        location = turn.event.location
        if location is not None:
            nearest = self.deps.directory.nearest_commune(*location)
            if nearest is None:
                self._reask(turn, "intake-location-unknown")
                await self._ask(turn, Step.COMMUNE)
                return
            draft["commune"] = nearest.id
            draft["location"] = list(location)
            turn.send(turn.say("intake-location-commune", commune=nearest.name), offer=False)
        elif value == "none":
            draft["commune"] = None
        elif value in {c.id for c in self.deps.directory.communes}:
            draft["commune"] = value
        else:
            self._reask(turn, "intake-choose-from-list")
            await self._ask(turn, Step.COMMUNE)
            return
        await self._advance(turn, self._after(turn, Step.COMMUNE), record=Step.COMMUNE)

    def _description_ok(self, text: str) -> bool:
        limits = self.deps.limits
        return limits.description_min <= len(text.strip()) <= limits.description_max

    async def _on_description(self, turn: Turn, value: str | None, citizen_id: int) -> None:
        text = (turn.event.text or "").strip()
        limits = self.deps.limits
        if value is not None or not text or turn.event.command:
            self._reask(turn, "intake-description-needed")
            await self._ask(turn, Step.DESCRIPTION)
            return
        if len(text) < limits.description_min:
            self._reask(
                turn, "intake-description-short", min=limits.description_min, length=len(text)
            )
            return
        if len(text) > limits.description_max:
            # Refused with the limit stated, never truncated silently.
            self._reask(
                turn, "intake-description-long", max=limits.description_max, length=len(text)
            )
            return
        turn.payload["intake"]["description"] = text
        await self._advance(turn, self._after(turn, Step.DESCRIPTION), record=Step.DESCRIPTION)

    async def _on_attachments(self, turn: Turn, value: str | None, citizen_id: int) -> None:
        draft = turn.payload["intake"]
        incoming = turn.event.attachments
        limit = self.deps.limits.max_attachments
        if incoming:
            for attachment in incoming:
                if len(draft["attachments"]) >= limit:
                    self._reask(turn, "intake-attachments-full", max=limit)
                    break
                draft["attachments"].append(attachment_record(turn, attachment))
                self._reask(
                    turn,
                    f"intake-attachment-received-{attachment.kind}",
                    count=len(draft["attachments"]),
                    max=limit,
                )
            await self._ask(turn, Step.ATTACHMENTS)
            return
        if turn.event.unsupported:
            self._reask(turn, "intake-attachment-unsupported")
            return
        if value == "done":
            await self._advance(turn, self._after(turn, Step.ATTACHMENTS), record=Step.ATTACHMENTS)
            return
        self._reask(turn, "intake-attachments-hint")

    async def _on_identity(self, turn: Turn, value: str | None, citizen_id: int) -> None:
        draft = turn.payload["intake"]
        if value == "give":
            await self._advance(turn, Step.NAME, record=Step.IDENTITY)
        elif value == "anonymous":
            draft.update(identity=None, anonymous=True, consent=False)
            await self._advance(turn, Step.SUMMARY, record=Step.IDENTITY)
        else:
            self._reask(turn, "intake-choose-from-list")
            await self._ask(turn, Step.IDENTITY)

    async def _on_name(self, turn: Turn, value: str | None, citizen_id: int) -> None:
        text = " ".join((turn.event.text or "").split())
        if (
            value is not None
            or turn.event.command
            or not (2 <= len(text) <= NAME_MAX and any(ch.isalpha() for ch in text))
        ):
            self._reask(turn, "intake-name-invalid", max=NAME_MAX)
            return
        draft = turn.payload["intake"]
        draft["identity"] = {**(draft.get("identity") or {}), "name": text}
        await self._advance(turn, Step.ADDRESS, record=Step.NAME)

    async def _on_address(self, turn: Turn, value: str | None, citizen_id: int) -> None:
        draft = turn.payload["intake"]
        if value == "skip" and info(self._kind(turn)).identity is IdentityRule.OPTIONAL:
            draft["identity"] = {**(draft.get("identity") or {}), "address": None}
            await self._advance(turn, Step.PHONE, record=Step.ADDRESS)
            return
        text = " ".join((turn.event.text or "").split())
        if value is not None or turn.event.command or not 5 <= len(text) <= ADDRESS_MAX:
            self._reask(turn, "intake-address-invalid", max=ADDRESS_MAX)
            return
        draft["identity"] = {**(draft.get("identity") or {}), "address": text}
        await self._advance(turn, Step.PHONE, record=Step.ADDRESS)

    async def _on_phone(self, turn: Turn, value: str | None, citizen_id: int) -> None:
        raw = turn.event.contact_phone or (turn.event.text or "")
        phone = normalize_vn_phone(raw) if raw and value is None else None
        if phone is None:
            self._reask(turn, "intake-phone-invalid")
            return
        draft = turn.payload["intake"]
        draft["identity"] = {**(draft.get("identity") or {}), "phone": phone}
        turn.send(
            OutgoingMessage(
                text=turn.say("intake-phone-ok", phone=display_phone(phone)), remove_keyboard=True
            ),
            offer=False,
        )
        await self._advance(turn, Step.CONSENT, record=Step.PHONE)

    async def _on_consent(self, turn: Turn, value: str | None, citizen_id: int) -> None:
        draft = turn.payload["intake"]
        kind = self._kind(turn)
        if value == "yes":
            draft.update(consent=True, anonymous=False)
            await self._advance(turn, Step.SUMMARY, record=Step.CONSENT)
        elif value == "no":
            # No consent, nothing personal kept (Luật Bảo vệ dữ liệu cá nhân 2025).
            draft.update(identity=None, anonymous=True, consent=False)
            rule = info(kind).identity
            if rule is IdentityRule.REQUIRED:
                turn.send(turn.say("intake-consent-refused-khieu-nai"), offer=False)
                draft["history"] = []
                await self._ask(turn, Step.KIND)
                return
            message = (
                "intake-consent-refused-to-cao"
                if rule is IdentityRule.CONFIDENTIAL
                else "intake-consent-refused"
            )
            turn.send(turn.say(message), offer=False)
            await self._advance(turn, Step.SUMMARY, record=Step.CONSENT)
        else:
            self._reask(turn, "intake-choose-from-list")
            await self._ask(turn, Step.CONSENT)

    async def _on_edit(self, turn: Turn, value: str | None, citizen_id: int) -> None:
        draft = turn.payload["intake"]
        if value == "summary":
            await self._ask(turn, Step.SUMMARY)
            return
        if value not in {f.value for f in EDITABLE}:
            self._reask(turn, "intake-choose-from-list")
            await self._ask(turn, Step.EDIT)
            return
        draft["editing"] = True
        draft["history"].append(Step.EDIT.value)
        target = Step(value)
        if target is Step.IDENTITY and info(self._kind(turn)).identity is IdentityRule.REQUIRED:
            target = Step.NAME
        await self._ask(turn, target)

    async def _on_summary(self, turn: Turn, value: str | None, citizen_id: int) -> None:
        if value == "edit":
            await self._ask(turn, Step.EDIT)
            return
        if value != "confirm":
            self._reask(turn, "intake-choose-from-list")
            await self._ask(turn, Step.SUMMARY)
            return
        await self._submit(turn, citizen_id)

    # -- the end -----------------------------------------------------------------------------
    def _summary(self, turn: Turn) -> str:
        draft = turn.payload["intake"]
        kind = self._kind(turn)
        directory = self.deps.directory
        category = directory.category(draft["category"]).name(turn.locale)
        commune = (
            directory.commune(draft["commune"]).name
            if draft.get("commune")
            else turn.label("intake-commune-unknown")
        )
        identity = draft.get("identity")
        if identity and draft.get("consent"):
            who = turn.say(
                "intake-summary-identity",
                name=identity.get("name") or "",
                phone=display_phone(identity.get("phone") or ""),
                address=identity.get("address") or "—",
            )
        elif info(kind).identity is IdentityRule.CONFIDENTIAL:
            who = turn.say("intake-summary-anonymous-report")
        else:
            who = turn.say("intake-summary-anonymous")
        lines = [
            turn.say("intake-summary-title"),
            turn.say("intake-summary-kind", kind=turn.say(f"kind-{kind.value}")),
            turn.say("intake-summary-category", category=category),
            turn.say("intake-summary-commune", commune=commune),
            turn.say("intake-summary-description", description=_preview(draft["description"])),
            turn.say("intake-summary-attachments", count=len(draft["attachments"])),
            who,
        ]
        if info(kind).needs_signature_note:
            lines += ["", turn.say("intake-signature-note")]
        return "\n".join(lines)

    async def _submit(self, turn: Turn, citizen_id: int) -> None:
        draft = turn.payload["intake"]
        identity = draft.get("identity") if draft.get("consent") else None
        command = SubmitTicket(
            kind=Kind(draft["kind"]),
            description=draft["description"],
            citizen_id=citizen_id,
            channel=turn.event.channel,
            category=draft.get("category"),
            commune=draft.get("commune"),
            identity=Identity(
                name=identity["name"],
                phone=identity.get("phone"),
                address=identity.get("address"),
            )
            if identity
            else None,
            consent=bool(draft.get("consent")),
            attachments=[Attachment(**a) for a in draft["attachments"]],
            intake_key=f"{turn.event.channel}:{turn.event.chat_id}:{draft['nonce']}",
        )
        try:
            if identity:
                await self.citizens.give_consent(citizen_id, command.identity)
            ticket = await self.tickets.submit(command)
        except RateLimited as error:
            turn.send(turn.say(error.message_id, **error.args_for_message), offer=False)
            return
        except InvalidInput:
            self._reask(turn, "intake-submit-invalid")
            await self._ask(turn, Step.SUMMARY)
            return
        turn.payload.pop("intake", None)
        turn.payload.pop("offered", None)
        unit = self.deps.directory.unit(ticket.unit_id)
        assert ticket.decision_due is not None
        turn.send(
            OutgoingMessage(
                text=turn.say(
                    "intake-submitted",
                    code=ticket.code,
                    unit=unit.name,
                    due=format_date(ticket.decision_due),
                ),
                remove_keyboard=True,
            ),
            offer=False,
        )
        if ticket.report_only:
            turn.send(turn.say("intake-submitted-report-only"), offer=False)


def _choice_value(data: str) -> str:
    return data.split(":", 3)[3] if data.count(":") >= 3 else ""


def _preview(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "…"
