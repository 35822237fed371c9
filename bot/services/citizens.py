"""Citizens: who they are on each channel, their language, consent and subscriptions."""

from __future__ import annotations

from bot.domain.errors import ConcurrentUpdate, DuplicateRecord, InvalidInput
from bot.domain.model import Citizen
from bot.i18n import LOCALES
from bot.services.commands import Identity
from bot.services.context import Deps


class CitizenService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def ensure(
        self, channel: str, external_id: str, *, locale: str | None = None
    ) -> Citizen:
        """The citizen behind a chat, created on first contact (nothing personal yet)."""
        for _ in range(2):
            async with self.deps.uow() as uow:
                citizen = await uow.citizens.by_external(channel, external_id)
                if citizen is not None:
                    return citizen
                citizen = Citizen(
                    channel=channel,
                    external_id=external_id,
                    locale=locale if locale in LOCALES else self.deps.translator.default_locale,
                    created_at=self.deps.clock.now(),
                )
                uow.citizens.add(citizen)
                try:
                    await uow.commit()
                except DuplicateRecord:  # a concurrent first message created it: read it back
                    continue
                return citizen
        raise ConcurrentUpdate("citizen could not be created")

    async def get(self, citizen_id: int) -> Citizen | None:
        async with self.deps.uow() as uow:
            return await uow.citizens.get(citizen_id)

    async def set_locale(self, citizen_id: int, locale: str) -> Citizen:
        if locale not in LOCALES:
            raise InvalidInput("unknown locale", field="locale")
        return await self._update(citizen_id, locale=locale)

    async def give_consent(self, citizen_id: int, identity: Identity | None = None) -> Citizen:
        """Explicit, recorded with its time and the text's version (NĐ 13/2023 Art. 11)."""
        values: dict[str, object] = {
            "consent_at": self.deps.clock.now(),
            "consent_version": self.deps.consent_version,
        }
        if identity is not None:
            values.update(name=identity.name, phone=identity.phone, address=identity.address)
        return await self._update(citizen_id, **values)

    async def withdraw_consent(self, citizen_id: int) -> Citizen:
        """Withdrawal erases the profile; tickets already filed keep what the law requires."""
        return await self._update(
            citizen_id, consent_at=None, consent_version=None, name=None, phone=None, address=None
        )

    async def set_subscribed(self, citizen_id: int, subscribed: bool) -> Citizen:
        return await self._update(citizen_id, subscribed=subscribed)

    async def mark_unreachable(self, channel: str, external_id: str) -> None:
        """The citizen blocked the bot: stop trying (Telegram answers 403)."""
        async with self.deps.uow() as uow:
            citizen = await uow.citizens.by_external(channel, external_id)
            if citizen is not None and citizen.unreachable_at is None:
                citizen.unreachable_at = self.deps.clock.now()
                await uow.commit()

    async def _update(self, citizen_id: int, **values: object) -> Citizen:
        async with self.deps.uow() as uow:
            citizen = await uow.citizens.get(citizen_id)
            if citizen is None:
                raise InvalidInput("unknown citizen", field="citizen")
            for key, value in values.items():
                setattr(citizen, key, value)
            if "unreachable_at" not in values:
                citizen.unreachable_at = None  # they wrote to us, so they can be reached
            await uow.commit()
            return citizen
