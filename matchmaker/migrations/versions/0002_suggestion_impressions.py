"""suggestion impressions: how often each hub was suggested to each other hub, per kind

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 10:33:17.467717

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "suggestion_impressions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "shadowing",
                "hot_desking",
                "residency",
                "project_partners",
                name="exchange_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("times_shown", sa.Integer(), nullable=False),
        sa.Column(
            "first_shown_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "last_shown_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "times_shown > 0", name=op.f("ck_suggestion_impressions_times_shown_positive")
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["organisations.id"],
            name=op.f("fk_suggestion_impressions_candidate_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_suggestion_impressions_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_impressions")),
        sa.UniqueConstraint(
            "organisation_id",
            "candidate_id",
            "kind",
            name=op.f("uq_suggestion_impressions_organisation_id_candidate_id_kind"),
        ),
    )
    with op.batch_alter_table("suggestion_impressions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_suggestion_impressions_organisation_id"),
            ["organisation_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("suggestion_impressions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_impressions_organisation_id"))

    op.drop_table("suggestion_impressions")
