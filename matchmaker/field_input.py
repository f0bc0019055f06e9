"""Reading typed values from a submitted form (all strings) or a JSON body (typed values)
with one set of rules, so the pages and the API accept and refuse the same things.

Every problem is noted against its field; `done()` raises them all at once. Checks that
raise `InputError` themselves (a use case's rules across fields, the exchange builder's
room and dates) run inside `gather()`, so their problems join the others instead of
hiding them until the next submit.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

from flask_babel import gettext as _
from flask_babel import ngettext

from matchmaker.errors import InputError
from matchmaker.validation import nfc, text_error

E = TypeVar("E", bound=enum.Enum)
TRUE = {"true", "on", "1", "yes"}
# Dates a person means: a typo like 0202 or 9999 is refused instead of stored.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)
# The database's INTEGER on PostgreSQL, which every whole-number column uses.
LARGEST_INTEGER = 2**31 - 1
FALSE = {"false", "off", "0", "no", ""}


class FieldReader:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.problems: dict[str, str] = {}
        self.reasons: dict[str, list[str]] = {}

    def has(self, name: str) -> bool:
        return name in self.data

    def problem(self, name: str, reason: str) -> None:
        """Note a problem; a field's second, different problem is added to its first."""
        reasons = self.reasons.setdefault(name, [])
        if reason not in reasons:
            reasons.append(reason)
            self.problems[name] = "; ".join(reasons)

    def fine(self, *names: str) -> bool:
        """Whether none of these fields has a problem yet (checks that build on them run)."""
        return not any(name in self.problems for name in names)

    @contextmanager
    def gather(self) -> Iterator[None]:
        """Run a check that raises `InputError` and note its problems with the others."""
        try:
            yield
        except InputError as error:
            for name, reason in error.field_errors():
                self.problem(name, reason)

    def _raw(self, name: str) -> Any:
        value = self.data.get(name)
        # Every text is read in one Unicode form (NFC): stored and compared as written.
        return nfc(value.strip()) if isinstance(value, str) else value

    def text(
        self, name: str, *, required: bool = False, limit: int | None = None, one_line: bool = False
    ) -> str | None:
        value = self._raw(name)
        if value is None or value == "":
            if required:
                self.problem(name, _("this is required"))
            return None if value is None else ""
        if not isinstance(value, str):
            self.problem(name, _("must be text"))
            return None
        if limit is not None and len(value) > limit:
            self.problem(
                name,
                ngettext(
                    "use at most %(num)d character (this has %(length)d)",
                    "use at most %(num)d characters (this has %(length)d)",
                    limit,
                    length=len(value),
                ),
            )
        if reason := text_error(value, one_line=one_line):
            self.problem(name, reason)
        return value

    def integer(
        self,
        name: str,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
        required: bool = False,
    ) -> int | None:
        value = self._raw(name)
        if value is None or value == "":
            if required:
                self.problem(name, _("this is required"))
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            self.problem(name, _("must be a whole number"))
            return None
        try:
            number = int(value)
        except ValueError:
            self.problem(name, _("%(value)s is not a whole number", value=repr(value)))
            return None
        if not -LARGEST_INTEGER <= number <= LARGEST_INTEGER:
            self.problem(name, _("is far too large"))
            return None
        if minimum is not None and number < minimum:
            self.problem(name, _("must be at least %(minimum)d", minimum=minimum))
        if maximum is not None and number > maximum:
            self.problem(name, _("must be at most %(maximum)d", maximum=maximum))
        return number

    def number(self, name: str) -> float | None:
        value = self._raw(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.problem(name, _("must be a number"))
            return None
        try:
            number = float(value)
        except (ValueError, OverflowError):
            self.problem(
                name, _("%(value)s is not a number we can use", value=repr(str(value)[:40]))
            )
            return None
        if number != number or number in (float("inf"), float("-inf")):
            self.problem(name, _("must be a finite number"))
            return None
        return number

    def boolean(self, name: str) -> bool | None:
        value = self._raw(name)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in TRUE | FALSE:
            return value.lower() in TRUE
        self.problem(name, _("must be true or false"))
        return None

    def day(self, name: str, *, required: bool = False) -> date | None:
        value = self._raw(name)
        if value is None or value == "":
            if required:
                self.problem(name, _("this is required"))
            return None
        if not isinstance(value, str):
            self.problem(name, _("must be a date written like 2027-03-01"))
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.problem(name, _("%(value)s is not a date like 2027-03-01", value=repr(value)))
            return None
        if not FIRST_DAY <= day <= LAST_DAY:
            self.problem(
                name, _("must be between %(first)s and %(last)s", first=FIRST_DAY, last=LAST_DAY)
            )
            return None
        return day

    def choice(self, name: str, options: type[E], *, required: bool = False) -> E | None:
        value = self._raw(name)
        if value is None or value == "":
            if required:
                self.problem(name, _("this is required"))
            return None
        try:
            return options(value)
        except ValueError:
            known = ", ".join(str(option.value) for option in options)
            self.problem(
                name, _("%(value)s is not one of %(known)s", value=repr(value), known=known)
            )
            return None

    def strings(self, name: str) -> list[str] | None:
        """A list from a JSON array, repeated form fields, or one comma-separated value."""
        if name not in self.data:
            return None
        getlist = getattr(self.data, "getlist", None)
        values = getlist(name) if getlist else self.data[name]
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            self.problem(name, _("must be a list of text values"))
            return None
        parts = [nfc(part.strip()) for value in values for part in value.split(",")]
        # A NUL or a control character can name nothing, and PostgreSQL refuses to look one up.
        if broken := next((p for p in parts if text_error(p, one_line=True)), None):
            reason = text_error(broken, one_line=True)
            self.problem(name, _("%(value)s %(reason)s", value=repr(broken), reason=reason))
            return None
        return [part for part in parts if part]

    def done(self) -> None:
        if self.problems:
            raise InputError(self.problems, self.reasons)
