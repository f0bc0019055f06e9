"""Installing the one log handler of a process, from `LOG_FORMAT` and `LOG_LEVEL`."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from matchmaker.logs.formatters import JsonFormatter, TextFormatter

FORMATTERS: dict[str, type[logging.Formatter]] = {"json": JsonFormatter, "text": TextFormatter}


class DevServerAccessLines(logging.Filter):
    """Drops the development server's own line per request: the app writes a richer one
    (`web/request_log.py`); werkzeug's other lines (the address it serves on) stay."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "werkzeug" and str(record.msg).endswith('] "%s" %s %s'))


class LogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to the standard error stream of the moment (systemd's journal, a container's
    log, a test's capture), in the chosen format. gunicorn.conf.py installs it by name."""

    def __init__(self, log_format: str = "text") -> None:
        super().__init__()
        self.setFormatter(FORMATTERS[log_format]())
        self.addFilter(DevServerAccessLines())

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        """The stream is always the current sys.stderr."""


def configure_logging(log_format: str, level: str) -> None:
    """One handler on the root logger, replacing any of ours from an earlier call (each
    app built in a process calls it), so every line is written once."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, LogHandler)]:
        root.removeHandler(handler)
    root.addHandler(LogHandler(log_format))
    root.setLevel(level)
