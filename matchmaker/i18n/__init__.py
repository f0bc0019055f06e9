"""The reader's language and time zone: Flask-Babel set up once, how a request's locale
and zone are chosen, and how an email is written in its recipient's language and zone
(also from a background job, where there is no request).

The catalogues live in `matchmaker/translations/` (see `scripts/translations.sh`); their
compiled `.mo` files are committed and ship in the wheel, so a fresh clone and `make run`
need no build step (`tests/i18n/test_catalogues.py` checks they match the `.po` files).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel, force_locale, get_locale, get_timezone, get_translations, refresh

from matchmaker.i18n.choices import language_of_request, zone_error

babel = Babel()
SESSION_LANGUAGE = "language"
_forced_zone: ContextVar[str | None] = ContextVar("forced_zone", default=None)
# The reader's catalogue and language, looked up once: inside `for_reader` (an email),
# and in a request from its first string until it ends or its reader is chosen again
# (`choose_again`). An email or a list of suggestions renders hundreds of strings, and
# Flask-Babel finds both again through the app context for each one (a tenth of the
# digest's rendering time, a fifth of a suggestions request's).
_bound: ContextVar[tuple[Any, str] | None] = ContextVar("bound_reader", default=None)

__all__ = [
    "babel",
    "choose_again",
    "current_language",
    "current_locale",
    "current_zone",
    "for_reader",
    "gettext",
    "init_i18n",
    "language_of_request",
    "locale_of",
    "ngettext",
    "zone_error",
]


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_zone)
    # Flask-Babel's callables, through `translations` (a catalogue bound for an email).
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # Each request chooses afresh, even where requests share an app context (tests).
    app.before_request(choose_again)
    app.teardown_request(_unbind)
    from matchmaker.i18n.formats import register_formats

    register_formats(app)


def select_locale() -> str | None:
    """A signed-in person's (or an API token owner's) chosen language; else the one picked
    with the switcher; else the best of the browser's Accept-Language; else the default."""
    if not has_request_context():
        return None
    languages = current_app.config["LANGUAGES"]
    reader = _reader()
    if reader is not None and reader.language in languages:
        return str(reader.language)
    if session.get(SESSION_LANGUAGE) in languages:
        return str(session[SESSION_LANGUAGE])
    return language_of_request(request.accept_languages, languages)


def select_zone() -> str | None:
    """The zone an email is being written in, else a signed-in person's, else the default."""
    forced = _forced_zone.get()
    if forced:
        return forced
    if not has_request_context():
        return None
    reader = _reader()
    if reader is not None and reader.time_zone:
        return str(reader.time_zone)
    return None


def _reader() -> Any:
    """Who reads this answer: the signed-in person, or the owner of the API token."""
    from flask_login import current_user

    if current_user.is_authenticated:
        return current_user
    return g.get("api_user")


def choose_again() -> None:
    """The reader's language and zone are chosen afresh at the next string: a request
    starts, or learns who reads its answer (an API token's owner)."""
    refresh()
    _bound.set(None)


def _unbind(error: BaseException | None = None) -> None:
    """A request's binding ends with it (a worker's next request may be someone else's)."""
    _bound.set(None)


def _binding() -> tuple[Any, str] | None:
    """The bound catalogue and language; in a request, bound now if they are not yet."""
    bound = _bound.get()
    if bound is None and has_request_context():
        bound = (get_translations(), _locale_language())
        _bound.set(bound)
    return bound


def translations() -> Any:
    """The catalogue of the language things are rendered in."""
    bound = _binding()
    return bound[0] if bound is not None else get_translations()


def gettext(string: str, **variables: Any) -> str:
    """Flask-Babel's `gettext`, from the reader's catalogue when one is bound."""
    translated = translations().ugettext(string)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Flask-Babel's `ngettext` (`num` among the variables), likewise."""
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def current_language() -> str:
    bound = _binding()
    return bound[1] if bound is not None else _locale_language()


def current_locale() -> Locale:
    """The reader's Babel locale, for Babel's formatting functions: given a language code
    they parse it again at each call (a hundred times for one list of suggestions)."""
    return locale_of(current_language()) or Locale("en")


@functools.cache
def locale_of(language: str) -> Locale | None:
    """Babel's locale of a language code, parsed once; None for a code Babel lacks."""
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return None


def _locale_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else current_app.config["BABEL_DEFAULT_LOCALE"]


def current_zone() -> ZoneInfo:
    zone = get_timezone()
    return ZoneInfo(str(zone)) if zone is not None else ZoneInfo("UTC")


@contextmanager
def for_reader(language: str | None, zone: str | None = None) -> Iterator[None]:
    """Everything rendered inside is in `language` (the default when unknown) and shows
    times in `zone`: an email for its recipient, whoever causes it and wherever it runs."""
    languages = current_app.config["LANGUAGES"]
    chosen = language if language in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
    token = _forced_zone.set(zone or current_app.config["BABEL_DEFAULT_TIMEZONE"])
    try:
        with force_locale(chosen):
            refresh()
            bound = _bound.set((get_translations(), _locale_language()))
            try:
                yield
            finally:
                _bound.reset(bound)
    finally:
        _forced_zone.reset(token)
        refresh()
