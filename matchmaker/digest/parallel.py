"""Sending a large digest from several processes at once: composing is done, what is left
is one claim, one message and one mark per person, and a single process spends most of
that time building MIME text and waiting for the SMTP server's replies.

The people are cut into chunks that forked workers (one per core) send, each with its
own database connection and SMTP connection; the claims keep the promise that nobody
gets the period twice, across workers as across runs. A worker whose parent died stops
after the message in hand, so a killed run leaves nothing sending behind it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from matchmaker.digest.claims import Claims
from matchmaker.digest.content import DigestContent
from matchmaker.mail import MailSession
from matchmaker.matching.forked import forked_map

CHUNK = 250  # messages a task sends, at most


def send_in_workers(
    engine: Engine,
    config: Mapping[str, Any],
    contents: Sequence[DigestContent],
    claims: Claims,
    progress: Callable[[int], None] | None,
) -> list[Any]:
    """Each chunk's SendSummary, sent by forked workers sharing `contents` copy-on-write."""
    size, parent = len(contents), os.getpid()
    # Several tasks per worker even for a small run, so the workers finish together.
    step = max(1, min(CHUNK, size // (4 * (os.cpu_count() or 1))))
    chunks = [(start, min(size, start + step)) for start in range(0, size, step)]

    def send_chunk(number: int) -> Any:
        start, end = chunks[number]
        return _send(engine, config, contents[start:end], claims, parent)

    def chunk_done(number: int) -> None:
        if progress:
            start, end = chunks[number]
            progress(end - start)

    return forked_map(send_chunk, len(chunks), done=chunk_done)


def _send(
    engine: Engine,
    config: Mapping[str, Any],
    contents: Sequence[DigestContent],
    claims: Claims,
    parent: int,
) -> Any:
    from matchmaker.digest.sending import SendSummary, send_one  # it imports this module

    # The parent's pooled connections are not this process's to use (nor to close).
    engine.dispose(close=False)
    summary = SendSummary()
    mail = MailSession(config, config.get("DIGEST_RETRY_SECONDS", 1.0))
    try:
        with Session(bind=engine) as writer:
            for content in contents:
                if os.getppid() != parent:
                    break  # the run was stopped: leave the rest to the next one
                send_one(writer, config, content, claims, summary, mail, None)
    finally:
        mail.close()
    return summary
