"""Two renderings of a log record, with the same fields: JSON lines for production (one
object per line, whatever the message or traceback holds) and text for a terminal."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from matchmaker.logs.context import current_fields

# What every LogRecord has; anything else on a record came from `extra=` and is a field.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


def record_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The fields of one line: time, level, logger, message, then the bound fields (a
    request's id, method, path, user), the record's `extra`, and the exception text."""
    fields: dict[str, Any] = {
        "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname,
        "logger": record.name,
        "message": record.getMessage(),
        "pid": record.process,  # which worker, among several on a machine
    }
    fields.update(current_fields())
    fields.update((key, value) for key, value in record.__dict__.items() if key not in _STANDARD)
    if record.exc_info:
        fields["exception"] = logging.Formatter().formatException(record.exc_info)
    elif record.exc_text:
        fields["exception"] = record.exc_text
    if record.stack_info:
        fields["stack"] = record.stack_info
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line; values JSON cannot hold are written as text."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(record_fields(record), default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger [request id] message key=value...`, then any traceback. Short,
    for a terminal: the request's method, path, status and duration are left to its
    access line's message."""

    HEAD = ("time", "level", "logger", "message", "pid", "request_id", "exception", "stack")
    SAID = ("method", "path", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        fields = record_fields(record)
        request_id = fields.get("request_id")
        line = f"{fields['time']} {fields['level']} {fields['logger']} "
        line += f"[{request_id}] " if request_id else ""
        line += fields["message"]
        rest = " ".join(f"{k}={v}" for k, v in fields.items() if k not in (*self.HEAD, *self.SAID))
        line += f" {rest}" if rest else ""
        for block in ("exception", "stack"):
            if block in fields:
                line += "\n" + fields[block]
        return line
