"""The composition root: builds every dependency once and runs the configured components."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import AppConfig, Settings
from bot.domain.calendar import WorkingCalendar
from bot.domain.clock import Clock, SystemClock
from bot.domain.deadlines import DeadlinePolicy
from bot.i18n import Translator
from bot.services.context import Deps, Limits
from bot.services.offline import OfflineLinkService
from bot.services.sending import Sender
from handlers.citizen import CitizenConversation
from handlers.dispatcher import Dispatcher as CoreDispatcher
from handlers.officer import OfficerConversation, StaffPrivateConversation
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.uow import SqlAlchemyUnitOfWorkFactory

if TYPE_CHECKING:
    from bot.web import WebServer

log = logging.getLogger("nghedan")


def build_deps(config: AppConfig, engine: AsyncEngine, *, clock: Clock | None = None) -> Deps:
    limits = config.limits
    return Deps(
        uow=SqlAlchemyUnitOfWorkFactory(make_session_factory(engine)),
        clock=clock or SystemClock(),
        directory=config.directory(),
        routing=config.routing_rules(),
        policy=DeadlinePolicy(overrides=config.deadlines),
        calendar=WorkingCalendar(
            extra_days_off=config.extra_days_off, extra_working_days=config.extra_working_days
        ),
        translator=Translator(default_locale=config.default_locale),
        limits=Limits(
            submissions_per_hour=limits.submissions_per_hour,
            max_attachments=limits.max_attachments,
            description_min=limits.description_min,
            description_max=limits.description_max,
        ),
        reminder_thresholds=tuple(config.reminders.before_deadline_days),
    )


class Component(Protocol):
    name: str

    async def start(self) -> None: ...
    async def stop(self) -> None: ...


@dataclass
class Application:
    settings: Settings
    config: AppConfig
    engine: AsyncEngine
    deps: Deps
    core: CoreDispatcher
    components: list[Component] = field(default_factory=list)
    senders: dict[str, Sender] = field(default_factory=dict)  # channel -> its sender
    web: WebServer | None = None

    async def start(self) -> None:
        for component in self.components:
            await component.start()
            log.info("%s: started", component.name)

    async def stop(self) -> None:
        for component in reversed(self.components):
            try:
                await component.stop()
            except Exception:
                log.exception("%s: failed to stop cleanly", component.name)
        await self.engine.dispose()


ComponentFactory = Callable[[Application], Awaitable[Component | None]]


async def create_application(
    settings: Settings,
    config: AppConfig,
    *,
    clock: Clock | None = None,
    factories: list[ComponentFactory] | None = None,
) -> Application:
    await upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    deps = build_deps(config, engine, clock=clock)
    app = Application(settings, config, engine, deps, build_core(deps))
    for factory in factories if factories is not None else default_factories():
        component = await factory(app)
        if component is not None:
            app.components.append(component)
    return app


def build_core(deps: Deps) -> CoreDispatcher:
    """The conversations every channel shares."""
    return CoreDispatcher(
        deps,
        private=CitizenConversation(deps, link_offline=OfflineLinkService(deps).link_offline),
        group=OfficerConversation(deps),
        staff=StaffPrivateConversation(deps),
    )


def default_factories() -> list[ComponentFactory]:
    from bot.channels.factories import telegram_component, webchat_component, zalo_component
    from bot.delivery import delivery_component
    from bot.scheduler import scheduler_component
    from bot.web import web_component

    return [
        web_component,
        webchat_component,
        telegram_component,
        zalo_component,
        scheduler_component,
        delivery_component,  # after the channels: it sends through their senders
    ]


def settle_heap() -> None:
    """Keep what start-up built out of the garbage collector's full passes.

    Modules, catalogs, mappings and models live as long as the process, yet every full
    collection walked them all: 290 ms pauses that stalled every chat in flight (bench/
    intake.py, three in 30 s). Frozen, a full pass walks only what came later (25 ms).
    """
    gc.collect()
    gc.freeze()


async def serve(settings: Settings, config: AppConfig) -> None:
    """`nghedan run`: everything configured, until Ctrl-C or SIGTERM."""
    for line in settings.describe_channels():
        log.info(line)
    app = await create_application(settings, config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await app.start()
        settle_heap()
        log.info("Nghe dân nói is running; press Ctrl-C to stop")
        await stop.wait()
        log.info("stopping")
    finally:
        await app.stop()
        log.info("stopped")
