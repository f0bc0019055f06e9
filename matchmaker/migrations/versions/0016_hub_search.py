"""each hub's folded text for the directory's search, written for every hub now

Revision ID: 0016
Revises: 0012
Create Date: 2026-12-03 06:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hub_search",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("disciplines", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("services", sa.Text(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_hub_search_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_hub_search")),
    )
    # The backfill: the same writer the app uses after every change.
    from matchmaker.hubs.search_index import write_search_rows

    write_search_rows(op.get_bind(), None)


def downgrade():
    op.drop_table("hub_search")
