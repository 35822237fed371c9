"""ticket next notice: the deadline sweep reads only the tickets owed a notice now

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SCHEDULED = sa.text("next_notice_at IS NOT NULL")


def upgrade() -> None:
    op.add_column("tickets", sa.Column("next_notice_at", sa.DateTime(timezone=True)))
    # The exact instant needs the reminder thresholds and the extra days off, which live in
    # the config a migration does not read. Any instant in the past is safe: the sweep treats
    # the ticket as owed a check, queues what is owed then (the outbox's dedupe keys make that
    # nothing new if the old sweep queued it) and stores the exact next instant. The receipt
    # time is such an instant, already in each dialect's own timestamp format.
    op.execute(
        "UPDATE tickets SET next_notice_at = received_at "
        "WHERE (status = 'submitted' AND decision_due IS NOT NULL) "
        "OR (status IN ('accepted', 'needs_info', 'reopened') AND resolution_due IS NOT NULL)"
    )
    # Built after the back-fill, which then writes no index entries row by row.
    op.create_index(
        "ix_tickets_next_notice",
        "tickets",
        ["next_notice_at", "id"],
        unique=False,
        postgresql_where=_SCHEDULED,
        sqlite_where=_SCHEDULED,
    )
    op.create_index("ix_tickets_status_resolved", "tickets", ["status", "resolved_at"])


def downgrade() -> None:
    op.drop_index("ix_tickets_status_resolved", table_name="tickets")
    op.drop_index("ix_tickets_next_notice", table_name="tickets")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("next_notice_at")
