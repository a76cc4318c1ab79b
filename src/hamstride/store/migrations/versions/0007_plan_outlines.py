"""Each plan's outline beside its document (issue 13): the schema, the start, where a
plan regenerated from the log plans from, and each week's session dates in order. A
coach's roster reads the planned days of 400 plans; from the documents (~40 KB each) that
was most of a cold roster's time at 10,000 athletes. Plans stored before this have none
(NULL) and are read from their documents as before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("outline", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("outline")
