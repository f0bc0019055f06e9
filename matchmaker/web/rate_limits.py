"""Rate limits in front of what costs us or others something per request: sign-in
attempts, password-reset emails, invitations and the API.

Flask-Limiter counts the requests in `RATE_LIMIT_STORAGE_URI`: Redis in production, so
every gunicorn worker (and every machine) draws on one budget; `memory://` (the default,
for `make run`) counts per process only. Each app gets its own limiter, so two apps in
one process (tests, the CLI) never share or overwrite each other's storage.

The limits are read from the config at each request, so a test may change them. A
breach raises `RateLimitExceeded`; `web/views.py` answers it with 429 and `Retry-After`.
The sign-in failure throttle in the database (`accounts/sign_in.py`) stays behind this
one: it counts failures per email over an hour and survives restarts.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_login import current_user

# A moving window: "5 per hour" never lets 10 through around the turn of an hour, and
# Retry-After says when the oldest counted request leaves the window.
STRATEGY = "moving-window"
KEY_PREFIX = "matchmaker"


def client_address() -> str:
    """The client's address; behind `TRUSTED_PROXIES` ProxyFix has already set it from
    X-Forwarded-For."""
    return f"address:{request.remote_addr or 'unknown'}"


def normalised_email(email: str) -> str:
    """As the account is looked up (`accounts/links.py`), so `A@x.org ` counts as `a@x.org`."""
    return email.strip().lower()


def submitted_email() -> str:
    """The email a reset is asked for: one inbox cannot be flooded from many addresses."""
    return f"email:{normalised_email(request.form.get('email', ''))}"


def inviting_user() -> str:
    """Invitations count per coordinator, wherever they connect from."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return client_address()


def api_token() -> str:
    """Each API token has its own budget, keyed by a hash so the secret never reaches the
    storage; a request without a token counts against its address."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    secret = secret.strip()
    if scheme.lower() == "bearer" and secret:
        return "token:" + hashlib.sha256(secret.encode()).hexdigest()
    return client_address()


def refused_by_the_api(response: Response) -> bool:
    """A request the API refused for want of a valid token: counted per address, so
    guessing tokens (each a fresh budget of its own) is limited too."""
    return response.status_code == 401


def holds_a_valid_token() -> bool:
    """A request with a valid token draws on its token's budget only: the refusals of its
    address are not asked about (one round trip to the limits' storage fewer for every
    API call), and someone guessing tokens behind the same address (an office, a
    campus) does not lock out the people whose tokens are valid. A guess never gets
    this far (tokens are 256-bit random)."""
    from matchmaker.web.api.blueprint import api_caller  # which imports web/views.py, us

    return api_caller() is not None


def setting(name: str) -> Callable[[], str]:
    """The limit named in the config, read when a request comes (tests may change it)."""
    return lambda: str(current_app.config[name])


def init_rate_limits(app: Flask) -> Limiter:
    """Attach a limiter to `app` and put the limits on the views; after the blueprints are
    registered, since the limits wrap their view functions."""
    from matchmaker.web.api import api  # which imports web/views.py, which imports us

    limiter = Limiter(
        client_address,
        storage_uri=app.config["RATE_LIMIT_STORAGE_URI"],
        strategy=STRATEGY,
        key_prefix=KEY_PREFIX,
        # If Redis goes away, each worker keeps limiting on its own (logged) until it is
        # back, rather than answering every request with 500.
        in_memory_fallback_enabled=True,
    )
    limiter.init_app(app)
    post = ["POST"]
    limits = {
        "auth.sign_in": [
            limiter.limit(setting("RATE_LIMIT_SIGN_IN"), key_func=client_address, methods=post)
        ],
        "auth.forgot_password": [
            limiter.limit(setting("RATE_LIMIT_RESET"), key_func=client_address, methods=post),
            limiter.limit(setting("RATE_LIMIT_RESET"), key_func=submitted_email, methods=post),
        ],
        "people.invite_person": [
            limiter.limit(setting("RATE_LIMIT_INVITE"), key_func=inviting_user)
        ],
    }
    for endpoint, decorators in limits.items():
        view: Callable[..., Any] = app.view_functions[endpoint]
        for decorate in decorators:
            view = decorate(view)
        app.view_functions[endpoint] = view
    limiter.shared_limit(setting("RATE_LIMIT_API"), scope="api", key_func=api_token)(api)
    limiter.shared_limit(
        setting("RATE_LIMIT_API"),
        scope="api-refused",
        key_func=client_address,
        deduct_when=refused_by_the_api,
        exempt_when=holds_a_valid_token,
    )(api)
    # Static files and everything else carry no limit (there are no default limits).
    return limiter


def seconds_to_wait() -> int:
    """For Retry-After: when the breached limit of this request lets the next one in."""
    for limiter in current_app.extensions.get("limiter", ()):
        breached = limiter.current_limit
        if breached is not None and breached.breached:
            reset_at, _remaining = breached.window
            return max(1, math.ceil(reset_at - time.time()))
    return 60
