"""`flask --app matchmaker index ...`: the matching index of this machine."""

from __future__ import annotations

import os
import signal
import threading
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from matchmaker.engine import index_directory, reading_session
from matchmaker.engine.builder import IndexBuilder, run_builder
from matchmaker.engine.store import current_name

INDEX_NICENESS = 10


@click.group("index")
def index_cli() -> None:
    """The matching index every web worker of this machine reads."""


def _builder() -> IndexBuilder:
    config = current_app.config
    return IndexBuilder(
        index_directory(current_app),
        config.get("MATCHING_WEIGHTS"),
        config["INDEX_REFIT_SECONDS"],
    )


@index_cli.command("builder")
@with_appcontext
def builder_command() -> None:
    """Keep this machine's index current until stopped (SIGTERM or Ctrl+C): one a
    machine, beside the web workers, with INDEX_BUILDER=external."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    # Requests come first: on a busy machine the builder takes the cores they leave.
    os.nice(INDEX_NICENESS)
    click.echo(f"Building the matching index in {index_directory(app)} (stop with Ctrl+C).")
    run_builder(
        lambda: reading_session(app),
        _builder(),
        stop,
        app.config["INDEX_POLL_MS"] / 1000,
        report=lambda line: click.echo(line, err=True),
        gap_seconds=app.config["INDEX_GAP_MS"] / 1000,
    )


@index_cli.command("build")
@with_appcontext
def build_command() -> None:
    """Build the index once now (after a restore, or to time it)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    started = time.monotonic()
    with reading_session(app) as session:
        done = _builder().step(session)
    directory = index_directory(app)
    if done is None or current_name(directory) is None:
        raise click.ClickException("no index was written")
    click.echo(f"Wrote the {done} to {directory} ({time.monotonic() - started:.1f} s in all).")
