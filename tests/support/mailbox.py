"""What a real SMTP server on loopback (aiosmtpd, started by the `mailbox` fixture)
received, parsed."""

from __future__ import annotations

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
