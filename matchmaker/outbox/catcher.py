"""The development mail catcher: `flask dev-server` (what `make run` starts) runs a real
SMTP server on loopback (aiosmtpd, the aio-libs server our email tests use) that files
every message in a Maildir under `instance/mail/`, and `/dev/mail` lists what it caught.
Nothing here runs in production: the page answers 404 unless `DEV_MAILBOX` is set, and
only the development server sets it."""

from __future__ import annotations

import mailbox
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import parsedate_to_datetime
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox

from matchmaker.errors import NotFound

HOST = "127.0.0.1"


@dataclass(frozen=True)
class CaughtEmail:
    key: str
    received: datetime
    sender: str
    to: str
    subject: str
    text: str
    html: str | None


def free_port(preferred: int) -> int:
    """`preferred` if nothing listens there yet, otherwise a port the system picks."""
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            chosen: int = probe.getsockname()[1]
            return chosen
    raise OSError("no free port on loopback")


def start_catcher(mail_dir: Path, preferred_port: int) -> Controller:
    """A running catcher on loopback (its port is `controller.port`); stop it with
    `controller.stop()`."""
    mail_dir.parent.mkdir(parents=True, exist_ok=True)  # Maildir makes new/, cur/, tmp/
    controller = Controller(Mailbox(mail_dir), hostname=HOST, port=free_port(preferred_port))
    controller.start()
    return controller


def _read(key: str, message: mailbox.MaildirMessage) -> CaughtEmail:
    parsed = message_from(message)
    text_part = parsed.get_body(preferencelist=("plain",))
    html_part = parsed.get_body(preferencelist=("html",))
    date = parsed.get("Date")
    received = (
        parsedate_to_datetime(date) if date else datetime.fromtimestamp(message.get_date(), tz=UTC)
    )
    return CaughtEmail(
        key=key,
        received=received,
        sender=str(parsed.get("From", "")),
        to=str(parsed.get("To", "")),
        subject=str(parsed.get("Subject", "")),
        text=text_part.get_content() if text_part is not None else "",
        html=html_part.get_content() if html_part is not None else None,
    )


def message_from(message: mailbox.MaildirMessage) -> EmailMessage:
    parsed = message_from_bytes(message.as_bytes(), policy=default_policy)
    assert isinstance(parsed, EmailMessage)
    return parsed


def caught_emails(mail_dir: Path, limit: int = 200) -> list[CaughtEmail]:
    """What the catcher holds, newest first."""
    if not (mail_dir / "cur").is_dir():
        return []
    box = mailbox.Maildir(mail_dir, create=False)
    emails = [_read(key, message) for key, message in box.items()]
    emails.sort(key=lambda email: email.received, reverse=True)
    return emails[:limit]


def caught_email(mail_dir: Path, key: str) -> CaughtEmail:
    box = mailbox.Maildir(mail_dir, create=False)
    try:
        message = box[key]
    except (KeyError, FileNotFoundError) as error:
        raise NotFound("This email is no longer in the development mailbox.") from error
    return _read(key, message)
