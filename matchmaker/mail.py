"""Sending email over the configured SMTP server: one message at a time (the outbox's
tasks), or many over one connection that is reopened when dropped (the digest)."""

from __future__ import annotations

import smtplib
import time
from collections.abc import Mapping
from email.message import EmailMessage, Message
from email.utils import formatdate, make_msgid
from typing import Any, Protocol

from matchmaker.errors import MailError


def build_message(
    config: Mapping[str, Any],
    to: str,
    subject: str,
    text: str,
    calendar: str | None = None,
    html: str | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """Plain text, with `html` as its alternative when given (multipart/alternative), and
    the calendar event attached; `message_id` keeps a message's identity across tries."""
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id or make_msgid(domain="matchmaker")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    if calendar:
        # As text with its charset: bytes without one reached mail clients as mojibake
        # for any name or summary outside ASCII.
        message.add_attachment(
            calendar,
            subtype="calendar",
            charset="utf-8",
            filename="exchange.ics",
            params={"method": "PUBLISH"},
        )
    return message


def send_message(config: Mapping[str, Any], message: EmailMessage) -> None:
    """Deliver one message over a connection of its own."""
    host, port = config["SMTP_HOST"], config["SMTP_PORT"]
    try:
        with connect(config) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"could not send mail through {host}:{port}: {error}") from error


def connect(config: Mapping[str, Any]) -> smtplib.SMTP:
    """A connection to SMTP_HOST:SMTP_PORT; SMTP_TLS chooses none, starttls or ssl, with an
    optional login."""
    tls = config.get("SMTP_TLS", "none")
    smtp_class = smtplib.SMTP_SSL if tls == "ssl" else smtplib.SMTP
    smtp = smtp_class(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30)
    try:
        if tls == "starttls":
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD", ""))
    except BaseException:
        smtp.close()
        raise
    return smtp


RETRIES = 4
# Worth another try: the connection was dropped or could not be made.
TEMPORARY = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
    OSError,
)


class Ready(Protocol):
    """A message already written out: its envelope and its bytes, CRLF lines."""

    @property
    def sender(self) -> str: ...
    @property
    def to(self) -> str: ...
    @property
    def data(self) -> bytes: ...


class MailSession:
    """One SMTP connection for many messages, reopened when the server drops it."""

    def __init__(self, config: Mapping[str, Any], retry_base: float) -> None:
        self.config, self.retry_base = config, retry_base
        self.smtp: smtplib.SMTP | None = None

    def send(self, message: Message | Ready) -> None:
        """Deliver or raise the last error after `RETRIES` tries with doubling waits."""
        for attempt in range(RETRIES):
            try:
                if self.smtp is None:
                    self.smtp = connect(self.config)
                if isinstance(message, Message):
                    self.smtp.send_message(message)
                else:
                    self.smtp.sendmail(message.sender, [message.to], message.data)
                return
            except smtplib.SMTPResponseException as error:
                self.close()
                if error.smtp_code < 400 or error.smtp_code >= 500 or attempt == RETRIES - 1:
                    raise
            except smtplib.SMTPRecipientsRefused:
                raise
            except TEMPORARY:
                self.close()
                if attempt == RETRIES - 1:
                    raise
            time.sleep(self.retry_base * 2**attempt)

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            finally:
                self.smtp.close()
                self.smtp = None
