"""one version stamp for the data the matching engine reads, and the log of what changed

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 02:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    stamp = op.create_table(
        "data_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_stamp")),
    )
    op.bulk_insert(stamp, [{"id": 1, "version": 1}])
    op.create_table(
        "index_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_index_changes")),
    )
    op.create_index(op.f("ix_index_changes_version"), "index_changes", ["version"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_index_changes_version"), table_name="index_changes")
    op.drop_table("index_changes")
    op.drop_table("data_stamp")
