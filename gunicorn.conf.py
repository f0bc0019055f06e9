"""gunicorn's settings for matchmaker: `gunicorn -c gunicorn.conf.py` (the app: `wsgi_app`).

Every value comes from the environment (production.env.example lists them, with
matchmaker's own settings); the defaults are in matchmaker/config.py
(`web_server_settings`, `log_settings`). Reasons for each choice are beside it.
"""

from __future__ import annotations

import logging
import os

from gunicorn.workers.base import Worker

from matchmaker.config import log_settings, web_server_settings


def usable_cores() -> int:
    """The cores this process may run on (a container's or a systemd CPUAffinity's limit),
    not every core of the machine."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_web = web_server_settings(os.environ, usable_cores())
_logs = log_settings(os.environ)

wsgi_app = "matchmaker:create_app(migrations=False)"

# Where gunicorn listens: loopback behind a proxy on the same machine; the machine's
# private address (e.g. 10.0.0.5:8000) when the proxy or load balancer is elsewhere.
bind = _web["WEB_BIND"]

# Synchronous workers, each a process serving one request at a time. Requests are short
# (slow and periodic work runs on the queue), so processes scale on cores; each holds its
# own database connections and matching index, so memory and the database's connection
# limit bound their number as much as cores do. WEB_THREADS > 1 switches to gunicorn's
# threaded worker (gthread), which also keeps connections from the proxy alive.
workers = _web["WEB_WORKERS"]
threads = _web["WEB_THREADS"]

# A worker silent for this long is killed and replaced (its request gets a 502 from the
# proxy). 30 s is far above any page's time; keep the proxy's own timeout above it.
timeout = _web["WEB_TIMEOUT"]
# On SIGTERM or SIGHUP (a restart, a reload), workers finish the requests in hand for up
# to this long before they are killed: systemd's TimeoutStopSec must be longer.
graceful_timeout = _web["WEB_GRACEFUL_TIMEOUT"]
# Seconds to keep a connection from the proxy open between requests (threaded workers
# only; synchronous workers close every connection).
keepalive = 5

# Off by default: a recycled worker starts afresh (it loads the matching index before it
# serves, `post_worker_init`, but its caches start empty). Set WEB_MAX_REQUESTS (e.g.
# 5000) to bound a slow memory leak; the jitter keeps workers from restarting all at once.
max_requests = _web["WEB_MAX_REQUESTS"]
max_requests_jitter = max_requests // 10

# Not preloaded: each worker builds the app after the fork, so no database connection,
# Redis connection or queue thread is ever shared between processes, and `systemctl
# reload` (SIGHUP) starts workers on the new code. Preloading would save a little memory
# and start-up time, not worth those risks.
preload_app = False


def post_worker_init(worker: Worker) -> None:
    """Each worker loads the machine's matching index before it takes a request (the
    worker accepts none until this returns): without it, a new or recycled worker's first
    suggestions would load the index themselves, about a second at 10,000 hubs. Best
    effort: an unreadable index must not stop the worker (gunicorn would halt the whole
    server), its requests then load or build one as before."""
    from flask import Flask

    from matchmaker.engine import warm_index

    app = getattr(worker, "wsgi", None)
    if not isinstance(app, Flask):
        return
    try:
        warm_index(app)
    except Exception:
        logging.getLogger("matchmaker.engine").exception("the worker could not load the index")


# Request size limits. gunicorn refuses request lines over 4094 bytes and headers over
# 8190 bytes (its defaults, kept); the body is limited by the app (MAX_REQUEST_BYTES, 413)
# and should be by the proxy too (nginx `client_max_body_size 2m;`, Caddy
# `request_body { max_size 2MB }`) so an oversized upload never reaches a worker.
limit_request_line = 4094
limit_request_field_size = 8190
limit_request_fields = 100

# Logs: every line through matchmaker's handler, as LOG_FORMAT says (JSON in production):
# gunicorn's own (start, stop, worker timeouts) as the app's. The app writes one access
# line per request itself (logger `matchmaker.access`, with the request id, the user and
# the duration), so gunicorn's access log, which knows neither, stays off.
loglevel = _logs["LOG_LEVEL"].lower()
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "matchmaker": {"()": "matchmaker.logs.LogHandler", "log_format": _logs["LOG_FORMAT"]},
        "nowhere": {"class": "logging.NullHandler"},
    },
    "root": {"level": _logs["LOG_LEVEL"], "handlers": ["matchmaker"]},
    "loggers": {
        "gunicorn.error": {"level": _logs["LOG_LEVEL"], "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": ["nowhere"], "propagate": False},
    },
}
