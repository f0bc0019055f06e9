"""Sending email over the configured SMTP server: account links now, the digest later."""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any


class MailError(RuntimeError):
    """The SMTP server could not be reached or refused the message."""


def build_message(
    config: Mapping[str, Any], to: str, subject: str, text: str, calendar: str | None = None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="matchmaker")
    message.set_content(text)
    if calendar:
        message.add_attachment(
            calendar.encode(), maintype="text", subtype="calendar", filename="exchange.ics",
            params={"method": "PUBLISH"},
        )  # fmt: skip
    return message


def send_message(config: Mapping[str, Any], message: EmailMessage) -> None:
    """Deliver one message; SMTP_TLS chooses none, starttls or ssl, with optional login."""
    host, port = config["SMTP_HOST"], config["SMTP_PORT"]
    tls = config.get("SMTP_TLS", "none")
    try:
        smtp_class = smtplib.SMTP_SSL if tls == "ssl" else smtplib.SMTP
        with smtp_class(host, port, timeout=30) as smtp:
            if tls == "starttls":
                smtp.starttls()
            if config.get("SMTP_USERNAME"):
                smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD", ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"could not send mail through {host}:{port}: {error}") from error


def send_email(
    config: Mapping[str, Any], to: str, subject: str, text: str, calendar: str | None = None
) -> None:
    send_message(config, build_message(config, to, subject, text, calendar))
