"""Indexes for many accounts (issue 13): a profile's log sessions by when they were last
written, for the freshness every read of the plan checks (the latest ``updated_at`` of
the profile's log) and for "has the log changed since the plan was made": one index
entry instead of every session the profile ever logged.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index("ix_log_sessions_profile_id_updated_at", "log_sessions",
                    ["profile_id", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_log_sessions_profile_id_updated_at", table_name="log_sessions")
