"""`log_lines`: the app's log as JSON for one test, read back line by line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from matchmaker.logs import configure_logging

Lines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def log_lines(app: Flask, capsys: pytest.CaptureFixture[str]) -> Iterator[Lines]:
    """JSON logging on for the test; each call returns the lines written since the last,
    parsed: a line that is not one JSON object fails the test."""
    configure_logging("json", "INFO")
    capsys.readouterr()

    def read() -> list[dict[str, Any]]:
        return [json.loads(line) for line in capsys.readouterr().err.splitlines()]

    yield read
    configure_logging(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
