"""What a real SMTP server on loopback (aiosmtpd, started by the `mailbox` fixture)
received, parsed."""

from __future__ import annotations

import asyncio
import re
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from typing import Any


class Mailbox:
    """What a real SMTP server on loopback received, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        message = BytesParser(policy=default_policy).parsebytes(envelope.content)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def links(self) -> list[str]:
        """Every link in the bodies of the received messages, in order."""
        return [
            link
            for message in self.messages
            for link in re.findall(r"https?://\S+", message.get_body(("plain",)).get_content())
        ]


class SlowMail:
    """An SMTP MAIL hook (set as the mailbox's `handle_MAIL`) that takes `pause` seconds
    and counts its calls: a sender waiting there has claimed that message, and nothing
    of it is accepted yet."""

    def __init__(self, pause: float) -> None:
        self.pause, self.calls = pause, 0

    async def __call__(
        self, server: object, smtp_session: object, envelope: Any, address: str, options: list
    ) -> str:
        self.calls += 1
        await asyncio.sleep(self.pause)
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"
