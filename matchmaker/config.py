"""Configuration from environment variables, with safe defaults for a laptop."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from limits import parse_many

from matchmaker.matching.weights import WeightsError, merge_weights

PRODUCTION = "production"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(RuntimeError):
    """The environment does not allow the app to start safely."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


def _choice(env: Mapping[str, str], name: str, options: tuple[str, ...], default: str) -> str:
    value = env.get(name) or default
    if value not in options:
        raise ConfigError(f"{name} must be one of {', '.join(options)}, got {value!r}")
    return value


def _weights(env: Mapping[str, str]) -> dict[str, Any]:
    """MATCHING_WEIGHTS: JSON overrides of the engine's weights, checked at start-up."""
    raw = env.get("MATCHING_WEIGHTS", "").strip()
    if not raw:
        return {}
    try:
        overrides = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ConfigError(f"MATCHING_WEIGHTS is not valid JSON: {error}") from None
    if not isinstance(overrides, dict):
        raise ConfigError('MATCHING_WEIGHTS must be a JSON object like {"shadowing": {...}}')
    try:
        merge_weights(overrides)
    except WeightsError as error:
        raise ConfigError(f"MATCHING_WEIGHTS: {error}") from None
    return overrides


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    """A yes/no setting: true, yes, 1, on or false, no, 0, off."""
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _queue_url(env: Mapping[str, str], instance_path: Path) -> str:
    """QUEUE_URL: sqlite:///PATH (the embedded default) or redis://host:port/N."""
    url = env.get("QUEUE_URL") or f"sqlite:///{instance_path / 'queue.sqlite3'}"
    if not url.startswith(("sqlite:///", "redis://", "rediss://", "unix://")):
        raise ConfigError(f"QUEUE_URL must be sqlite:///PATH or redis://host:port/N, got {url!r}")
    return url


def _rate_limit(env: Mapping[str, str], name: str, default: str) -> str:
    """A rate limit such as `5 per hour` (or `10/minute;100/day`), checked at start-up."""
    value = env.get(name) or default
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name} must be a rate like '5 per hour', got {value!r}") from None
    return value


def log_settings(env: Mapping[str, str]) -> dict[str, str]:
    """LOG_FORMAT (`text` for a terminal, `json` for one object a line) and LOG_LEVEL.
    gunicorn.conf.py reads them too, for gunicorn's own lines before the app is loaded."""
    level = (env.get("LOG_LEVEL") or "INFO").upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
    return {"LOG_FORMAT": _choice(env, "LOG_FORMAT", ("text", "json"), "text"), "LOG_LEVEL": level}


def web_server_settings(env: Mapping[str, str], cpu_count: int) -> dict[str, Any]:
    """The web server's settings, read by gunicorn.conf.py (which says why each is so).

    Workers default to gunicorn's advice for its synchronous workers, 2 per core plus
    one, at most 8: each worker holds its own database connections and matching index.
    """
    numbers = {
        "WEB_WORKERS": _int(env, "WEB_WORKERS", min(2 * cpu_count + 1, 8)),
        "WEB_THREADS": _int(env, "WEB_THREADS", 1),
        "WEB_TIMEOUT": _int(env, "WEB_TIMEOUT", 30),
        "WEB_GRACEFUL_TIMEOUT": _int(env, "WEB_GRACEFUL_TIMEOUT", 30),
        # Restart a worker after this many requests (0: never); see gunicorn.conf.py.
        "WEB_MAX_REQUESTS": _int(env, "WEB_MAX_REQUESTS", 0),
    }
    for name, value in numbers.items():
        least = 0 if name in ("WEB_GRACEFUL_TIMEOUT", "WEB_MAX_REQUESTS") else 1
        if value < least:
            raise ConfigError(f"{name} must be {least} or more, got {value}")
    return {"WEB_BIND": env.get("WEB_BIND") or "127.0.0.1:8000", **numbers}


def development_secret_key(instance_path: Path) -> str:
    """A random key kept in `instance/` so sessions survive restarts on a laptop."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_config(env: Mapping[str, str], instance_path: Path) -> dict[str, Any]:
    """Build the Flask config from `env` (normally `os.environ`).

    `MATCHMAKER_ENV=production` refuses to start without `SECRET_KEY`.
    """
    mode = env.get("MATCHMAKER_ENV", "development")
    secret_key = env.get("SECRET_KEY", "")
    if not secret_key:
        if mode == PRODUCTION:
            raise ConfigError(
                "SECRET_KEY is not set: in production the app refuses to start without one "
                '(generate one with: python -c "import secrets; print(secrets.token_hex(32))")'
            )
        secret_key = development_secret_key(instance_path)
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'matchmaker.sqlite'}"
    base_url = env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    # Cookies travel only over HTTPS in production, and wherever the public address is one.
    secure_cookies = mode == PRODUCTION or base_url.startswith("https://")
    if database_url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    queue_url = _queue_url(env, instance_path)
    return {
        "MATCHMAKER_ENV": mode,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SMTP_HOST": env.get("SMTP_HOST", "localhost"),
        "SMTP_PORT": _int(env, "SMTP_PORT", 25),
        "SMTP_TLS": _choice(env, "SMTP_TLS", ("none", "starttls", "ssl"), "none"),
        "SMTP_USERNAME": env.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "MAIL_FROM": env.get("MAIL_FROM", "matchmaker <noreply@localhost>"),
        "BASE_URL": base_url,
        "TRUSTED_PROXIES": _int(env, "TRUSTED_PROXIES", 0),
        "HUBS_PER_PAGE": _int(env, "HUBS_PER_PAGE", 30),
        # The interface's languages (catalogues in matchmaker/translations/), the one used
        # when nothing better is known, and the time zone of anonymous readers.
        "LANGUAGES": ("en", "fr", "de", "uk"),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent / "translations"),
        "PROPOSAL_EXPIRY_DAYS": _int(env, "PROPOSAL_EXPIRY_DAYS", 14),
        "PROPOSAL_REMINDER_DAYS": _int(env, "PROPOSAL_REMINDER_DAYS", 3),
        "MAX_OPEN_PROPOSALS": _int(env, "MAX_OPEN_PROPOSALS", 5),
        "PROPOSAL_MIN_MESSAGE": _int(env, "PROPOSAL_MIN_MESSAGE", 30),
        # The currency of every amount shown (round budgets and costs), as ISO 4217.
        "DIGEST_INACTIVE_DAYS": _int(env, "DIGEST_INACTIVE_DAYS", 180),
        "DIGEST_CLAIM_STALE_SECONDS": _int(env, "DIGEST_CLAIM_STALE_SECONDS", 900),
        # From this many recipients `digest send` composes and sends in forked workers,
        # DIGEST_WORKERS of them (0: one per core), in chunks of at most DIGEST_CHUNK_SIZE
        # people (also the size of a chunk task on the queue).
        "DIGEST_PARALLEL_FROM": _int(env, "DIGEST_PARALLEL_FROM", 2000),
        "DIGEST_WORKERS": _int(env, "DIGEST_WORKERS", 0),
        "DIGEST_CHUNK_SIZE": _int(env, "DIGEST_CHUNK_SIZE", 250),
        "MATCHING_WEIGHTS": _weights(env),
        # The network pictures' JSON, kept per version of the data (in the process and in
        # instance/pictures/) and served with ETags; `off` computes it for every request.
        "PICTURE_CACHE": _choice(env, "PICTURE_CACHE", ("on", "off"), "on") == "on",
        # The most hubs the network graph draws (the most connected first), and the most
        # markers on the map (beyond that, hubs are grouped by city with their count).
        "PICTURE_MAX_NODES": _int(env, "PICTURE_MAX_NODES", 400),
        "PICTURE_MAX_MARKERS": _int(env, "PICTURE_MAX_MARKERS", 500),
        # Who builds the matching index: `embedded` (a thread of one process a machine),
        # `external` (`flask index builder` beside the web workers) or `inline` (the asking
        # process, when the data changed: tests and scripts).
        "INDEX_BUILDER": _choice(
            env, "INDEX_BUILDER", ("embedded", "external", "inline"), "embedded"
        ),
        # Where a machine keeps its index files (a folder per database), shared by its
        # processes.
        "INDEX_DIR": env.get("INDEX_DIR") or str(instance_path / "index"),
        # How often the builder reads the data stamp.
        "INDEX_POLL_MS": _int(env, "INDEX_POLL_MS", 500),
        # The least time between the end of one build and the start of the next, so edits
        # that never stop leave the cores to requests (each build covers them all).
        "INDEX_GAP_MS": _int(env, "INDEX_GAP_MS", 1000),
        # How long a process's first request waits for the builder's first index.
        "INDEX_FIRST_WAIT_SECONDS": _int(env, "INDEX_FIRST_WAIT_SECONDS", 60),
        # A vocabulary older than this is fitted anew (edits between reuse it).
        "INDEX_REFIT_SECONDS": _int(env, "INDEX_REFIT_SECONDS", 3600),
        # The job queue (Huey): a SQLite file by default, redis://host:port/N in production.
        "QUEUE_URL": queue_url,
        # The app runs a queue consumer in its own process (threads, started with its first
        # request), so `make run` needs no worker; on by default with the SQLite queue only.
        "QUEUE_EMBEDDED_WORKER": _flag(
            env, "QUEUE_EMBEDDED_WORKER", queue_url.startswith("sqlite:")
        ),
        # An email claimed this long ago by a sender that never finished (it died) is sent
        # again, with the same Message-ID.
        "OUTBOX_STALE_SECONDS": _int(env, "OUTBOX_STALE_SECONDS", 900),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        # How long a writer waits for another on SQLite before giving up (a 503 then).
        "SQLITE_BUSY_SECONDS": _int(env, "SQLITE_BUSY_SECONDS", 30),
        # A larger request body is refused with 413 before it is read.
        "MAX_CONTENT_LENGTH": _int(env, "MAX_REQUEST_BYTES", 2 * 1024 * 1024),
        # The hubs CSV a coordinator uploads from the console (its own limit, above).
        "HUBS_CSV_MAX_BYTES": _int(env, "HUBS_CSV_MAX_BYTES", 20 * 1024 * 1024),
        # Where uploaded files (hub logos) are kept, and the limits of a logo or photo:
        # its file size, and its pixels (a small file can unpack into gigabytes).
        "UPLOAD_DIR": env.get("UPLOAD_DIR") or str(instance_path / "uploads"),
        "LOGO_MAX_BYTES": _int(env, "LOGO_MAX_BYTES", 5 * 1024 * 1024),
        "LOGO_MAX_PIXELS": _int(env, "LOGO_MAX_PIXELS", 40_000_000),
        # Where the rate limits count requests. `memory://` counts per process, which is
        # enough for `make run` (one process); several workers share redis://host:6379.
        "RATE_LIMIT_STORAGE_URI": env.get("RATE_LIMIT_STORAGE_URI") or "memory://",
        # Sign-in attempts per client address (before the failure throttle in the database).
        "RATE_LIMIT_SIGN_IN": _rate_limit(env, "RATE_LIMIT_SIGN_IN", "10 per minute"),
        # Password-reset requests per client address, and per email asked for.
        "RATE_LIMIT_RESET": _rate_limit(env, "RATE_LIMIT_RESET", "5 per hour"),
        # Invitations per inviting coordinator or admin.
        "RATE_LIMIT_INVITE": _rate_limit(env, "RATE_LIMIT_INVITE", "30 per hour"),
        # API requests per token (per address without one, and refused tokens per address).
        "RATE_LIMIT_API": _rate_limit(env, "RATE_LIMIT_API", "300 per minute"),
        # Log lines as `text` (the default, for `make run`) or `json`, from LOG_LEVEL up.
        **log_settings(env),
    }


def from_environment(instance_path: Path) -> dict[str, Any]:
    return load_config(os.environ, instance_path)
