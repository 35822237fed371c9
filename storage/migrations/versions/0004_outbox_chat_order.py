"""outbox per-chat order: find a chat's oldest unfinished message without scanning its history

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNFINISHED = sa.text("sent_at IS NULL AND failed_at IS NULL")


def upgrade() -> None:
    # The delivery worker claims a row only when no earlier row of its chat is unfinished;
    # a partial index keeps that check small however long a group's history grows.
    op.create_index(
        "ix_outbox_chat_unfinished",
        "outbox",
        ["channel", "chat_id", "id"],
        unique=False,
        postgresql_where=_UNFINISHED,
        sqlite_where=_UNFINISHED,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_chat_unfinished", table_name="outbox")
