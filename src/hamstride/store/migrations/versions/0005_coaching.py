"""Coaches and athletes: the coaching links and their invitations, comments on sessions,
prescriptions (holds, clearances, minutes, days), plan templates, and the record of mails
due (the weekly digest, reminders), keyed so each is sent once. Accounts get a reminders
setting.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def _account(column: str, *, nullable: bool = False, ondelete: str = "CASCADE",
             table: str) -> list[sa.schema.SchemaItem]:
    return [sa.Column(column, sa.Integer(), nullable=nullable),
            sa.ForeignKeyConstraint([column], ["accounts.id"],
                                    name=op.f(f"fk_{table}_{column}_accounts"),
                                    ondelete=ondelete)]


def _profile(table: str) -> list[sa.schema.SchemaItem]:
    return [sa.Column("profile_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["profile_id"], ["profiles.id"],
                                    name=op.f(f"fk_{table}_profile_id_profiles"),
                                    ondelete="CASCADE")]


def _made(table: str) -> list[sa.schema.SchemaItem]:
    return [sa.Column("id", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)]


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("reminders", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table("accounts") as batch:
        batch.alter_column("reminders", existing_type=sa.Boolean(), server_default=None)

    op.create_table(
        "coach_links", *_made("coach_links"),
        *_account("coach_id", table="coach_links"),
        *_account("athlete_id", table="coach_links"),
        sa.UniqueConstraint("coach_id", "athlete_id",
                            name="uq_coach_links_coach_id_athlete_id"),
    )
    op.create_index("ix_coach_links_athlete_id", "coach_links", ["athlete_id"])
    op.create_table(
        "invitations", *_made("invitations"),
        *_account("coach_id", nullable=True, table="invitations"),
        *_account("athlete_id", nullable=True, table="invitations"),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_invitations_secret_hash")),
    )
    op.create_index("ix_invitations_email", "invitations", ["email"])
    op.create_table(
        "comments", *_made("comments"), *_profile("comments"),
        sa.Column("day", sa.Date(), nullable=False),
        *_account("author_id", nullable=True, ondelete="SET NULL", table="comments"),
        sa.Column("author", sa.String(length=254), nullable=False),
        sa.Column("by_coach", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
    )
    op.create_index("ix_comments_profile_id_day", "comments", ["profile_id", "day"])
    op.create_table(
        "prescriptions", *_made("prescriptions"), *_profile("prescriptions"),
        *_account("author_id", nullable=True, ondelete="SET NULL", table="prescriptions"),
        sa.Column("author", sa.String(length=254), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=254), nullable=True),
    )
    op.create_index("ix_prescriptions_profile_id", "prescriptions", ["profile_id"])
    op.create_table(
        "plan_templates", *_made("plan_templates"),
        *_account("coach_id", table="plan_templates"),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.UniqueConstraint("coach_id", "name", name="uq_plan_templates_coach_id_name"),
    )
    op.create_table(
        "mail_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_sends")),
        *_account("account_id", table="mail_sends"),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.UniqueConstraint("account_id", "kind", "day",
                            name="uq_mail_sends_account_id_kind_day"),
    )


def downgrade() -> None:
    op.drop_table("mail_sends")
    op.drop_table("plan_templates")
    op.drop_index("ix_prescriptions_profile_id", table_name="prescriptions")
    op.drop_table("prescriptions")
    op.drop_index("ix_comments_profile_id_day", table_name="comments")
    op.drop_table("comments")
    op.drop_index("ix_invitations_email", table_name="invitations")
    op.drop_table("invitations")
    op.drop_index("ix_coach_links_athlete_id", table_name="coach_links")
    op.drop_table("coach_links")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("reminders")
