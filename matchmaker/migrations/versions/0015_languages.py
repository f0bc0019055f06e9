"""languages and zones: each person's language and time zone, the language each service
and need is written in, the language an email is written in (its calendar file follows),
and each residency round's currency

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-03 06:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch copy of the table): on SQLite a copy drops the old table,
    # and with foreign keys on that would delete the rows that refer to it.
    # Null until guessed from the browser at the first sign-in, then kept.
    op.add_column("users", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column("users", sa.Column("time_zone", sa.String(length=64), nullable=True))
    for table in ("services", "needs"):
        # Null: not known (written before languages were recorded, or undetectable).
        op.add_column(table, sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column("outgoing_emails", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column(
        "residency_rounds",
        sa.Column("currency", sa.String(length=3), nullable=False, server_default="EUR"),
    )


def downgrade():
    op.drop_column("residency_rounds", "currency")
    op.drop_column("outgoing_emails", "language")
    for table in ("needs", "services"):
        op.drop_column(table, "language")
    op.drop_column("users", "time_zone")
    op.drop_column("users", "language")
