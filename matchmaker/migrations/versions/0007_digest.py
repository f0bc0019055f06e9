"""digest deliveries and preferences

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 13:31:19.508749

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "digest_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "sending",
                "sent",
                "failed",
                "skipped",
                name="delivery_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_digest_deliveries_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_deliveries")),
        sa.UniqueConstraint("user_id", "period", name=op.f("uq_digest_deliveries_user_id_period")),
    )
    with op.batch_alter_table("digest_deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_digest_deliveries_period"), ["period"], unique=False)
        batch_op.create_index(batch_op.f("ix_digest_deliveries_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("digest", sa.String(length=10), server_default="monthly", nullable=False)
        )
        batch_op.add_column(
            sa.Column("digest_paused_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("digest_paused_at")
        batch_op.drop_column("digest")

    with op.batch_alter_table("digest_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digest_deliveries_user_id"))
        batch_op.drop_index(batch_op.f("ix_digest_deliveries_period"))

    op.drop_table("digest_deliveries")
