"""when a hub's profile was last confirmed, and its logo

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-03 05:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("profile_confirmed_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("logo_key", sa.String(length=40)))
    # The best evidence of an existing profile's freshness is its last change: hubs edited
    # recently are not asked at once, hubs untouched for months are.
    op.execute("UPDATE organisations SET profile_confirmed_at = updated_at")


def downgrade():
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("logo_key")
        batch.drop_column("profile_confirmed_at")
