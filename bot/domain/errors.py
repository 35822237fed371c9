"""Typed domain errors. Handlers turn each into a polite message by its `message_id`."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every rule the core refuses to break."""

    message_id = "error-generic"

    def __init__(self, detail: str = "", **args: object) -> None:
        super().__init__(detail or self.message_id)
        self.args_for_message: dict[str, object] = dict(args)


class IllegalTransition(DomainError):
    message_id = "error-illegal-transition"

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"{current} -> {target} is not allowed", current=current, target=target)
        self.current = current
        self.target = target


class NotPermitted(DomainError):
    message_id = "error-not-permitted"


class TicketNotFound(DomainError):
    message_id = "error-ticket-not-found"


class InvalidInput(DomainError):
    message_id = "error-invalid-input"


class ExtensionNotAllowed(DomainError):
    message_id = "error-extension-not-allowed"


class ConcurrentUpdate(DomainError):
    """Someone else changed the ticket first; the caller's view was stale."""

    message_id = "error-concurrent-update"


class ConfigError(DomainError):
    message_id = "error-config"


class RateLimited(DomainError):
    message_id = "error-rate-limited"


class DuplicateRecord(DomainError):
    """A unique key was taken by a concurrent transaction (e.g. two first messages)."""

    message_id = "error-concurrent-update"
