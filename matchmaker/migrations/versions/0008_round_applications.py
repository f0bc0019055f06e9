"""round applications: a hub's ranked hosts, dates and message, and its outcome

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 07:21:09.500956

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "round_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("hub_id", sa.Integer(), nullable=False),
        sa.Column("applied_by_id", sa.Integer(), nullable=True),
        sa.Column("hosts", sa.JSON(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("placed_host_id", sa.Integer(), nullable=True),
        sa.Column("cost", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("left_out_cause", sa.String(length=30), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("exchange_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "ends_on >= starts_on", name=op.f("ck_round_applications_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["applied_by_id"],
            ["users.id"],
            name=op.f("fk_round_applications_applied_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchanges.id"],
            name=op.f("fk_round_applications_exchange_id_exchanges"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["hub_id"],
            ["organisations.id"],
            name=op.f("fk_round_applications_hub_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placed_host_id"],
            ["organisations.id"],
            name=op.f("fk_round_applications_placed_host_id_organisations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["residency_rounds.id"],
            name=op.f("fk_round_applications_round_id_residency_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_applications")),
        sa.UniqueConstraint(
            "round_id", "hub_id", name=op.f("uq_round_applications_round_id_hub_id")
        ),
    )
    with op.batch_alter_table("round_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_round_applications_round_id"), ["round_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("round_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_applications_round_id"))

    op.drop_table("round_applications")
