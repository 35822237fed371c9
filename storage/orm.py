"""Tables, and the imperative mapping of the domain's plain classes onto them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import registry, relationship

from bot.domain.model import (
    Attachment,
    Citizen,
    ConversationState,
    OutboxMessage,
    Ticket,
    TicketEvent,
)
from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)
mapper_registry = registry(metadata=metadata)

TS = UTCDateTime()
# SQLite's INTEGER PRIMARY KEY autoincrements only when it is exactly INTEGER.
ID = BigInteger().with_variant(Integer(), "sqlite")

citizens = Table(
    "citizens",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("channel", String(16), nullable=False),
    Column("external_id", String(64), nullable=False),
    Column("locale", String(8), nullable=False, default="vi"),
    Column("name", String(200)),
    Column("phone", String(32)),
    Column("address", String(500)),
    Column("consent_at", TS),
    Column("consent_version", String(32)),
    Column("subscribed", Boolean, nullable=False, default=False),
    Column("unreachable_at", TS),
    Column("created_at", TS),
    UniqueConstraint("channel", "external_id", name="uq_citizens_channel_external"),
)

tickets = Table(
    "tickets",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("code", String(16), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("category", String(64)),
    Column("commune", String(64)),
    Column("description", Text, nullable=False),
    Column("unit_id", String(64), nullable=False),
    Column("citizen_id", ForeignKey("citizens.id"), nullable=True),
    Column("channel", String(16)),
    Column("origin", String(16), nullable=False),
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("report_only", Boolean, nullable=False, default=False),
    Column("petitioner_name", String(200)),
    Column("petitioner_phone", String(32)),
    Column("petitioner_address", String(500)),
    Column("received_at", TS, nullable=False),
    Column("decision_due", TS),
    Column("forward_due", TS),
    Column("resolution_due", TS),
    Column("rules", JSON, nullable=False),
    Column("flags", JSON, nullable=False),
    Column("extensions", JSON, nullable=False),
    Column("accepted_at", TS),
    Column("decided_at", TS),
    Column("resolved_at", TS),
    Column("closed_at", TS),
    Column("rating", Integer),
    Column("rating_comment", Text),
    Column("public_answer", Text),
    Column("card_chat_id", BigInteger),
    Column("card_message_id", BigInteger),
    Column("card_thread_id", BigInteger),
    Column("intake_key", String(64), unique=True),
    Column("updated_at", TS),
    Column("version", Integer, nullable=False),
    Column("next_notice_at", TS),
    Index("ix_tickets_unit_status", "unit_id", "status"),
    Index("ix_tickets_status_decision_due", "status", "decision_due"),
    Index("ix_tickets_status_resolution_due", "status", "resolution_due"),
    Index("ix_tickets_citizen_received", "citizen_id", "received_at"),
    # The deadline sweep: tickets owed a notice now; closed ones are left out of the index.
    Index(
        "ix_tickets_next_notice",
        "next_notice_at",
        "id",
        postgresql_where=text("next_notice_at IS NOT NULL"),
        sqlite_where=text("next_notice_at IS NOT NULL"),
    ),
    # Closing answered tickets once the reopen window has passed.
    Index("ix_tickets_status_resolved", "status", "resolved_at"),
    # An officer's reply to a card, and a message in a forum topic, find their ticket.
    Index("ix_tickets_card_message", "card_chat_id", "card_message_id"),
    Index("ix_tickets_card_thread", "card_chat_id", "card_thread_id"),
)

ticket_sequences = Table(
    "ticket_sequences",
    metadata,
    Column("prefix", String(4), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_value", Integer, nullable=False),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("file_id", String(512), nullable=False),
    Column("file_unique_id", String(128)),
    Column("mime_type", String(128)),
    Column("file_name", String(255)),
    Column("size", BigInteger),
    Column("caption", Text),
    Column("created_at", TS),
)

ticket_events = Table(
    "ticket_events",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", TS, nullable=False),
    Column("actor_role", String(16), nullable=False),
    Column("actor_id", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("from_status", String(16)),
    Column("to_status", String(16)),
    Column("note", Text),
    Column("data", JSON, nullable=False),
    Column("public", Boolean, nullable=False, default=False),
)

conversation_states = Table(
    "conversation_states",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("channel", String(16), nullable=False),
    Column("chat_id", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", TS),
    UniqueConstraint("channel", "chat_id", name="uq_conversation_states_channel_chat"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("channel", String(16), nullable=False),
    Column("chat_id", String(64), nullable=False),
    Column("thread_id", BigInteger),
    Column("payload", JSON, nullable=False),
    Column("dedupe_key", String(200), nullable=False, unique=True),
    Column("purpose", String(32), nullable=False),
    Column("ticket_id", ForeignKey("tickets.id", ondelete="SET NULL"), nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", TS, nullable=False),
    Column("next_attempt_at", TS, nullable=False),
    Column("locked_until", TS),
    Column("sent_at", TS),
    Column("sent_message_id", String(64)),
    Column("last_error", Text),
    Column("failed_at", TS),
    # The worker's scan: unsent, not given up, due.
    Index("ix_outbox_pending", "sent_at", "failed_at", "next_attempt_at"),
    # An officer's reply to a relayed message finds its ticket.
    Index("ix_outbox_sent_message", "chat_id", "sent_message_id"),
)

processed_updates = Table(
    "processed_updates",
    metadata,
    Column("channel", String(16), primary_key=True),
    Column("update_id", String(64), primary_key=True),
    Column("processed_at", TS, nullable=False),
)

# When each scheduled job last ran, so one missed while the process was down runs on start.
job_runs = Table(
    "job_runs",
    metadata,
    Column("job", String(64), primary_key=True),
    Column("last_run_at", TS, nullable=False),
)


def _map() -> None:
    mapper_registry.map_imperatively(Citizen, citizens)
    mapper_registry.map_imperatively(Attachment, attachments)
    mapper_registry.map_imperatively(TicketEvent, ticket_events)
    mapper_registry.map_imperatively(ConversationState, conversation_states)
    mapper_registry.map_imperatively(OutboxMessage, outbox)
    mapper_registry.map_imperatively(
        Ticket,
        tickets,
        properties={
            # Eager by design: lazy loads are not allowed under asyncio.
            "attachments": relationship(
                Attachment, lazy="selectin", order_by=attachments.c.id, cascade="all"
            ),
        },
        # Optimistic locking: two officers pressing at once, one wins (StaleDataError).
        version_id_col=tickets.c.version,
    )


_map()
