"""Training log: logged sessions, their sets, field tests.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "log_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("duration_min", sa.Float(), nullable=True),
        sa.Column("session_rpe", sa.Float(), nullable=True),
        sa.Column("pain", sa.Integer(), nullable=True),
        sa.Column("morning_pain", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_log_sessions_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_sessions")),
        sa.UniqueConstraint(
            "profile_id", "client_id", name="uq_log_sessions_profile_id_client_id"
        ),
    )
    op.create_index("ix_log_sessions_profile_id_date", "log_sessions", ["profile_id", "date"])
    op.create_table(
        "log_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise", sa.String(length=60), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("hold_s", sa.Integer(), nullable=True),
        sa.Column("load_kg", sa.Float(), nullable=True),
        sa.Column("band", sa.String(length=10), nullable=True),
        sa.Column("side", sa.String(length=5), nullable=False),
        sa.Column("rpe", sa.Float(), nullable=True),
        sa.Column("pain", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["log_sessions.id"],
            name=op.f("fk_log_sets_session_id_log_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_sets")),
        sa.UniqueConstraint("session_id", "position", name="uq_log_sets_session_id_position"),
    )
    op.create_table(
        "field_tests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("left", sa.Float(), nullable=False),
        sa.Column("right", sa.Float(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_field_tests_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_tests")),
        sa.UniqueConstraint(
            "profile_id", "client_id", name="uq_field_tests_profile_id_client_id"
        ),
    )


def downgrade() -> None:
    op.drop_table("field_tests")
    op.drop_table("log_sets")
    op.drop_index("ix_log_sessions_profile_id_date", table_name="log_sessions")
    op.drop_table("log_sessions")
