"""Forum groups: one topic per ticket. What a topic is called and when it closes; the
delivery worker creates, renames and closes topics with these (Bot API createForumTopic,
editForumTopic, closeForumTopic)."""

from __future__ import annotations

from bot.domain.kinds import Identity, info
from bot.domain.model import Ticket
from bot.domain.org import Directory
from bot.domain.statuses import FINAL, Status
from bot.i18n import Translator
from bot.services.cards import category_name

TOPIC_NAME_LIMIT = 128  # createForumTopic: name, 1-128 characters
TITLE_WORDS = 8

STATUS_EMOJI: dict[Status, str] = {
    Status.DRAFT: "📝",
    Status.SUBMITTED: "🆕",
    Status.TRANSFERRED: "↪️",
    Status.ACCEPTED: "🔧",
    Status.NEEDS_INFO: "❓",
    Status.REOPENED: "🔁",
    Status.RESOLVED: "✔️",
    Status.GUIDED: "🧭",
    Status.REJECTED: "⛔",
    Status.CLOSED: "✅",
}


def topic_title(ticket: Ticket, directory: Directory, locale: str) -> str:
    """A short title: the category, and for kinds that are not confidential the first words
    of the description. A denunciation's words may point at the denouncer (Luật Tố cáo
    Art. 47), so its topic shows only the category."""
    category = category_name(directory, ticket.category, locale)
    if info(ticket.kind).identity is Identity.CONFIDENTIAL:
        return category
    words = ticket.description.split()
    excerpt = " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
    return excerpt if category == "—" else f"{category}: {excerpt}"


def topic_name(ticket: Ticket, directory: Directory, t: Translator, locale: str) -> str:
    """Plain text (topic names take no HTML), at most 128 characters."""
    name = t.plain(
        locale,
        "officer-topic-name",
        emoji=STATUS_EMOJI.get(Status(ticket.status), ""),
        code=ticket.code,
        title=topic_title(ticket, directory, locale),
    )
    if len(name) > TOPIC_NAME_LIMIT:
        name = name[: TOPIC_NAME_LIMIT - 1].rstrip() + "…"
    return name


def topic_closes(ticket: Ticket) -> bool:
    """Closing the ticket closes its topic (guided, rejected and closed are final)."""
    return Status(ticket.status) in FINAL
