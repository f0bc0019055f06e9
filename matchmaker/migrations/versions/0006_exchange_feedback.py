"""exchange feedback; notifications about an exchange, with its calendar; completion time

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 13:22:08.091677

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "exchange_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("took_place", sa.Boolean(), nullable=False),
        sa.Column("learned", sa.Text(), nullable=False),
        sa.Column("collaboration", sa.Boolean(), nullable=False),
        sa.Column("review", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "rating BETWEEN 1 AND 5", name=op.f("ck_exchange_feedback_rating_range")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_exchange_feedback_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchanges.id"],
            name=op.f("fk_exchange_feedback_exchange_id_exchanges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_exchange_feedback_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_feedback")),
        sa.UniqueConstraint(
            "exchange_id",
            "organisation_id",
            name=op.f("uq_exchange_feedback_exchange_id_organisation_id"),
        ),
    )
    with op.batch_alter_table("exchange_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_feedback_exchange_id"), ["exchange_id"], unique=False
        )

    with op.batch_alter_table("exchanges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exchange_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("attach_calendar", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_notifications_exchange_id"), ["exchange_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_notifications_exchange_id_exchanges"),
            "exchanges",
            ["exchange_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_notifications_exchange_id_exchanges"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_notifications_exchange_id"))
        batch_op.drop_column("attach_calendar")
        batch_op.drop_column("exchange_id")

    with op.batch_alter_table("exchanges", schema=None) as batch_op:
        batch_op.drop_column("completed_at")

    with op.batch_alter_table("exchange_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_feedback_exchange_id"))

    op.drop_table("exchange_feedback")
