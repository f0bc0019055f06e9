"""a placed host confirms or declines its round placement before the round is published

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 20:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("round_applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("host_answer", sa.String(length=10), nullable=True))
        batch_op.add_column(
            sa.Column("host_answered_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("round_applications", schema=None) as batch_op:
        batch_op.drop_column("host_answered_at")
        batch_op.drop_column("host_answer")
