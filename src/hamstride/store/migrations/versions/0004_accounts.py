"""Accounts: every profile belongs to one. Sessions, API tokens and reset links (stored
hashed), the audit log, and a column that marks a plan regenerated from the log.

An existing single-user database keeps everything: the migration makes the local owner
account (no e-mail yet) and gives it every profile; the first account made later takes
that account over (``store.accounts``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.Column("local_owner", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("email", name=op.f("uq_accounts_email")),
    )
    op.create_index("uq_accounts_one_local_owner", "accounts", ["local_owner"], unique=True,
                    sqlite_where=sa.text("local_owner"), postgresql_where=sa.text("local_owner"))
    accounts = sa.table("accounts", sa.column("id", sa.Integer()),
                        sa.column("role", sa.String()), sa.column("digest", sa.Boolean()),
                        sa.column("local_owner", sa.Boolean()),
                        sa.column("created_at", sa.DateTime(timezone=True)))
    op.bulk_insert(accounts, [{"id": 1, "role": "admin", "digest": False, "local_owner": True,
                               "created_at": datetime.now(UTC)}])
    if op.get_bind().dialect.name == "postgresql":  # the explicit id left the sequence at 0
        op.execute("SELECT setval(pg_get_serial_sequence('accounts', 'id'), 1)")

    op.create_table(
        "credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_credentials_account_id_accounts"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credentials")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_credentials_secret_hash")),
    )
    op.create_index("ix_credentials_account_id_kind", "credentials", ["account_id", "kind"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_audit_events_account_id_accounts"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index("ix_audit_events_account_id_at", "audit_events", ["account_id", "at"])

    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
    op.execute("UPDATE profiles SET account_id = 1")
    with op.batch_alter_table("profiles") as batch:
        batch.alter_column("account_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_constraint("uq_profiles_name", type_="unique")
        batch.create_unique_constraint("uq_profiles_account_id_name", ["account_id", "name"])
        batch.create_foreign_key("fk_profiles_account_id_accounts", "accounts",
                                 ["account_id"], ["id"], ondelete="CASCADE")

    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("regenerated", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    plans = sa.table("plans", sa.column("id", sa.Integer()), sa.column("document", sa.JSON()),
                     sa.column("regenerated", sa.Boolean()))
    bind = op.get_bind()
    derived = [row.id for row in bind.execute(sa.select(plans.c.id, plans.c.document))
               if isinstance(row.document, dict) and "continues" in row.document]
    if derived:
        bind.execute(plans.update().where(plans.c.id.in_(derived)).values(regenerated=True))
    with op.batch_alter_table("plans") as batch:
        batch.alter_column("regenerated", existing_type=sa.Boolean(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("regenerated")
    with op.batch_alter_table("profiles") as batch:
        batch.drop_constraint("fk_profiles_account_id_accounts", type_="foreignkey")
        batch.drop_constraint("uq_profiles_account_id_name", type_="unique")
        batch.create_unique_constraint("uq_profiles_name", ["name"])
        batch.drop_column("account_id")
    op.drop_index("ix_audit_events_account_id_at", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index("ix_credentials_account_id_kind", table_name="credentials")
    op.drop_table("credentials")
    op.drop_index("uq_accounts_one_local_owner", table_name="accounts")
    op.drop_table("accounts")
