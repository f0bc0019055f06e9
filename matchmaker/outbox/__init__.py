"""The email outbox: every email is a row (`OutgoingEmail`) written in the transaction of
the change that causes it (`writing`), and sent by queue tasks that claim each row before
talking to the mail server (`sending`). No request talks to a mail server."""

from matchmaker.outbox.sending import MAX_ATTEMPTS, send_committed, send_due
from matchmaker.outbox.writing import write_email

__all__ = ["MAX_ATTEMPTS", "send_committed", "send_due", "write_email"]
