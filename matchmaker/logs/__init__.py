"""Logging for every process of a deployment (web workers, gunicorn, queue workers,
commands): one line per event, as text for a laptop or as JSON for a log collector, each
carrying the fields bound to what is being done (a request's id, method, path and user).

`configure_logging(format, level)` installs the one handler; `bound_fields(...)` adds
fields to every line logged inside it (the web layer binds a request's, see
`web/request_log.py`; a queue task may bind its own).
"""

from matchmaker.logs.context import bind, bound_fields, current_fields
from matchmaker.logs.formatters import JsonFormatter, TextFormatter
from matchmaker.logs.setup import LogHandler, configure_logging

__all__ = [
    "JsonFormatter",
    "LogHandler",
    "TextFormatter",
    "bind",
    "bound_fields",
    "configure_logging",
    "current_fields",
]
