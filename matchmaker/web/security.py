"""Sessions, CSRF and response headers for every page.

The content security policy allows only the app's own scripts and styles, so user text
that slipped through escaping still could not run; the pages have no inline scripts.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from matchmaker.accounts.sign_in import user_for_session
from matchmaker.extensions import db
from matchmaker.models import User
from matchmaker.web.request_log import note_user

login_manager = LoginManager()
csrf = CSRFProtect()
# Said when a page needs a signed-in person (flashed by Flask-Login and `web/views.py`).
SIGN_IN_FIRST = _l("Sign in to see this page.")

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def init_security(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = SIGN_IN_FIRST
    login_manager.localize_callback = str  # the lazy text, in the reader's language
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    app.after_request(security_headers)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user = user_for_session(db.session(), session_id)
    if user is not None:
        note_user(user.id)
    return user


def security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers.setdefault("X-Frame-Options", "DENY")
    headers["Referrer-Policy"] = "same-origin"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if response.mimetype == "text/html" or request.path.startswith("/api/"):
        headers.setdefault("Cache-Control", "no-store")
    return response
