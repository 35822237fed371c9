"""One turn of a conversation: the event, the stored state, and what to answer."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from bot.domain.messages import Choice, OutgoingMessage, Reply
from bot.domain.model import Citizen
from bot.domain.routing import normalize_text
from bot.i18n import Translator
from handlers.events import IncomingAttachment, IncomingEvent


@dataclass
class Turn:
    event: IncomingEvent
    payload: dict[str, Any]  # the conversation state; None at the end means "forget it"
    locale: str
    t: Translator
    reply: Reply = field(default_factory=Reply)
    forget: bool = False
    citizen: Citizen | None = None  # set for private chats
    _lead: list[str] = field(default_factory=list)

    def say(self, message_id: str, **args: Any) -> str:
        return self.t(self.locale, message_id, **args)

    def label(self, message_id: str, **args: Any) -> str:
        return self.t.plain(self.locale, message_id, **args)

    def send(self, message: OutgoingMessage | str, *, offer: bool = True) -> None:
        """Queue a message; its choices become the ones a typed number or label selects."""
        if isinstance(message, str):
            message = OutgoingMessage(text=message)
        if self._lead and message.edit_message_id is None:
            message = replace(message, text="\n\n".join([*self._lead, message.text]).strip())
            self._lead.clear()
        self.reply.messages.append(message)
        if offer and message.choices:
            self.payload["offered"] = [[c.label, c.data] for c in message.choice_list()]

    def lead(self, text: str) -> None:
        """Open this turn's next message with `text`.

        A greeting or an introduction travels with the question after it: one message, one
        notification on the citizen's phone, one call to the platform instead of two.
        """
        self._lead.append(text)

    def finish(self) -> Reply:
        """The reply; a lead that no message followed goes out on its own."""
        if self._lead:
            self.reply.messages.append(OutgoingMessage(text="\n\n".join(self._lead)))
            self._lead.clear()
        return self.reply

    def alert(self, text: str, *, error: bool = False) -> None:
        self.reply.alert = text
        self.reply.alert_is_error = error

    def chosen(self) -> str | None:
        """The pressed button's data, or the offered choice typed as its number or label."""
        if self.event.choice:
            return self.event.choice
        text = (self.event.text or "").strip()
        offered = self.payload.get("offered") or []
        if not text or not offered:
            return None
        if text.isdigit() and 1 <= int(text) <= len(offered):
            return str(offered[int(text) - 1][1])
        wanted = fold(text)
        for label, data in offered:
            if fold(label) == wanted:
                return str(data)
        # People type the start of a long label ("ha tang" for "Hạ tầng, giao thông");
        # it counts when it fits exactly one choice.
        starts = [data for label, data in offered if fold(label).startswith(wanted)]
        if len(wanted) >= 3 and len(starts) == 1:
            return str(starts[0])
        return None


def fold(text: str) -> str:
    """Compare labels the way a person types them: no emoji, punctuation, case or accents."""
    kept = "".join(ch for ch in normalize_text(text) if ch.isalnum() or ch.isspace())
    return " ".join(kept.split())


def rows(choices: list[Choice], width: int = 2) -> tuple[tuple[Choice, ...], ...]:
    return tuple(tuple(choices[i : i + width]) for i in range(0, len(choices), width))


def attachment_record(turn: Turn, attachment: IncomingAttachment) -> dict[str, Any]:
    """What the draft or a ticket keeps of a received file (the platform's file id)."""
    return {
        "kind": attachment.kind,
        "channel": turn.event.channel,
        "file_id": attachment.file_id,
        "file_unique_id": attachment.file_unique_id,
        "mime_type": attachment.mime_type,
        "file_name": attachment.file_name,
        "size": attachment.size,
        "caption": turn.event.text,
    }
