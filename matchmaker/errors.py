"""The errors every use case raises, and that every adapter turns into an answer once:
the web pages and the API in `web/views.py`, the commands in `cli/common.py`.

A use case raises one of these and never returns an error value; the adapters never
catch a bare `LookupError` or `PermissionError` to translate it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class InputError(ValueError):
    """Input that cannot be used; `problems` maps each field to the reason (HTTP 400).

    A form reports every problem at once (`FieldReader` gathers them): where a field has
    several reasons, `problems` joins them and `reasons` keeps each apart."""

    def __init__(
        self, problems: Mapping[str, str], reasons: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in problems.items()))
        self.problems = dict(problems)
        self.reasons = {
            field: list((reasons or {}).get(field) or [reason])
            for field, reason in problems.items()
        }

    def field_errors(self) -> list[tuple[str, str]]:
        """Every (field, reason), one pair per reason."""
        return [(field, reason) for field, found in self.reasons.items() for reason in found]

    @classmethod
    def of(cls, field: str, reason: str) -> InputError:
        """The error of a single field."""
        return cls({field: reason})


class NotFound(LookupError):
    """No such thing, or not one the asker may see (HTTP 404)."""


class Forbidden(PermissionError):
    """The user is signed in but may not do this (HTTP 403)."""


class SignInRequired(PermissionError):
    """Nobody is signed in (HTTP 401, or the sign-in page)."""


class LinkError(ValueError):
    """An emailed link (password reset, invitation) that cannot be used: expired, used or
    not whole; the message says which."""


class MailError(RuntimeError):
    """The mail server could not be reached or refused the message."""
