"""The ticket use cases. Each is one transaction: check the actor's role, apply the
transition, write the audit event, queue the notifications it implies, commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.domain import deadlines as dl
from bot.domain.clock import local
from bot.domain.codes import find_code, format_code
from bot.domain.errors import (
    InvalidInput,
    NotPermitted,
    RateLimited,
    TicketNotFound,
)
from bot.domain.kinds import Identity as IdentityRule
from bot.domain.kinds import Kind, info
from bot.domain.messages import Choice
from bot.domain.model import Attachment, Origin, Ticket, TicketEvent
from bot.domain.notices import next_notice_at
from bot.domain.org import Role
from bot.domain.routing import route
from bot.domain.statuses import Status
from bot.i18n import format_date
from bot.services.commands import SubmitTicket
from bot.services.context import Actor, ActorType, Deps
from bot.services.notify import Notifier
from bot.services.ports import UnitOfWork

RATING_PREFIX = "rate"


def rating_choices(ticket: Ticket, unsatisfied_label: str) -> tuple[tuple[Choice, ...], ...]:
    stars = tuple(Choice("⭐" * n, f"{RATING_PREFIX}:{ticket.code}:{n}") for n in range(1, 6))
    return (stars[:3], stars[3:], (Choice(unsatisfied_label, f"unsat:{ticket.code}"),))


class TicketService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    # -- helpers -----------------------------------------------------------------------------
    def _now(self) -> datetime:
        return self.deps.clock.now()

    async def _load(self, uow: UnitOfWork, code: str) -> Ticket:
        normalized = find_code(code)
        ticket = await uow.tickets.by_code(normalized, for_update=True) if normalized else None
        if ticket is None:
            raise TicketNotFound(code=code)
        return ticket

    def _role(self, actor: Actor, unit_id: str) -> Role | None:
        if actor.type is not ActorType.STAFF or actor.user_id is None:
            return None
        return self.deps.directory.role_in(actor.user_id, unit_id)

    def _require_staff(self, actor: Actor, ticket: Ticket, *, head: bool = False) -> Role:
        role = self._role(actor, ticket.unit_id)
        if role is None:
            raise NotPermitted(code=ticket.code)
        if head and role not in (Role.HEAD, Role.ADMIN):
            raise NotPermitted(code=ticket.code, needs="head")
        return role

    def _require_owner(self, actor: Actor, ticket: Ticket) -> None:
        # A stranger learns nothing, not even that the code exists (DESIGN.md, "Ticket code").
        if actor.type is not ActorType.CITIZEN or ticket.citizen_id != actor.citizen_id:
            raise TicketNotFound(code=ticket.code)

    async def _record(
        self,
        uow: UnitOfWork,
        ticket: Ticket,
        actor: Actor,
        action: str,
        *,
        previous: Status | None = None,
        note: str | None = None,
        public: bool = False,
        role: Role | str | None = None,
        **data: Any,
    ) -> TicketEvent:
        # Every change of status or deadline is recorded here, so the sweep's schedule follows
        # it in the same transaction. An unchanged ticket may get an earlier instant than it
        # had; that costs the sweep one look at queued keys, never a message.
        ticket.next_notice_at = next_notice_at(
            ticket, self.deps.reminder_thresholds, self.deps.calendar, self._now()
        )
        await uow.tickets.flush()
        assert ticket.id is not None
        event = TicketEvent(
            ticket_id=ticket.id,
            at=self._now(),
            actor_role=str(role or actor.type.value),
            actor_id=actor.audit_id,
            action=action,
            from_status=str(previous) if previous is not None else None,
            to_status=str(ticket.status) if previous is not None else None,
            note=note,
            data={k: _jsonable(v) for k, v in data.items()},
            public=public,
        )
        uow.events.add(event)
        await uow.tickets.flush()
        return event

    def _touch(self, ticket: Ticket) -> None:
        ticket.updated_at = self._now()

    def _flags(self, ticket: Ticket) -> dl.ResolutionFlags:
        return dl.ResolutionFlags(**{k: bool(v) for k, v in ticket.flags.items()})

    # -- citizen side ------------------------------------------------------------------------
    async def submit(self, command: SubmitTicket, *, recorded_by: Actor | None = None) -> Ticket:
        """File a petition: validate, route, number it, compute its deadlines, queue its card."""
        limits = self.deps.limits
        description = command.description.strip()
        if not limits.description_min <= len(description) <= limits.description_max:
            raise InvalidInput(
                "description length",
                field="description",
                min=limits.description_min,
                max=limits.description_max,
                length=len(description),
            )
        if len(command.attachments) > limits.max_attachments:
            raise InvalidInput(
                "too many attachments", field="attachments", max=limits.max_attachments
            )
        kind = Kind(command.kind)
        rule = info(kind).identity
        identity = command.identity
        offline = command.origin is not Origin.CHAT
        if offline:
            if recorded_by is None:
                raise NotPermitted("an offline petition is recorded by an officer")
        elif identity is not None and not command.consent:
            # No consent, nothing personal stored (Luật Bảo vệ dữ liệu cá nhân 2025).
            raise InvalidInput("identity without consent", field="consent")
        if rule is IdentityRule.REQUIRED and (
            identity is None or not identity.name or not identity.address or not identity.phone
        ):
            raise InvalidInput("khieu_nai needs name, address and phone", field="identity")
        now = self._now()
        received_at = command.received_at or now
        if received_at > now:
            raise InvalidInput("received in the future", field="received_at")
        async with self.deps.uow() as uow:
            if command.intake_key:
                existing = await uow.tickets.by_intake_key(command.intake_key)
                if existing is not None:
                    return existing
            if not offline and command.citizen_id is not None:
                recent = await uow.tickets.submitted_since(
                    command.citizen_id, now - timedelta(hours=1)
                )
                if recent >= limits.submissions_per_hour:
                    raise RateLimited(limit=limits.submissions_per_hour)
            unit_id = route(
                self.deps.routing,
                kind=kind.value,
                category=command.category,
                commune=command.commune,
            )
            local_day = local(received_at).date()
            seq = await uow.sequences.next_value(info(kind).prefix, local_day.year)
            rules = self.deps.policy.rules_for(kind, local_day)
            ticket = Ticket(
                code=format_code(kind, local_day.year, seq),
                kind=kind,
                description=description,
                unit_id=unit_id,
                received_at=received_at,
                rules=rules.to_dict(),
                status=Status.DRAFT,
                category=command.category,
                commune=command.commune,
                citizen_id=command.citizen_id,
                channel=command.channel,
                origin=command.origin,
                anonymous=identity is None,
                report_only=rule is IdentityRule.CONFIDENTIAL and identity is None,
                petitioner_name=identity.name if identity else None,
                petitioner_phone=identity.phone if identity else None,
                petitioner_address=identity.address if identity else None,
                flags={
                    "complex": command.complex,
                    "remote": command.remote,
                    "second": command.second,
                },
                extensions={},
                intake_key=command.intake_key,
                updated_at=now,
            )
            for deadline in dl.decision_deadlines(rules, received_at, self.deps.calendar):
                if deadline.name == dl.DeadlineName.DECISION:
                    ticket.decision_due = deadline.due
                elif deadline.name == dl.DeadlineName.FORWARD:
                    ticket.forward_due = deadline.due
            for attachment in command.attachments:
                attachment.created_at = attachment.created_at or now
                ticket.attachments.append(attachment)
            uow.tickets.add(ticket)
            previous = ticket.move_to(Status.SUBMITTED, at=now)
            actor = recorded_by or (
                Actor.citizen(command.citizen_id) if command.citizen_id else Actor.system("intake")
            )
            event = await self._record(
                uow,
                ticket,
                actor,
                "submit",
                previous=previous,
                origin=command.origin.value,
                unit=unit_id,
            )
            await Notifier(self.deps, uow).card(ticket, key=f"ev{event.id}:card")
            await uow.commit()
            return ticket

    async def may_submit(self, citizen_id: int) -> bool:
        """Under the hourly limit of chat submissions."""
        since = self._now() - timedelta(hours=1)
        async with self.deps.uow() as uow:
            recent = await uow.tickets.submitted_since(citizen_id, since)
        return recent < self.deps.limits.submissions_per_hour

    async def provide_info(
        self, actor: Actor, code: str, text: str, attachments: Sequence[Attachment] = ()
    ) -> Ticket:
        """The citizen answers "ask for more information": back to accepted, relayed."""
        return await self._from_citizen(
            actor,
            code,
            text,
            attachments,
            action="provide_info",
            message_id="unit-citizen-info",
            target=Status.ACCEPTED,
        )

    async def citizen_message(
        self, actor: Actor, code: str, text: str, attachments: Sequence[Attachment] = ()
    ) -> Ticket:
        """A citizen's message about an open ticket, relayed to the unit (no transition)."""
        return await self._from_citizen(
            actor,
            code,
            text,
            attachments,
            action="citizen_message",
            message_id="unit-citizen-message",
            target=None,
        )

    async def _from_citizen(
        self,
        actor: Actor,
        code: str,
        text: str,
        attachments: Sequence[Attachment],
        *,
        action: str,
        message_id: str,
        target: Status | None,
    ) -> Ticket:
        text = (text or "").strip()
        if not text and not attachments:
            raise InvalidInput("empty message", field="text")
        async with self.deps.uow() as uow:
            ticket = await self._load(uow, code)
            self._require_owner(actor, ticket)
            now = self._now()
            if target is not None:
                previous: Status | None = ticket.move_to(target, at=now)
            elif not ticket.is_open:
                raise InvalidInput("ticket closed", field="status", status=str(ticket.status))
            else:
                previous = None
                self._touch(ticket)
            room = self.deps.limits.max_attachments * 4 - len(ticket.attachments)
            for attachment in list(attachments)[: max(room, 0)]:
                attachment.created_at = attachment.created_at or now
                ticket.attachments.append(attachment)
            event = await self._record(
                uow,
                ticket,
                actor,
                action,
                previous=previous,
                note=text or None,
                attachments=len(attachments),
            )
            await self._tell_unit(
                uow,
                ticket,
                event,
                message_id,
                card=target is not None,
                text=text or "—",
                attachments=attachments,
            )
            await uow.commit()
            return ticket

    async def rate(
        self, actor: Actor, code: str, stars: int, comment: str | None = None
    ) -> Ticket:
        if not 1 <= stars <= 5:
            raise InvalidInput("rating out of range", field="rating")
        async with self.deps.uow() as uow:
            ticket = await self._load(uow, code)
            self._require_owner(actor, ticket)
            now = self._now()
            previous = ticket.move_to(Status.CLOSED, at=now)
            ticket.rating = stars
            ticket.rating_comment = (comment or "").strip() or None
            ticket.closed_at = now
            event = await self._record(
                uow,
                ticket,
                actor,
                "rate",
                previous=previous,
                note=ticket.rating_comment,
                rating=stars,
            )
            await self._tell_unit(
                uow,
                ticket,
                event,
                "unit-rated",
                stars="⭐" * stars,
                comment=ticket.rating_comment or "—",
            )
            await uow.commit()
            return ticket

    async def comment_rating(self, actor: Actor, code: str, comment: str) -> Ticket:
        """An optional comment after the stars; recorded and shown to the unit."""
        comment = comment.strip()
        async with self.deps.uow() as uow:
            ticket = await self._load(uow, code)
            self._require_owner(actor, ticket)
            if ticket.rating is None:
                raise InvalidInput("not rated yet", field="rating")
            ticket.rating_comment = comment
            self._touch(ticket)
            event = await self._record(uow, ticket, actor, "rating_comment", note=comment)
            await Notifier(self.deps, uow).unit(
                ticket,
                "unit-rating-comment",
                key=f"ev{event.id}:unit",
                code=ticket.code,
                comment=comment,
            )
            await uow.commit()
            return ticket

    async def reopen(self, actor: Actor, code: str, reason: str) -> Ticket:
        """Not satisfied within 7 days of the answer: back to the unit (DESIGN.md)."""
        async with self.deps.uow() as uow:
            ticket = await self._load(uow, code)
            self._require_owner(actor, ticket)
            now = self._now()
            if ticket.resolved_at is not None and now - ticket.resolved_at > timedelta(
                days=self.deps.limits.reopen_days
            ):
                raise InvalidInput(
                    "reopen window over", field="reopen", days=self.deps.limits.reopen_days
                )
            first = ticket.move_to(Status.REOPENED, at=now)
            await self._record(uow, ticket, actor, "reopen", previous=first, note=reason)
            second = ticket.move_to(Status.ACCEPTED, at=now)
            event = await self._record(uow, ticket, actor, "reaccept", previous=second)
            await self._tell_unit(
                uow, ticket, event, "unit-reopened", reason=reason.strip() or "—"
            )
            await uow.commit()
            return ticket

    # -- officer side --------------------------------------------------------------------------
    async def accept(
        self, actor: Actor, code: str, *, complex: bool | None = None, remote: bool | None = None
    ) -> Ticket:
        async with self.deps.uow() as uow:
            ticket = await self._load(uow, code)
            role = self._require_staff(actor, ticket)
            now = self._now()
            previous = ticket.move_to(Status.ACCEPTED, at=now)
            flags = dict(ticket.flags)
            if complex is not None:
                flags["complex"] = complex
            if remote is not None:
                flags["remote"] = remote
            ticket.flags = flags
            ticket.accepted_at = ticket.decided_at = now
            rules = dl.KindRules.from_dict(ticket.rules)
            resolution = dl.resolution_deadline(
                rules, now, self.deps.calendar, self._flags(ticket)
            )
            ticket.resolution_due = resolution.due
            event = await self._record(
                uow,
                ticket,
                actor,
                "accept",
                previous=previous,
                role=role,
                resolution_due=resolution.due,
            )
            await self._tell_citizen(
                uow, ticket, event, "notify-accepted", due=format_date(resolution.due)
            )
            await uow.commit()
            return ticket

    async def transfer(self, actor: Actor, code: str, to_unit: str, note: str = "") -> Ticket:
        """Chuyển đơn: the receiving unit gets the ticket as `submitted`, with a new card."""
        async with self.deps.uow() as uow:
            ticket = await self._load(uow, code)
            role = self._require_staff(actor, ticket, head=True)
            try:
                target = self.deps.directory.unit(to_unit)
            except KeyError as error:
                raise InvalidInput("unknown unit", field="unit", unit=to_unit) from error
            if target.id == ticket.unit_id:
                raise InvalidInput("same unit", field="unit", unit=to_unit)
            if Kind(ticket.kind) is Kind.TO_CAO and ticket.extensions.get("transfers", 0) >= 1:
                # A denunciation is forwarded at most once (TT 05/2021 Art. 14).
                raise InvalidInput("to_cao forwarded once already", field="transfer")
            now = self._now()
            source = ticket.unit_id
            first = ticket.move_to(Status.TRANSFERRED, at=now)
            await self._record(
                uow,
                ticket,
                actor,
                "transfer",
                previous=first,
                role=role,
                note=note or None,
                from_unit=source,
                to_unit=target.id,
            )
            ticket.unit_id = target.id
            ticket.extensions = {
                **ticket.extensions,
                "transfers": ticket.extensions.get("transfers", 0) + 1,
            }
            # The receiving unit's decision clock starts at its own receipt.
            rules = dl.KindRules.from_dict(ticket.rules)
            for deadline in dl.decision_deadlines(rules, now, self.deps.calendar):
                if deadline.name == dl.DeadlineName.DECISION:
                    ticket.decision_due = deadline.due
                elif deadline.name == dl.DeadlineName.FORWARD:
                    ticket.forward_due = deadline.due
            ticket.card_chat_id = ticket.card_message_id = ticket.card_thread_id = None
            second = ticket.move_to(Status.SUBMITTED, at=now)
            event = await self._record(
                uow,
                ticket,
                actor,
                "transfer_in",
                previous=second,
                role=role,
                from_unit=source,
                to_unit=target.id,
                decision_due=ticket.decision_due,
            )
            notifier = Notifier(self.deps, uow)
            await notifier.unit(
                ticket,
                "unit-transferred-out",
                key=f"ev{event.id}:old",
                unit_id=source,
                code=ticket.code,
                unit=target.name,
            )
            await notifier.card(ticket, key=f"ev{event.id}:card")
            await notifier.citizen(
                ticket,
                "notify-transferred",
                key=f"ev{event.id}:citizen",
                code=ticket.code,
                unit=target.name,
            )
            await uow.commit()
            return ticket

    async def guide(self, actor: Actor, code: str, text: str) -> Ticket:
        """Hướng dẫn: not this government's to decide; the citizen is told where to go."""
        return await self._staff_step(
            actor, code, Status.GUIDED, "guide", "notify-guided", text, decision=True
        )

    async def reject(self, actor: Actor, code: str, reason: str) -> Ticket:
        return await self._staff_step(
            actor,
            code,
            Status.REJECTED,
            "reject",
            "notify-rejected",
            reason,
            head=True,
            decision=True,
        )

    async def request_info(self, actor: Actor, code: str, question: str) -> Ticket:
        return await self._staff_step(
            actor, code, Status.NEEDS_INFO, "request_info", "notify-needs-info", question
        )

    async def _staff_step(
        self,
        actor: Actor,
        code: str,
        target: Status,
        action: str,
        message_id: str,
        text: str,
        *,
        head: bool = False,
        decision: bool = False,  # the unit's final word on the petition (guide, reject)
    ) -> Ticket:
        """A step an officer takes with a text that goes to the citizen as it is."""
        text = _required_text(text)
        async with self.deps.uow() as uow:
            ticket = await self._load(uow, code)
            role = self._require_staff(actor, ticket, head=head)
            now = self._now()
            previous = ticket.move_to(target, at=now)
            if decision:
                ticket.decided_at = now
                ticket.public_answer = text
            event = await self._record(
                uow, ticket, actor, action, previous=previous, role=role, note=text, public=True
            )
            await self._tell_citizen(uow, ticket, event, message_id, text=text)
            await uow.commit()
            return ticket

    async def reply(self, actor: Actor, code: str, text: str) -> Ticket:
        """An officer's message to the citizen, signed with the unit's name (not the officer's)."""
        text = _required_text(text)
        async with self.deps.uow() as uow:
            ticket = await self._load(uow, code)
            role = self._require_staff(actor, ticket)
            if not ticket.is_open and ticket.status != Status.RESOLVED:
                raise InvalidInput("ticket closed", field="status", status=str(ticket.status))
            self._touch(ticket)
            event = await self._record(
                uow, ticket, actor, "reply", role=role, note=text, public=True
            )
            await Notifier(self.deps, uow).citizen(
                ticket,
                "notify-reply",
                key=f"ev{event.id}:citizen",
                code=ticket.code,
                unit=self._unit_name(ticket),
                text=text,
            )
            await uow.commit()
            return ticket

    async def add_note(self, actor: Actor, code: str, text: str) -> Ticket:
        """An internal note: recorded on the ticket, never sent to the citizen."""
        text = _required_text(text)
        async with self.deps.uow() as uow:
            ticket = await self._load(uow, code)
            role = self._require_staff(actor, ticket)
            self._touch(ticket)
            await self._record(uow, ticket, actor, "note", role=role, note=text)
            await uow.commit()
            return ticket

    async def resolve(self, actor: Actor, code: str, answer: str) -> Ticket:
        answer = _required_text(answer)
        async with self.deps.uow() as uow:
            ticket = await self._load(uow, code)
            role = self._require_staff(actor, ticket)
            now = self._now()
            previous = ticket.move_to(Status.RESOLVED, at=now)
            ticket.resolved_at = now
            ticket.public_answer = answer
            event = await self._record(
                uow,
                ticket,
                actor,
                "resolve",
                previous=previous,
                role=role,
                note=answer,
                public=True,
            )
            await self._tell_citizen(
                uow,
                ticket,
                event,
                "notify-resolved",
                text=answer,
                days=self.deps.limits.reopen_days,
                choices=rating_choices(ticket, await self._unsatisfied_label(uow, ticket)),
            )
            await uow.commit()
            return ticket

    async def extend(self, actor: Actor, code: str, reason: str) -> Ticket:
        """Gia hạn, only where the law allows it; the old and new dates go to the audit log."""
        reason = _required_text(reason)
        async with self.deps.uow() as uow:
            ticket = await self._load(uow, code)
            role = self._require_staff(actor, ticket, head=True)
            rules = dl.KindRules.from_dict(ticket.rules)
            if ticket.status == Status.SUBMITTED:
                name, start, old_due = (
                    dl.DeadlineName.DECISION,
                    ticket.received_at,
                    ticket.decision_due,
                )
            elif ticket.status in (Status.ACCEPTED, Status.NEEDS_INFO):
                assert ticket.accepted_at is not None
                name, start, old_due = (
                    dl.DeadlineName.RESOLUTION,
                    ticket.accepted_at,
                    ticket.resolution_due,
                )
            else:
                raise InvalidInput("nothing to extend", field="status", status=str(ticket.status))
            done = ticket.extensions.get(name.value, 0)
            new = dl.extend(rules, name, start, self.deps.calendar, self._flags(ticket), done)
            if name is dl.DeadlineName.DECISION:
                ticket.decision_due = new.due
            else:
                ticket.resolution_due = new.due
            ticket.extensions = {**ticket.extensions, name.value: done + 1}
            self._touch(ticket)
            event = await self._record(
                uow,
                ticket,
                actor,
                "extend",
                role=role,
                note=reason,
                deadline=name.value,
                old_due=old_due,
                new_due=new.due,
                rule=new.rule,
                source=new.source,
            )
            await self._tell_citizen(
                uow, ticket, event, "notify-extended", due=format_date(new.due), text=reason
            )
            await uow.commit()
            return ticket

    async def close(self, actor: Actor, code: str) -> Ticket:
        """Close a resolved ticket the citizen did not rate within the reopen window."""
        async with self.deps.uow() as uow:
            ticket = await self._load(uow, code)
            if actor.type is not ActorType.SYSTEM:
                self._require_staff(actor, ticket)
            now = self._now()
            if ticket.resolved_at and now - ticket.resolved_at < timedelta(
                days=self.deps.limits.reopen_days
            ):
                raise InvalidInput("reopen window still open", field="close")
            previous = ticket.move_to(Status.CLOSED, at=now)
            ticket.closed_at = now
            event = await self._record(uow, ticket, actor, "close", previous=previous)
            await Notifier(self.deps, uow).card_update(ticket, key=f"ev{event.id}:card")
            await uow.commit()
            return ticket

    # -- reading -----------------------------------------------------------------------------
    async def for_citizen(self, actor: Actor, code: str) -> tuple[Ticket, list[TicketEvent]]:
        async with self.deps.uow() as uow:
            normalized = find_code(code)
            ticket = await uow.tickets.by_code(normalized) if normalized else None
            if ticket is None:
                raise TicketNotFound(code=code)
            self._require_owner(actor, ticket)
            events = [e for e in await uow.events.of_ticket(ticket.id or 0) if e.public]
            return ticket, events

    async def of_citizen(
        self, citizen_id: int, *, page: int, per_page: int = 5
    ) -> tuple[list[Ticket], int]:
        async with self.deps.uow() as uow:
            total = await uow.tickets.count_of_citizen(citizen_id)
            tickets = await uow.tickets.of_citizen(
                citizen_id, limit=per_page, offset=page * per_page
            )
            return tickets, total

    async def for_staff(self, actor: Actor, code: str) -> tuple[Ticket, list[TicketEvent]]:
        async with self.deps.uow() as uow:
            normalized = find_code(code)
            ticket = await uow.tickets.by_code(normalized) if normalized else None
            if ticket is None:
                raise TicketNotFound(code=code)
            self._require_staff(actor, ticket)
            return ticket, await uow.events.of_ticket(ticket.id or 0)

    async def view_identity(self, actor: Actor, code: str) -> Ticket:
        """A unit head sees a denouncer's identity; every view is written to the audit log."""
        async with self.deps.uow() as uow:
            ticket = await self._load(uow, code)
            role = self._require_staff(actor, ticket, head=True)
            self._touch(ticket)
            await self._record(uow, ticket, actor, "identity_viewed", role=role)
            await uow.commit()
            return ticket

    async def _tell_citizen(
        self,
        uow: UnitOfWork,
        ticket: Ticket,
        event: TicketEvent,
        message_id: str,
        **args: Any,
    ) -> None:
        """The citizen hears of the step (signed by the unit); the card shows it."""
        notifier = Notifier(self.deps, uow)
        await notifier.citizen(
            ticket,
            message_id,
            key=f"ev{event.id}:citizen",
            code=ticket.code,
            unit=self._unit_name(ticket),
            **args,
        )
        await notifier.card_update(ticket, key=f"ev{event.id}:card")

    async def _tell_unit(
        self,
        uow: UnitOfWork,
        ticket: Ticket,
        event: TicketEvent,
        message_id: str,
        *,
        card: bool = True,
        **args: Any,
    ) -> None:
        """The unit's group hears of what the citizen did, as a reply to the card."""
        notifier = Notifier(self.deps, uow)
        await notifier.unit(ticket, message_id, key=f"ev{event.id}:unit", code=ticket.code, **args)
        if card:
            await notifier.card_update(ticket, key=f"ev{event.id}:card")

    async def _unsatisfied_label(self, uow: UnitOfWork, ticket: Ticket) -> str:
        citizen = await uow.citizens.get(ticket.citizen_id) if ticket.citizen_id else None
        locale = citizen.locale if citizen else None
        return self.deps.translator.plain(locale, "notify-unsatisfied-button")

    async def awaiting_info(self, citizen_id: int) -> list[Ticket]:
        """The citizen's tickets on which the unit asked for more information."""
        async with self.deps.uow() as uow:
            tickets = await uow.tickets.of_citizen(citizen_id, limit=50, offset=0)
        return [t for t in tickets if t.status == Status.NEEDS_INFO]

    def _unit_name(self, ticket: Ticket) -> str:
        return self.deps.directory.unit(ticket.unit_id).name


def _required_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput("text required", field="text")
    return text


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value
