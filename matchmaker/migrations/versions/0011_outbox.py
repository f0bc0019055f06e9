"""the email outbox: every email is a row written with the change that causes it

Notifications stay as the inbox; their email moves to the outbox (unsent ones are
copied there), so the delivery columns leave `notifications`.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10 10:00:00.000000

"""

import os

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

MAX_ATTEMPTS = 8  # matchmaker.outbox.sending: a notification tried this often was given up


def _base_url() -> str:
    """The public address the text's link starts with, as the app's config reads it."""
    try:
        from flask import current_app

        return str(current_app.config["BASE_URL"])
    except (RuntimeError, KeyError):
        return os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")


def upgrade():
    # What waits to be mailed is kept aside first: rebuilding `notifications` without its
    # delivery columns (SQLite recreates the table) must happen before anything refers to
    # it, or dropping the old table would clear the references.
    op.execute(
        "CREATE TABLE outbox_carry AS SELECT n.id, n.topic, u.email, n.subject, n.body, "
        "n.body_html, n.link, n.attach_calendar, n.exchange_id, n.attempts, "
        "n.next_attempt_at, n.last_error FROM notifications n JOIN users u ON u.id = n.user_id "
        f"WHERE n.sent_at IS NULL AND n.attempts < {MAX_ATTEMPTS}"
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_sent_at"))
        batch_op.drop_column("attach_calendar")
        batch_op.drop_column("last_error")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("attempts")
        batch_op.drop_column("sent_at")

    op.create_table(
        "outgoing_emails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), server_default="", nullable=False),
        sa.Column("message_id", sa.String(length=250), nullable=False),
        sa.Column("calendar_exchange_id", sa.Integer(), nullable=True),
        sa.Column("notification_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sending_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), server_default="", nullable=False),
        sa.Column("set_aside", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["calendar_exchange_id"],
            ["exchanges.id"],
            name=op.f("fk_outgoing_emails_calendar_exchange_id_exchanges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_outgoing_emails_notification_id_notifications"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_emails")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outgoing_emails_message_id")),
    )
    with op.batch_alter_table("outgoing_emails", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outgoing_emails_calendar_exchange_id"),
            ["calendar_exchange_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_outgoing_emails_notification_id"), ["notification_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outgoing_emails_sent_at"), ["sent_at"], unique=False)

    # Notifications not mailed yet (and not given up) go on waiting, in the outbox.
    op.execute(
        sa.text(
            "INSERT INTO outgoing_emails (topic, recipient, subject, text, html, message_id, "
            "calendar_exchange_id, notification_id, attempts, next_attempt_at, last_error) "
            "SELECT topic, email, subject, "
            "CASE WHEN link = '' THEN body ELSE body || :gap || :base_url || link || :end END, "
            "body_html, '<notification-' || CAST(id AS VARCHAR(20)) || '@matchmaker>', "
            "CASE WHEN attach_calendar THEN exchange_id END, id, attempts, next_attempt_at, "
            "last_error FROM outbox_carry ORDER BY id"
        ).bindparams(gap="\n\n", base_url=_base_url(), end="\n")
    )
    op.drop_table("outbox_carry")


def downgrade():
    # Which notifications the outbox has not sent, kept aside before its table goes.
    op.execute(
        "CREATE TABLE outbox_unsent AS SELECT notification_id FROM outgoing_emails "
        "WHERE sent_at IS NULL AND notification_id IS NOT NULL"
    )
    with op.batch_alter_table("outgoing_emails", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outgoing_emails_sent_at"))
        batch_op.drop_index(batch_op.f("ix_outgoing_emails_notification_id"))
        batch_op.drop_index(batch_op.f("ix_outgoing_emails_calendar_exchange_id"))
    op.drop_table("outgoing_emails")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_error", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("attach_calendar", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_notifications_sent_at"), ["sent_at"], unique=False)
    # What the outbox has not sent stays unsent; everything else counts as mailed.
    op.execute(
        "UPDATE notifications SET sent_at = created_at "
        "WHERE id NOT IN (SELECT notification_id FROM outbox_unsent)"
    )
    op.drop_table("outbox_unsent")
