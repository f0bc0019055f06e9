"""No user-facing string escapes extraction: every text a page shows and every message a
person reads from the code goes through gettext, so `scripts/translations.sh update`
finds it and the catalogues (tests/i18n/test_catalogues.py) must translate it.

- Templates (every .html under templates/ but the development pages): the text between
  tags, the values of title/placeholder/aria-label/alt, and string literals in
  expressions that read as words ("Save", "Make a new address") must be inside `_()`,
  `ngettext()` or a `{% trans %}` block. Punctuation, numbers, entities and ALLOWED pass.
- Python (matchmaker/ but the CLI, the engine, the migrations, the demo and the
  development pages): the message of flash(), InputError / InputError.of, NotFound,
  Forbidden, SignInRequired, LinkError, FieldReader.problem, error_page and the API's
  `message` is never a string literal or an f-string (a gettext call or a variable).

"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment
from jinja2.lexer import operators as OPERATORS

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
PACKAGE = ROOT / "matchmaker"

# Words that are the same in every language: the product's name.
ALLOWED = {"matchmaker"}
TRANSLATED_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
GETTEXT_CALLS = {"_", "gettext", "ngettext", "pgettext", "npgettext", "_l", "lazy_gettext"}
# Python that no reader of the interface sees in their language: CLI output and logs, the
# pure engine, migrations, the demo's data, the developer's mailbox.
SKIPPED_PYTHON = (
    "cli/",
    "matching/",
    "migrations/",
    "demo/",
    "web/dev_mail.py",
    "outbox/catcher.py",
)
# Calls whose argument at this position (or keyword) is a message for a person.
MESSAGE_ARGUMENTS: dict[str, tuple[int, ...]] = {
    "flash": (0,),
    "InputError": (0,),
    "of": (1,),  # InputError.of(field, reason)
    "NotFound": (0,),
    "Forbidden": (0,),
    "SignInRequired": (0,),
    "LinkError": (0,),
    "problem": (1,),  # FieldReader.problem(field, reason)
    "error_page": (1, 2),
}
MESSAGE_KEYWORDS = {"message", "reason"}
LETTER = re.compile(r"[^\W\d_]")
# A string literal in an expression that reads as a word or sentence: "Save", "No hub".
WORDS = re.compile(r"^[A-Z][a-z]+(?:[ ,.:!?]|$)")


# --- templates ----------------------------------------------------------------------


class _Html(HTMLParser):
    """Collects the text people read from a template's markup (expressions removed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(attrs)

    def handle_data(self, data: str) -> None:
        # A macro may write attributes for the tag it is called in: read them as such.
        self._attributes(ATTRIBUTE.findall(data))
        self.found.append(ATTRIBUTE.sub("", data))

    def _attributes(self, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in TRANSLATED_ATTRIBUTES and value and _readable(value):
                self.found.append(f'{name}="{value}"')


ATTRIBUTE = re.compile(r'([a-z][\w-]*)="([^"]*)"')
TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_ALLOWED_WORDS = re.compile(r"\b(?:" + "|".join(ALLOWED) + r")\b", re.IGNORECASE)


def _readable(text: str) -> bool:
    return bool(LETTER.search(_ALLOWED_WORDS.sub("", text)))


def untranslated_in_template(source: str) -> list[str]:
    """The texts of a template that a reader sees but extraction would not find."""
    skeleton: list[str] = []  # the markup, each expression or tag replaced by a NUL
    literals: list[str] = []
    in_trans = False
    depth = 0  # open parentheses of a gettext call
    tokens = [  # the raw tokens: "(" is an operator here, "lparen" once parsed
        (OPERATORS.get(value, kind) if kind == "operator" else kind, value)
        for _line, kind, value in Environment(extensions=["jinja2.ext.i18n"]).lex(source)
        if kind != "whitespace"
    ]
    for index, (kind, value) in enumerate(tokens):
        after = tokens[index - 1][0] if index else ""
        if kind == "data":
            skeleton.append("\x00" if in_trans else value)
        elif kind in ("variable_begin", "block_begin"):
            skeleton.append("\x00")
        elif kind == "name" and after == "block_begin" and value in ("trans", "endtrans"):
            in_trans = value == "trans"
        elif depth:
            depth += {"lparen": 1, "rparen": -1}.get(kind, 0)
        elif kind == "lparen" and after == "name" and tokens[index - 1][1] in GETTEXT_CALLS:
            depth = 1
        elif kind == "string" and WORDS.match(value[1:-1]):  # the token keeps its quotes
            literals.append(value[1:-1])
    html = _Html()
    # An expression inside a tag (`<details{% if open %} open{% endif %}>`) is an
    # attribute, not text: a space there keeps the tag whole for the parser.
    markup = TAG.sub(lambda tag: tag.group().replace("\x00", " "), "".join(skeleton))
    html.feed(markup)
    html.close()
    texts = [text.strip() for text in html.found if _readable(text)]
    return [text.replace("\x00", "{…}") for text in texts] + literals


def _templates() -> list[str]:
    return sorted(
        str(path.relative_to(ROOT))
        for path in TEMPLATES.rglob("*.html")
        if "dev" not in path.relative_to(TEMPLATES).parts[:-1]
    )


# --- Python -------------------------------------------------------------------------


def _plain_text(node: ast.expr) -> bool:
    """A literal or an f-string with letters, or one built from them (+, %, .format)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(LETTER.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _plain_text(node.left) or _plain_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _plain_text(node.func.value)
    if isinstance(node, ast.Dict):  # InputError({"field": "reason"})
        return any(_plain_text(value) for value in node.values)
    return False


def _called(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def untranslated_in_module(source: str) -> list[str]:
    """The messages for people a module writes as plain text (line: call)."""
    found = []
    tree = ast.parse(source)
    # werkzeug's NotFound and the like: their description is never shown (web/views.py
    # answers each HTTP error with its own words).
    foreign = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("werkzeug")
        for alias in node.names
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _called(node) in foreign:
            continue
        name = _called(node)
        arguments = [node.args[i] for i in MESSAGE_ARGUMENTS.get(name, ()) if i < len(node.args)]
        arguments += [k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS]
        if name == "of" and not (
            isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "InputError"
        ):
            arguments = [k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS]
        if any(_plain_text(argument) for argument in arguments):
            found.append(f"{node.lineno}: {ast.unparse(node)[:100]}")
    return found


def _modules() -> list[str]:
    return sorted(
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if not str(path.relative_to(PACKAGE)).startswith(SKIPPED_PYTHON)
    )


@pytest.mark.parametrize("path", _templates())
def test_every_text_of_a_template_is_marked_for_translation(path: str) -> None:
    assert untranslated_in_template((ROOT / path).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", _modules())
def test_every_message_of_the_code_is_marked_for_translation(path: str) -> None:
    assert untranslated_in_module((ROOT / path).read_text(encoding="utf-8")) == []


# --- the checkers themselves ----------------------------------------------------------


def test_the_template_check_finds_text_attributes_and_words_outside_gettext() -> None:
    sample = """{% extends "base.html" %}
{% block title %}{{ _("Fine") }}{% endblock %}
{% block content %}
<h1>Plain heading</h1>
<p>{{ _("Hello %(name)s", name=user.name) }} · 42 &amp; {{ count }} matchmaker</p>
<a href="{{ url_for('x') }}" title="Plain title" aria-label="{{ _('Fine label') }}">{{ _("Go") }}</a>
<img src="a.png" alt="A picture">
<input placeholder="Type here" class="wide" data-x="not read">
{% trans %}A whole sentence{% endtrans %}
{{ input("email", "Email", value) }} {{ input("name", _("Name"), value) }}
{{ ngettext("%(num)d hub", "%(num)d hubs", n) }} {{ "yes" if x else "No way" }}
{% endblock %}"""
    assert untranslated_in_template(sample) == [
        "Plain heading",
        'title="Plain title"',
        'alt="A picture"',
        'placeholder="Type here"',
        "Email",
        "No way",
    ]


def test_the_template_check_passes_a_wrapped_template() -> None:
    sample = """<h1>{{ _("Sign in") }}</h1><p>{{ user.email }} · {{ day|day }} (…) 3/4</p>
<button title="{{ _('Save') }}">{{ _("Save") }}</button>{# A comment, not shown #}"""
    assert untranslated_in_template(sample) == []


def test_the_python_check_finds_plain_messages() -> None:
    sample = """
from flask import flash
from flask_babel import gettext as _

def view(user, reason, fields):
    flash("Saved.", "success")
    flash(_("Saved."), "success")
    flash(f"Welcome, {user}.")
    raise InputError.of("name", "is required")
    raise InputError.of("name", _("is required"))
    raise InputError({"name": "too long"})
    raise InputError(problems)
    raise NotFound("there is no hub " + slug)
    raise Forbidden(reason)
    raise LinkError("This link has expired.")
    fields.problem("name", "must be text")
    return error_page(404, "Not found", _("No page."))
    return jsonify(error="Not found", message="Nothing here")
    flash("…")
"""
    found = untranslated_in_module(sample)
    assert [line.split(":")[0] for line in found] == [
        "6",
        "8",
        "9",
        "11",
        "13",
        "15",
        "16",
        "17",
        "18",
    ]


def test_a_new_plain_string_fails_in_any_file() -> None:
    """What the parametrized tests rely on: this area's files are clean now, and one
    unwrapped string added to one of them is found."""
    people = (ROOT / "templates" / "people.html").read_text(encoding="utf-8")
    assert untranslated_in_template(people) == []
    assert untranslated_in_template(people.replace("</h1>", "</h1><p>New text</p>", 1)) == [
        "New text"
    ]
    accounts = (ROOT / "matchmaker" / "web" / "accounts.py").read_text(encoding="utf-8")
    assert untranslated_in_module(accounts) == []
    changed = accounts.replace('flash(_("You are signed out."), "info")', 'flash("Bye.", "info")')
    assert changed != accounts and len(untranslated_in_module(changed)) == 1
