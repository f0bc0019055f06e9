"""The digest as an email: HTML with inlined styles and a plain-text part with the same
content, with the headers mail clients expect, including the one-click unsubscribe of
RFC 8058 (List-Unsubscribe and List-Unsubscribe-Post) through a signed link."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from email.charset import BASE64, Charset
from email.header import Header
from email.message import EmailMessage
from email.policy import Compat32
from email.utils import formatdate, parseaddr
from typing import Any

from flask import current_app
from flask_babel import gettext, ngettext
from itsdangerous import BadSignature, URLSafeSerializer

from matchmaker.digest.content import DigestContent, period_bounds
from matchmaker.i18n import for_reader
from matchmaker.i18n.formats import month as month_name

SALT = "matchmaker-digest"


def _signer(config: Mapping[str, Any]) -> URLSafeSerializer:
    return URLSafeSerializer(config["SECRET_KEY"], salt=SALT)


def person_token(config: Mapping[str, Any], user_id: int) -> str:
    """Signed, with no expiry: an unsubscribe link must work as long as the mail is kept."""
    return _signer(config).dumps(user_id)


def user_id_from_token(config: Mapping[str, Any], token: str) -> int | None:
    try:
        value = _signer(config).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def message_id(period: str, user_id: int) -> str:
    """The same for a person and period in every run: a resent copy is recognisably the same."""
    return f"<digest-{period}-{user_id}@matchmaker>"


def render(content: DigestContent, config: Mapping[str, Any]) -> tuple[str, str]:
    """(text, html) of the digest, in its reader's language and time zone; the preview
    shows them too."""
    with for_reader(content.user.language, content.user.time_zone):
        return _render(content, config)


def _render(content: DigestContent, config: Mapping[str, Any]) -> tuple[str, str]:
    base = config["BASE_URL"]
    token = person_token(config, content.user.id)
    month = month_name(period_bounds(content.period)[0])
    action_text, action_path = content.call_to_action()
    values = {
        "content": content,
        "base": base,
        "month": month,
        "action_text": action_text,
        "action_url": base + action_path,
        "unsubscribe_url": f"{base}/digest/unsubscribe/{token}",
        "preferences_url": f"{base}/digest/preferences/{token}",
    }
    # Straight from the environment: the templates use only these values, and Flask's
    # context processors and signals would cost a third of the rendering.
    environment = current_app.jinja_env
    return tuple(  # type: ignore[return-value]
        environment.get_template(f"digest/email.{part}").render(values) for part in ("txt", "html")
    )


def subject_of(content: DigestContent) -> str:
    """In the reader's language, like the digest."""
    with for_reader(content.user.language, content.user.time_zone):
        month = month_name(period_bounds(content.period)[0])
        if content.approvals:
            return ngettext(
                "matchmaker, %(month)s: %(num)d waiting for your approval",
                "matchmaker, %(month)s: %(num)d waiting for your approval",
                len(content.approvals),
                month=month,
            )
        if content.to_answer:
            return ngettext(
                "matchmaker, %(month)s: %(num)d proposal waiting for you",
                "matchmaker, %(month)s: %(num)d proposals waiting for you",
                len(content.to_answer),
                month=month,
            )
        if content.matches:
            return ngettext(
                "matchmaker, %(month)s: %(num)d new match for %(hub)s",
                "matchmaker, %(month)s: %(num)d new matches for %(hub)s",
                len(content.matches),
                month=month,
                hub=content.user.hub.name,  # type: ignore[union-attr]
            )
        return gettext("matchmaker, %(month)s: your monthly digest", month=month)


class QuickHeaders(Compat32):
    """compat32, but a header that is short, one line and ASCII is written as it is, which
    is what compat32 writes for it too: folding each with `email.header` cost more than
    rendering the digest. Other headers are folded as compat32 folds them."""

    def fold_binary(self, name: str, value: Any) -> bytes:
        if (
            isinstance(value, str)
            and value.isascii()
            and len(name) + len(value) + 2 <= (self.max_line_length or 998)
            and "\n" not in value
            and "\r" not in value
        ):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


QUICK_HEADERS = QuickHeaders(linesep="\r\n")  # as sent over SMTP
# Base64 encoded words: the default (the shorter of base64 and quoted-printable) measures
# the quoted-printable form character by character, a good part of a message's cost.
SUBJECT_CHARSET = Charset("utf-8")
SUBJECT_CHARSET.header_encoding = BASE64


@dataclass(frozen=True)
class Digest:
    """A digest ready to send: its envelope, its headers and the whole message as bytes
    (CRLF lines, as SMTP carries it). Written here in one pass: building `email.mime`
    objects and flattening them again in `smtplib` cost more than the rest of a digest."""

    sender: str
    to: str
    headers: Mapping[str, str]
    data: bytes

    def __getitem__(self, name: str) -> str:
        return self.headers[name]

    def __bytes__(self) -> bytes:
        return self.data


def _part(subtype: str, body: str) -> bytes:
    """One text part, UTF-8 in base64 lines of 76 characters, as `MIMEText` writes it."""
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\nMIME-Version: 1.0\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode("ascii") + base64.encodebytes(body.encode("utf-8")).replace(b"\n", b"\r\n")


def build(content: DigestContent, config: Mapping[str, Any]) -> Digest:
    """The multipart/alternative message: a plain-text part and an HTML part."""
    text, html = render(content, config)
    token = person_token(config, content.user.id)
    subject = subject_of(content)
    headers = {
        "From": config["MAIL_FROM"],
        "To": content.user.email,
        "Subject": subject,
        "Date": formatdate(localtime=False),
        "Message-ID": message_id(content.period, content.user.id),
        "List-Unsubscribe": f"<{config['BASE_URL']}/digest/unsubscribe/{token}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    boundary = f"=={secrets.token_hex(16)}=="
    fold = QUICK_HEADERS.fold_binary
    head = [
        fold("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
        b"MIME-Version: 1.0\r\n",
        *(
            fold(name, Header(value, SUBJECT_CHARSET))
            if name == "Subject" and not value.isascii()
            else fold(name, value)
            for name, value in headers.items()
        ),
    ]
    separator = f"\r\n--{boundary}\r\n".encode("ascii")
    data = b"".join(
        [
            *head,
            separator[2:],
            _part("plain", text),
            separator,
            _part("html", html),
            f"\r\n--{boundary}--\r\n".encode("ascii"),
        ]
    )
    return Digest(parseaddr(config["MAIL_FROM"])[1], content.user.email, headers, data)


def paused_notice(user_email: str, config: Mapping[str, Any], token: str) -> EmailMessage:
    """Told once, when someone inactive stops receiving the digest."""
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = user_email
    message["Subject"] = "Your matchmaker digest is paused"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = f"<digest-paused-{token[:16]}@matchmaker>"
    message.set_content(
        "You have not signed in to matchmaker for a while, so we stopped sending you the "
        "monthly digest. Sign in again and it starts again by itself:\n\n"
        f"{config['BASE_URL']}/sign-in\n"
    )
    return message
