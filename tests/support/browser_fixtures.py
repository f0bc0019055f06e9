"""What the browser tests share: Debian's chromium driven by Playwright, the demo network
served on loopback on a database of its own, one browser context per test that fails the
test on any console error or content-security-policy violation, and screenshots under
`test-artifacts/screenshots/<database>/`.

Registered as a plugin in conftest.py. Each browser test module also overrides the autouse
`session` fixture (see `APP_SESSION`) and gets its own served app (module scope).

Without /usr/bin/chromium the browser tests are skipped, except under CI=true, where they
fail (`scripts/ensure_chromium.py` installs it there).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    expect,
    sync_playwright,
)

from matchmaker.demo.generator import DEMO_PASSWORD
from matchmaker.extensions import db
from tests.support.browser_server import CHROMIUM, CHROMIUM_ARGS, demo_app, own_database, served

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
MANAGER = "manager1@example.org"
HUB = "yeast-house"  # manager1's hub in the demo network
PHONE = {"width": 390, "height": 844}
KINDS = ("shadowing", "hot_desking", "residency", "project_partners")
TIMEOUT_MS = 10_000

# Flask-SQLAlchemy's own session, keyed by app context. The autouse `session` fixture of
# conftest.py swaps `db.session` for one bound to the shared test connection; the server
# thread must keep this one, so that it reaches the served app's own database.
APP_SESSION = db.session


@pytest.fixture(scope="module")
def chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    reason = f"{CHROMIUM} not found: install the Debian package `chromium` (CI=true installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="module")
def served_app(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo network on the browser tests' own database (see tests/support/browser_server.py)."""
    folder = tmp_path_factory.mktemp("browser")
    with own_database(folder) as url:
        yield demo_app(url, folder / "instance")


@pytest.fixture(scope="module")
def live_server(served_app: Flask) -> Iterator[str]:
    with served(served_app) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def emptied_folders() -> set[Path]:
    """The screenshot folders already emptied in this run (each module shares them)."""
    return set()


@pytest.fixture(scope="module")
def shots(served_app: Flask, emptied_folders: set[Path]) -> Path:
    """The screenshot folder of this database leg, emptied of an earlier run's pictures
    once per run (not per module, which would delete the other modules' pictures)."""
    with served_app.app_context():
        folder = SCREENSHOTS / db.engine.dialect.name
    if folder not in emptied_folders:
        shutil.rmtree(folder, ignore_errors=True)
        emptied_folders.add(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser(chromium: Path, live_server: str) -> Iterator[Browser]:
    """One chromium for the module; it depends on the server so that it closes first and
    no keep-alive connection outlives the server."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


FAILED_LOAD = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")


@dataclass
class Problems:
    """What the browser complained about while a test ran.

    A refused form comes back as a 4xx page, which chromium logs as a failed load; the
    test declares those it expects (`Visit.refused`), every other error fails it."""

    errors: list[tuple[str, str]] = field(default_factory=list)  # (url, message)
    expected: set[tuple[str, int]] = field(default_factory=set)  # (url, status)

    def watch(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append((page.url, f"uncaught: {error}")))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location
            url = str(where.get("url"))
            self.errors.append(
                (url, f"console error at {url}:{where.get('lineNumber')}: {message.text}")
            )

    def check(self, during: str) -> None:
        if found := self.unexpected():
            pytest.fail(f"the browser reported problems {during}:\n" + "\n".join(found))

    def unexpected(self) -> list[str]:
        found = []
        for url, text in self.errors:
            failed = FAILED_LOAD.search(text)
            if not (failed and (url, int(failed.group(1))) in self.expected):
                found.append(text)
        return found


# Chromium logs CSP violations to the console too; this names the directive and the source.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " +
    (event.blockedURI || "inline code") + " in " + event.sourceFile + ":" + event.lineNumber);
});
"""


@dataclass
class Visit:
    """A browser context of one test, with the problems it saw."""

    context: BrowserContext
    page: Page
    problems: Problems
    shots: Path

    def shot(self, name: str, full_page: bool = False) -> None:
        """What the screen shows, or the whole page (slower on long pages)."""
        self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=full_page)

    @contextmanager
    def refused(self, path: str, status: int = 400) -> Iterator[None]:
        """The page loaded by the block must be the app's `status` answer at `path`."""

        def is_page(response: Response) -> bool:
            return response.request.resource_type == "document" and response.url.endswith(path)

        with self.page.expect_response(is_page) as answer:
            yield
        assert answer.value.status == status, f"{path} answered {answer.value.status}"
        self.problems.expected.add((answer.value.url, status))


OpenVisit = Callable[..., Visit]


@pytest.fixture
def open_visit(
    browser: Browser, live_server: str, shots: Path, manager_state: dict[str, Any]
) -> Iterator[OpenVisit]:
    """Opens one context (signed in as the demo manager unless told otherwise) and fails
    the test on any console error or CSP violation seen in it."""
    assert db.session is APP_SESSION, "conftest's test session leaked into the browser tests"
    visits: list[Visit] = []

    def open_(signed_in: bool = True, **options: Any) -> Visit:
        if signed_in:
            options["storage_state"] = manager_state
        context = browser.new_context(base_url=live_server, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        page = context.new_page()
        problems = Problems()
        problems.watch(page)
        visits.append(Visit(context, page, problems, shots))
        return visits[-1]

    yield open_
    for visit in visits:
        visit.context.close()
    for visit in visits:
        visit.problems.check("during the test")


@pytest.fixture(scope="module")
def manager_state(browser: Browser, live_server: str) -> dict[str, Any]:
    """The cookies of a form sign-in as the demo manager, shared by the tests that start
    signed in (hashing the password once, not per test)."""
    context = browser.new_context(base_url=live_server)
    problems = Problems()
    try:
        page = context.new_page()
        problems.watch(page)
        sign_in(page, MANAGER)
        expect(page.get_by_role("link", name="My hub")).to_be_visible()
        state = dict(context.storage_state())
    finally:
        context.close()
    # The browser's first pages: a missing /favicon.ico, say, shows here, once per browser.
    problems.check("while signing in")
    return state


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def overlapping(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two boxes (x, y, width, height, as the browser measures them) overlap."""
    return bool(
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def main_nav(page: Page) -> Any:
    return page.get_by_role("navigation", name="Main")


# --- scenarios ----------------------------------------------------------------------------
