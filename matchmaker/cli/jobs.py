"""`flask --app matchmaker jobs worker`: a queue consumer, on as many machines as needed."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from matchmaker.jobs import app_queue
from matchmaker.jobs.schedule import SCHEDULE
from matchmaker.jobs.worker import create_consumer


@click.group("jobs")
def jobs_cli() -> None:
    """The job queue (QUEUE_URL)."""


@jobs_cli.command("worker")
@click.option(
    "--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Worker threads."
)
@with_appcontext
def worker_command(workers: int) -> None:
    """Run tasks from the queue and its periodic jobs (each once per period, however many
    workers run) until stopped: SIGTERM lets the tasks in hand finish (up to 10 s), SIGINT
    stops at once."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    queue = app_queue(current_app)
    click.echo(f"Queue {current_app.config['QUEUE_URL']}: {workers} workers. Periodic jobs:")
    for job in SCHEDULE:
        click.echo(f"  {job.task}: {job.what} (UTC)")
    create_consumer(queue.huey, workers).run()
