"""residency rounds; the round and cost of an approved residency

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 13:17:15.091457

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "residency_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("applications_close_on", sa.Date(), nullable=True),
        sa.Column("budget", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("cost_per_residency", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("cost_per_week", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "open",
                "allocated",
                "published",
                "closed",
                name="round_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.CheckConstraint("budget >= 0", name=op.f("ck_residency_rounds_budget_not_negative")),
        sa.CheckConstraint(
            "cost_per_residency >= 0 AND cost_per_week >= 0",
            name=op.f("ck_residency_rounds_costs_not_negative"),
        ),
        sa.CheckConstraint(
            "ends_on >= starts_on", name=op.f("ck_residency_rounds_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_residency_rounds_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_residency_rounds")),
    )
    with op.batch_alter_table("residency_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_residency_rounds_state"), ["state"], unique=False)

    with op.batch_alter_table("exchanges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("round_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cost", sa.Numeric(precision=12, scale=2), nullable=True))
        batch_op.create_index(batch_op.f("ix_exchanges_round_id"), ["round_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_exchanges_round_id_residency_rounds"),
            "residency_rounds",
            ["round_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade():
    with op.batch_alter_table("exchanges", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_exchanges_round_id_residency_rounds"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_exchanges_round_id"))
        batch_op.drop_column("cost")
        batch_op.drop_column("round_id")

    with op.batch_alter_table("residency_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_residency_rounds_state"))

    op.drop_table("residency_rounds")
